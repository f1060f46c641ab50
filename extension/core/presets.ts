// Tile shapes that NATTEN's forward kernels offer, per GPU family and head dim, and a search
// that ranks them for a problem. Sources: NATTEN's profiler dry runs and backend docs (0.20–0.21).
// - Hopper (hopper-fna, token permutation, CUTLASS 3 FMHA): NATTEN's forward configs per head dim
//   (SHI-Labs/NATTEN src/natten/backends/configs/cutlass_hopper/__init__.py, HOPPER_FORWARD_CONFIGS,
//   16-bit types): 64-token Q tiles with 128-token KV tiles at head dims 32 and 64, 128 × 128 at 128,
//   128-token Q tiles with 64-token KV tiles at 256. HOPPER_FNA is also what the native Hopper kernel
//   is built for (native/src/gna_hopper_tiles.h is generated from it; test/unit/native/hopperTiles.test.ts
//   fails when they disagree).
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

type Shapes = [number[], number[]][];

// Head dims 32 and 64: 64-token Q tiles against 128-token KV tiles.
const Q64_KV128: Readonly<Record<number, Shapes>> = {
  1: [[[64], [128]]],
  2: [
    [[8, 8], [16, 8]],
    [[8, 8], [8, 16]],
  ],
  3: [
    [[4, 4, 4], [4, 4, 8]],
    [[4, 4, 4], [2, 8, 8]],
  ],
};

/** Hopper tile shapes per head dim, then per rank (1-3): [Q tile, KV tile] pairs, the default first. */
export const HOPPER_FNA: Readonly<Record<number, Readonly<Record<number, Shapes>>>> = {
  32: Q64_KV128,
  64: Q64_KV128,
  // NATTEN lists 16×8 alone on 2-D; the project has always offered its transpose too.
  128: {
    1: [[[128], [128]]],
    2: [
      [[16, 8], [16, 8]],
      [[8, 16], [8, 16]],
    ],
    3: [
      [[4, 4, 8], [4, 4, 8]],
      [[2, 8, 8], [2, 8, 8]],
    ],
  },
  // Head dim 256: 128-token Q tiles and a 64-token KV tile (half of 128), to fit shared memory.
  256: {
    1: [[[128], [64]]],
    2: [
      [[16, 8], [8, 8]],
      [[8, 16], [8, 8]],
    ],
    3: [
      [[4, 4, 8], [4, 4, 4]],
      [[2, 8, 8], [4, 4, 4]],
    ],
  },
};

const HOPPER_HEAD_DIMS = Object.keys(HOPPER_FNA).map(Number);
const BLACKWELL_HEAD_DIMS = [32, 64, 128];
const AMPERE_HEAD_DIMS = [32, 64, 128];

export function supportedHeadDims(family: GpuFamily): readonly number[] {
  return family === 'hopper' ? HOPPER_HEAD_DIMS : family === 'blackwell' ? BLACKWELL_HEAD_DIMS : AMPERE_HEAD_DIMS;
}

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
      shapes = HOPPER_FNA[headDim][rank];
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
