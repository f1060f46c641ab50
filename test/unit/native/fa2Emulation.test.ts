// The FA2-class portable kernel (native/src/gna_fa2.cuh, issue 23) on the CPU emulation of CUDA
// (native/emu/fa2_emu.cc): every head dim and both dtypes, against the float64 reference with the
// GPU check's verdict (tolerance, tile pairs against simulate()), reading the caller's layout
// directly (no dilation) and token-permuted buffers (dilation's path) alike. The emulation computes mma.sync
// and ldmatrix from the lanes' registers as the PTX ISA lays them out, so a fragment in the wrong
// lane, a stage read before its copy, a wrong mask bit or a wrong walk gives wrong numbers here.
import { strict as assert } from 'assert';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { GnaNative } from '../../../extension/native';
import { buildEmuDriver } from '../../gpu/backward-emulate';
import { emulateFa2Case, fa2Steps } from '../../gpu/fa2-emulate';
import { fa2Cases, fa2SanitizerCases } from '../../gpu/fa2Cases';

describe('FA2-class portable kernel on the CPU emulation of CUDA (native/emu)', function () {
  this.timeout(300000);
  const native = new GnaNative();
  let dir = '';
  let bin = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gna-fa2-emu-test-'));
    bin = buildEmuDriver(dir, 'fa2_emu');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // The sanitizer cases (a Q tile over two blocks, KV tiles ending in a partial step, causal and
  // strided, at each head dim), then the first small random case of each head dim and dtype.
  const random = fa2Cases(48, 20261205).filter((c) => fa2Steps(c) <= 600);
  const small = [32, 64, 128, 256].flatMap((d) => (['float16', 'bfloat16'] as const).flatMap((dtype) => random.filter((c) => c.headDim === d && c.dtype === dtype).slice(0, 1)));
  // The 64-key d128 variant (kVariantWideStep) on the d128 cases of both lists.
  const wide = [...fa2SanitizerCases(), ...small].filter((c) => c.headDim === 128);
  const runs = [
    ...fa2SanitizerCases().flatMap((c) => [
      { c, permuted: false, variant: 0 },
      { c, permuted: true, variant: 0 },
    ]),
    ...small.map((c) => ({ c, permuted: false, variant: 0 })),
    ...wide.flatMap((c) => [
      { c, permuted: false, variant: 1 },
      { c, permuted: true, variant: 1 },
    ]),
  ];
  it('has a random case at every head dim and dtype, dilated ones among them', () => {
    assert.equal(small.length, 8);
    assert.ok(small.some((c) => c.problem.dilation.some((d) => d > 1)));
    assert.equal(wide.length, 3);
  });
  for (const [i, { c, permuted, variant }] of runs.entries()) {
    const how = permuted || c.problem.dilation.some((d) => d > 1) ? 'permuted buffers' : "the caller's layout";
    it(`${c.label} (${c.dtype}, d${c.headDim}${variant ? `, variant ${variant}` : ''}, ${how}): output within the GPU check's tolerance, the simulator's tile pairs`, async () => {
      const o = await emulateFa2Case(native, bin, dir, c, 20261205 + i, permuted, variant);
      assert.ok(o.pass, `${c.label}: ${o.why}`);
    });
  }
});
