// The NATTEN API catalogue, one test per change, each citing the release it happened in (read
// from SHI-Labs/NATTEN's tags: src/natten/functional.py, context.py, flex.py, na{1,2,3}d.py,
// modules.py). Working code at its own release gets no error; the same code on a later release
// gets the finding that names the release and the replacement.
import { strict as assert } from 'assert';
import type { Finding } from '../../../extension/lint';
import { byRule, covered, linter } from './helpers';

async function lint(lines: string[], version: string) {
  const text = lines.join('\n');
  const report = (await linter()).lint(text, { nattenVersion: version });
  return { text, report, errors: report.findings.filter((f) => f.severity === 'error') };
}

const messages = (fs: readonly Finding[]) => fs.map((f) => f.message).join('\n');

describe('catalogue: unfused ops (0.15–0.19)', () => {
  const na3d015 = ['from natten.functional import na3d_qk, na3d_av', '# gna: input_size=(8, 32, 32)', 'attn = na3d_qk(q, k, 3, 7, 1, 2)', '# gna: input_size=(8, 32, 32)', 'out = na3d_av(attn, v, 3, 7, 1, 2)'];

  it('0.15.0: na3d_qk(query, key, kernel_size_d, kernel_size, dilation_d, dilation) is its own signature, not an error', async () => {
    const { report, errors } = await lint(na3d015, '0.15');
    assert.deepEqual(errors, [], messages(errors));
    assert.deepEqual(report.calls[0].raw.windowSize, [3, 7, 7]);
    assert.deepEqual(report.calls[0].raw.dilation, [1, 2, 2]);
    assert.deepEqual(report.calls[1].raw.windowSize, [3, 7, 7]);
  });

  it('0.17.0: the 3-D unfused ops took one kernel_size, so the same six arguments mean something else', async () => {
    // na3d_qk(query, key, kernel_size, dilation, additional_keys, is_causal, rpb): 3 is the window,
    // 7 the dilation, 2 lands on is_causal.
    const { errors, report } = await lint(na3d015, '0.17');
    assert.equal(report.calls[0].raw.windowSize, 3);
    assert.equal(report.calls[0].raw.dilation, 7);
    assert.ok(errors.some((f) => f.rule === 'gna/invalid-value' && /is_causal=2/.test(f.message)), messages(errors));
  });

  it('0.15.1 appended additional_keys: a fifth positional is a TypeError only in 0.15.0', async () => {
    const lines = ['import natten.functional as F', '# gna: input_size=(16, 16)', 'F.na2d_qk(q, k, 7, 1, extra_k)'];
    const old = await lint(lines, '0.15.0');
    assert.deepEqual(byRule(old.errors, 'gna/unexpected-argument').length, 1, messages(old.errors));
    assert.deepEqual((await lint(lines, '0.15.1')).errors, []);
  });

  it('0.17.0 removed na2d_qk_with_bias (rpb= on na2d_qk instead)', async () => {
    const lines = ['from natten.functional import na2d_qk_with_bias', '# gna: input_size=(16, 16)', 'a = na2d_qk_with_bias(q, k, rpb, 7, 1)'];
    assert.deepEqual((await lint(lines, '0.15')).report.findings.filter((f) => f.severity !== 'info'), []);
    const [w] = byRule((await lint(lines, '0.17')).report.findings, 'gna/removed-api');
    assert.match(w.message, /na2d_qk_with_bias was removed in NATTEN 0\.17; use na2d_qk\(query, key, kernel_size, dilation, rpb=bias\)/);
  });

  it('0.20.0 removed na2d_qk / na2d_av for the fused na2d', async () => {
    const lines = ['import natten', '# gna: input_size=(16, 16)', 'a = natten.functional.na2d_qk(q, k, 7)'];
    assert.deepEqual((await lint(lines, '0.17')).report.findings.filter((f) => f.rule === 'gna/removed-api'), []);
    assert.match(byRule((await lint(lines, '0.21')).report.findings, 'gna/removed-api')[0].message, /removed in NATTEN 0\.20; use na2d\(query, key, value/);
  });
});

describe('catalogue: module parameters', () => {
  it('0.17.0 renamed bias to rel_pos_bias: bias= is a TypeError with a rename fix', async () => {
    const lines = ['from natten import NeighborhoodAttention2D', 'm = NeighborhoodAttention2D(dim=64, num_heads=2, kernel_size=7, bias=True)'];
    assert.deepEqual((await lint(lines, '0.15')).errors, []);
    const { errors, text } = await lint(lines, '0.17');
    const [e] = byRule(errors, 'gna/unexpected-argument');
    assert.match(e.message, /unexpected keyword argument 'bias'.*NATTEN 0\.17 renamed it rel_pos_bias/);
    assert.equal(e.fixes[0].title, 'Rename to rel_pos_bias');
    assert.equal(covered(text, e.fixes[0].edits[0].range), 'bias');
  });

  it('0.20.0 removed rel_pos_bias and attn_drop', async () => {
    const lines = ['from natten import NeighborhoodAttention1D', 'm = NeighborhoodAttention1D(dim=64, num_heads=2, kernel_size=7, rel_pos_bias=True, attn_drop=0.1)'];
    assert.deepEqual((await lint(lines, '0.17')).errors, []);
    const { errors } = await lint(lines, '0.20');
    assert.deepEqual(errors.map((e) => /'(\w+)'/.exec(e.message)![1]), ['rel_pos_bias', 'attn_drop']);
    assert.ok(errors.every((e) => /removed in NATTEN 0\.20/.test(e.message)), messages(errors));
  });

  it('0.20.1 renamed dim to embed_dim: dim= works in 0.20.0 and is a TypeError from 0.20.1', async () => {
    const lines = ['from natten import NeighborhoodAttention2D', 'm = NeighborhoodAttention2D(dim=64, num_heads=2, kernel_size=7)'];
    assert.deepEqual((await lint(lines, '0.20.0')).errors, []);
    const { errors } = await lint(lines, '0.21');
    assert.equal(errors.length, 1, messages(errors));
    assert.match(errors[0].message, /NATTEN 0\.20\.1 renamed it embed_dim/);
    assert.equal(errors[0].fixes[0].edits[0].newText, 'embed_dim');
  });

  it('0.17.4 added use_experimental_ops (gone again in 0.20)', async () => {
    const lines = ['from natten import NeighborhoodAttention2D', 'm = NeighborhoodAttention2D(64, 2, 7, use_experimental_ops=True)'];
    assert.equal((await lint(lines, '0.17.3')).errors.length, 1);
    assert.deepEqual((await lint(lines, '0.17.4')).errors, []);
    assert.equal((await lint(lines, '0.21')).errors.length, 1);
  });
});

describe('catalogue: removed names that are not ops', () => {
  it('0.20.0 removed natten.use_fused_na / has_fused_na / use_autotuner (imports and attribute uses)', async () => {
    const lines = [
      'import natten',
      'from natten.context import use_autotuner',
      'from natten import has_fused_na',
      'natten.use_fused_na(True)',
      'natten.context.use_autotuner(forward_pass=True)',
    ];
    assert.deepEqual((await lint(lines, '0.17')).report.findings, []);
    const { report, text } = await lint(lines, '0.21');
    const removed = byRule(report.findings, 'gna/removed-api');
    assert.deepEqual(removed.map((f) => covered(text, f)), ['use_autotuner', 'has_fused_na', 'natten.use_fused_na', 'natten.context.use_autotuner']);
    assert.match(removed[0].message, /natten\.context\.use_autotuner was removed in NATTEN 0\.20 \(it existed from 0\.17\); importing it fails/);
    assert.match(removed[2].message, /every op is fused/);
  });

  it('0.20.0 removed natten.flex (0.17.5): the replacement is backend="flex-fna"', async () => {
    const { report, text } = await lint(['from natten.flex import flex_na2d', 'import natten.flex'], '0.21');
    const removed = byRule(report.findings, 'gna/removed-api');
    assert.deepEqual(removed.map((f) => covered(text, f)), ['natten.flex', 'natten.flex']);
    assert.match(removed[0].message, /backend="flex-fna"/);
  });

  it('0.17.0 moved the 0.15 switches from natten.functional to natten.context', async () => {
    const lines = ['import natten.functional as F', 'F.enable_tiled_na()'];
    assert.deepEqual((await lint(lines, '0.15')).report.findings, []);
    assert.match(byRule((await lint(lines, '0.17')).report.findings, 'gna/removed-api')[0].message, /natten\.functional\.enable_tiled_na was removed in NATTEN 0\.17/);
  });

  it('follows NATTEN through lazily imported module objects', async () => {
    const lines = [
      'import importlib',
      '_natten = OptionalImport("natten")',
      'F = importlib.import_module("natten.functional")',
      'if _natten.has_fused_na():',
      '    pass',
      '# gna: input_size=(16, 16)',
      'out = F.na2d(q, k, v, 8)',
    ];
    const { report, text } = await lint(lines, '0.21');
    assert.deepEqual(byRule(report.findings, 'gna/removed-api').map((f) => covered(text, f)), ['_natten.has_fused_na']);
    assert.deepEqual(report.calls.map((c) => c.op), ['na2d']);
  });

  it('finds ops stored on self and called through it', async () => {
    const lines = [
      'from natten.functional import natten2dqkrpb, natten2dav',
      'class A:',
      '    def __init__(self):',
      '        self.qk = natten2dqkrpb',
      '        self.av = natten2dav',
      '    def forward(self, q, k, v, rpb):',
      '        a = self.qk(q, k, rpb, 7, 1)',
      '        return self.av(a, v, 7, 1)',
    ];
    const { report } = await lint(lines, '0.21');
    assert.deepEqual(report.calls.map((c) => c.op), ['natten2dqkrpb', 'natten2dav']);
    assert.equal(byRule(report.findings, 'gna/removed-api').length, 2);
  });
});

describe('catalogue: version guards scope findings to the branch that runs', () => {
  it('hasattr, try/except ImportError and version comparisons keep old-API branches quiet on 0.21', async () => {
    const lines = [
      'import natten',
      'from natten.functional import na2d',
      'if hasattr(natten, "use_fused_na"):',
      '    natten.use_fused_na(True)',
      'try:',
      '    from natten.functional import natten2dqkrpb',
      'except ImportError:',
      '    natten2dqkrpb = None',
      'if natten_version < (0, 20):',
      '    # gna: input_size=(16, 16)',
      '    a = natten.functional.na2d_qk(q, k, 7)',
      'else:',
      '    # gna: input_size=(16, 16)',
      '    o = na2d(q, k, v, 7, stride=2)',
    ];
    const { report } = await lint(lines, '0.21');
    assert.deepEqual(byRule(report.findings, 'gna/removed-api'), []);
    assert.deepEqual(report.findings.filter((f) => f.severity === 'error'), []);
    // Under 0.17 the else branch does not run: its stride (a 0.20 keyword) is not an error there.
    const old = await lint(lines, '0.17');
    assert.deepEqual(old.errors, [], messages(old.errors));
  });
});
