// The silent bug: q/k/v built heads-first and given to a heads-last fused op.
import { strict as assert } from 'assert';
import * as fc from 'fast-check';
import { reordered, reshaped } from '../../../extension/python/tensorShape';
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

  it('follows reshapes and views to resolved integers (one -1 inferred), permutes and transposes', async () => {
    // Patterns of NATTEN's own tests and examples (SHI-Labs/NATTEN tests/test_fna*.py: a flat
    // tensor viewed to [batch, *layout, heads, dim]) and of backbones that fold heads in and out.
    const text = [
      'import torch',
      'import natten',
      'B, heads, dim = 2, 4, 32',
      'flat = torch.randn(B, 64 * 64, heads * dim)',
      'q = flat.view(B, 64, 64, heads, dim)',
      'natten.na2d(q, q, q, kernel_size=7)',
      'k = flat.reshape(B, 32, -1, heads, dim)',
      'natten.na2d(k, k, k, kernel_size=7)',
      'x = torch.reshape(torch.randn(B, heads, 3136, dim), (B, heads, 56, 56, dim))',
      'natten.na2d(x.permute(0, 2, 3, 1, 4), x.permute(0, 2, 3, 1, 4), x.permute(0, 2, 3, 1, 4), kernel_size=7)',
      'y = torch.randn(B, 20, 24, dim, heads).transpose(-1, -2)',
      'natten.na2d(y, y, y, kernel_size=5)',
      'z = flat.view(B, -1, 7, heads, dim)',  // 4096 / 7: torch refuses; no layout
      'natten.na2d(z, z, z, kernel_size=5)',
    ].join('\n');
    const report = await lint(text, '0.21');
    assert.deepEqual(report.calls.map((c) => [c.layoutSource, c.raw.inputSize]), [
      ['code', [64, 64]],
      ['code', [32, 128]],
      ['code', [56, 56]],
      ['code', [20, 24]],
      ['none', report.calls[4].raw.inputSize],
    ]);
  });

  it('reshaped and reordered shapes agree with brute force (element counts, axis moves)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 5 }), fc.nat(), fc.integer({ min: 0, max: 4 }), (shape, seed, holeAt) => {
        const total = shape.reduce((p, n) => p * n, 1);
        // Any factorisation of the total is a valid reshape; a -1 in it is inferred.
        const sizes = [...shape].reverse();
        assert.deepEqual(reshaped(shape, sizes), sizes);
        const hole = holeAt % sizes.length;
        const withHole = sizes.map((n, i) => (i === hole ? -1 : n));
        assert.deepEqual(reshaped(shape, withHole), sizes);
        assert.equal(reshaped(shape, [...sizes, 2]), total * 2 === total ? sizes : undefined);
        assert.equal(reshaped(undefined, withHole), undefined);
        assert.equal(reshaped(shape, [-1, -1]), undefined);
        // A permutation moves each size with its axis; transpose swaps two.
        const order = shape.map((_, i) => i).sort((a, b) => ((a * 7919 + seed) % 13) - ((b * 7919 + seed) % 13));
        const permuted = reordered(shape, 'permute', order)!;
        assert.deepEqual(permuted, order.map((d) => shape[d]));
        assert.deepEqual(reordered(permuted, 'permute', order.map((_, i) => order.indexOf(i))), shape);
        const a = seed % shape.length;
        const swapped = reordered(shape, 'transpose', [a, -1])!;
        assert.deepEqual(reordered(swapped, 'transpose', [-1, a]), shape);
        assert.equal(reordered(shape, 'permute', [...order, 0]), undefined);
      }),
    );
  });

  it('leaves run-time shapes to annotations and settings', async () => {
    const report = await lint(['import torch, natten', 'q = torch.randn(x.shape)', 'natten.na2d(q, q, q, 7)'].join('\n'));
    assert.equal(report.calls[0].layoutSource, 'none');
  });
});
