// Issue 23: the GPU check's cases for the FA2-class portable kernel (native/src/gna_fa2.cuh),
// which native-check.ts adds when that kernel is asked for (GNA_KERNEL=fa2), and the short name of
// the kernel a result reports. Plain functions, so the unit tests check what the cases cover.

import { denseProblem, product, TileShape } from '../../extension/core';
import { int, randomProblem, rng } from '../unit/native/random';
import type { GpuCase } from './backwardCases';

export const FA2_HEAD_DIMS = [32, 64, 128, 256] as const;

/** Query rows per CTA and keys per step of each build (gna_fa2.cuh, Config<D>). */
export const FA2_BLOCKS: Readonly<Record<number, { readonly rows: number; readonly keys: number }>> = {
  32: { rows: 128, keys: 64 },
  64: { rows: 128, keys: 64 },
  128: { rows: 128, keys: 32 },
  256: { rows: 64, keys: 32 },
};

/** Short name of the kernel a result names: "sm90-dir", "sm90-per", "fa2" or "portable". */
export function kernelTag(kernel: string): string {
  if (kernel.startsWith('sm90')) return kernel.includes('direct') ? 'sm90-dir' : 'sm90-per';
  return kernel.startsWith('portable-fa2') ? 'fa2' : 'portable';
}

/** Tiles of one case: 'any' (padding, odd shapes), 'full' (powers of two under half the window:
 * unmasked KV tiles), 'blocks' (1-D: Q tiles over several CTAs, KV tiles ending in a partial step). */
export type TileStyle = 'any' | 'full' | 'blocks';

/**
 * `n` random configs for the FA2 kernel: head dims 32, 64, 128, 256 and both dtypes in turn
 * (case i: head dim i mod 4, dtype (i div 4) mod 2), ranks 1-3, dilation, causal, strides, layouts
 * the tiles do not divide, every tenth dense; the tile style cycles so that multi-block Q tiles,
 * partial KV steps and full (mask-free) tiles all occur at every head dim.
 */
export function fa2Cases(n: number, seed: number): GpuCase[] {
  const rand = rng(seed ^ 0xfa2);
  const cases: GpuCase[] = [];
  for (let i = 0; i < n; i++) {
    const headDim = FA2_HEAD_DIMS[i % FA2_HEAD_DIMS.length];
    const dtype = Math.floor(i / FA2_HEAD_DIMS.length) % 2 === 0 ? 'float16' : 'bfloat16';
    const style: TileStyle = (['any', 'full', 'blocks'] as const)[Math.floor(i / 8) % 3];
    const rank = style === 'blocks' ? 1 : 1 + (Math.floor(i / 2) % 3);
    const limits = rank === 1 ? { maxWindow: 300, maxDilation: 3, maxSlack: 300 } : rank === 2 ? { maxWindow: 14, maxDilation: 3, maxSlack: 16 } : { maxWindow: 6, maxDilation: 2, maxSlack: 5 };
    let problem = randomProblem(rand, rank, limits);
    if (i % 10 === 9) problem = denseProblem(problem);
    const tiles = fa2Tiles(rand, style, problem.inputSize, problem.windowSize, headDim);
    cases.push({
      label: `fa2 ${i} ${style}`,
      problem,
      tiles,
      batch: int(rand, 1, 2),
      heads: int(rand, 1, 3),
      headDim,
      dtype,
      sharpness: rand() < 0.2 ? 4 : 1,
    });
  }
  return cases;
}

function fa2Tiles(rand: () => number, style: TileStyle, sizes: readonly number[], windows: readonly number[], headDim: number): TileShape {
  const { rows, keys } = FA2_BLOCKS[headDim];
  if (style === 'blocks') {
    // One axis: a Q tile of 1-3 CTAs' rows (the last one partial at times), a KV tile of a few
    // steps plus a partial one.
    return { q: [int(rand, rows + 1, 3 * rows)], kv: [keys * int(rand, 1, 3) + int(rand, 1, keys - 1)] };
  }
  const maxTile = sizes.length === 1 ? 160 : sizes.length === 2 ? 20 : 8;
  const tile = (k: number, n: number) =>
    style === 'full' ? 2 ** int(rand, 0, Math.max(0, Math.floor(Math.log2(Math.max(1, k / 2))))) : int(rand, 1, Math.min(n + 2, maxTile));
  return { q: sizes.map((n, a) => tile(windows[a], n)), kv: sizes.map((n, a) => tile(windows[a], n)) };
}

/** Small FA2 cases for compute-sanitizer: a multi-block Q tile with partial KV steps at each head dim, both dtypes. */
export function fa2SanitizerCases(): GpuCase[] {
  const base = { batch: 1, heads: 2, sharpness: 1 };
  return FA2_HEAD_DIMS.map((headDim, i) => {
    const { rows, keys } = FA2_BLOCKS[headDim];
    return {
      ...base,
      label: `san fa2 d${headDim}`,
      problem: { inputSize: [3 * rows + 5], windowSize: [rows + 7], stride: [1 + (i % 2) * 3], dilation: [1], causal: [i % 2 === 1] },
      tiles: { q: [rows + 9], kv: [2 * keys + 3] },
      headDim,
      dtype: i % 2 === 0 ? 'bfloat16' : 'float16',
    } satisfies GpuCase;
  });
}

/** Tokens of a case's Q and KV tiles (for the coverage the unit test asserts). */
export function tileTokens(c: GpuCase): { q: number; kv: number } {
  return { q: product(c.tiles.q), kv: product(c.tiles.kv) };
}
