// The 16-bit rounding the CUDA path applies to its inputs (and the GPU check applies to the
// reference's inputs): round to nearest even, checked against independent JS roundings.
import { strict as assert } from 'assert';
import { GnaNative } from '../../../extension/native';
import { rng } from './random';

const native = new GnaNative();

/** bfloat16: keep the top 16 bits of the float32, rounding the rest to nearest even. */
function bf16(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer);
  if (Number.isNaN(f[0])) return NaN;
  const lsb = (u[0] >>> 16) & 1;
  u[0] = ((u[0] + 0x7fff + lsb) >>> 16) << 16;
  return f[0];
}

/** IEEE half by arithmetic: the spacing at x's binade (never below the subnormal 2^-24), ties to even. */
function half(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1; // log2 may round up just below a power of two
  if (2 ** (e + 1) <= a) e += 1;
  e = Math.max(e, -14);
  const ulp = 2 ** (e - 10);
  const m = a / ulp;
  let r = Math.floor(m);
  const frac = m - r;
  if (frac > 0.5 || (frac === 0.5 && r % 2 === 1)) r += 1;
  const v = r * ulp;
  return Math.sign(x) * (v >= 65520 ? Infinity : v);
}

describe('native 16-bit rounding (quantize)', () => {
  it('float16 on edge values', () => {
    const cases: [number, number][] = [
      [1 / 3, 0.333251953125],
      [65504, 65504],
      [65519, 65504],
      [65520, Infinity],
      [-65520, -Infinity],
      [2 ** -24, 2 ** -24],
      [2 ** -25, 0],
      [1.5 * 2 ** -25, 2 ** -24],
      [3 * 2 ** -25, 2 ** -23],
      [1 + 2 ** -11, 1],
      [1 + 3 * 2 ** -11, 1 + 2 ** -9],
      [2 ** -14, 2 ** -14],
    ];
    const got = native.quantize(new Float32Array(cases.map((c) => c[0])), 'float16');
    cases.forEach(([x, want], i) => assert.equal(got[i], Math.fround(want), `half(${x})`));
    const specials = native.quantize(new Float32Array([NaN, -0, Infinity]), 'float16');
    assert.ok(Number.isNaN(specials[0]));
    assert.ok(Object.is(specials[1], -0));
    assert.equal(specials[2], Infinity);
  });

  it('float16 and bfloat16 agree with JS roundings on 20000 random values over many binades', () => {
    const rand = rng(31337);
    const values = new Float32Array(20000);
    for (let i = 0; i < values.length; i++) values[i] = (rand() * 2 - 1) * 2 ** Math.floor(rand() * 44 - 28);
    const h = native.quantize(values, 'float16');
    const b = native.quantize(values, 'bfloat16');
    for (let i = 0; i < values.length; i++) {
      assert.equal(h[i], Math.fround(half(values[i])), `half(${values[i]})`);
      assert.equal(b[i], bf16(values[i]), `bf16(${values[i]})`);
    }
  });

  it('refuses other dtypes', () => {
    assert.throws(() => native.quantize(new Float32Array(2), 'float32' as 'float16'), (e: Error & { code?: string }) => e.code === 'GNA_ERR_INVALID');
  });
});
