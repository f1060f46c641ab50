// `npm run bench`: runs every test/bench/*.bench.ts module (each exports `benchmarks`) and prints
// one markdown table with the machine. `--record FILE` also writes it to FILE.
import { readdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { BenchCase, machineLine, markdownTable, measure } from './harness';

async function main(): Promise<void> {
  const recordAt = process.argv.indexOf('--record');
  const filter = process.argv.find((a, i) => i >= 2 && !a.startsWith('--') && process.argv[i - 1] !== '--record');
  const modules = readdirSync(__dirname).filter((f) => f.endsWith('.bench.js') && (!filter || f.includes(filter)));
  const results = [];
  for (const file of modules.sort()) {
    const { benchmarks } = require(join(__dirname, file)) as { benchmarks: BenchCase[] };
    for (const c of benchmarks) results.push(await measure(c));
  }
  const report = [`Benchmarks, ${new Date().toISOString().slice(0, 10)}`, '', `Machine: ${machineLine()}`, '', markdownTable(results), ''].join('\n');
  process.stdout.write(report);
  if (recordAt > 0 && process.argv[recordAt + 1]) writeFileSync(process.argv[recordAt + 1], report);
  if (results.some((r) => r.targetMs !== undefined && r.medianMs >= r.targetMs)) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
