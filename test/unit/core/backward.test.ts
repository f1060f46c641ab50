// The backward pass (GNA-SPEC §5): KV-parallel work items against brute-force enumeration of the
// mask on small random problems, NATTEN's backward presets, and the training step.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import {
  BACKWARD_FLOP_RATIO,
  backwardPresetsFor,
  defaultBackwardTiles,
  GnaProblem,
  recommendTrainingStride,
  simulate,
  simulateBackward,
  simulateTraining,
} from '../../../extension/core';
import { boxTileOf, bruteTiles, permutedLayoutTiles } from '../../support/bruteforce';
import { caseArb } from '../../support/arbitraries';

const problemArb = (maxTokens: number) => caseArb(maxTokens).map(({ problem, tiles }) => ({ problem, q: tiles.q, kv: tiles.kv }));

describe('backward pass against brute-force tile enumeration', () => {
  it('multi-dimensional tiling: worst KV tile, KV tiles of the padded layout, visited and full pairs', () => {
    fc.assert(
      fc.property(problemArb(160), ({ problem, q, kv }) => {
        const bwd = simulateBackward(problem, { q, kv });
        const capacity = (t: readonly number[]) => t.reduce((a, b) => a * b, 1);
        const brute = bruteTiles(problem, boxTileOf(problem, q), boxTileOf(problem, kv), capacity(q), capacity(kv));
        assert.equal(bwd.worstKvTileVisits, brute.worstKv, 'worst KV tile');
        assert.equal(bwd.visited, brute.visited, 'visited');
        assert.equal(bwd.full, brute.full, 'full');
        const kvTiles = permutedLayoutTiles(problem, kv);
        assert.equal(bwd.kvTiles, kvTiles, 'KV tiles of the layout');
        assert.equal(bwd.simulated, bwd.total / (kvTiles * brute.worstKv));
        assert.equal(bwd.denseKvTileVisits, problem.inputSize.reduce((a, n, i) => a * Math.ceil(n / q[i]), 1));
      }),
      { seed: 2026_12_04, numRuns: 400 },
    );
  });

  it('single-dimensional tiling: worst KV tile over flattened runs', () => {
    fc.assert(
      fc.property(problemArb(160), fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 24 }), ({ problem }, tq, tkv) => {
        const bwd = simulateBackward(problem, { q: [tq], kv: [tkv] }, { tiling: 'single' });
        const brute = bruteTiles(problem, (t) => Math.floor(t / tq), (t) => Math.floor(t / tkv), tq, tkv);
        assert.equal(bwd.worstKvTileVisits, brute.worstKv);
        assert.equal(bwd.visited, brute.visited);
        const tokens = problem.inputSize.reduce((a, b) => a * b, 1);
        assert.equal(bwd.kvTiles, Math.ceil(tokens / tkv));
        assert.equal(bwd.simulated, bwd.total / (Math.ceil(tokens / tkv) * brute.worstKv));
      }),
      { seed: 2026_12_05, numRuns: 300 },
    );
  });

  it('the training step weighs forward and backward tile steps by tile area and the backward FLOP ratio', () => {
    fc.assert(
      fc.property(problemArb(120), problemArb(120), ({ problem, q, kv }, other) => {
        fc.pre(other.q.length === q.length);
        const t = simulateTraining(problem, { q, kv }, { q: other.q, kv: other.kv });
        const area = (a: readonly number[], b: readonly number[]) => [...a, ...b].reduce((x, y) => x * y, 1);
        const capacity = (x: readonly number[]) => x.reduce((a, b) => a * b, 1);
        const fwd = bruteTiles(problem, boxTileOf(problem, q), boxTileOf(problem, kv), capacity(q), capacity(kv));
        const bwd = bruteTiles(problem, boxTileOf(problem, other.q), boxTileOf(problem, other.kv), capacity(other.q), capacity(other.kv));
        const fSteps = permutedLayoutTiles(problem, q) * fwd.worst * area(q, kv);
        const bSteps = permutedLayoutTiles(problem, other.kv) * bwd.worstKv * area(other.q, other.kv) * BACKWARD_FLOP_RATIO;
        const dense = t.forward.total * area(q, kv) + t.backward.total * area(other.q, other.kv) * BACKWARD_FLOP_RATIO;
        assert.ok(Math.abs(t.training.simulated - dense / (fSteps + bSteps)) < 1e-9 * t.training.simulated);
        assert.ok(Math.abs(t.training.backwardShare - bSteps / (fSteps + bSteps)) < 1e-12);
      }),
      { seed: 2026_12_06, numRuns: 150 },
    );
  });
});

const flux: GnaProblem = { inputSize: [256, 256], windowSize: [80, 80], stride: [16, 16], dilation: [1, 1], causal: [false, false] };

describe('backward pass: reference cases', () => {
  it('FLUX-4K, stride 16×16 on 16×8 tiles: forward 10.24×, backward about 5.2× (the worst KV tile meets 7 × 14 Q tiles)', () => {
    const t = simulateTraining(flux, { q: [16, 8], kv: [16, 8] }, { q: [16, 8], kv: [16, 8] });
    assert.equal(t.forward.simulated.toFixed(2), '10.24');
    assert.equal(t.backward.worstKvTileVisits, 98);
    assert.equal(t.backward.denseKvTileVisits, 512);
    assert.equal(t.backward.simulated.toFixed(2), '5.22');
    assert.ok(t.training.simulated > t.backward.simulated && t.training.simulated < t.forward.simulated);
    // The backward visits the same tile pairs as the forward, on the same tiles.
    assert.equal(t.backward.visited, t.forward.visited);
  });

  it('self attention: every ratio is 1 without padding', () => {
    const dense: GnaProblem = { inputSize: [64, 48], windowSize: [64, 48], stride: [1, 1], dilation: [1, 1], causal: [false, false] };
    const t = simulateTraining(dense, { q: [16, 8], kv: [16, 8] }, { q: [8, 8], kv: [16, 8] });
    assert.deepEqual([t.forward.simulated, t.backward.simulated, t.training.simulated], [1, 1, 1]);
  });
});

describe('backward tile presets (NATTEN 0.21.6)', () => {
  it('Hopper: 8×8 / 16×8 at head dim 128 in 2-D, 64 / 128 in 1-D, none at head dim 256', () => {
    assert.deepEqual(defaultBackwardTiles('hopper', 2, 128), { family: 'hopper', backend: 'hopper-fna', q: [8, 8], kv: [16, 8] });
    assert.deepEqual(defaultBackwardTiles('hopper', 1, 64)?.q, [64]);
    assert.deepEqual(backwardPresetsFor('hopper', 3, 128).map((p) => p.q), [[4, 4, 4], [4, 4, 4], [2, 4, 8], [1, 8, 8]]);
    assert.deepEqual(backwardPresetsFor('hopper', 2, 256), []);
  });

  it('Blackwell: 128 / 128 in 1-D, 16×8 boxes in 2-D, nine 3-D shapes; Ampere: every 64/64 and 128/128 box, 8×8 default', () => {
    assert.deepEqual(defaultBackwardTiles('blackwell', 1, 128)?.kv, [128]);
    assert.equal(backwardPresetsFor('blackwell', 3, 64).length, 9);
    assert.deepEqual(defaultBackwardTiles('ampere', 2, 64)?.q, [8, 8]);
    // 5 × 5 boxes of 64 tokens and 6 × 6 of 128 in 2-D; 10 × 10 and 15 × 15 in 3-D.
    assert.equal(backwardPresetsFor('ampere', 2, 64).length, 25 + 36);
    assert.equal(backwardPresetsFor('ampere', 3, 64).length, 100 + 225);
    for (const p of backwardPresetsFor('ampere', 3, 128)) assert.ok(p.q.every((x) => x >= 2) && p.kv.every((x) => x >= 2));
  });

  it('FLUX on Hopper\'s default backward tiles (8×8 / 16×8): the backward bound is below the forward\'s on the same tiles', () => {
    const tiles = defaultBackwardTiles('hopper', 2, 128)!;
    const bwd = simulateBackward(flux, tiles);
    assert.equal(bwd.worstKvTileVisits * bwd.kvTiles, bwd.steps);
    assert.ok(bwd.simulated < simulate(flux, tiles).simulated);
  });
});

describe('stride recommendation for the training step', () => {
  it('reaches the fastest training step of any stride combination (exhaustive search on small problems)', () => {
    fc.assert(
      fc.property(problemArb(200), problemArb(200), ({ problem, q, kv }, other) => {
        fc.pre(other.q.length === q.length && problem.windowSize.reduce((a, b) => a * b, 1) <= 400);
        const backwardTiles = { q: other.q, kv: other.kv };
        const rec = recommendTrainingStride(problem, { q, kv }, backwardTiles);
        let combos: number[][] = [[]];
        for (const k of problem.windowSize) combos = combos.flatMap((c) => Array.from({ length: k }, (_, s) => [...c, s + 1]));
        const best = Math.max(...combos.map((stride) => simulateTraining({ ...problem, stride }, { q, kv }, backwardTiles).training.simulated));
        assert.ok(Math.abs(rec.simulation.training.simulated - best) < 1e-9 * best, `${rec.simulation.training.simulated} vs ${best}`);
        const now = simulateTraining(problem, { q, kv }, backwardTiles).training.simulated;
        assert.equal(rec.atOptimum, now >= rec.simulation.training.simulated);
      }),
      { seed: 2026_12_07, numRuns: 120 },
    );
  });
});
