// The fused backward's kernels (native/src/gna_backward.cuh and the forward's log-sum-exp build)
// run on the CPU emulation of CUDA (native/emu) for the GPU check's small sanitizer cases, against
// the float64 reference with the GPU check's own verdict (tolerances, and tile pairs against
// simulate()): the kernel's logic is checked on every machine, GPU or not. The emulation's
// mma.sync layout is the PTX ISA's; the forward kernel, checked on GPUs, runs through it too.
import { strict as assert } from 'assert';
import { GnaNative } from '../../../extension/native';
import { emulatorInput, emulatorOutput, emulatorRunner } from '../../gpu/backward-emulate';
import { backwardSanitizerCases, caseElements } from '../../gpu/backwardCases';
import { checkCase } from '../../gpu/backwardRun';
import { emuDriver } from './emuDriver';

describe('fused backward on the CPU emulation of CUDA (native/emu)', function () {
  this.timeout(300000);
  const native = new GnaNative();
  const emu = emuDriver('backward_emu');

  // One case per rank: 1-D causal strided d64 fp16, 2-D dilated padded d128 bf16, 3-D d32 fp16.
  const all = backwardSanitizerCases();
  const cases = [all[0], all[3], all[4]];
  for (const [i, c] of cases.entries()) {
    it(`${c.label}: output, lse, dQ, dK, dV within the GPU check's bounds, the forward's tile pairs`, async () => {
      const o = await checkCase(native, emulatorRunner(emu.bin, emu.dir), c, 20261205 + i);
      assert.ok(o.pass, `${c.label}: ${o.why}`);
      // The 16-bit outputs carry their rounding, no more: far inside the bounds.
      assert.ok(o.errors.dq < 5e-3 && o.errors.dk < 5e-3 && o.errors.dv < 5e-3, JSON.stringify(o.errors));
    });
  }

  it('the emulator protocol: header and tensors in, counts and five tensors out', () => {
    const c = backwardSanitizerCases()[4];
    const n = caseElements(c);
    const x = { q: new Float32Array(n).fill(1), k: new Float32Array(n).fill(2), v: new Float32Array(n).fill(3), dO: new Float32Array(n).fill(4) };
    const input = emulatorInput(c, x);
    const header = input.subarray(0, input.indexOf(10)).toString().split(' ').map(Number);
    assert.deepEqual(header.slice(0, 4), [3, ...c.problem.inputSize]);
    assert.equal(input.length - input.indexOf(10) - 1, 4 * 4 * n);
    const floats = new Float32Array(n * 4 + n / c.headDim).map((_, i) => i);
    const out = emulatorOutput(c, Buffer.concat([Buffer.from('7 5\n'), Buffer.from(floats.buffer)]));
    assert.equal(out.visited, 7);
    assert.equal(out.full, 5);
    assert.equal(out.lse.length, n / c.headDim);
    assert.equal(out.lse[0], n);
    assert.equal(out.dv[n - 1], floats.length - 1);
    assert.throws(() => emulatorOutput(c, Buffer.concat([Buffer.from('7 5\n'), Buffer.from(floats.buffer.slice(4))])), /wrote/);
  });
});
