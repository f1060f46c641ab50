// The Hopper (sm_90a) fused forward (native/src/gna_sm90_attention.cuh and its host side gna_sm90.cu)
// on the CPU emulation of CUDA and of Hopper's TMA, mbarriers and wgmma (native/emu/sm90_emu.cc,
// hopper_emu.h): the GPU check's Hopper cases, with its inputs and verdict (tolerance, tile pairs
// against simulate()) and the path hopperChoice names, at every head dim and dtype, on the direct and
// the permuted path, with one CTA per item and with a capped persistent grid; 8 cases' errors within
// 5% of what the H200 measured on the same inputs. Mutants (tensor maps with the wrong swizzle,
// the epilogue's proxy fence left out) must fail: the emulation computes what the hardware computes
// from the layouts and orders, not what the kernel expects (sm90-emulate.js --sabotage runs all of
// them). Issue 18's kernel variant 1 on the head dims that have it, and a mutant of its quad
// transpose must fail.
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { GnaNative } from '../../../extension/native';
import { emulateSm90Case, gpuErrors, sm90CheckCases, sm90SanitizerCases, sm90Work } from '../../gpu/sm90-emulate';
import { SABOTAGES, sabotageFailures } from '../../gpu/sm90-sabotage';
import { emuDriver } from './emuDriver';

describe('Hopper sm_90a forward on the CPU emulation of CUDA and TMA/mbarrier/wgmma (native/emu)', function () {
  this.timeout(300000);
  const native = new GnaNative();
  const emu = emuDriver('sm90_emu');

  const seed = 20261122;
  const sanitizer = sm90SanitizerCases(native, seed);
  // The first small Hopper case of each head dim and dtype in the list (and with the inputs) of
  // the H200 run of native/results/h200-correctness-2026-12-05.txt (--cases 120 --hopper-cases 240).
  const check = sm90CheckCases(native, 120, 240, seed).filter(({ c }) => c.label.startsWith('hopper') && sm90Work(c) <= 40);
  const small = [32, 64, 128, 256].flatMap((d) => (['float16', 'bfloat16'] as const).flatMap((dtype) => check.filter(({ c }) => c.headDim === d && c.dtype === dtype).slice(0, 1)));

  it('covers every head dim and dtype, every rank, dilation and causal', () => {
    assert.deepEqual([...new Set(sanitizer.map(({ c }) => c.headDim))].sort((a, b) => a - b), [32, 64, 128, 256]);
    assert.equal(small.length, 8);
    const cases = [...sanitizer, ...small].map(({ c }) => c);
    assert.deepEqual([...new Set(cases.map((c) => c.problem.inputSize.length))].sort(), [1, 2, 3]);
    assert.ok(cases.some((c) => c.problem.dilation.some((d) => d > 1)));
    assert.ok(cases.some((c) => c.problem.causal.some((x) => x)));
  });

  for (const { c, seed: caseSeed } of sanitizer) {
    for (const mode of [{}, { permuted: true, ctas: 2 }]) {
      const how = mode.permuted ? 'permuted path, 2 CTAs' : 'the path the GPU takes, one CTA per SM';
      it(`${c.label} (${c.dtype}, d${c.headDim}, ${how}): the GPU check's verdict`, async () => {
        const o = await emulateSm90Case(native, emu.bin, emu.dir, c, caseSeed, mode);
        assert.ok(o.pass, `${c.label}: ${o.why}`);
      });
    }
  }
  // What the H200 measured on the same cases and inputs.
  const onGpu = gpuErrors(readFileSync(resolve(__dirname, '../../../../native/results/h200-correctness-2026-12-05.txt'), 'utf8'));
  for (const [i, { c, seed: caseSeed }] of small.entries()) {
    it(`${c.label} (${c.dtype}, d${c.headDim}, ${c.problem.inputSize.length}-D, 3 CTAs): the GPU check's verdict, the H200's error within 5%`, async () => {
      const o = await emulateSm90Case(native, emu.bin, emu.dir, c, caseSeed, { ctas: 3, permuted: i % 4 === 3 });
      assert.ok(o.pass, `${c.label}: ${o.why}`);
      const gpu = onGpu.get(`${c.label} ${c.dtype}`);
      assert.ok(gpu !== undefined && Math.abs(o.error / gpu - 1) < 0.05, `${c.label}: error ${o.error} here, ${gpu} on the H200`);
    });
  }

  // Issue 18's kernel variant 1 (the split builds' shorter item boundary: early setup, O from
  // registers through quad transposes, Q released at the last S): the same verdicts at head dims 32
  // and 64, every CTA a stream of items (3 CTAs), on both paths; a case fails unless the variant ran.
  for (const [i, { c, seed: caseSeed }] of [...sanitizer, ...small].filter(({ c }) => c.headDim <= 64).entries()) {
    it(`variant 1: ${c.label} (${c.dtype}, d${c.headDim}, 3 CTAs${i % 2 === 1 ? ', permuted' : ''}): the GPU check's verdict`, async () => {
      const o = await emulateSm90Case(native, emu.bin, emu.dir, c, caseSeed, { ctas: 3, permuted: i % 2 === 1, variant: 1 });
      assert.ok(o.pass, `${c.label}: ${o.why}`);
    });
  }

  // Variant 3 (1 and the staggered pipelines, kVariantStagger) with one CTA per SM: CTAs whose
  // second pipeline has no item must not wait on (or leave open) the stagger barrier.
  for (const { c, seed: caseSeed } of sanitizer.filter(({ c }) => c.headDim <= 64)) {
    it(`variant 3: ${c.label} (${c.dtype}, d${c.headDim}, one CTA per SM): the GPU check's verdict`, async () => {
      const o = await emulateSm90Case(native, emu.bin, emu.dir, c, caseSeed, { variant: 3 });
      assert.ok(o.pass, `${c.label}: ${o.why}`);
    });
  }

  it("every sabotage of sm90-emulate.js --sabotage still finds its text in the sources", () => {
    for (const s of SABOTAGES) {
      const text = readFileSync(resolve(__dirname, '../../../../native', s.file), 'utf8');
      assert.equal(text.split(s.from).length, 2, `${s.name}: ${s.file}`);
    }
  });
  // The swizzle its descriptors read; the epilogue's proxy fence; variant 1's quad transpose (so the
  // variant's cases above ran it).
  for (const name of ['tensor maps without the swizzle', "the epilogue's fence.proxy.async left out", "variant 1's quad transpose"]) {
    it(`a mutant kernel fails: ${name}`, async () => {
      const s = SABOTAGES.find((x) => x.name.startsWith(name))!;
      assert.ok((await sabotageFailures(native, s, true)).failures.length > 0, `${s.name}: every case passed`);
    });
  }
});
