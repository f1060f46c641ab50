// Sparsity as every surface writes it: "88% sparse (12% attended)", two halves adding up to 100.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { formatCausal, formatSparsity, formatSparsityRange, formatSpeedupRange, sparsityShares } from '../../../extension/core';

/** A written half (`12%`, `99.96%`, `<0.01%`) as its bound sign, its value and its decimals. */
function parseHalf(text: string): { bound: '' | '<' | '>'; value: number; decimals: number } {
  const m = /^([<>]?)(\d+)(?:\.(\d+))?%$/.exec(text);
  assert.ok(m, `not a percent: ${text}`);
  return { bound: m[1] as '' | '<' | '>', value: Number(`${m[2]}.${m[3] ?? '0'}`), decimals: (m[3] ?? '').length };
}

describe('formatSparsity', () => {
  it('writes both halves, in whole percents away from the ends', () => {
    assert.equal(formatSparsity(0.88), '88% sparse (12% attended)');
    assert.equal(formatSparsity(1 - 123904 / 1048576), '88% sparse (12% attended)');
    assert.equal(formatSparsity(0.3), '30% sparse (70% attended)');
  });

  it('uses decimals near the ends, then a bound', () => {
    assert.equal(formatSparsity(0.994), '99.4% sparse (0.6% attended)');
    assert.equal(formatSparsity(0.9996), '99.96% sparse (0.04% attended)');
    assert.equal(formatSparsity(1 - 1e-7), '>99.99% sparse (<0.01% attended)');
    assert.equal(formatSparsity(0.004), '0.4% sparse (99.6% attended)');
    assert.equal(formatSparsity(1e-9), '<0.01% sparse (>99.99% attended)');
  });

  it('writes the exact ends as they are', () => {
    assert.equal(formatSparsity(0), '0% sparse (100% attended)');
    assert.equal(formatSparsity(1), '100% sparse (0% attended)');
  });

  it('adds up to 100, never rounds a non-empty half to 0 or the other to 100, and stays within rounding of the truth', () => {
    // Attended pairs out of all pairs of a layout of up to 2^26 tokens, as the simulator counts them.
    const pairs = fc.bigInt({ min: 1n, max: 2n ** 52n }).chain((total) =>
      fc.oneof(
        fc.bigInt({ min: 0n, max: total }),
        fc.bigInt({ min: 0n, max: total < 1000n ? total : 1000n }),
        fc.bigInt({ min: total > 1000n ? total - 1000n : 0n, max: total }),
      ).map((attended) => ({ attended: Number(attended), total: Number(total) })),
    );
    fc.assert(
      fc.property(pairs, ({ attended, total }) => {
        const sparsity = 1 - attended / total;
        const shares = sparsityShares(sparsity);
        const sparse = parseHalf(shares.sparse);
        const att = parseHalf(shares.attended);
        assert.equal(formatSparsity(sparsity), `${shares.sparse} sparse (${shares.attended} attended)`);
        assert.equal(sparse.decimals, att.decimals, 'both halves with the same decimals');
        const truth = (100 * attended) / total;
        if (sparse.bound === '' && att.bound === '') {
          const unit = 10 ** att.decimals;
          assert.equal(Math.round(sparse.value * unit) + Math.round(att.value * unit), 100 * unit, 'halves add up to 100');
          assert.ok(Math.abs(att.value - truth) <= 0.5 / unit + 1e-9, `${shares.attended} for ${truth}%`);
          // Whole percents unless a half is under 1%.
          if (truth >= 1 && truth <= 99) assert.equal(att.decimals, 0);
        } else {
          // A bound only for a half under 0.01%, written as such on both sides.
          assert.deepEqual([sparse.bound, att.bound].sort(), ['<', '>']);
          const small = sparse.bound === '<' ? 100 - truth : truth;
          assert.ok(small > 0 && small < 0.01, `bound for ${truth}%`);
        }
        if (attended > 0) {
          assert.ok(sparse.bound === '>' || sparse.value < 100, `attends something: ${shares.sparse}`);
          assert.ok(att.bound === '<' || att.value > 0, `attends something: ${shares.attended}`);
        }
        if (attended < total) {
          assert.ok(att.bound === '>' || att.value < 100, `skips something: ${shares.attended}`);
          assert.ok(sparse.bound === '<' || sparse.value > 0, `skips something: ${shares.sparse}`);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('formatSparsityRange', () => {
  it('writes both ends of each half, the attended half in its own order', () => {
    assert.equal(formatSparsityRange(0.91, 0.85), '85–91% sparse (9–15% attended)');
    assert.equal(formatSparsityRange(0.881, 0.879), '88% sparse (12% attended)');
  });
});

describe('formatCausal', () => {
  it('writes is_causal as the call does: a Python tuple per axis, the bare value for one axis', () => {
    assert.equal(formatCausal([true, false]), 'is_causal=(True, False)');
    assert.equal(formatCausal([false, false, true]), 'is_causal=(False, False, True)');
    assert.equal(formatCausal([true]), 'is_causal=True');
  });
});

describe('formatSpeedupRange', () => {
  it('writes the unit once, and one speedup when both ends read the same', () => {
    assert.equal(formatSpeedupRange(11.1, 3.6), '3.60–11.1×');
    assert.equal(formatSpeedupRange(10.21, 10.24), '10.2×');
  });
});
