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
import type { Finding, Linter } from '../../extension/lint';
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
}

export interface CorpusResult {
  readonly cases: CaseResult[];
  readonly callSites: number;
  readonly found: number;
  readonly errors: number;
  readonly breaking: number;
  readonly breaksFlagged: number;
  readonly ksResolved: number;
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
    }
  } finally {
    workspace.dispose();
  }
  return result;
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
  };
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
