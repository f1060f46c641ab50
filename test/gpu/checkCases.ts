// The GPU check's cases (native-check.ts): its curated, random, Hopper and sanitizer lists and its
// input generator, in a module of their own so that the emulations (sm90-emulate.ts) run the same
// cases with the same inputs. Plain functions of a seed.

import { denseProblem, GnaProblem, presetsFor, product, supportedHeadDims } from '../../extension/core';
import { int, pick, randomProblem, rng } from '../unit/native/random';
import type { GpuCase } from './backwardCases';

type Case = GpuCase;

export const p = (n: number[], k: number[], s: number[], d: number[], c: boolean[]): GnaProblem => ({
  inputSize: n,
  windowSize: k,
  stride: s,
  dilation: d,
  causal: c,
});

/** Hand-picked configs: presets, multi-chunk tiles, partial KV chunks, dense, big windows. */
export function curated(): Case[] {
  const base = { batch: 1, heads: 2, sharpness: 1 };
  const list: Omit<Case, 'dtype'>[] = [
    { ...base, label: '1-D sliding', problem: p([1000], [129], [1], [1], [false]), tiles: { q: [128], kv: [128] }, headDim: 128 },
    { ...base, label: '1-D blocked', problem: p([1024], [128], [128], [1], [false]), tiles: { q: [128], kv: [128] }, headDim: 64 },
    { ...base, label: '1-D strided even', problem: p([777], [100], [32], [1], [false]), tiles: { q: [64], kv: [96] }, headDim: 32 },
    { ...base, label: '1-D causal', problem: p([900], [200], [1], [1], [true]), tiles: { q: [128], kv: [128] }, headDim: 128 },
    { ...base, label: '1-D causal strided', problem: p([600], [64], [16], [1], [true]), tiles: { q: [100], kv: [40] }, headDim: 64 },
    { ...base, label: '1-D dilated', problem: p([997], [33], [5], [3], [false]), tiles: { q: [128], kv: [128] }, headDim: 128 },
    { ...base, label: '1-D dense', problem: denseProblem(p([517], [2], [1], [1], [false])), tiles: { q: [128], kv: [128] }, headDim: 64 },
    { ...base, label: '2-D FLUX-like', problem: p([64, 64], [20, 20], [1, 1], [1, 1], [false, false]), tiles: { q: [16, 8], kv: [16, 8] }, headDim: 128 },
    { ...base, label: '2-D block-sparse', problem: p([64, 64], [16, 16], [16, 8], [1, 1], [false, false]), tiles: { q: [16, 8], kv: [16, 8] }, headDim: 128 },
    { ...base, label: '2-D odd, padded', problem: p([37, 45], [7, 10], [1, 3], [2, 1], [false, false]), tiles: { q: [8, 16], kv: [8, 16] }, headDim: 64 },
    { ...base, label: '2-D causal axis', problem: p([40, 33], [9, 6], [2, 1], [1, 2], [true, false]), tiles: { q: [16, 16], kv: [16, 8] }, headDim: 32 },
    { ...base, label: '2-D tiny tiles', problem: p([23, 19], [5, 4], [1, 2], [1, 1], [false, true]), tiles: { q: [3, 5], kv: [7, 2] }, headDim: 64 },
    { ...base, label: '2-D dense', problem: denseProblem(p([30, 41], [2, 2], [1, 1], [1, 1], [false, false])), tiles: { q: [16, 8], kv: [16, 8] }, headDim: 128 },
    { ...base, label: '3-D Hunyuan-like', problem: p([8, 16, 20], [5, 8, 8], [1, 1, 1], [1, 1, 1], [false, false, false]), tiles: { q: [2, 8, 8], kv: [2, 8, 8] }, headDim: 128 },
    { ...base, label: '3-D strided', problem: p([8, 16, 16], [4, 8, 8], [4, 8, 8], [1, 1, 1], [false, false, false]), tiles: { q: [4, 4, 8], kv: [4, 4, 8] }, headDim: 64 },
    { ...base, label: '3-D mixed', problem: p([11, 13, 10], [3, 4, 5], [2, 1, 5], [2, 3, 1], [true, false, false]), tiles: { q: [4, 8, 8], kv: [2, 8, 8] }, headDim: 32 },
    { ...base, label: '3-D dense', problem: denseProblem(p([6, 7, 9], [2, 2, 2], [1, 1, 1], [1, 1, 1], [false, false, false])), tiles: { q: [2, 8, 8], kv: [2, 8, 8] }, headDim: 64 },
    { ...base, label: 'batch 3 heads 5', batch: 3, heads: 5, problem: p([20, 24], [6, 7], [3, 1], [1, 2], [false, false]), tiles: { q: [8, 8], kv: [8, 16] }, headDim: 128 },
    { ...base, label: 'peaky softmax', sharpness: 8, problem: p([50, 50], [11, 11], [1, 1], [1, 1], [false, false]), tiles: { q: [16, 8], kv: [16, 8] }, headDim: 128 },
    { ...base, label: 'big KV tile', problem: p([300], [150], [10], [1], [false]), tiles: { q: [256], kv: [200] }, headDim: 64 },
    // Walks that mix unmasked (full) and masked tiles, and dense layouts the tiles divide.
    { ...base, label: '1-D wide window', problem: p([2000], [700], [1], [1], [false]), tiles: { q: [128], kv: [128] }, headDim: 128 },
    { ...base, label: '1-D wide causal', problem: p([1500], [900], [1], [1], [true]), tiles: { q: [64], kv: [64] }, headDim: 64 },
    { ...base, label: '2-D wide window', problem: p([96, 96], [48, 48], [1, 1], [1, 1], [false, false]), tiles: { q: [16, 8], kv: [16, 8] }, headDim: 128 },
    { ...base, label: '2-D wide dilated', problem: p([80, 72], [30, 24], [2, 3], [2, 3], [false, false]), tiles: { q: [8, 8], kv: [8, 4] }, headDim: 64 },
    { ...base, label: '3-D wide window', problem: p([12, 32, 32], [8, 24, 24], [1, 1, 1], [1, 1, 1], [false, false, false]), tiles: { q: [2, 8, 8], kv: [2, 8, 8] }, headDim: 128 },
    { ...base, label: '1-D dense divisible', problem: denseProblem(p([512], [2], [1], [1], [false])), tiles: { q: [128], kv: [128] }, headDim: 128 },
    { ...base, label: '2-D dense divisible', problem: denseProblem(p([32, 32], [2, 2], [1, 1], [1, 1], [false, false])), tiles: { q: [16, 8], kv: [16, 8] }, headDim: 64 },
    { ...base, label: '3-D dense divisible', problem: denseProblem(p([4, 16, 16], [2, 2, 2], [1, 1, 1], [1, 1, 1], [false, false, false])), tiles: { q: [2, 8, 8], kv: [2, 8, 8] }, headDim: 32 },
    // The Hopper kernel (D128, 128-token KV tiles, Q tiles of 128·c tokens): TMA boxes from the
    // caller's layout, overhanging tiles, several chunks per Q tile, batch merged with n0, and
    // the permuted path (dilation; batch > 1 with tiles overhanging n0).
    { ...base, label: 'H 2-D Q 256 tokens', problem: p([40, 36], [13, 9], [1, 2], [1, 1], [false, false]), tiles: { q: [16, 16], kv: [16, 8] }, headDim: 128 },
    { ...base, label: 'H 3-D Q 4×8×8', problem: p([10, 20, 19], [5, 7, 9], [1, 1, 3], [1, 1, 1], [false, true, false]), tiles: { q: [4, 8, 8], kv: [2, 8, 8] }, headDim: 128 },
    { ...base, label: 'H 3-D overhang', problem: p([7, 13, 21], [3, 6, 20], [2, 3, 1], [1, 1, 1], [true, false, false]), tiles: { q: [2, 8, 8], kv: [2, 4, 16] }, headDim: 128 },
    { ...base, label: 'H batch 2 merged', batch: 2, heads: 3, problem: p([32, 24], [9, 10], [1, 4], [1, 1], [false, false]), tiles: { q: [8, 16], kv: [16, 8] }, headDim: 128 },
    { ...base, label: 'H batch 2 permuted', batch: 2, heads: 2, problem: p([5, 12, 16], [3, 5, 7], [1, 1, 2], [1, 1, 1], [false, false, false]), tiles: { q: [2, 8, 8], kv: [2, 8, 8] }, headDim: 128 },
    { ...base, label: 'H 2-D dilated', problem: p([50, 41], [9, 6], [2, 1], [2, 3], [false, true]), tiles: { q: [16, 8], kv: [8, 16] }, headDim: 128 },
    { ...base, label: 'H 1-D Q 384', problem: p([1700], [333], [7], [1], [false]), tiles: { q: [384], kv: [128] }, headDim: 128 },
    { ...base, label: 'H 2-D wide strided', problem: p([64, 64], [40, 40], [8, 8], [1, 1], [false, false]), tiles: { q: [16, 8], kv: [16, 8] }, headDim: 128 },
    // Issue 18: every Hopper head dim on its presets, small windows (short walks), dilation, batch.
    { ...base, label: 'H d32 7×7', batch: 3, heads: 4, problem: p([30, 29], [7, 7], [1, 1], [1, 1], [false, false]), tiles: { q: [8, 8], kv: [16, 8] }, headDim: 32 },
    { ...base, label: 'H d32 13×13 dil 2', problem: p([41, 37], [13, 13], [1, 1], [2, 2], [false, false]), tiles: { q: [8, 8], kv: [8, 16] }, headDim: 32 },
    { ...base, label: 'H d64 11×11', batch: 2, heads: 3, problem: p([32, 32], [11, 11], [1, 1], [1, 1], [false, false]), tiles: { q: [8, 8], kv: [16, 8] }, headDim: 64 },
    { ...base, label: 'H d64 3-D', problem: p([9, 14, 17], [3, 5, 7], [1, 2, 1], [1, 1, 1], [true, false, false]), tiles: { q: [4, 4, 4], kv: [4, 4, 8] }, headDim: 64 },
    { ...base, label: 'H d64 1-D causal', heads: 3, problem: p([1500], [300], [1], [1], [true]), tiles: { q: [64], kv: [128] }, headDim: 64 },
    { ...base, label: 'H d256 2-D', problem: p([40, 36], [13, 9], [1, 2], [1, 1], [false, false]), tiles: { q: [16, 8], kv: [8, 8] }, headDim: 256 },
    { ...base, label: 'H d256 3-D', batch: 2, problem: p([8, 16, 16], [5, 7, 7], [1, 1, 1], [1, 1, 1], [false, false, false]), tiles: { q: [2, 8, 8], kv: [4, 4, 4] }, headDim: 256 },
    { ...base, label: 'H d256 1-D strided', problem: p([1200], [250], [16], [1], [false]), tiles: { q: [128], kv: [64] }, headDim: 256 },
    { ...base, label: 'H peaky', sharpness: 8, problem: p([48, 40], [17, 13], [1, 1], [1, 1], [false, false]), tiles: { q: [8, 16], kv: [8, 16] }, headDim: 128 },
  ];
  return list.flatMap((c) => (['float16', 'bfloat16'] as const).map((dtype) => ({ ...c, dtype })));
}

export function randomCases(n: number, seed: number): Case[] {
  const rand = rng(seed);
  const cases: Case[] = [];
  for (let i = 0; i < n; i++) {
    const rank = 1 + (i % 3);
    const limits = rank === 1 ? { maxWindow: 80, maxDilation: 4, maxSlack: 200 } : rank === 2 ? { maxWindow: 12, maxDilation: 3, maxSlack: 20 } : { maxWindow: 6, maxDilation: 2, maxSlack: 6 };
    const problem = randomProblem(rand, rank, limits);
    const maxTile = rank === 1 ? 160 : rank === 2 ? 20 : 8;
    // Every other pair of cases takes power-of-two tiles under half the window, so that full
    // (unmasked) KV tiles occur; the others take any tile, padding and partial chunks included.
    const fullHeavy = i % 4 >= 2;
    const tile = (k: number, n: number) => (fullHeavy ? 2 ** int(rand, 0, Math.max(0, Math.floor(Math.log2(Math.max(1, k / 2))))) : int(rand, 1, Math.min(n + 2, maxTile)));
    const tiles = {
      q: problem.inputSize.map((n, a) => tile(problem.windowSize[a], n)),
      kv: problem.inputSize.map((n, a) => tile(problem.windowSize[a], n)),
    };
    cases.push({
      label: `random ${i}`,
      problem,
      tiles,
      batch: int(rand, 1, 2),
      heads: int(rand, 1, 3),
      headDim: pick(rand, [32, 64, 128, 256]),
      dtype: i % 2 === 0 ? 'float16' : 'bfloat16',
      sharpness: rand() < 0.2 ? 4 : 1,
    });
  }
  return cases;
}

/**
 * Random configs the Hopper kernel takes: head dim 128, KV tiles of 128 tokens, Q tiles of 128
 * or 256 (every rank, dilation, causal, strides, overhanging tiles, batch and heads).
 */
export const HOPPER_HEAD_DIMS = supportedHeadDims('hopper');

export function hopperCases(n: number, seed: number): Case[] {
  const rand = rng(seed ^ 0x5eed);
  // A random box of `tokens` tokens (powers of two per axis) over `rank` axes.
  const box = (tokens: number, rank: number): number[] => {
    const t = Array.from({ length: rank }, () => 1);
    for (let left = Math.log2(tokens); left > 0; left--) t[int(rand, 0, rank - 1)] *= 2;
    return t;
  };
  const cases: Case[] = [];
  for (let i = 0; i < n; i++) {
    const rank = 1 + (i % 3);
    // Every Hopper head dim (issue 18), with its presets' Q and KV tokens (gna_hopper_tiles.h).
    const headDim = HOPPER_HEAD_DIMS[Math.floor(i / 3) % HOPPER_HEAD_DIMS.length];
    const preset = presetsFor('hopper', rank, headDim)[0];
    const limits = rank === 1 ? { maxWindow: 300, maxDilation: 3, maxSlack: 400 } : rank === 2 ? { maxWindow: 24, maxDilation: 2, maxSlack: 24 } : { maxWindow: 9, maxDilation: 2, maxSlack: 8 };
    const problem = randomProblem(rand, rank, limits);
    const kv = rand() < 0.5 ? [...preset.kv] : box(product(preset.kv), rank);
    // Q: the preset's, or a random box of its tokens, twice as many at times.
    const q = rand() < 0.5 ? [...preset.q] : box(product(preset.q) * (rand() < 0.35 ? 2 : 1), rank);
    cases.push({
      label: `hopper ${i}`,
      problem,
      tiles: { q, kv },
      batch: int(rand, 1, 2),
      heads: int(rand, 1, 3),
      headDim,
      dtype: i % 2 === 0 ? 'bfloat16' : 'float16',
      sharpness: rand() < 0.2 ? 4 : 1,
    });
  }
  return cases;
}

/** A few small cases that still cover ranks, dilation, causal, padding and both dtypes. */
export function sanitizerCases(): Case[] {
  const base = { batch: 1, heads: 2, sharpness: 1 };
  return [
    { ...base, label: 'san 1-D', problem: p([150], [20], [3], [2], [false]), tiles: { q: [64], kv: [48] }, headDim: 64, dtype: 'float16' },
    { ...base, label: 'san 2-D', problem: p([19, 21], [5, 6], [1, 3], [1, 2], [true, false]), tiles: { q: [8, 8], kv: [4, 8] }, headDim: 128, dtype: 'bfloat16' },
    { ...base, label: 'san 3-D', problem: p([5, 9, 11], [3, 4, 5], [1, 2, 5], [1, 2, 1], [false, true, false]), tiles: { q: [2, 4, 8], kv: [2, 4, 4] }, headDim: 32, dtype: 'float16' },
    { ...base, label: 'san dense', problem: denseProblem(p([12, 10], [2, 2], [1, 1], [1, 1], [false, false])), tiles: { q: [8, 8], kv: [8, 8] }, headDim: 64, dtype: 'bfloat16' },
    { ...base, label: 'san hopper', problem: p([20, 19], [7, 6], [1, 2], [1, 1], [false, false]), tiles: { q: [16, 16], kv: [16, 8] }, headDim: 128, dtype: 'bfloat16' },
    { ...base, label: 'san hopper dil', problem: p([20, 19], [7, 6], [1, 2], [2, 1], [false, true]), tiles: { q: [16, 8], kv: [16, 8] }, headDim: 128, dtype: 'float16' },
    // The other Hopper builds (issue 18): split pipelines at 32 and 64, 64-key steps at 256.
    { ...base, label: 'san hopper d32', problem: p([19, 21], [7, 7], [1, 1], [1, 1], [false, false]), tiles: { q: [8, 8], kv: [16, 8] }, headDim: 32, dtype: 'bfloat16' },
    { ...base, label: 'san hopper d64', problem: p([6, 9, 13], [3, 5, 5], [1, 2, 1], [1, 1, 1], [false, true, false]), tiles: { q: [4, 4, 4], kv: [2, 8, 8] }, headDim: 64, dtype: 'float16' },
    { ...base, label: 'san hopper d256', problem: p([300], [70], [1], [1], [true]), tiles: { q: [128], kv: [64] }, headDim: 256, dtype: 'bfloat16' },
  ];
}

export function tensor(rand: () => number, n: number, scale: number): Float32Array {
  const t = new Float32Array(n);
  for (let i = 0; i < n; i++) t[i] = (rand() * 2 - 1) * scale;
  return t;
}
