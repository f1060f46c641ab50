// The one set of NATTEN checks: every rule of GNA-SPEC §1, all problems at once, NATTEN-like wording.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { checkProblem, checkTiles, problemOrIssues, UNKNOWN } from '../../../extension/core';

const codes = (raw: Parameters<typeof checkProblem>[0]) => checkProblem(raw).issues.map((i) => i.code).sort();

describe('checkProblem', () => {
  it('accepts a valid problem and broadcasts scalars', () => {
    const r = checkProblem({ inputSize: [30, 48, 80], windowSize: 7, stride: [1, 2, 3], causal: true });
    assert.deepEqual(r.issues, []);
    assert.deepEqual(r.problem, {
      inputSize: [30, 48, 80],
      windowSize: [7, 7, 7],
      stride: [1, 2, 3],
      dilation: [1, 1, 1],
      causal: [true, true, true],
    });
  });

  it('reports every violated rule at once, naming the parameter and echoing values', () => {
    const r = checkProblem({ inputSize: [10, 12], windowSize: [1, 7], stride: [2, 9], dilation: [0, 2] });
    assert.deepEqual(r.issues.map((i) => i.code).sort(), ['dilation-too-small', 'stride-exceeds-window', 'window-exceeds-input', 'window-too-small']);
    const byCode = Object.fromEntries(r.issues.map((i) => [i.code, i]));
    assert.equal(byCode['window-too-small'].message, 'kernel_size must be >= 2 on every axis, got kernel_size=(1, 7).');
    assert.deepEqual(byCode['window-too-small'].axes, [0]);
    assert.equal(byCode['stride-exceeds-window'].parameter, 'stride');
    assert.match(byCode['stride-exceeds-window'].message, /axis 0: 2 > 1; axis 1: 9 > 7/);
    assert.match(byCode['window-exceeds-input'].message, /axis 1: 7 \* 2 = 14 > 12/);
    assert.equal(r.problem, undefined);
  });

  it('reports a tuple whose length does not match the op rank', () => {
    const r = checkProblem({ rank: 3, windowSize: [7, 7] });
    assert.equal(r.issues[0].code, 'tuple-length');
    assert.equal(r.issues[0].message, 'kernel_size has 2 entries but the op is 3-D: expected a 3-tuple, got kernel_size=(7, 7).');
  });

  it('rejects non-integers and non-booleans', () => {
    assert.deepEqual(codes({ inputSize: [8], windowSize: 2.5 }), ['not-integer']);
    assert.deepEqual(codes({ inputSize: [8], windowSize: 3, causal: 1 }), ['not-boolean']);
    assert.deepEqual(codes({ inputSize: [8], windowSize: '3' }), ['not-integer']);
  });

  it('skips the checks an unknown value would need, and says which values are unknown', () => {
    const r = checkProblem({ rank: 2, windowSize: [7, UNKNOWN], stride: 8 });
    assert.deepEqual(r.issues.map((i) => i.code), ['stride-exceeds-window']);
    assert.deepEqual(r.issues[0].axes, [0]);
    assert.deepEqual([...r.unknown].sort(), ['input_size', 'kernel_size']);
    assert.equal(r.problem, undefined);
  });

  it('needs kernel_size, and a rank from somewhere', () => {
    assert.deepEqual(codes({ inputSize: [8, 8] }), ['missing']);
    assert.deepEqual(codes({ windowSize: 3 }), ['rank']);
    assert.deepEqual(codes({ inputSize: [2, 2, 2, 2], windowSize: 2 }), ['rank']);
  });

  it('refuses layouts too large to model exactly', () => {
    assert.deepEqual(codes({ inputSize: [1 << 14, 1 << 14], windowSize: 3 }), ['too-large']);
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), fc.anything(), fc.anything(), fc.option(fc.integer()), (n, k, s, d, c, rank) => {
        const r = checkProblem({ inputSize: n, windowSize: k, stride: s, dilation: d, causal: c, ...(rank === null ? {} : { rank }) });
        assert.ok(Array.isArray(r.issues));
        if (r.problem) assert.equal(r.issues.length, 0);
      }),
      { seed: 7, numRuns: 2000 },
    );
  });

  it('agrees with the rules of GNA-SPEC §1 on random integer configs', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ n: fc.integer({ min: 1, max: 40 }), k: fc.integer({ min: -2, max: 40 }), s: fc.integer({ min: -1, max: 40 }), d: fc.integer({ min: -1, max: 8 }) }), { minLength: 1, maxLength: 3 }), (axes) => {
        const r = checkProblem({ inputSize: axes.map((a) => a.n), windowSize: axes.map((a) => a.k), stride: axes.map((a) => a.s), dilation: axes.map((a) => a.d) });
        const valid = axes.every((a) => a.k >= 2 && a.s >= 1 && a.d >= 1 && a.s <= a.k && a.k * a.d <= a.n);
        assert.equal(r.problem !== undefined, valid);
      }),
      { seed: 8, numRuns: 1000 },
    );
  });

  it('problemOrIssues lists unknown values as issues', () => {
    const r = problemOrIssues({ rank: 1, windowSize: 3 });
    assert.ok('issues' in r && r.issues.some((i) => i.parameter === 'input_size'));
  });
});

describe('checkTiles', () => {
  it('needs one positive integer per axis for multi-dimensional tiling', () => {
    assert.deepEqual(checkTiles([16, 8], [16, 8], 2, 'multi'), []);
    assert.equal(checkTiles([16], [16, 8], 2, 'multi')[0].message, 'q_tile_shape must have 2 entries for a 2-D problem, got q_tile_shape=(16,).');
    assert.equal(checkTiles([0, 8], [16, 8], 2, 'multi')[0].parameter, 'q_tile_shape');
    assert.deepEqual(checkTiles([128], [128], 3, 'single'), []);
  });
});
