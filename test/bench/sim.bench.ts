// Simulator benchmarks for issue 2: the 30×48×80 problem simulated well under a millisecond, and a
// full stride recommendation plus preset search under 20 ms.
import { GnaProblem, recommendStride, searchPresets, simulate } from '../../extension/core';
import { BenchCase } from './harness';

const hunyuan: GnaProblem = { inputSize: [30, 48, 80], windowSize: [18, 24, 24], stride: [1, 1, 1], dilation: [1, 1, 1], causal: [false, false, false] };
const flux: GnaProblem = { inputSize: [256, 256], windowSize: [80, 80], stride: [1, 1], dilation: [1, 1], causal: [false, false] };
const long1d: GnaProblem = { inputSize: [32768], windowSize: [2048], stride: [1], dilation: [1], causal: [false] };

export const benchmarks: BenchCase[] = [
  { name: 'simulate 30×48×80 w 18×24×24, multi-dim 2×8×8', targetMs: 1, run: () => simulate(hunyuan, { q: [2, 8, 8], kv: [2, 8, 8] }) },
  { name: 'simulate 30×48×80 w 18×24×24 s 16×8×8, dilation 2×1×1', run: () => simulate({ ...hunyuan, stride: [8, 8, 8], dilation: [1, 2, 1], windowSize: [18, 24, 24] }, { q: [2, 8, 8], kv: [2, 8, 8] }) },
  { name: 'simulate 256×256 w 80×80, multi-dim 16×8', run: () => simulate(flux, { q: [16, 8], kv: [16, 8] }) },
  { name: 'simulate 32768 w 2048, 128/128', run: () => simulate(long1d, { q: [128], kv: [128] }) },
  {
    name: 'recommendation + Hopper preset search, 30×48×80',
    targetMs: 20,
    run: () => [recommendStride(hunyuan, { q: [2, 8, 8], kv: [2, 8, 8] }), searchPresets(hunyuan, 'hopper', 128)],
  },
  {
    name: 'recommendation + Ampere preset search (190 presets), 30×48×80',
    targetMs: 20,
    run: () => [recommendStride(hunyuan, { q: [2, 8, 8], kv: [2, 8, 8] }), searchPresets(hunyuan, 'ampere', 64)],
  },
  { name: 'recommendation, 32768 w 2048 (2048 strides)', targetMs: 20, run: () => recommendStride(long1d, { q: [128], kv: [128] }) },
  { name: 'simulate 30×48×80 single-dim 128/128 (row walk)', run: () => simulate(hunyuan, { q: [128], kv: [128] }, { tiling: 'single' }) },
];
