// The benchmark's model of the Hopper kernel's schedule (test/gpu/schedule.ts: the busiest CTA's
// steps, which table.py's launch-floor bound rests on) against a brute force: KV tile boxes found
// by testing every query-key pair with GNA-SPEC's inequalities, items dealt out one by one.
import { strict as assert } from 'assert';
import { criticalSteps } from '../../gpu/schedule';
import { specAttends } from '../../support/bruteforce';
import { describeProblem, int, randomProblem, rng } from './random';

/** Per axis and Q tile: how many KV tiles lie between the first and last one holding an attended key. */
function bruteBoxLengths(n: number, k: number, s: number, causal: boolean, tq: number, tkv: number): number[] {
  const lengths: number[] = [];
  for (let first = 0; first < n; first += tq) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let q = first; q < Math.min(first + tq, n); q++) {
      for (let kv = 0; kv < n; kv++) {
        if (!specAttends(q, kv, n, k, s, 1, causal)) continue;
        lo = Math.min(lo, Math.floor(kv / tkv));
        hi = Math.max(hi, Math.floor(kv / tkv));
      }
    }
    lengths.push(hi - lo + 1);
  }
  return lengths;
}

describe('the Hopper schedule model (busiest CTA)', () => {
  it('matches dealing every item to CTAs by brute force on 300 random problems', () => {
    const rand = rng(77);
    for (let c = 0; c < 300; c++) {
      const rank = 1 + (c % 3);
      const problem = { ...randomProblem(rand, rank, { maxWindow: 9, maxDilation: 1, maxSlack: 14 }) };
      problem.dilation = problem.inputSize.map(() => 1);
      const tiles = { q: problem.inputSize.map(() => int(rand, 1, 6)), kv: problem.inputSize.map(() => int(rand, 1, 6)) };
      const tileTokens = tiles.q.reduce((a, b) => a * b, 1);
      const divisors = Array.from({ length: tileTokens }, (_, i) => i + 1).filter((x) => tileTokens % x === 0);
      const rowsPerItem = divisors[int(rand, 0, divisors.length - 1)];
      const heads = int(rand, 1, 3);
      const ctas = int(rand, 1, 12);

      const axes = problem.inputSize.map((n, i) =>
        bruteBoxLengths(n, problem.windowSize[i], problem.stride[i], problem.causal[i], tiles.q[i], tiles.kv[i]),
      );
      const items: number[] = [];
      const visit = (axis: number, steps: number): void => {
        if (axis === axes.length) {
          for (let chunk = 0; chunk < tileTokens / rowsPerItem; chunk++) items.push(steps);
          return;
        }
        for (const len of axes[axis]) visit(axis + 1, steps * len);
      };
      for (let h = 0; h < heads; h++) visit(0, 1);
      const grid = Math.min(items.length, ctas);
      const load = new Array(grid).fill(0);
      items.forEach((steps, w) => (load[w % grid] += steps));

      const where = `${describeProblem(problem)} Q ${tiles.q} KV ${tiles.kv} rows ${rowsPerItem} heads ${heads} CTAs ${ctas}`;
      assert.equal(criticalSteps(problem, tiles, heads, ctas, rowsPerItem), Math.max(...load), where);
    }
  });

  it('gives the 1-D GNA-SPEC problem two items per busy CTA on 132 SMs', () => {
    const oneD = (k: number, s: number) => ({ inputSize: [32768], windowSize: [k], stride: [s], dilation: [1], causal: [false] });
    const tiles = { q: [128], kv: [128] };
    // 256 Q tiles on 132 CTAs: the busiest CTA takes two, of 256 (dense), 16 (s256) and 17 (s1) KV tiles.
    assert.equal(criticalSteps(oneD(32768, 1), tiles, 1, 132), 2 * 256);
    assert.equal(criticalSteps(oneD(2048, 256), tiles, 1, 132), 2 * 16);
    assert.equal(criticalSteps(oneD(2048, 1), tiles, 1, 132), 2 * 17);
  });
});
