// The GNA problem as the rest of the core sees it: every per-axis value already broadcast
// to the layout's rank and checked (see validate.ts). GNA-SPEC §1. Its shape, the tiles' and the
// workload's are defined once, as zod schemas, in schema.ts; here are the helpers around them.

import type { GnaProblem, TileShape, Workload } from './schema';

export type Rank = 1 | 2 | 3;

export type { GnaProblem, TileShape, Workload } from './schema';

export const DEFAULT_WORKLOAD: Workload = { batch: 1, heads: 1, headDim: 128 };

/** Everything about one axis that the window and tile math needs. */
export interface Axis {
  readonly n: number;
  readonly k: number;
  readonly s: number;
  readonly d: number;
  readonly causal: boolean;
}

export function rankOf(problem: GnaProblem): Rank {
  return problem.inputSize.length as Rank;
}

export function axesOf(problem: GnaProblem): Axis[] {
  return problem.inputSize.map((n, i) => ({
    n,
    k: problem.windowSize[i],
    s: problem.stride[i],
    d: problem.dilation[i],
    causal: problem.causal[i],
  }));
}

export function tokenCount(problem: GnaProblem): number {
  return product(problem.inputSize);
}

export function product(values: readonly number[]): number {
  let p = 1;
  for (const v of values) p *= v;
  return p;
}

/** The same problem with one axis's stride replaced (used by the stride recommendation). */
export function withStride(problem: GnaProblem, stride: readonly number[]): GnaProblem {
  return { ...problem, stride: [...stride] };
}

/** Self attention over the same layout: the dense baseline (window = layout, stride 1). */
export function denseProblem(problem: GnaProblem): GnaProblem {
  const r = problem.inputSize.length;
  return {
    inputSize: [...problem.inputSize],
    windowSize: [...problem.inputSize],
    stride: new Array(r).fill(1),
    dilation: new Array(r).fill(1),
    causal: new Array(r).fill(false),
  };
}

/**
 * The benchmark's baseline (GNA-SPEC §7): self attention over the N flattened tokens on 1-D tiles
 * of T_q and T_kv tokens, ceil(N/T_q)·ceil(N/T_kv) steps, what an FMHA kernel runs and what the
 * simulator's `total` counts. On layouts the box tiles divide it is the same work as
 * `denseProblem` on those tiles; where they pad an axis, the box layout would charge the padding
 * to self attention too.
 */
export function denseBaseline(problem: GnaProblem, tiles: TileShape): { problem: GnaProblem; tiles: TileShape } {
  const tokens = product(problem.inputSize);
  return {
    problem: { inputSize: [tokens], windowSize: [tokens], stride: [1], dilation: [1], causal: [false] },
    tiles: { q: [product(tiles.q)], kv: [product(tiles.kv)] },
  };
}

/** `30×48×80`-style text for a tuple. */
export function formatTuple(values: readonly (number | boolean)[]): string {
  return values.map((v) => (typeof v === 'boolean' ? (v ? 'T' : 'F') : String(v))).join('×');
}
