// The fused backward's GPU check (issue 21), its pure half: the random configs and how a GPU
// result is judged against the float64 reference gradients. Unit-tested without a GPU
// (test/unit/native/backwardCases.test.ts); backward-check.ts runs it on the device.

import { GnaProblem, product, TileShape } from '../../extension/core';
import type { Gradients, InputDtype } from '../../extension/native';
import { int, pick, randomProblem, rng } from '../unit/native/random';

export const BACKWARD_HEAD_DIMS = [32, 64, 128] as const;

/** One GPU check case (the forward's, native-check.ts, and the backward's). */
export interface GpuCase {
  readonly label: string;
  readonly problem: GnaProblem;
  readonly tiles: TileShape;
  readonly batch: number;
  readonly heads: number;
  readonly headDim: number;
  readonly dtype: InputDtype;
  /** Multiplies Q: larger values make the softmax peaky (online-softmax rescaling, small P and large dS at the maxima). */
  readonly sharpness: number;
}

export type BackwardCase = GpuCase;

/**
 * Relative L2 error bounds per tensor (‖x − ref‖ / ‖ref‖; lse: max |x − ref| / (1 + |ref|)). The
 * output as the forward's check. The gradients from the first GPU run (H200, 2026-12-05, 310 configs,
 * native/results/h200-backward-2026-12-05.txt): worst fp16 dQ 4.6e-4, dK 4.6e-4, dV 3.1e-4, lse
 * 3.3e-7; bf16 4.0e-3, 3.9e-3, 2.4e-3, 2.5e-7 (about the 16-bit rounding of each tensor: the kernel
 * rounds P and dS to the input type before its products, as FlashAttention-2), bounded at ~4× those.
 */
export const BACKWARD_TOLERANCE: Record<InputDtype, Record<keyof Gradients<Float64Array>, number>> = {
  float16: { output: 3e-3, lse: 1e-5, dq: 2e-3, dk: 2e-3, dv: 1.5e-3 },
  bfloat16: { output: 1e-2, lse: 1e-5, dq: 1.6e-2, dk: 1.6e-2, dv: 1e-2 },
};

export const GRADIENT_NAMES = ['output', 'lse', 'dq', 'dk', 'dv'] as const;

/**
 * `n` random configs, cycling rank (1, 2, 3), head dim (32, 64, 128) and dtype so every
 * combination occurs within 18 cases: odd and even windows, strides, dilation, causal, tiles
 * that do not divide the layout (padding) and, every other pair, tiles under half the window
 * (full tiles on the walk), batch and heads up to 2 and 3.
 */
export function backwardCases(n: number, seed: number): BackwardCase[] {
  const rand = rng(seed ^ 0xbac4);
  const cases: BackwardCase[] = [];
  for (let i = 0; i < n; i++) {
    const rank = 1 + (i % 3);
    const headDim = BACKWARD_HEAD_DIMS[Math.floor(i / 3) % 3];
    const dtype: InputDtype = Math.floor(i / 9) % 2 === 0 ? 'float16' : 'bfloat16';
    const limits = rank === 1 ? { maxWindow: 96, maxDilation: 4, maxSlack: 200 } : rank === 2 ? { maxWindow: 12, maxDilation: 3, maxSlack: 16 } : { maxWindow: 6, maxDilation: 2, maxSlack: 5 };
    const problem = randomProblem(rand, rank, limits);
    const maxTile = rank === 1 ? 128 : rank === 2 ? 16 : 8;
    const fullHeavy = i % 4 >= 2;
    const tile = (k: number, size: number) => (fullHeavy ? 2 ** int(rand, 0, Math.max(0, Math.floor(Math.log2(Math.max(1, k / 2))))) : int(rand, 1, Math.min(size + 2, maxTile)));
    cases.push({
      label: `backward ${i}`,
      problem,
      tiles: { q: problem.inputSize.map((s, a) => tile(problem.windowSize[a], s)), kv: problem.inputSize.map((s, a) => tile(problem.windowSize[a], s)) },
      batch: int(rand, 1, 2),
      heads: int(rand, 1, 3),
      headDim,
      dtype,
      sharpness: rand() < 0.2 ? pick(rand, [4, 8]) : 1,
    });
  }
  return cases;
}

/**
 * Hand-picked configs for the kernel's own branches, run before the random ones: dense windows (all
 * pairs full, no mask), Q and KV tiles of more than 64 tokens (several 64-row steps and several CTAs
 * per KV tile) and of token counts that 64 does not divide (partial steps), the Hopper backward
 * presets' tile shapes, dilation with causal axes, batch and heads > 1, a peaky softmax.
 */
export function backwardCuratedCases(): BackwardCase[] {
  const p = (n: number[], k: number[], s: number[], d: number[], c: boolean[]): GnaProblem => ({ inputSize: n, windowSize: k, stride: s, dilation: d, causal: c });
  const one = { batch: 1, heads: 1, sharpness: 1 };
  const list: BackwardCase[] = [
    { ...one, label: 'curated 1-D dense', problem: p([320], [320], [1], [1], [false]), tiles: { q: [64], kv: [64] }, headDim: 128, dtype: 'float16' },
    { ...one, label: 'curated 1-D dense 128-token tiles', problem: p([384], [384], [1], [1], [false]), tiles: { q: [128], kv: [128] }, headDim: 64, dtype: 'bfloat16' },
    { ...one, label: 'curated 1-D causal 128-token tiles', problem: p([700], [200], [1], [1], [true]), tiles: { q: [128], kv: [128] }, headDim: 64, dtype: 'bfloat16', heads: 2 },
    { ...one, label: 'curated 1-D partial steps', problem: p([555], [63], [5], [2], [false]), tiles: { q: [96], kv: [80] }, headDim: 32, dtype: 'float16', batch: 2 },
    { ...one, label: 'curated 1-D peaky', problem: p([256], [64], [1], [1], [false]), tiles: { q: [64], kv: [64] }, headDim: 128, dtype: 'float16', sharpness: 8 },
    { ...one, label: 'curated 2-D backward preset', problem: p([48, 48], [13, 13], [4, 4], [1, 1], [false, false]), tiles: { q: [8, 8], kv: [16, 8] }, headDim: 128, dtype: 'bfloat16' },
    { ...one, label: 'curated 2-D dense', problem: p([16, 16], [16, 16], [1, 1], [1, 1], [false, false]), tiles: { q: [8, 8], kv: [8, 8] }, headDim: 128, dtype: 'bfloat16' },
    { ...one, label: 'curated 2-D dilated causal', problem: p([40, 36], [7, 5], [1, 2], [3, 2], [true, false]), tiles: { q: [8, 8], kv: [8, 16] }, headDim: 64, dtype: 'float16', heads: 3 },
    { ...one, label: 'curated 3-D backward preset', problem: p([8, 12, 16], [4, 6, 8], [2, 3, 4], [1, 1, 1], [false, false, false]), tiles: { q: [4, 4, 4], kv: [4, 4, 8] }, headDim: 128, dtype: 'float16', batch: 2, heads: 2 },
    { ...one, label: 'curated 3-D causal dilated', problem: p([9, 10, 11], [3, 5, 5], [1, 1, 2], [1, 2, 2], [true, false, false]), tiles: { q: [2, 4, 8], kv: [4, 4, 4] }, headDim: 32, dtype: 'bfloat16' },
  ];
  return list;
}

/** A few small configs (every rank, dilation, causal, padding; both dtypes) for compute-sanitizer. */
export function backwardSanitizerCases(): BackwardCase[] {
  const p = (n: number[], k: number[], s: number[], d: number[], c: boolean[]): GnaProblem => ({ inputSize: n, windowSize: k, stride: s, dilation: d, causal: c });
  const base = { batch: 2, heads: 2, sharpness: 1 };
  const list: Omit<BackwardCase, 'dtype'>[] = [
    { ...base, label: 'san 1-D causal strided', problem: p([300], [40], [8], [1], [true]), tiles: { q: [64], kv: [64] }, headDim: 64 },
    { ...base, label: 'san 2-D dilated padded', problem: p([21, 19], [5, 4], [2, 1], [2, 1], [false, true]), tiles: { q: [8, 8], kv: [8, 8] }, headDim: 128 },
    { ...base, label: 'san 3-D', problem: p([5, 9, 10], [3, 4, 5], [1, 2, 1], [1, 1, 2], [false, false, false]), tiles: { q: [2, 4, 8], kv: [2, 8, 4] }, headDim: 32 },
  ];
  return list.flatMap((c) => (['float16', 'bfloat16'] as const).map((dtype) => ({ ...c, label: `${c.label} ${dtype}`, dtype })));
}

export function caseElements(c: BackwardCase): number {
  return c.batch * product(c.problem.inputSize) * c.heads * c.headDim;
}

/** The error of one tensor against the reference: relative L2, or for lse the worst relative entry; NaN anywhere is Infinity. */
export function tensorError(name: (typeof GRADIENT_NAMES)[number], got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let num = 0;
  let den = 0;
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const diff = got[i] - want[i];
    if (!Number.isFinite(got[i])) return Infinity;
    num += diff * diff;
    den += want[i] * want[i];
    worst = Math.max(worst, Math.abs(diff) / (1 + Math.abs(want[i])));
  }
  if (name === 'lse') return worst;
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

export interface BackwardVerdict {
  readonly errors: Record<(typeof GRADIENT_NAMES)[number], number>;
  readonly pass: boolean;
  /** The tensors over their bound, e.g. "dk 0.031 > 0.002". */
  readonly why: string;
}

/** Every tensor of a GPU result against the reference, within BACKWARD_TOLERANCE of the case's dtype. */
export function judgeBackward(dtype: InputDtype, got: Gradients<Float32Array | Float64Array>, want: Gradients<Float64Array>): BackwardVerdict {
  const errors = Object.fromEntries(GRADIENT_NAMES.map((name) => [name, tensorError(name, got[name], want[name])])) as BackwardVerdict['errors'];
  const over = GRADIENT_NAMES.filter((name) => !(errors[name] <= BACKWARD_TOLERANCE[dtype][name]));
  return { errors, pass: over.length === 0, why: over.map((name) => `${name} ${errors[name].toPrecision(3)} > ${BACKWARD_TOLERANCE[dtype][name]}`).join(', ') };
}
