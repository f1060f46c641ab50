// The corpus of real NATTEN code patterns (test/fixtures/corpus: one folder per modelled project,
// each with its own dependency pin) and what the linter should make of it. Expectations are
// written by hand on the first line of each call, from NATTEN's sources:
//   # expect: <op> [ks=<values>] [breaks=<rule>]
// op: NATTEN's name for the call; ks: every kernel_size the call runs with (`7`, `3|5|7`,
// `(3,7,7)`); breaks: the rule that must flag the call under NATTEN 0.21 (it fails or misbehaves
// there). Metrics: call sites found, errors on the code at its own release, 0.21 breakages
// flagged, kernel_size resolved to exactly the expected values.
import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import type { Finding, Linter, LintReport } from '../../extension/lint';
import { callRows, CallRow } from '../../extension/lint/callTable';
import { lineOf } from '../../extension/python';
import { PROJECT_FILES, pinInFolder } from '../../extension/python/projectVersion';

export const CORPUS_ROOT = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'corpus');

interface Expectation {
  readonly file: string;
  readonly line: number;
  readonly op: string;
  readonly ks?: string[];
  readonly breaks?: string;
}

export interface CaseResult {
  readonly name: string;
  readonly version: string;
  readonly expected: number;
  readonly found: number;
  readonly extra: string[];
  readonly missed: string[];
  readonly errors: string[];
  readonly breaking: number;
  readonly breaksFlagged: number;
  readonly breaksMissed: string[];
  readonly ksExpected: number;
  readonly ksResolved: number;
  readonly ksWrong: string[];
  /** Informational findings (editor: the summary is the inlay hint's; CLI: every info line). */
  readonly noise: Noise;
  /** The same, each file linted alone (no cross-file resolution: more values unknown). */
  readonly noiseAlone: Noise;
}

/** Informational findings at the call sites of the code at its own release (the noise policy's bars). */
export interface Noise {
  readonly callSites: number;
  /** Diagnostics the editor publishes as information (inlay hints on: `gna/summary` is the hint). */
  readonly editorInfos: number;
  /** Info lines of `gna lint` (with the summary). */
  readonly cliInfos: number;
  /** The most editor infos on one call site. */
  readonly maxPerCall: number;
  /** Call sites where a token layout alone completes the check: the only place an info may go. */
  readonly actionable: number;
  /** Editor infos on call sites that are not actionable (the bar: 0), where. */
  readonly onNotActionable: string[];
}

export interface CorpusResult {
  readonly cases: CaseResult[];
  readonly callSites: number;
  readonly found: number;
  readonly errors: number;
  readonly breaking: number;
  readonly breaksFlagged: number;
  readonly ksResolved: number;
  readonly noise: Noise;
  readonly noiseAlone: Noise;
}

function pythonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...pythonFiles(full));
    else if (name.endsWith('.py')) out.push(full);
  }
  return out;
}

const EXPECT = /#\s*expect:\s*(\S+)((?:\s+\w+=\S+)*)/;

function expectations(file: string, text: string): Expectation[] {
  const out: Expectation[] = [];
  text.split('\n').forEach((line, i) => {
    const m = EXPECT.exec(line);
    if (!m) return;
    const fields = Object.fromEntries([...m[2].matchAll(/(\w+)=(\S+)/g)].map((f) => [f[1], f[2]]));
    out.push({ file, line: i + 1, op: m[1], ...(fields.ks ? { ks: fields.ks.split('|') } : {}), ...(fields.breaks ? { breaks: fields.breaks } : {}) });
  });
  return out;
}

/** `7`, `(3,7,7)`: a kernel_size value as the expectations write it. */
function valueText(v: unknown): string {
  return Array.isArray(v) ? `(${v.join(',')})` : String(v);
}

function lineRange(range: { start: number; end: number }, starts: number[]): [number, number] {
  return [lineOf(starts, range.start) + 1, lineOf(starts, Math.max(range.start, range.end - 1)) + 1];
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

export function runCase(linter: Linter, dir: string, newest = '0.21'): CaseResult {
  const name = relative(CORPUS_ROOT, dir);
  const project = new Map<string, string>();
  for (const f of readdirSync(dir)) if (PROJECT_FILES.test(f)) project.set(f, readFileSync(join(dir, f), 'utf8'));
  const version = pinInFolder(project)?.version ?? newest;
  const files = pythonFiles(dir).map((p) => ({ path: relative(dir, p), text: readFileSync(p, 'utf8') }));
  const workspace = linter.workspace(new Map(files.map((f) => [f.path, f.text])));
  const result = {
    name, version, expected: 0, found: 0, extra: [] as string[], missed: [] as string[], errors: [] as string[],
    breaking: 0, breaksFlagged: 0, breaksMissed: [] as string[], ksExpected: 0, ksResolved: 0, ksWrong: [] as string[],
    noise: { callSites: 0, editorInfos: 0, cliInfos: 0, maxPerCall: 0, actionable: 0, onNotActionable: [] as string[] },
    noiseAlone: { callSites: 0, editorInfos: 0, cliInfos: 0, maxPerCall: 0, actionable: 0, onNotActionable: [] as string[] },
  };
  try {
    for (const f of files) {
      const starts = lineStartsOf(f.text);
      const own = linter.lint(f.text, { nattenVersion: version, workspace, path: f.path });
      const newer = linter.lint(f.text, { nattenVersion: newest, workspace, path: f.path });
      const rows: CallRow[] = callRows(own.calls);
      const expected = expectations(f.path, f.text);
      const matched = new Set<CallRow>();
      for (const e of own.findings.filter((x: Finding) => x.severity === 'error')) result.errors.push(`${f.path}:${lineOf(starts, e.range.start) + 1} ${e.rule}: ${e.message}`);
      for (const x of expected) {
        result.expected++;
        const row = rows.find((r) => !matched.has(r) && r.op === x.op && lineRange(r.range, starts)[0] === x.line);
        const where = `${f.path}:${x.line} ${x.op}`;
        if (!row) {
          result.missed.push(where);
          if (x.breaks) result.breaking++, result.breaksMissed.push(`${where} (call not found)`);
          if (x.ks) result.ksExpected++;
          continue;
        }
        matched.add(row);
        result.found++;
        if (x.ks) {
          result.ksExpected++;
          const got = row.args.kernel_size.values.map(valueText);
          const same = row.args.kernel_size.resolved && got.length === x.ks.length && x.ks.every((v) => got.includes(v));
          if (same) result.ksResolved++;
          else result.ksWrong.push(`${where}: expected ${x.ks.join('|')}, got ${row.args.kernel_size.resolved ? got.join('|') : `unresolved (${row.args.kernel_size.reason})`}`);
        }
        if (x.breaks) {
          result.breaking++;
          const [from, to] = lineRange(row.range, starts);
          // On the call's lines, or about the call (a heads-first finding points at the permute).
          const about = (fd: Finding) => fd.callIndex !== undefined && newer.calls[fd.callIndex]?.range.start === row.range.start;
          const onLines = (fd: Finding) => lineOf(starts, fd.range.start) + 1 >= from && lineOf(starts, fd.range.start) + 1 <= to;
          const flagged = newer.findings.some((fd) => fd.rule === x.breaks && (onLines(fd) || about(fd)));
          if (flagged) result.breaksFlagged++;
          else result.breaksMissed.push(`${where}: no ${x.breaks} under ${newest}`);
        }
      }
      for (const r of rows) if (!matched.has(r)) result.extra.push(`${f.path}:${lineRange(r.range, starts)[0]} ${r.op}`);
      const at = (offset: number) => `${f.path}:${lineOf(starts, offset) + 1}`;
      addNoise(result.noise, own, (layout) => linter.lint(f.text, { nattenVersion: version, workspace, path: f.path, defaultInputSize: layout }), at);
      const alone = (layout?: number[]) => linter.lint(f.text, { nattenVersion: version, ...(layout ? { defaultInputSize: layout } : {}) });
      addNoise(result.noiseAlone, alone(), alone, at);
    }
  } finally {
    workspace.dispose();
  }
  return result;
}

/** A token layout per rank, large enough for every window of the corpus. */
const LAYOUTS = [[4096], [128, 128], [32, 128, 128]];

/**
 * Counts the infos of each call site, and whether it is actionable, measured rather than taken
 * from the policy: a call site is actionable when some config of it is not fully known and,
 * linted again with a token layout of some rank, is.
 */
function addNoise(noise: { -readonly [K in keyof Noise]: Noise[K] }, own: LintReport, withLayout: (layout: number[]) => LintReport, where: (at: number) => string): void {
  const key = (r: { start: number; end: number }) => `${r.start}:${r.end}`;
  const sites = new Map<string, { editor: number; cli: number; actionable: boolean; at: number }>();
  for (const c of own.calls) sites.set(key(c.range), { editor: 0, cli: 0, actionable: false, at: c.range.start });
  for (const f of own.findings) {
    if (f.severity !== 'info' || f.callIndex === undefined) continue;
    const site = sites.get(key(own.calls[f.callIndex].range))!;
    site.cli++;
    if (f.rule !== 'gna/summary') site.editor++;
  }
  const incomplete = own.calls.filter((c) => c.check.unknown.length > 0 || c.check.rank === undefined);
  if (incomplete.length > 0) {
    for (const layout of LAYOUTS) {
      for (const c of withLayout(layout).calls) {
        const site = sites.get(key(c.range));
        const before = incomplete.some((i) => key(i.range) === key(c.range));
        if (site && before && c.check.rank !== undefined && c.check.unknown.length === 0) site.actionable = true;
      }
    }
  }
  for (const s of sites.values()) {
    noise.callSites++;
    noise.editorInfos += s.editor;
    noise.cliInfos += s.cli;
    noise.maxPerCall = Math.max(noise.maxPerCall, s.editor);
    if (s.actionable) noise.actionable++;
    else if (s.editor > 0) noise.onNotActionable.push(where(s.at));
  }
}

export function runCorpus(linter: Linter, root = CORPUS_ROOT): CorpusResult {
  const cases = readdirSync(root)
    .filter((d) => statSync(join(root, d)).isDirectory())
    .sort()
    .map((d) => runCase(linter, join(root, d)));
  const sum = (f: (c: CaseResult) => number) => cases.reduce((a, c) => a + f(c), 0);
  return {
    cases,
    callSites: sum((c) => c.expected),
    found: sum((c) => c.found),
    errors: sum((c) => c.errors.length),
    breaking: sum((c) => c.breaking),
    breaksFlagged: sum((c) => c.breaksFlagged),
    ksResolved: sum((c) => c.ksResolved),
    noise: sumNoise(cases.map((c) => c.noise), cases.map((c) => c.name)),
    noiseAlone: sumNoise(cases.map((c) => c.noiseAlone), cases.map((c) => c.name)),
  };
}

function sumNoise(all: readonly Noise[], names: readonly string[]): Noise {
  const sum = (f: (n: Noise) => number) => all.reduce((a, n) => a + f(n), 0);
  return {
    callSites: sum((n) => n.callSites),
    editorInfos: sum((n) => n.editorInfos),
    cliInfos: sum((n) => n.cliInfos),
    maxPerCall: Math.max(0, ...all.map((n) => n.maxPerCall)),
    actionable: sum((n) => n.actionable),
    onNotActionable: all.flatMap((n, i) => n.onNotActionable.map((w) => `${names[i]}/${w}`)),
  };
}

/** The noise table: infos per call site, in the editor and in `gna lint`; `alone`: each file linted alone. */
export function noiseMarkdown(r: CorpusResult, alone = false): string[] {
  const per = (n: number, d: number) => (d === 0 ? 'n/a' : (n / d).toFixed(2));
  const row = (name: string, n: Noise) =>
    `| ${name} | ${n.callSites} | ${n.editorInfos} (${per(n.editorInfos, n.callSites)}) | ${n.maxPerCall} | ${n.actionable} | ${n.onNotActionable.length} | ${n.cliInfos} (${per(n.cliInfos, n.callSites)}) |`;
  const total = alone ? r.noiseAlone : r.noise;
  return [
    '| case | call sites | editor infos (per call site) | most on one call | actionable call sites | infos on non-actionable calls | `gna lint` info lines (per call site) |',
    '|---|---|---|---|---|---|---|',
    ...r.cases.map((c) => row(c.name, alone ? c.noiseAlone : c.noise)),
    row('**all**', total),
    ...(total.onNotActionable.length > 0 ? ['', ...total.onNotActionable.map((w) => `- info on a non-actionable call: ${w}`)] : []),
  ];
}
/** The corpus result as the markdown table bench/results/corpus.md records. */
export function corpusMarkdown(r: CorpusResult): string[] {
  const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
  const lines = [
    '| case | NATTEN | call sites found | errors at own release | 0.21 breakages flagged | kernel_size resolved |',
    '|---|---|---|---|---|---|',
    ...r.cases.map((c) => `| ${c.name} | ${c.version} | ${c.found}/${c.expected} | ${c.errors.length} | ${c.breaksFlagged}/${c.breaking} | ${c.ksResolved}/${c.expected} |`),
    `| **all** | | **${r.found}/${r.callSites} (${pct(r.found, r.callSites)})** | **${r.errors}** | **${r.breaksFlagged}/${r.breaking} (${pct(r.breaksFlagged, r.breaking)})** | **${r.ksResolved}/${r.callSites} (${pct(r.ksResolved, r.callSites)})** |`,
  ];
  const notes = r.cases.flatMap((c) => [
    ...c.missed.map((m) => `- ${c.name}: call not found: ${m}`),
    ...c.extra.map((m) => `- ${c.name}: call reported but not expected: ${m}`),
    ...c.errors.map((m) => `- ${c.name}: error at its own release: ${m}`),
    ...c.breaksMissed.map((m) => `- ${c.name}: 0.21 breakage not flagged: ${m}`),
    ...c.ksWrong.map((m) => `- ${c.name}: kernel_size: ${m}`),
  ]);
  return notes.length > 0 ? [...lines, '', ...notes] : lines;
}
