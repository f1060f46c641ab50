// `gna lint <files or folders…>`: every NATTEN call in the Python files, checked against the
// configured NATTEN version and simulated for the GPU family. Exit 1 when an error is found.

import { join } from 'path';
import { GPU_FAMILIES, GpuFamily } from '../core';
import { createLinter, LintOptions } from '../lint';
import { NEWEST_VERSION, parseVersion } from '../python/nattenApi';
import { FlagSpec, helpText, parseArgs } from './args';
import { loadGrammars } from './grammars';
import { CliIO, Command, EXIT, UsageError } from './io';
import { formatText, JsonFinding, sarifLog, sarifResults, toJsonFindings } from './lintFormat';
import { MAX_SOURCE_BYTES, readBoundedFile, walkSources } from './walk';

/** Per file: far above any real file's lint time (milliseconds), low enough to end a runaway one. */
const DEFAULT_TIME_BUDGET_MS = 30_000;
import { loadTraceOption } from './traceOption';
import { ProjectConfigs, shownTablePath } from './projectConfig';
import type { FoundTable } from '../lint/projectOptions';
import { readStdin } from './stdin';
import { closestRules, ruleId } from '../lint/suppress';
import { isRuleLevel, RULE_LEVELS, type RuleLevel } from '../lint/types';
import { toolVersion } from './version';

const FORMATS = ['text', 'json', 'sarif'] as const;

const FLAGS: FlagSpec[] = [
  { name: 'format', short: 'f', kind: 'string', choices: FORMATS, help: 'text (default: path:line:col: severity rule: message), json or sarif' },
  { name: 'natten-version', kind: 'string', help: `NATTEN release the code targets (default: the nearest requirements*.txt, pyproject.toml, setup.py/.cfg or environment.yml pin, else ${NEWEST_VERSION})` },
  { name: 'arch', kind: 'string', choices: GPU_FAMILIES, help: 'GPU family for tile shapes: hopper (default), blackwell, ampere' },
  { name: 'dim', short: 'd', kind: 'number', help: 'head dim for tile shapes when the code does not say (default 128)' },
  { name: 'input-size', short: 'i', kind: 'ints', help: 'token layout for calls without a # gna: annotation, e.g. -i 64 64' },
  { name: 'time-budget', kind: 'number', help: `milliseconds one file may take before its analysis stops (default ${DEFAULT_TIME_BUDGET_MS})` },
  { name: 'trace', kind: 'string', help: 'a gna trace file (.gna/trace.json): traced calls are checked with the layouts and configs they ran with' },
  { name: 'select', kind: 'string', help: 'report only these rules, comma-separated (e.g. not-block-sparse,gna/even-window); replaces [tool.gna] select' },
  { name: 'ignore', kind: 'string', help: 'do not report these rules, comma-separated; adds to [tool.gna] ignore' },
  { name: 'rules', kind: 'string', help: 'a level per rule, comma-separated RULE=off|info|warning|error (e.g. not-block-sparse=error,summary=off); over [tool.gna.rules]' },
  { name: 'quiet', short: 'q', kind: 'flag', help: 'errors and warnings only: no infos, no summary line' },
  { name: 'stdin-filename', kind: 'string', help: "with '-': the name the source from standard input is shown and configured as" },
  { name: 'help', short: 'h', kind: 'flag', help: 'show this help' },
];

const SUMMARY = 'Lint NATTEN neighborhood-attention configs in Python files (folders are searched for *.py).';

/**
 * The texts of the walked files, by shown path (each file's problem reported instead): `gna lint`
 * and `gna calls` hand them all to one workspace, so a layer's parameters come from other files.
 */
export function readSources(files: readonly { path: string; shown: string }[], problem: (message: string) => void): Map<string, string> {
  const texts = new Map<string, string>();
  for (const f of files) {
    const read = readBoundedFile(f.path);
    if ('problem' in read) problem(`${f.shown}: ${read.problem}`);
    else texts.set(f.shown, read.text);
  }
  return texts;
}

export function optionsFrom(values: Map<string, unknown>, problems: string[]): LintOptions {
  const options: { -readonly [K in keyof LintOptions]: LintOptions[K] } = {};
  const version = values.get('natten-version') as string | undefined;
  if (version !== undefined) {
    if (!parseVersion(version)) problems.push(`--natten-version takes a release like 0.21 or 0.17.5, got ${version}`);
    else options.nattenVersion = version;
  }
  const arch = values.get('arch') as GpuFamily | undefined;
  if (arch) options.family = arch;
  const dim = values.get('dim') as number | undefined;
  if (dim !== undefined) {
    if (!Number.isSafeInteger(dim) || dim < 1) problems.push(`--dim must be a positive integer, got ${dim}`);
    else options.headDim = dim;
  }
  const input = values.get('input-size') as number[] | undefined;
  if (input !== undefined) {
    if (input.length > 3 || input.some((n) => !Number.isSafeInteger(n) || n < 1)) problems.push(`--input-size takes 1 to 3 positive integers, got ${input.join(' ')}`);
    else options.defaultInputSize = input;
  }
  for (const key of ['select', 'ignore'] as const) {
    const list = values.get(key) as string | undefined;
    if (list === undefined) continue;
    const codes = list.split(',').map((c) => c.trim()).filter((c) => c !== '');
    problems.push(...unknownRuleCodes(codes, `--${key}`));
    options[key] = codes;
  }
  const levels = values.get('rules') as string | undefined;
  if (levels !== undefined) options.rules = parseRuleLevels(levels, problems);
  const budget = (values.get('time-budget') as number | undefined) ?? DEFAULT_TIME_BUDGET_MS;
  if (!Number.isSafeInteger(budget) || budget < 0) problems.push(`--time-budget must be a whole number of milliseconds >= 0, got ${budget}`);
  else options.timeBudgetMs = budget;
  return options;
}

/**
 * `-i 64 64 models/` reads as the layout then a path: only numeric words join the layout (the
 * shared parser would take every following value word), so `--input-size=64,64` is passed on.
 */
export function joinLayoutWords(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== '-i' && argv[i] !== '--input-size') {
      out.push(argv[i]);
      continue;
    }
    const words: string[] = [];
    while (i + 1 < argv.length && /^[\d\s,x×()[\]]+$/.test(argv[i + 1])) words.push(argv[++i]);
    out.push(`--input-size=${words.join(',')}`);
  }
  return out;
}

/** `--rules not-block-sparse=error,summary=off`: each entry checked (code and level). */
function parseRuleLevels(list: string, problems: string[]): Record<string, RuleLevel> {
  const rules: Record<string, RuleLevel> = {};
  for (const entry of list.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const [code, level, ...rest] = entry.split('=').map((x) => x.trim());
    if (level === undefined || rest.length > 0 || !isRuleLevel(level)) {
      problems.push(`--rules takes RULE=${RULE_LEVELS.join('|')} entries, got '${entry}'`);
      continue;
    }
    problems.push(...unknownRuleCodes([code], '--rules'));
    rules[code] = level;
  }
  return rules;
}

/** Each unknown rule code, with the nearest rule ids. */
function unknownRuleCodes(codes: readonly string[], where: string): string[] {
  return codes
    .filter((c) => ruleId(c) === undefined)
    .map((c) => {
      const near = closestRules(c);
      return `${where}: unknown rule '${c}'${near.length ? ` (did you mean ${near.join(' or ')}?)` : ' (the rules: docs/lint-rules.md)'}`;
    });
}

export const lintCommand: Command = async (argv, io: CliIO) => {
  const parsed = parseArgs(joinLayoutWords(argv), FLAGS);
  if (parsed.values.has('help')) {
    io.out(
      `${helpText('lint <files or folders…>', SUMMARY, FLAGS)}\n\n` +
        'Exit status: 0 no errors, 1 errors found, 2 bad usage, 5 some files not read or not fully checked, 70 internal error.\n' +
        `Symbolic links inside folders are not followed; files above ${MAX_SOURCE_BYTES / (1024 * 1024)} MiB, devices and pipes are not read.`,
    );
    return EXIT.ok;
  }
  const problems = [...parsed.problems];
  const options = optionsFrom(parsed.values, problems);
  if (parsed.positionals.length === 0) problems.push("give one or more Python files or folders to lint, or - for standard input");
  const stdin = parsed.positionals.includes('-');
  const stdinName = (parsed.values.get('stdin-filename') as string | undefined) ?? '-';
  if (parsed.positionals.filter((p) => p === '-').length > 1) problems.push("give - (standard input) once");
  if (parsed.values.has('stdin-filename') && !stdin) problems.push("--stdin-filename names the source read from standard input: add - to the paths");
  const walk = walkSources(parsed.positionals.filter((p) => p !== '-'));
  for (const p of walk.missing) problems.push(`no such file or folder: ${p}`);
  const traced = loadTraceOption(parsed.values.get('trace') as string | undefined, problems);
  // [tool.gna] of each file's nearest pyproject.toml; a broken table is a usage error, once per file.
  const configs = new ProjectConfigs();
  const tables = new Set<FoundTable | undefined>();
  for (const f of walk.files) tables.add(configs.tableFor(f.path));
  if (stdin) tables.add(configs.tableFor(stdinName === '-' ? process.cwd() : stdinName, stdinName === '-'));
  for (const t of tables) {
    if (!t) continue;
    const shown = shownTablePath(t);
    for (const p of t.problems) problems.push(`${shown}: ${p}`);
    for (const key of ['select', 'ignore'] as const) problems.push(...unknownRuleCodes(t.config[key] ?? [], `${shown}: [tool.gna] ${key}`));
    problems.push(...unknownRuleCodes(Object.keys(t.config.rules ?? {}), `${shown}: [tool.gna.rules]`));
  }
  if (problems.length > 0) throw new UsageError(problems);
  const quiet = parsed.values.has('quiet');

  const format = (parsed.values.get('format') as (typeof FORMATS)[number] | undefined) ?? 'text';
  const linter = await createLinter(loadGrammars());
  // Each file's text is dropped once its findings have line and column numbers: text output is
  // printed file by file, JSON and SARIF keep only their small per-finding records.
  const flat: JsonFinding[] = [];
  const sarif: object[] = [];
  let unread = walk.skipped.length;
  for (const problem of walk.skipped) io.err(`gna lint: ${problem}`);
  let calls = 0;
  let linted = 0;
  const onUnread = (m: string): void => {
    unread++;
    io.err(`gna lint: ${m}`);
  };
  const texts = readSources(walk.files, onUnread);
  const sources: { path: string; shown: string; stdin?: boolean }[] = [...walk.files];
  if (stdin) {
    sources.push({ path: stdinName === '-' ? join(process.cwd(), '<stdin>.py') : stdinName, shown: stdinName, stdin: true });
    const read = await readStdin();
    if ('problem' in read) onUnread(`${stdinName}: ${read.problem}`);
    else texts.set(stdinName, read.text);
  }
  // Every file given is the workspace: a layer's parameters come from its calls in other files.
  const workspace = linter.workspace(texts);
  for (const f of sources) {
    const text = texts.get(f.shown);
    if (text === undefined) continue;
    const read = { text };
    const trace = f.stdin ? undefined : traced?.forFile(f.path, read.text);
    // Flags, then [tool.gna], then the project's NATTEN pin (lint/projectOptions.ts, as in the editor).
    const fileOptions = configs.forFile(f.path, options).options;
    const report = linter.lint(read.text, { ...fileOptions, workspace, path: f.shown, ...(trace ? { trace } : {}) });
    linted++;
    calls += report.calls.length;
    const shown = quiet ? report.findings.filter((x) => x.severity !== 'info') : report.findings;
    const file = { file: f.shown, text: read.text, findings: [...shown].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end) };
    const json = toJsonFindings([file]);
    for (const finding of json) flat.push(finding);
    if (format === 'sarif') for (const result of sarifResults(file)) sarif.push(result);
    if (format === 'text' && json.length > 0) io.out(formatText(json).join('\n'));
  }
  workspace.dispose();
  if (walk.linksNotFollowed > 0) io.err(`gna lint: note: ${walk.linksNotFollowed} symbolic link${walk.linksNotFollowed === 1 ? '' : 's'} inside folders not followed (name a link's target to lint it).`);

  if (format === 'json') io.out(JSON.stringify(flat, null, 2));
  else if (format === 'sarif') io.out(JSON.stringify(sarifLog(sarif, toolVersion()), null, 2));
  else if (!quiet) {
    const count = (s: string) => flat.filter((f) => f.severity === s).length;
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    io.out(
      `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('info'), 'info')} in ${plural(linted, 'file')} (${plural(calls, 'NATTEN call')})` +
        (unread > 0 ? `; ${plural(unread, 'file')} or folder${unread === 1 ? '' : 's'} not read.` : '.'),
    );
  }
  if (flat.some((f) => f.rule === 'gna/internal-error')) return EXIT.internal;
  if (unread > 0 || flat.some((f) => f.rule === 'gna/analysis-stopped')) return EXIT.incomplete;
  return flat.some((f) => f.severity === 'error') ? EXIT.findings : EXIT.ok;
};
