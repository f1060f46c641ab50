// Stride recommendation and preset search, checked by exhaustive search over small problems.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { defaultTiles, GnaProblem, presetsFor, recommendStride, searchPresets, simulate } from '../../../extension/core';

function allStrideCombos(k: readonly number[]): number[][] {
  let combos: number[][] = [[]];
  for (const ki of k) combos = combos.flatMap((c) => Array.from({ length: ki }, (_, s) => [...c, s + 1]));
  return combos;
}

const smallProblem = fc
  .array(
    fc.integer({ min: 4, max: 24 }).chain((n) =>
      fc.record({ n: fc.constant(n), k: fc.integer({ min: 2, max: Math.min(n, 9) }), tq: fc.integer({ min: 1, max: 8 }), tkv: fc.integer({ min: 1, max: 8 }), causal: fc.boolean() }),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((axes) => ({
    problem: { inputSize: axes.map((a) => a.n), windowSize: axes.map((a) => a.k), stride: axes.map(() => 1), dilation: axes.map(() => 1), causal: axes.map((a) => a.causal) } as GnaProblem,
    tiles: { q: axes.map((a) => a.tq), kv: axes.map((a) => a.tkv) },
  }));

describe('recommendStride', () => {
  it('reaches the lowest worst-Q-tile count of any stride combination, with the smallest stride per axis', () => {
    fc.assert(
      fc.property(smallProblem, ({ problem, tiles }) => {
        const rec = recommendStride(problem, tiles);
        const worstAt = (stride: number[]) => simulate({ ...problem, stride }, tiles).worstQTileVisits;
        const best = Math.min(...allStrideCombos(problem.windowSize).map(worstAt));
        assert.equal(rec.simulation.worstQTileVisits, best);
        rec.stride.forEach((s, i) => {
          for (let smaller = 1; smaller < s; smaller++) {
            const stride = [...rec.stride];
            stride[i] = smaller;
            assert.ok(worstAt(stride) > best, `axis ${i}: stride ${smaller} already reaches the floor`);
          }
        });
        for (const axis of rec.axes) {
          for (let j = 1; j < axis.options.length; j++) assert.ok(axis.options[j].worst < axis.options[j - 1].worst);
          assert.equal(axis.options[0].stride, 1);
        }
        if (rec.blockSparseStride) assert.ok(simulate({ ...problem, stride: [...rec.blockSparseStride] }, tiles).blockSparse);
      }),
      { seed: 11, numRuns: 150 },
    );
  });

  it('recommends 2×8×8 for HunyuanVideo on 2×8×8 tiles (the smallest stride at the floor), perfectly block-sparse at 11.1×', () => {
    const problem: GnaProblem = { inputSize: [30, 48, 80], windowSize: [18, 24, 24], stride: [1, 1, 1], dilation: [1, 1, 1], causal: [false, false, false] };
    const rec = recommendStride(problem, { q: [2, 8, 8], kv: [2, 8, 8] });
    assert.deepEqual(rec.stride, [2, 8, 8]);
    assert.equal(rec.simulation.worstQTileVisits, 81);
    assert.ok(rec.simulation.blockSparse);
    assert.equal(rec.simulation.simulated.toFixed(2), '11.11');
    assert.equal(rec.atFloor, false);
  });
});

describe('tile presets', () => {
  it('Hopper head dim 128: 1-D 128/128, 2-D 16×8/16×8, 3-D 4×4×8 and 2×8×8', () => {
    assert.deepEqual(defaultTiles('hopper', 1, 128), { family: 'hopper', backend: 'hopper-fna', q: [128], kv: [128] });
    assert.deepEqual(defaultTiles('hopper', 2, 128)?.q, [16, 8]);
    assert.deepEqual(presetsFor('hopper', 3, 128).map((p) => p.q), [[4, 4, 8], [2, 8, 8]]);
    assert.deepEqual(presetsFor('hopper', 2, 96), []);
  });

  it('every preset is a box of its family token tile', () => {
    const tokens = (t: readonly number[]) => t.reduce((a, b) => a * b, 1);
    for (const rank of [1, 2, 3]) {
      for (const p of presetsFor('blackwell', rank, 128)) assert.deepEqual([tokens(p.q), tokens(p.kv), p.q.length], [256, 128, rank]);
      for (const p of presetsFor('ampere', rank, 64)) assert.ok([64 * 64, 32 * 128].includes(tokens(p.q) * tokens(p.kv)));
    }
    assert.ok(presetsFor('ampere', 3, 64).length > 20);
  });

  it('search ranks by simulated speedup, then tile-pair bound', () => {
    const problem: GnaProblem = { inputSize: [30, 48, 80], windowSize: [18, 24, 24], stride: [16, 8, 8], dilation: [1, 1, 1], causal: [false, false, false] };
    const ranked = searchPresets(problem, 'ampere', 64);
    for (let i = 1; i < ranked.length; i++) {
      const a = ranked[i - 1].simulation;
      const b = ranked[i].simulation;
      assert.ok(a.simulated > b.simulated || (a.simulated === b.simulated && a.tilePairBound >= b.tilePairBound));
    }
    assert.deepEqual(searchPresets(problem, 'hopper', 128)[0].preset.q, [2, 8, 8]);
  });

  it('a preset that pads ranks lower: HunyuanVideo on Blackwell prefers 4×4×16 over 8×4×8, whose 8-frame Q tile pads 30 frames to 32', () => {
    const problem: GnaProblem = { inputSize: [30, 48, 80], windowSize: [18, 24, 24], stride: [1, 1, 1], dilation: [1, 1, 1], causal: [false, false, false] };
    const ranked = searchPresets(problem, 'blackwell', 128);
    const padding = ranked.find((r) => r.preset.q.join() === '8,4,8' && r.preset.kv.join() === '4,4,8')!;
    // In the GNA paper's ratio the padding preset is the best of all...
    const paperBest = Math.max(...ranked.map((r) => r.simulation.paperSimulated ?? r.simulation.simulated));
    assert.equal(padding.simulation.paperSimulated, paperBest);
    // ...but it runs 32/30 as many Q tiles, and now ranks below an unpadded Q tile.
    assert.equal(padding.simulation.qTiles, (32 / 30) * padding.simulation.denseQTiles);
    assert.deepEqual([ranked[0].preset.q, ranked[0].preset.kv], [[4, 4, 16], [2, 4, 16]]);
    assert.ok(ranked.indexOf(padding) > 0 && padding.simulation.simulated < ranked[0].simulation.simulated);
  });

  it('DiNAT 56×56, window 7, dilation 8 on Ampere: 8×8 tiles hold a whole 7×7 dilation group, one step per group', () => {
    const problem: GnaProblem = { inputSize: [56, 56], windowSize: [7, 7], stride: [1, 1], dilation: [8, 8], causal: [false, false] };
    const best = searchPresets(problem, 'ampere', 32)[0];
    assert.deepEqual([best.preset.q, best.preset.kv], [[8, 8], [8, 8]]);
    assert.deepEqual([best.simulation.qTiles, best.simulation.worstQTileVisits, best.simulation.total], [64, 1, 2401]);
    // Stride cannot help: a 7-wide window covers the whole 7-token group at every stride.
    const rec = recommendStride(problem, { q: [2, 32], kv: [2, 32] });
    assert.equal(rec.atFloor, true);
    assert.equal(rec.simulation.simulated.toFixed(2), '2.34');
  });
});
