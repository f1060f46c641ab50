// The silent bug: q/k/v built heads-first and given to a heads-last fused op.
import { strict as assert } from 'assert';
import { applyEdits, byRule, covered, linter } from './helpers';

const BLOCK = (order: string, op = 'natten.functional.na2d(q, k, v, kernel_size=7)') => [
  'import natten',
  'class Block:',
  '    def forward(self, x):',
  '        B, H, W, C = x.shape',
  '        qkv = self.qkv(x).reshape(B, H, W, 3, self.num_heads, self.head_dim)',
  `        qkv = qkv.permute(${order})`,
  '        q, k, v = qkv[0], qkv[1], qkv[2]',
  `        return ${op}`,
].join('\n');

async function lint(text: string, version = '0.21') {
  return (await linter()).lint(text, { nattenVersion: version });
}

describe('rules: heads-first q/k/v for a fused op', () => {
  it('flags permute(3, 0, 4, 1, 2, 5) before na2d, and its fix (heads next to head_dim) clears it', async () => {
    const text = BLOCK('3, 0, 4, 1, 2, 5');
    const [f] = byRule((await lint(text)).findings, 'gna/heads-first');
    assert.equal(covered(text, f), '.permute(3, 0, 4, 1, 2, 5)');
    assert.match(f.message, /na2d takes query\/key\/value as \[batch, \*layout, heads, head_dim\]/);
    const fixed = applyEdits(text, f.fixes[0].edits);
    assert.match(fixed, /qkv\.permute\(3, 0, 1, 2, 4, 5\)/);
    assert.deepEqual(byRule((await lint(fixed)).findings, 'gna/heads-first'), []);
  });

  it('is quiet for the unfused ops, which take heads first', async () => {
    const text = BLOCK('3, 0, 4, 1, 2, 5', 'natten.functional.na2d_qk(q, k, 7)');
    assert.deepEqual(byRule((await lint(text, '0.17')).findings, 'gna/heads-first'), []);
  });

  it('reads einops patterns and 1-D transposes', async () => {
    const rearranged = [
      'from einops import rearrange',
      'from natten import na2d',
      'def attend(qkv):',
      '    q, k, v = rearrange(qkv, "n h w (t nh e) -> t n nh h w e", t=3, e=64)',
      '    return na2d(q, k, v, 7)',
    ].join('\n');
    const [f] = byRule((await lint(rearranged)).findings, 'gna/heads-first');
    assert.equal(f.fixes[0].edits[0].newText, '"n h w (t nh e) -> t n h w nh e"');
    const headsLast = rearranged.replace('t n nh h w e', 't n h w nh e');
    assert.deepEqual(byRule((await lint(headsLast)).findings, 'gna/heads-first'), []);
    const transposed = [
      'from natten import na1d',
      'def attend(x, B, N):',
      '    q = x.view(B, N, self.heads, 64).transpose(1, 2)',
      '    return na1d(q, q, q, 31)',
    ].join('\n');
    assert.equal(byRule((await lint(transposed)).findings, 'gna/heads-first').length, 1);
  });
});

describe('layouts from the code: literal tensor shapes that reach the call', () => {
  it('reads [batch, *layout, heads, head_dim] for the fused ops, [batch, heads, *layout, dim] for the unfused ones', async () => {
    const text = [
      'import torch',
      'import natten',
      'B, H = 2, 4',
      'q, k, v = (torch.randn(B, 56, 56, H, 32, device="cuda").half() for _ in range(3))',
      'out = natten.na2d(q, k, v, kernel_size=7, stride=2)',
      'qh = torch.randn((B, H, 28, 28, 32))',
      'attn = natten.functional.na2d_qk(qh, qh, 5)',
    ].join('\n');
    const report = await lint(text, '0.21');
    assert.deepEqual(report.calls.map((c) => [c.op, c.layoutSource, c.raw.inputSize]), [
      ['na2d', 'code', [56, 56]],
      ['na2d_qk', 'code', [28, 28]],
    ]);
    assert.ok(report.calls[0].simulation, 'a complete config is simulated');
  });

  it('leaves run-time shapes to annotations and settings', async () => {
    const report = await lint(['import torch, natten', 'q = torch.randn(x.shape)', 'natten.na2d(q, q, q, 7)'].join('\n'));
    assert.equal(report.calls[0].layoutSource, 'none');
  });
});
