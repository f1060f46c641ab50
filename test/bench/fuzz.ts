// `npm run bench:fuzz`: the hostile-input fuzz properties (test/support/hostileFuzz.ts) run long,
// with every case timed; a case over HANG_MS counts as a hang, an exception as a crash. Prints a
// markdown record with machine, date and commit; `--record FILE` also writes it.
import { execFileSync } from 'child_process';
import { writeFileSync } from 'fs';
import fc from 'fast-check';
import { checkImport, checkPattern, importTextArbitrary, pathArbitrary, patternArbitrary } from '../support/hostileFuzz';
import { machineLine } from './harness';

/** A case slower than this is reported as a hang (real cases take well under a millisecond to a few ms). */
const HANG_MS = 1000;

interface Tally {
  name: string;
  runs: number;
  crashes: number;
  hangs: number;
  maxMs: number;
  note: string;
}

async function tally(name: string, runs: number, one: () => Promise<string | void>, note: (outcomes: Map<string, number>) => string): Promise<Tally> {
  const t: Tally = { name, runs, crashes: 0, hangs: 0, maxMs: 0, note: '' };
  const outcomes = new Map<string, number>();
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    try {
      const outcome = await one();
      if (outcome) outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    } catch (e) {
      t.crashes++;
      if (t.crashes <= 3) process.stderr.write(`${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    }
    const ms = performance.now() - started;
    t.maxMs = Math.max(t.maxMs, ms);
    if (ms > HANG_MS) t.hangs++;
  }
  t.note = note(outcomes);
  return t;
}

async function main(): Promise<void> {
  const seed = 22;
  const patterns = fc.sample(fc.tuple(patternArbitrary, fc.array(pathArbitrary, { minLength: 1, maxLength: 4 })), { numRuns: 20_000, seed });
  const imports = fc.sample(importTextArbitrary, { numRuns: 5_000, seed });
  let p = 0;
  let k = 0;
  const results = [
    await tally('gna.inputSize patterns × paths (compileGlob, resolveSettings)', patterns.length, async () => {
      const [pattern, paths] = patterns[p++];
      checkPattern(pattern, paths);
    }, () => 'patterns up to 200 chars, paths up to 400'),
    await tally('Import (parseImport on mutated `gna bench --json`, lists, arbitrary JSON, text)', imports.length, () => checkImport(imports[k++]), (o) => `${o.get('imported') ?? 0} imported, ${o.get('refused') ?? 0} refused`),
  ];
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const lines = [
    `Hostile-input fuzz (issue 22), ${new Date().toISOString().slice(0, 10)}, commit ${commit}, fast-check seed ${seed}`,
    '',
    `Machine: ${machineLine()}`,
    '',
    `A case over ${HANG_MS} ms counts as a hang; an exception or a broken property (a non-GlobError throw, a record failing the record schema or holding a non-finite number) as a crash.`,
    '',
    '| property | cases | crashes | hangs | slowest case | outcomes |',
    '|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.name} | ${r.runs} | ${r.crashes} | ${r.hangs} | ${r.maxMs.toFixed(1)} ms | ${r.note} |`),
    '',
  ];
  const report = lines.join('\n');
  process.stdout.write(report);
  const recordAt = process.argv.indexOf('--record');
  if (recordAt > 0 && process.argv[recordAt + 1]) writeFileSync(process.argv[recordAt + 1], report);
  if (results.some((r) => r.crashes > 0 || r.hangs > 0)) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`bench:fuzz: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
