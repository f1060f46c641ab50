// The Hopper fused backward (native/src/gna_sm90_backward.cuh and its host side
// gna_sm90_backward.cu) on the CPU emulation of CUDA and of Hopper's TMA, mbarriers and wgmma
// (native/emu/sm90_backward_emu.cc, hopper_emu.h), between the portable backward's rows and dQ
// kernels as kernel 'hopper' runs it: the GPU check's small sanitizer cases (every rank, head dims
// 32, 64, 128, fp16 and bf16, dilation, causal, padding) with its verdict (tolerances, tile pairs
// against simulate()). Two mutants (dSᵀ's swizzle, dQ's MN-major A descriptor) must fail: the
// emulation computes what the hardware computes from the layouts, not what the kernel expects.
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { GnaNative } from '../../../extension/native';
import { emulatorRunner } from '../../gpu/backward-emulate';
import { BACKWARD_SABOTAGES, backwardSabotageFailures } from '../../gpu/backward-sabotage';
import { backwardSanitizerCases } from '../../gpu/backwardCases';
import { checkCase } from '../../gpu/backwardRun';
import { emuDriver } from './emuDriver';

describe('Hopper fused backward on the CPU emulation of CUDA and TMA/mbarrier/wgmma (native/emu)', function () {
  this.timeout(300000);
  const native = new GnaNative();
  const emu = emuDriver('sm90_backward_emu');

  const cases = backwardSanitizerCases();
  it('covers head dims 32, 64, 128, both dtypes, every rank, dilation, causal', () => {
    assert.deepEqual([...new Set(cases.map((c) => c.headDim))].sort((a, b) => a - b), [32, 64, 128]);
    assert.deepEqual([...new Set(cases.map((c) => c.dtype))].sort(), ['bfloat16', 'float16']);
    assert.deepEqual([...new Set(cases.map((c) => c.problem.inputSize.length))].sort(), [1, 2, 3]);
    assert.ok(cases.some((c) => c.problem.dilation.some((d) => d > 1)));
    assert.ok(cases.some((c) => c.problem.causal.some((x) => x)));
  });

  for (const [i, c] of cases.entries()) {
    it(`${c.label} d${c.headDim}: the GPU check's verdict, through the Hopper backward`, async () => {
      const o = await checkCase(native, emulatorRunner(emu.bin, emu.dir, true), c, 20261205 + 7919 * i);
      assert.ok(o.pass, `${c.label}: ${o.why}`);
      assert.equal(o.kernel, `sm90a wgmma+TMA backward, d${c.headDim} (CPU emulation)`);
    });
  }

  it('every sabotage of backward-emulate.js --hopper --sabotage still finds its text in the kernel', () => {
    for (const s of BACKWARD_SABOTAGES) {
      const text = readFileSync(resolve(__dirname, '../../../../native', s.file), 'utf8');
      assert.equal(text.split(s.from).length, 2, `${s.name}: ${s.file}`);
    }
  });
  for (const name of ['dSᵀ stored without', "dQ's A"]) {
    it(`a mutant kernel fails: ${name}`, async () => {
      const s = BACKWARD_SABOTAGES.find((x) => x.name.startsWith(name))!;
      assert.ok((await backwardSabotageFailures(native, s, true)).failures.length > 0, `${s.name}: every case passed`);
    });
  }
});
