// `# gna:` annotations for any argument (issue 24): every key, scalars, tuples, booleans and
// module constants; bad input reported where it is written; the code's own values win over a
// disagreeing annotation; values from the annotation marked as such.
import { strict as assert } from 'assert';
import type { LintOptions } from '../../../extension/lint';
import { callRows } from '../../../extension/lint/callTable';
import { byRule, covered, linter } from './helpers';

/** A call whose mask arguments are all parameters of a function nobody calls (unknown to the linter). */
const call = (annotation: string, args = 'kernel_size=ks, stride=st, dilation=dl, is_causal=ca') =>
  ['from natten import na2d', 'K = 7', '', 'def attend(q, k, v, ks, st, dl, ca):', `    ${annotation}`, `    return na2d(q, k, v, ${args})`, ''].join('\n');

async function lint(text: string, options?: LintOptions) {
  return (await linter()).lint(text, options);
}

describe('lint: # gna: annotations for any argument', () => {
  it('gives every key: tuples, scalars, booleans; the values are marked as from the annotation', async () => {
    const r = await lint(call('# gna: kernel_size=(7, 9), stride=(2, 1), dilation=(1, 8), is_causal=(True, False), input_size=(56, 80), head_dim=64'));
    const c = r.calls[0];
    assert.deepEqual([c.raw.windowSize, c.raw.stride, c.raw.dilation, c.raw.causal, c.raw.inputSize], [[7, 9], [2, 1], [1, 8], [true, false], [56, 80]]);
    assert.deepEqual(c.annotated, ['kernel_size', 'stride', 'dilation', 'is_causal']);
    assert.equal(c.missing, undefined);
    assert.equal(c.unresolved, undefined, 'an annotated value is no longer unresolved');
    assert.ok(c.simulation, 'simulated');
    assert.match(byRule(r.findings, 'gna/summary')[0].message, /head dim 64\)$/);
    assert.deepEqual(r.findings.filter((f) => f.rule === 'gna/bad-annotation'), []);
    const row = callRows(r.calls)[0];
    assert.deepEqual([row.args.kernel_size.annotated, row.args.kernel_size.values], [true, [[7, 9]]]);
  });

  it('scalars broadcast, module constants and `layout=` work; the annotation may sit on the call line', async () => {
    const r = await lint(call('# gna: kernel_size=K, is_causal=True, stride=1, dilation=1, layout=(32, 32)'));
    const c = r.calls[0];
    assert.deepEqual([c.raw.windowSize, c.raw.causal, c.check.problem?.windowSize, c.check.problem?.causal], [7, true, [7, 7], [true, true]]);
    const inline = await lint(['from natten import na1d', 'def f(q, k, v, ks):', '    return na1d(q, k, v, kernel_size=ks)  # gna: kernel_size=9, input_size=128', ''].join('\n'));
    assert.deepEqual([inline.calls[0].raw.windowSize, inline.calls[0].annotated], [9, ['kernel_size']]);
  });

  it('fills only what is unknown: the rest stays missing, and the hover list names it', async () => {
    const r = await lint(call('# gna: kernel_size=7'));
    assert.deepEqual(r.calls[0].annotated, ['kernel_size']);
    assert.deepEqual(r.calls[0].missing?.map((m) => m.key), ['stride', 'dilation', 'is_causal', 'input_size']);
  });

  it('bad input is reported where it is written and not used', async () => {
    const text = call('# gna: kernel_size=KS, stride=2, size=(4, 4), 7, dilation=(1, 2)');
    const r = await lint(text);
    const bad = byRule(r.findings, 'gna/bad-annotation').map((f) => [f.message, covered(text, f)]);
    assert.deepEqual(bad, [
      ["Unknown annotation key 'size': expected one of input_size, head_dim, kernel_size, stride, dilation, is_causal.", 'size=(4, 4)'],
      ['Annotation entries are `name=value`, got 7.', '7'],
      ['kernel_size in the annotation is not a value (KS is not defined in this file); it is not used.', 'KS'],
    ]);
    assert.deepEqual(r.calls[0].annotated, ['stride', 'dilation']);
    assert.deepEqual(r.calls[0].missing?.map((m) => m.key), ['kernel_size', 'is_causal', 'input_size']);
    const broken = await lint(call('# gna: kernel_size=(7, '));
    assert.match(byRule(broken.findings, 'gna/bad-annotation')[0].message, /Cannot read the annotation/);
  });

  it('a wrong value from the annotation is an error pointing at the annotation, with no fix on the call', async () => {
    const text = call('# gna: kernel_size=(7, 7), stride=(8, 1), dilation=1, is_causal=False, input_size=(64, 64)');
    const [err] = byRule((await lint(text)).findings, 'gna/stride-exceeds-window');
    assert.equal(covered(text, err), '(8, 1)');
    assert.ok(err.range.start < text.indexOf('return'), 'in the annotation');
    assert.match(err.message, /\(stride from the `# gna:` annotation\)$/);
    assert.deepEqual(err.fixes, []);
    const float = call('# gna: kernel_size=7.5');
    assert.equal(covered(float, byRule((await lint(float)).findings, 'gna/invalid-value')[0]), '7.5');
  });

  it("the code's value wins; an annotation that disagrees with it, or with NATTEN's default, is reported", async () => {
    const text = ['from natten import na2d', '# gna: kernel_size=5, stride=2, dilation=1, input_size=(32, 32)', 'y = na2d(q, k, v, kernel_size=7)', ''].join('\n');
    const r = await lint(text);
    assert.deepEqual([r.calls[0].raw.windowSize, r.calls[0].check.problem?.stride], [7, [1, 1]]);
    assert.equal(r.calls[0].annotated, undefined);
    assert.deepEqual(byRule(r.findings, 'gna/bad-annotation').map((f) => [covered(text, f), f.message]), [
      ['5', "The annotation's kernel_size=5 disagrees with the code: the call gives kernel_size=7. The code's value is used; an annotation only gives what the code does not."],
      ['2', "The annotation's stride=2 disagrees with the code: the call leaves stride out, so NATTEN uses 1. The code's value is used; an annotation only gives what the code does not."],
    ]);
    // The same value, scalar or tuple, is no disagreement.
    const same = await lint(['from natten import na2d', '# gna: kernel_size=(7, 7), input_size=(32, 32)', 'y = na2d(q, k, v, kernel_size=7)', ''].join('\n'));
    assert.deepEqual(byRule(same.findings, 'gna/bad-annotation'), []);
  });

  it('an argument the op does not take in this NATTEN version is not used', async () => {
    const r = await lint(['from natten.functional import na2d', 'def f(q, k, v, ks):', '    # gna: kernel_size=7, stride=2, input_size=(32, 32)', '    return na2d(q, k, v, ks)', ''].join('\n'), { nattenVersion: '0.17' });
    assert.match(byRule(r.findings, 'gna/bad-annotation')[0].message, /na2d takes no stride in this NATTEN version/);
    assert.deepEqual(r.calls[0].annotated, ['kernel_size']);
  });
});
