// Benchmark records for tests, built the way the extension builds them: from the recorded
// fixture (test/fixtures/bench/h100-flux-strided.fixture.json — made-up numbers, not a
// measurement) and from a pair-cost "engine" for sweeps.
import { readFileSync } from 'fs';
import { join } from 'path';
import { BenchJson, BenchRecord, recordedTiming } from '../../extension/core/bench';
import { compareToSimulation } from '../../extension/core/measured';
import { GnaProblem } from '../../extension/core/problem';
import { simulate } from '../../extension/core/simulator';
import { makeRecord, recordFromBenchJson } from '../../extension/host/pure/benchHistory';

export const FIXTURE_PATH = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'bench', 'h100-flux-strided.fixture.json');

export function fixtureJson(): BenchJson & Record<string, unknown> {
  return JSON.parse(readFileSync(FIXTURE_PATH, 'utf8'));
}

export function fixtureRecord(id = 'r1', at = '2026-11-22T15:04:05.000Z'): BenchRecord {
  return recordFromBenchJson(fixtureJson(), { id, at, label: 'na2d 256×256, window 80×80, stride 16×16 · flux.py:20' });
}

/** A sweep's records with a cost per visited tile pair (measured = tile-pair bound). */
export function sweepRecords(problems: readonly GnaProblem[], sweepId = 'sw', kind: 'stride' | 'window' = 'stride'): BenchRecord[] {
  const tiles = { q: [16, 8], kv: [16, 8] };
  const workload = { batch: 1, heads: 1, headDim: 128 };
  const time = (visited: number) => ({ attentionMs: visited / 1000, permuteMs: 0.1, totalMs: visited / 1000 + 0.1, repeats: 10, visited, full: visited, tflops: 1 });
  const dense = time(simulate({ ...problems[0], windowSize: problems[0].inputSize, stride: problems[0].inputSize.map(() => 1) }, tiles).visited);
  return problems.map((problem, i) => {
    const sim = simulate(problem, tiles);
    const gna = time(sim.visited);
    return makeRecord(
      { id: `${sweepId}-${i}`, at: '2026-11-22T16:00:00.000Z', label: `point ${i}`, gpu: null, driverVersion: 0, runtimeVersion: 0, workload, tiles, dtype: 'bfloat16' },
      problem,
      sim,
      recordedTiming(dense),
      recordedTiming(gna),
      compareToSimulation(dense, gna, sim, tiles, workload),
      'run',
      { id: sweepId, kind, index: i, count: problems.length },
    );
  });
}
