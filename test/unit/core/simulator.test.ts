// Simulator outputs beyond the tile counts: FLOPs, end-to-end estimate, padding, dense baseline.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { denseProblem, endToEndSpeedup, GnaProblem, simulate } from '../../../extension/core';

const flux: GnaProblem = { inputSize: [256, 256], windowSize: [80, 80], stride: [1, 1], dilation: [1, 1], causal: [false, false] };

describe('simulator outputs', () => {
  it('counts computed, useful and wasted FLOPs per the spec, scaled by heads and batch', () => {
    const workload = { batch: 2, heads: 24, headDim: 128 };
    const s = simulate(flux, { q: [16, 8], kv: [16, 8] }, { workload });
    assert.equal(s.flops.computed, 4 * 128 * 128 * 128 * s.visited * 48);
    assert.equal(s.flops.useful, 4 * 128 * 256 * 256 * 80 * 80 * 48);
    assert.equal(s.flops.wasted, s.flops.computed - s.flops.useful);
    assert.ok(s.flops.wastedShare > 0 && s.flops.wastedShare < 1);
    const strided = simulate({ ...flux, stride: [16, 16] }, { q: [16, 8], kv: [16, 8] }, { workload });
    assert.equal(strided.flops.wasted, 0, 'perfectly block-sparse without padding wastes nothing');
  });

  it('the dense problem on box tiles: 1× unless padded (then at most 1×), block-sparse only without padding', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 2, max: 40 }), { minLength: 1, maxLength: 3 }), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 3, maxLength: 3 }), (shape, t) => {
        const p = denseProblem({ inputSize: shape, windowSize: shape, stride: shape.map(() => 1), dilation: shape.map(() => 1), causal: shape.map(() => false) });
        const tiles = { q: t.slice(0, shape.length), kv: t.slice(0, shape.length) };
        const s = simulate(p, tiles);
        // Box tiles that pad an axis charge the padding to self attention too: at most the
        // flattened baseline, equal without padding; the paper's ratio is 1 either way.
        if (s.padded) assert.ok(s.simulated <= 1);
        else assert.equal(s.simulated, 1);
        assert.equal(s.paperSimulated ?? s.simulated, 1);
        assert.equal(s.flopBound, 1);
        assert.equal(s.sparsity, 0);
        assert.equal(s.blockSparse, !s.padded);
      }),
      { seed: 3, numRuns: 200 },
    );
  });

  it('end-to-end estimate follows Amdahl and is attached when a share is given', () => {
    assert.equal(endToEndSpeedup(10, 1), 10);
    assert.equal(endToEndSpeedup(10, 0), 1);
    assert.equal(endToEndSpeedup(2, 0.5), 1 / (0.5 + 0.25));
    const s = simulate({ ...flux, stride: [16, 16] }, { q: [16, 8], kv: [16, 8] }, { attentionShare: 0.6 });
    assert.equal(s.endToEnd, 1 / (0.4 + 0.6 / s.simulated));
    assert.equal(simulate(flux, { q: [16, 8], kv: [16, 8] }).endToEnd, undefined);
  });

  it('padding is reported when a tile does not divide an axis (or a dilation group)', () => {
    const hunyuan: GnaProblem = { inputSize: [30, 48, 80], windowSize: [18, 24, 24], stride: [1, 1, 1], dilation: [1, 1, 1], causal: [false, false, false] };
    assert.equal(simulate(hunyuan, { q: [2, 8, 8], kv: [2, 8, 8] }).padded, false);
    assert.equal(simulate(hunyuan, { q: [4, 8, 8], kv: [2, 8, 8] }).padded, true);
    assert.equal(simulate({ ...hunyuan, dilation: [1, 1, 3] }, { q: [2, 8, 8], kv: [2, 8, 8] }).padded, true, '80 / 3 leaves groups of 27 and 26');
  });
});
