// Issue 22: every core computation that grows with the layout, the window or the tile count is
// bounded by one work budget. Bounds are asserted on the budget's work counter, never on time;
// answers are exact or say where they were cut off.
import { strict as assert } from 'assert';
import {
  DEFAULT_WORK_BUDGET,
  GnaProblem,
  recommendStride,
  recommendTrainingStride,
  searchPresets,
  simulate,
  simulateBackward,
  WorkAboveBudget,
  WorkBudget,
} from '../../../extension/core';

const oneD = (n: number, k: number, causal = false): GnaProblem => ({ inputSize: [n], windowSize: [k], stride: [1], dilation: [1], causal: [causal] });
const HOPPER_1D = { q: [128], kv: [128] };

describe('work budget: hostile but valid configs finish with exact or cut-off answers', () => {
  it('recommendation for -i 524288 -w 262144: stride 256 (block-sparse, the fewest KV tiles) after a few tens of thousands of evaluations', () => {
    const budget = new WorkBudget();
    const rec = recommendStride(oneD(524288, 262144), HOPPER_1D, { budget });
    assert.deepEqual([rec.stride, rec.axes[0].floor, rec.blockSparseStride, rec.cutOff], [[256], 2048, [256], undefined]);
    assert.ok(budget.spent < 100_000, `spent ${budget.spent}`);
  });

  it('recommendation at the allowed maximum (2^26 tokens, window 2^25): the same bounded work', () => {
    const budget = new WorkBudget();
    const rec = recommendStride(oneD(2 ** 26, 2 ** 25), HOPPER_1D, { budget });
    assert.deepEqual([rec.stride, rec.axes[0].floor], [[256], 2 ** 25 / 128]);
    assert.ok(budget.spent < 100_000, `spent ${budget.spent}`);
  });

  it('an odd window never block-sparse: the floor is exact, the block-sparse search stops at the budget and says so', () => {
    const budget = new WorkBudget();
    const rec = recommendStride(oneD(524288, 262143), HOPPER_1D, { budget });
    assert.deepEqual([rec.stride, rec.axes[0].floor], [[256], 2048]);
    assert.equal(rec.cutOff?.floorReached, true);
    assert.equal(rec.cutOff?.reason, 'work above budget');
    assert.ok(budget.spent <= DEFAULT_WORK_BUDGET);
  });

  it('-i 67108864 -w 7 on 1-token tiles: exact counts from a handful of evaluations, no per-tile arrays', () => {
    const budget = new WorkBudget();
    const sim = simulate(oneD(2 ** 26, 7), { q: [1], kv: [1] }, { budget });
    assert.deepEqual([sim.visited, sim.full, sim.worstQTileVisits, sim.qTiles], [7 * 2 ** 26, 7 * 2 ** 26, 7, 2 ** 26]);
    assert.equal(sim.simulated, 2 ** 26 / 7);
    assert.ok(budget.spent < 100, `spent ${budget.spent}`);
  });

  it('single-dimensional tiling of -i 8192 8192 -w 4095 4095 is refused before any work', () => {
    const problem: GnaProblem = { inputSize: [8192, 8192], windowSize: [4095, 4095], stride: [1, 1], dilation: [1, 1], causal: [false, false] };
    const budget = new WorkBudget();
    assert.throws(() => simulate(problem, { q: [128], kv: [128] }, { tiling: 'single', budget }), WorkAboveBudget);
    assert.equal(budget.spent, 0);
  });

  it('the backward sweep and the training-step search stop at the budget', () => {
    const budget = new WorkBudget();
    assert.throws(() => simulateBackward(oneD(2 ** 26, 7), { q: [1], kv: [1] }, { budget }), WorkAboveBudget);
    assert.ok(budget.spent <= DEFAULT_WORK_BUDGET);
    const rec = recommendTrainingStride(oneD(2 ** 26, 2 ** 25), HOPPER_1D, { q: [64], kv: [128] }, { budget: new WorkBudget() });
    assert.equal(rec.cutOff?.reason, 'work above budget');
  });

  it('the preset search ranks what fits in the budget: a long causal window on tiny tiles', () => {
    const budget = new WorkBudget(50_000);
    const problem: GnaProblem = { inputSize: [64, 64, 4096], windowSize: [3, 3, 4000], stride: [1, 1, 1], dilation: [1, 1, 1], causal: [false, false, true] };
    const ranked = searchPresets(problem, 'ampere', 64, { budget });
    assert.ok(ranked.length > 0 && ranked.length < 190, `${ranked.length} ranked`);
    assert.ok(budget.spent <= 50_000);
  });
});
