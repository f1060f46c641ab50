// `gna calls <files or folders…>`: the table of a model's attention layers. Every NATTEN call
// site with its op, each mask argument's resolved values (or why it is unresolved), the token
// layout and where it came from, the NATTEN version and where it came from, and the simulated
// speedup where everything is known. The rows come from the linter's reports (lint/callTable.ts),
// the same data the editor's hovers, hints and preview show.

import { createLinter } from '../lint';
import { callRows, CallRow, TABLE_HEADER, tableCells, tableFooter } from '../lint/callTable';
import { FlagSpec, helpText, parseArgs } from './args';
import { loadGrammars } from './grammars';
import { CliIO, Command, EXIT, UsageError } from './io';
import { joinLayoutWords, optionsFrom, readSources } from './lint';
import { lineStarts, position } from './lintFormat';
import { ProjectConfigs, VersionChoice } from './projectConfig';
import { loadTraceOption } from './traceOption';
import { walkSources } from './walk';

const FORMATS = ['table', 'json'] as const;

const FLAGS: FlagSpec[] = [
  { name: 'format', short: 'f', kind: 'string', choices: FORMATS, help: 'table (default) or json' },
  { name: 'natten-version', kind: 'string', help: 'NATTEN release the code targets (default: the nearest project pin, else the newest)' },
  { name: 'input-size', short: 'i', kind: 'ints', help: 'token layout for calls whose layout the code does not give, e.g. -i 56 56' },
  { name: 'arch', kind: 'string', choices: ['hopper', 'blackwell', 'ampere'], help: 'GPU family for tile shapes (default hopper)' },
  { name: 'dim', short: 'd', kind: 'number', help: 'head dim for tile shapes when the code does not say (default 128)' },
  { name: 'trace', kind: 'string', help: 'a gna trace file (.gna/trace.json): traced call sites list the layouts and configs they ran with' },
  { name: 'help', short: 'h', kind: 'flag', help: 'show this help' },
];

const SUMMARY = 'List every NATTEN call site with its resolved arguments, token layout, NATTEN version and simulated speedup.';

export interface CallJson {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly op: string;
  readonly configs: number;
  readonly args: CallRow['args'];
  readonly layout: CallRow['layout'];
  readonly nattenVersion: VersionChoice;
  readonly simulated?: CallRow['simulated'];
  readonly traced?: CallRow['traced'];
}

export const callsCommand: Command = async (argv, io: CliIO) => {
  const parsed = parseArgs(joinLayoutWords(argv), FLAGS);
  if (parsed.values.has('help')) {
    io.out(`${helpText('calls <files or folders…>', SUMMARY, FLAGS)}\n\nExit status: 0 listed, 2 bad usage, 5 some files not read.`);
    return EXIT.ok;
  }
  const problems = [...parsed.problems];
  const options = optionsFrom(parsed.values, problems);
  if (parsed.positionals.length === 0) problems.push('give one or more Python files or folders');
  const walk = walkSources(parsed.positionals);
  for (const p of walk.missing) problems.push(`no such file or folder: ${p}`);
  const traced = loadTraceOption(parsed.values.get('trace') as string | undefined, problems);
  if (problems.length > 0) throw new UsageError(problems);

  const linter = await createLinter(loadGrammars());
  let unread = walk.skipped.length;
  for (const problem of walk.skipped) io.err(`gna calls: ${problem}`);
  const texts = readSources(walk.files, (m) => {
    unread++;
    io.err(`gna calls: ${m}`);
  });
  const workspace = linter.workspace(texts);
  const configs = new ProjectConfigs();
  const rows: CallJson[] = [];
  try {
    for (const f of walk.files) {
      const text = texts.get(f.shown);
      if (text === undefined) continue;
      // The same options as `gna lint` gives the file: flags, [tool.gna], the project's pin.
      const { options: fileOptions, nattenVersion: version } = configs.forFile(f.path, options);
      const trace = traced?.forFile(f.path, text);
      const report = linter.lint(text, { ...fileOptions, workspace, path: f.shown, ...(trace ? { trace } : {}) });
      const starts = lineStarts(text);
      for (const row of callRows(report.calls)) {
        const { line, column } = position(starts, row.range.start);
        rows.push({ file: f.shown, line, column, op: row.op, configs: row.configs, args: row.args, layout: row.layout, nattenVersion: version, ...(row.simulated ? { simulated: row.simulated } : {}), ...(row.traced ? { traced: row.traced } : {}) });
      }
    }
  } finally {
    workspace.dispose();
  }
  const format = (parsed.values.get('format') as (typeof FORMATS)[number] | undefined) ?? 'table';
  io.out(format === 'json' ? JSON.stringify(rows, null, 2) : formatTable(rows).join('\n'));
  return unread > 0 ? EXIT.incomplete : EXIT.ok;
};

/** Aligned columns, then one line per unresolved argument saying why. */
export function formatTable(rows: readonly CallJson[]): string[] {
  const body = rows.map(tableCells);
  const widths = TABLE_HEADER.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const out = [line(TABLE_HEADER), ...body.map(line)];
  const { summary, unresolved } = tableFooter(rows);
  out.push('', summary);
  if (unresolved.length > 0) out.push('unresolved:', ...unresolved.map((n) => `  ${n}`));
  return out;
}
