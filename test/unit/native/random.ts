// Seeded random problems and tensors shared by the native tests (and the GPU check).
import { GnaProblem } from '../../../extension/core';

/** mulberry32: small, seeded, good enough for test inputs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function int(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

export function pick<T>(rand: () => number, values: readonly T[]): T {
  return values[Math.floor(rand() * values.length)];
}

export interface ProblemLimits {
  readonly maxWindow: number;
  readonly maxDilation: number;
  /** Extra length past window * dilation, per axis. */
  readonly maxSlack: number;
}

/** A valid problem: every rank, odd and even windows, strides up to the window, dilation, causal. */
export function randomProblem(rand: () => number, rank: number, limits: ProblemLimits): GnaProblem {
  const inputSize: number[] = [];
  const windowSize: number[] = [];
  const stride: number[] = [];
  const dilation: number[] = [];
  const causal: boolean[] = [];
  for (let i = 0; i < rank; i++) {
    const k = int(rand, 2, limits.maxWindow);
    const d = rand() < 0.35 ? int(rand, 2, limits.maxDilation) : 1;
    windowSize.push(k);
    dilation.push(d);
    stride.push(int(rand, 1, k));
    inputSize.push(k * d + int(rand, 0, limits.maxSlack));
    causal.push(rand() < 0.3);
  }
  return { inputSize, windowSize, stride, dilation, causal };
}

/** Uniform values in [-1, 1). */
export function randomTensor<T extends Float32Array | Float64Array>(rand: () => number, make: new (n: number) => T, n: number): T {
  const t = new make(n);
  for (let i = 0; i < n; i++) t[i] = rand() * 2 - 1;
  return t;
}

export function describeProblem(p: GnaProblem): string {
  const t = (v: readonly (number | boolean)[]) => v.map((x) => (typeof x === 'boolean' ? (x ? 'T' : 'F') : x)).join('×');
  return `n ${t(p.inputSize)} k ${t(p.windowSize)} s ${t(p.stride)} d ${t(p.dilation)} c ${t(p.causal)}`;
}
