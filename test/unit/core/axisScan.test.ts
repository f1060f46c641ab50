// The run-compressed per-axis scan (axisScan.ts) against the tile-by-tile walk (tiling.ts) on
// random axes, including huge ones where the walk is what it avoids; work counted, not timed.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { axisTotals, tileAxis, WorkBudget } from '../../../extension/core';

const axisArb = fc.integer({ min: 2, max: 300 }).chain((n) =>
  fc.integer({ min: 1, max: Math.max(1, Math.floor(n / 2)) }).chain((d) =>
    fc.integer({ min: 2, max: Math.floor(n / d) }).chain((k) =>
      fc.record({
        axis: fc.record({ n: fc.constant(n), d: fc.constant(d), k: fc.constant(k), s: fc.integer({ min: 1, max: k }), causal: fc.boolean() }),
        tq: fc.integer({ min: 1, max: 40 }),
        tkv: fc.integer({ min: 1, max: 40 }),
      }),
    ),
  ),
);

describe('axis scan: runs of equal behaviour', () => {
  it('gives the tile-by-tile walk\'s visited, full, worst and Q tiles on random axes', () => {
    fc.assert(
      fc.property(axisArb, ({ axis, tq, tkv }) => {
        const walk = tileAxis(axis, tq, tkv);
        const fast = axisTotals(axis, tq, tkv)!;
        assert.deepEqual([fast.visited, fast.full, fast.worst, fast.qTiles], [walk.visited, walk.full, walk.worst, walk.qTiles]);
      }),
      { seed: 2026_12_08, numRuns: 3000 },
    );
  });

  it('2^26 tokens on 1-token tiles, window 7: a handful of evaluations, exact counts', () => {
    const budget = new WorkBudget();
    const t = axisTotals({ n: 2 ** 26, k: 7, s: 1, d: 1, causal: false }, 1, 1, budget)!;
    assert.deepEqual([t.visited, t.full, t.worst, t.qTiles], [7 * 2 ** 26, 7 * 2 ** 26, 7, 2 ** 26]);
    assert.ok(budget.spent < 100, `spent ${budget.spent}`);
  });

  it('2^26 tokens, window 2^25, 128-token tiles, odd stride: bounded by one period of tiles', () => {
    const budget = new WorkBudget();
    const t = axisTotals({ n: 2 ** 26, k: 2 ** 25, s: 1001, d: 1, causal: false }, 128, 128, budget)!;
    assert.ok(t.worst >= 2 ** 25 / 128);
    assert.ok(budget.spent <= 2 * 1001 + 10, `spent ${budget.spent}`);
  });

  it('refuses work past the budget instead of running on', () => {
    const budget = new WorkBudget(1000);
    assert.equal(axisTotals({ n: 2 ** 26, k: 2 ** 20, s: 1, d: 1, causal: true }, 1, 1, budget), undefined);
    assert.ok(budget.spent <= 1000);
  });
});
