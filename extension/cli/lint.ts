// `gna lint <files or folders…>`: every NATTEN call in the Python files, checked against the
// configured NATTEN version and simulated for the GPU family. Exit 1 when an error is found.

import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative, sep } from 'path';
import { GPU_FAMILIES, GpuFamily } from '../core';
import { createLinter, LintOptions } from '../lint';
import { NEWEST_VERSION, parseVersion } from '../python/nattenApi';
import { FlagSpec, helpText, parseArgs } from './args';
import { loadGrammars } from './grammars';
import { CliIO, Command, EXIT, UsageError } from './io';
import { FileFindings, formatSarif, formatText, toJsonFindings } from './lintFormat';

const FORMATS = ['text', 'json', 'sarif'] as const;

const FLAGS: FlagSpec[] = [
  { name: 'format', short: 'f', kind: 'string', choices: FORMATS, help: 'text (default: path:line:col: severity rule: message), json or sarif' },
  { name: 'natten-version', kind: 'string', help: `NATTEN release the code targets (default ${NEWEST_VERSION})` },
  { name: 'arch', kind: 'string', choices: GPU_FAMILIES, help: 'GPU family for tile shapes: hopper (default), blackwell, ampere' },
  { name: 'dim', short: 'd', kind: 'number', help: 'head dim for tile shapes when the code does not say (default 128)' },
  { name: 'input-size', short: 'i', kind: 'ints', help: 'token layout for calls without a # gna: annotation, e.g. -i 64 64' },
  { name: 'help', short: 'h', kind: 'flag', help: 'show this help' },
];

const SUMMARY = 'Lint NATTEN neighborhood-attention configs in Python files (folders are searched for *.py).';

/** Folders never searched: dependencies, environments, VCS data. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'venv', '.venv', 'env', '.tox', '__pycache__', 'site-packages', '.mypy_cache']);

function toSlash(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/** Python files under the given paths, in a stable order, each printed relative to its argument. */
export function collectFiles(paths: readonly string[]): { files: { path: string; shown: string }[]; problems: string[] } {
  const files: { path: string; shown: string }[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const add = (path: string, shown: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    files.push({ path, shown: toSlash(shown) });
  };
  const walk = (dir: string, shownDir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (e) {
      problems.push(`cannot read ${shownDir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      return;
    }
    for (const name of entries) {
      const full = join(dir, name);
      let st;
      try {
        st = statSync(full);
      } catch {
        continue; // a dangling link: nothing to lint
      }
      if (st.isDirectory()) {
        if (!SKIPPED_DIRS.has(name)) walk(full, join(shownDir, name));
      } else if (name.endsWith('.py')) add(full, join(shownDir, name));
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      problems.push(`no such file or folder: ${p}`);
      continue;
    }
    if (st.isDirectory()) walk(p, relative(process.cwd(), p) === '' ? '.' : p.replace(/[\\/]+$/, ''));
    else add(p, p);
  }
  return { files, problems };
}

function optionsFrom(values: Map<string, unknown>, problems: string[]): LintOptions {
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
  return options;
}

function toolVersion(): string {
  for (const p of [join(__dirname, '..', 'package.json'), join(__dirname, '..', '..', 'package.json'), join(__dirname, '..', '..', '..', 'package.json')]) {
    try {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'gna-studio' && pkg.version) return pkg.version;
    } catch {
      // try the next place
    }
  }
  return '0.0.0';
}

/**
 * `-i 64 64 models/` reads as the layout then a path: only numeric words join the layout (the
 * shared parser would take every following value word), so `--input-size=64,64` is passed on.
 */
function joinLayoutWords(argv: readonly string[]): string[] {
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

export const lintCommand: Command = async (argv, io: CliIO) => {
  const parsed = parseArgs(joinLayoutWords(argv), FLAGS);
  if (parsed.values.has('help')) {
    io.out(`${helpText('lint <files or folders…>', SUMMARY, FLAGS)}\n\nExit status: 0 no errors, 1 errors found, 2 bad usage.`);
    return EXIT.ok;
  }
  const problems = [...parsed.problems];
  const options = optionsFrom(parsed.values, problems);
  if (parsed.positionals.length === 0) problems.push('give one or more Python files or folders to lint');
  const { files, problems: pathProblems } = collectFiles(parsed.positionals);
  problems.push(...pathProblems);
  if (problems.length > 0) throw new UsageError(problems);

  const linter = await createLinter(loadGrammars());
  const results: FileFindings[] = [];
  let calls = 0;
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f.path, 'utf8');
    } catch (e) {
      io.err(`gna lint: cannot read ${f.shown}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      continue;
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const report = linter.lint(text, options);
    calls += report.calls.length;
    const findings = [...report.findings].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
    results.push({ file: f.shown, text, findings });
  }

  const flat = toJsonFindings(results);
  const format = (parsed.values.get('format') as (typeof FORMATS)[number] | undefined) ?? 'text';
  if (format === 'json') io.out(JSON.stringify(flat, null, 2));
  else if (format === 'sarif') io.out(JSON.stringify(formatSarif(results, toolVersion()), null, 2));
  else {
    const count = (s: string) => flat.filter((f) => f.severity === s).length;
    const lines = formatText(flat);
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    lines.push(`${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('info'), 'info')} in ${plural(files.length, 'file')} (${plural(calls, 'NATTEN call')}).`);
    io.out(lines.join('\n'));
  }
  return flat.some((f) => f.severity === 'error') ? EXIT.findings : EXIT.ok;
};
