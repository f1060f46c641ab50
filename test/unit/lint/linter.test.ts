// The linter end to end on small texts: each rule's trigger, message facts and ranges, options.
import { strict as assert } from 'assert';
import type { LintOptions, LintReport } from '../../../extension/lint';
import { byRule, covered, linter, rules } from './helpers';

async function lint(lines: string[], options?: LintOptions): Promise<{ report: LintReport; text: string }> {
  const text = lines.join('\n');
  return { report: (await linter()).lint(text, options), text };
}

describe('createLinter', () => {
  it('finds a NATTEN call under an alias and reports what NATTEN would reject', async () => {
    const { report, text } = await lint(['from natten import na2d as attn', '# gna: input_size=(64, 64)', 'y = attn(q, k, v, (7, 7), stride=(8, 1))']);
    assert.equal(report.calls.length, 1);
    assert.equal(report.calls[0].op, 'na2d');
    assert.equal(report.calls[0].layoutSource, 'annotation');
    assert.equal(covered(text, report.calls[0].argumentRanges.input_size!), '(64, 64)');
    const [err] = byRule(report.findings, 'gna/stride-exceeds-window');
    assert.equal(err.severity, 'error');
    assert.equal(covered(text, err), '8', 'points at the offending tuple element');
    assert.equal(err.callIndex, 0);
  });

  it('ranges are UTF-16 offsets after comments with ×, é and emoji', async () => {
    const { report, text } = await lint(['# Größe 64×64, café ☕ 😀😀', 'import natten  # é', '# gna: input_size=(64, 64)  # ×', 'natten.na2d(q, k, v, kernel_size=(1, 7))']);
    const [err] = byRule(report.findings, 'gna/window-too-small');
    assert.equal(covered(text, err), '1');
    assert.equal(err.range.start, text.indexOf('(1, 7)') + 1);
    assert.equal(covered(text, report.calls[0].calleeRange), 'natten.na2d');
  });

  it('never throws, whatever the input', async () => {
    const l = await linter();
    for (const text of ['', 'import natten\nnatten.na2d(', '\u0000\uffff', 'na2d(' + '('.repeat(500), 'import natten\n' + 'x = ('.repeat(300)]) {
      const report = l.lint(text);
      assert.ok(Array.isArray(report.findings));
    }
    assert.deepEqual(l.lint(undefined as unknown as string), { calls: [], findings: [] });
  });
});

describe('rules', () => {
  it('api-unavailable: na2d before 0.17, stride before 0.20', async () => {
    const { report } = await lint(['from natten import na2d', 'na2d(q, k, v, 7)', 'na2d(q, k, v, 7, stride=2)'], { nattenVersion: '0.15' });
    const [missing] = byRule(report.findings, 'gna/api-unavailable');
    assert.match(missing.message, /natten\.na2d does not exist in NATTEN 0\.15: na2d arrived in 0\.17/);
    const [kw] = byRule(report.findings, 'gna/unexpected-argument');
    assert.match(kw.message, /unexpected keyword argument 'stride'\. It exists in NATTEN 0\.20 and later, not in 0\.15\./);
  });

  it('removed-api says "deprecated" while the name still exists', async () => {
    const { report } = await lint(['import natten.functional as F', 'F.natten2dqkrpb(q, k, rpb, 7, 1)'], { nattenVersion: '0.15' });
    assert.match(byRule(report.findings, 'gna/removed-api')[0].message, /is deprecated since NATTEN 0\.15 and removed in 0\.17\.5; use na2d_qk/);
  });

  it('neighborhood_attention_generic takes its rank from the layout or the tuples', async () => {
    const ok = await lint(['from natten.functional import neighborhood_attention_generic as nag', '# gna: input_size=(64, 64)', 'nag(q, k, v, kernel_size=9)']);
    assert.equal(ok.report.calls[0].rank, 2);
    assert.deepEqual(rules(ok.report.findings), ['gna/not-block-sparse', 'gna/summary']);
    const unknownRank = await lint(['from natten.functional import neighborhood_attention_generic as nag', 'nag(q, k, v, kernel_size=9)']);
    assert.deepEqual(rules(unknownRank.report.findings), ['gna/needs-layout']);
    assert.match(unknownRank.report.findings[0].message, /to check the rank, kernel_size \* dilation/);
    assert.deepEqual(unknownRank.report.calls[0].missing?.map((m) => m.key), ['input_size']);
  });

  it('is_causal: a tuple per axis, booleans only', async () => {
    const { report, text } = await lint(['import natten', '# gna: input_size=(16, 64)', 'natten.na2d(q, k, v, (4, 8), is_causal=(True, 1))', '# gna: input_size=(16, 64)', 'natten.na2d(q, k, v, (4, 8), is_causal=(True, False, False))']);
    const [notBool] = byRule(report.findings, 'gna/invalid-value');
    assert.match(notBool.message, /is_causal must be a boolean or a tuple of booleans, got is_causal=\(True, 1\)/);
    const [length] = byRule(report.findings, 'gna/tuple-length');
    assert.equal(covered(text, length), '(True, False, False)');
  });

  it('floats and None are not integers; None stride/dilation mean the default', async () => {
    const { report } = await lint(['import natten', '# gna: input_size=(64, 64)', 'natten.na2d(q, k, v, kernel_size=7.0)', '# gna: input_size=(64, 64)', 'natten.na2d(q, k, v, kernel_size=None)', '# gna: input_size=(64, 64)', 'natten.na2d(q, k, v, 7, stride=None, dilation=None)']);
    const invalid = byRule(report.findings, 'gna/invalid-value').map((f) => f.message);
    assert.deepEqual(invalid, ['kernel_size must be an integer or a tuple of integers, got kernel_size=7.0.', 'kernel_size must be an integer or a tuple of integers, got kernel_size=None.']);
    assert.ok(report.calls[2].check.problem, 'the third call is valid');
  });

  it('tile shapes in the call and head_dim in the annotation drive the simulation', async () => {
    const { report } = await lint(['import natten', '# gna: input_size=(256, 256), head_dim=64', 'natten.na2d(q, k, v, (80, 80), stride=(16, 16), q_tile_shape=(16, 16), kv_tile_shape=(16, 8))']);
    const [summary] = byRule(report.findings, 'gna/summary');
    assert.match(summary.message, /\(hopper, Q tile 16×16, KV tile 16×8, head dim 64\)$/);
    assert.deepEqual(report.calls[0].tiles, { q: [16, 16], kv: [16, 8] });
  });

  it('bad annotations are reported where they are written', async () => {
    const { report, text } = await lint(['import natten', '# gna: input_size=(64, 64', 'natten.na2d(q, k, v, 7)', '# gna: size=(64, 64)', 'natten.na2d(q, k, v, 7)', '# gna: input_size=LAYOUT', 'natten.na2d(q, k, v, 7)']);
    const bad = byRule(report.findings, 'gna/bad-annotation');
    assert.equal(bad.length, 3);
    assert.match(bad[0].message, /Cannot read the annotation/);
    assert.match(bad[1].message, /Unknown annotation key 'size'/);
    assert.equal(covered(text, bad[1]), 'size=(64, 64)');
    assert.match(bad[2].message, /LAYOUT is not defined in this file/);
  });

  it('the default layout applies to ops of its rank only', async () => {
    const { report } = await lint(['import natten', 'natten.na2d(q, k, v, 7)', 'natten.na3d(q, k, v, 7)'], { defaultInputSize: [32, 32] });
    assert.deepEqual(
      report.calls.map((c) => c.layoutSource),
      ['setting', 'none'],
    );
  });

  it('unresolved values are reported as unknown, never guessed', async () => {
    const { report, text } = await lint(['import natten', 'class A:', '    def __init__(self, ks):', '        self.ks = ks', '    def forward(self, q, k, v):', '        # gna: input_size=(64, 64)', '        return natten.na2d(q, k, v, self.ks)'], { select: ['unresolved'] });
    const [u] = byRule(report.findings, 'gna/unresolved');
    assert.equal(covered(text, u), 'self.ks');
    assert.match(u.message, /kernel_size is not known statically \(ks is a parameter of __init__\(\) without a default, and no call of A\(\) was found\)/);
    assert.equal(report.calls[0].check.problem, undefined);
    assert.deepEqual(report.calls[0].check.unknown, ['kernel_size']);
  });

  it('a half-typed call reports its complete arguments only', async () => {
    const { report } = await lint(['import natten', '# gna: input_size=(64, 64)', 'out = natten.na2d(q, k, v, kernel_size=(1, 7), str']);
    assert.deepEqual(rules(report.findings), ['gna/window-too-small']);
  });

  it('--arch and head dim select the family presets; unsupported head dims say so', async () => {
    const text = ['import natten', '# gna: input_size=(30, 48, 80)', 'natten.na3d(q, k, v, (18, 24, 24), stride=(16, 8, 8))'];
    const b = await lint(text, { family: 'blackwell' });
    assert.match(byRule(b.report.findings, 'gna/summary')[0].message, /blackwell, Q tile 8×4×8, KV tile 4×4×8/);
    const odd = await lint(text, { headDim: 96 });
    assert.match(byRule(odd.report.findings, 'gna/summary')[0].message, /Valid config; not simulated: hopper kernels have no tile preset for head dim 96/);
  });
});

describe('rules: required arguments', () => {
  it('the legacy ops require dilation (the pre-0.14.6 four-argument call no longer binds)', async () => {
    const { report, text } = await lint(['from natten.functional import natten2dqkrpb', 'a = natten2dqkrpb(q, k, rpb, 7)', 'b = natten2dqkrpb(q, k, rpb, 7, 2)'], { nattenVersion: '0.14' });
    const missing = byRule(report.findings, 'gna/missing-argument');
    assert.equal(missing.length, 1);
    assert.equal(missing[0].message, "natten2dqkrpb() missing 1 required positional argument: 'dilation'.");
    assert.equal(covered(text, missing[0]), 'natten2dqkrpb');
    assert.ok(missing[0].range.start < text.indexOf('b ='));
  });
});
