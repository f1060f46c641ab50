// Tile shapes that NATTEN's forward kernels offer, per GPU family and head dim, and a search
// that ranks them for a problem. Sources: NATTEN's profiler dry runs and backend docs (0.20–0.21).
// - Hopper (hopper-fna, token permutation, CUTLASS 3 FMHA): 128-token Q tiles, 128-token KV tiles
//   up to head dim 128 and 64-token KV tiles at head dim 256.
// - Blackwell (blackwell-fna, token permutation): 256-token Q tiles, 128-token KV tiles.
// - Ampere and older (cutlass-fna, CUTLASS 2 FNA with fused multi-dimensional tiling): 64×64 and
//   32×128 token tiles, shaped as any power-of-two box.

import { GnaProblem, TileShape } from './problem';
import { WorkAboveBudget, WorkBudget } from './budget';
import { simulate, SimulateOptions, Simulation } from './simulator';

export const GPU_FAMILIES = ['hopper', 'blackwell', 'ampere'] as const;
export type GpuFamily = (typeof GPU_FAMILIES)[number];

export interface TilePreset extends TileShape {
  readonly family: GpuFamily;
  readonly backend: string;
}

const HOPPER_HEAD_DIMS = [32, 64, 128, 256];
const BLACKWELL_HEAD_DIMS = [32, 64, 128];
const AMPERE_HEAD_DIMS = [32, 64, 128];

export function supportedHeadDims(family: GpuFamily): readonly number[] {
  return family === 'hopper' ? HOPPER_HEAD_DIMS : family === 'blackwell' ? BLACKWELL_HEAD_DIMS : AMPERE_HEAD_DIMS;
}

type Shapes = [number[], number[]][];

const HOPPER: Record<number, Shapes> = {
  1: [[[128], [128]]],
  2: [
    [[16, 8], [16, 8]],
    [[8, 16], [8, 16]],
  ],
  3: [
    [[4, 4, 8], [4, 4, 8]],
    [[2, 8, 8], [2, 8, 8]],
  ],
};

// Head dim 256 keeps the Q tiles and takes a 64-token KV tile (half of 128) to fit shared memory.
const HOPPER_256_KV: Record<number, number[]> = { 1: [64], 2: [8, 8], 3: [2, 4, 8] };
const HOPPER_256: Record<number, Shapes> = Object.fromEntries(
  Object.entries(HOPPER).map(([rank, shapes]) => [rank, shapes.map(([q]): [number[], number[]] => [q, HOPPER_256_KV[Number(rank)]])]),
);

const BLACKWELL: Record<number, Shapes> = {
  1: [[[256], [128]]],
  2: [
    [[16, 16], [16, 8]],
    [[16, 16], [8, 16]],
  ],
  3: [
    [[8, 4, 8], [4, 4, 8]],
    [[8, 4, 8], [2, 8, 8]],
    [[2, 8, 16], [4, 4, 8]],
    [[2, 8, 16], [2, 8, 8]],
    [[4, 4, 16], [2, 4, 16]],
    [[2, 16, 8], [2, 8, 8]],
    [[4, 8, 8], [2, 8, 8]],
  ],
};

/** Every power-of-two box of `tokens` tokens over `rank` axes, extents >= 2 on 2-D and 3-D. */
export function powerOfTwoBoxes(tokens: number, rank: number): number[][] {
  const log = Math.log2(tokens);
  const boxes: number[][] = [];
  const min = rank === 1 ? 0 : 1;
  const rec = (prefix: number[], left: number): void => {
    if (prefix.length === rank - 1) {
      if (left >= min) boxes.push([...prefix, 2 ** left]);
      return;
    }
    for (let e = min; e <= left - min * (rank - 1 - prefix.length); e++) rec([...prefix, 2 ** e], left - e);
  };
  rec([], log);
  return boxes;
}

function ampereShapes(rank: number): Shapes {
  const shapes: Shapes = [];
  for (const [q, kv] of [
    [64, 64],
    [32, 128],
  ]) {
    for (const qb of powerOfTwoBoxes(q, rank)) for (const kb of powerOfTwoBoxes(kv, rank)) shapes.push([qb, kb]);
  }
  return shapes;
}

/** The tile shapes a family's forward kernel offers for this rank and head dim (empty if unsupported). */
export function presetsFor(family: GpuFamily, rank: number, headDim: number): TilePreset[] {
  if (!supportedHeadDims(family).includes(headDim) || rank < 1 || rank > 3) return [];
  let shapes: Shapes;
  let backend: string;
  switch (family) {
    case 'hopper':
      shapes = (headDim === 256 ? HOPPER_256 : HOPPER)[rank];
      backend = 'hopper-fna';
      break;
    case 'blackwell':
      shapes = BLACKWELL[rank];
      backend = 'blackwell-fna';
      break;
    case 'ampere':
      shapes = ampereShapes(rank);
      backend = 'cutlass-fna';
      break;
  }
  return shapes.map(([q, kv]) => ({ family, backend, q, kv }));
}

/** The preset used when the user names none: the family's first (its default kernel config). */
export function defaultTiles(family: GpuFamily, rank: number, headDim: number): TilePreset | undefined {
  return presetsFor(family, rank, headDim)[0];
}

export interface RankedPreset {
  readonly preset: TilePreset;
  readonly simulation: Simulation;
}

/**
 * Ranks a family's presets for a problem: highest simulated speedup first (the worst Q tile sets
 * a fused kernel's time), then the tile-pair bound (less work for the other Q tiles), then fewer
 * computed FLOPs wasted on masking and padding.
 */
export function searchPresets(problem: GnaProblem, family: GpuFamily, headDim: number, options: SimulateOptions = {}): RankedPreset[] {
  // Each preset's simulation is a run-compressed scan; a long causal window on tiny tiles can
  // still cost k / T_q evaluations per axis, so the search shares one budget and ranks what it
  // simulated before the budget ran out (fewer entries than presetsFor: the caller says so).
  const budget = options.budget ?? new WorkBudget();
  const ranked: RankedPreset[] = [];
  for (const preset of presetsFor(family, problem.inputSize.length, headDim)) {
    try {
      ranked.push({ preset, simulation: simulate(problem, preset, { ...options, budget, tiling: 'multi' }) });
    } catch (e) {
      if (e instanceof WorkAboveBudget) break;
      throw e;
    }
  }
  ranked.sort(
    (a, b) =>
      b.simulation.simulated - a.simulation.simulated ||
      b.simulation.tilePairBound - a.simulation.tilePairBound ||
      a.simulation.flops.wastedShare - b.simulation.flops.wastedShare,
  );
  return ranked;
}
