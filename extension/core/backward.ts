// The backward pass (GNA-SPEC §5 "Backward pass"), beside the forward simulator. Fused backward
// kernels (NATTEN's, FlashAttention's) are KV-parallel: one work item per KV tile, which walks
// every Q tile whose KV range reaches it (dK, dV accumulate in the item, dQ is reduced across
// items). The visited tile pairs are the forward's, counted on the backward's own tiles; time
// follows the KV tile that the most Q tiles visit. Near the borders windows shift inward, so edge
// keys are attended by more queries and the backward's worst tile is worse than the forward's.
//
// Per axis the Q tiles visiting KV tile b are those whose range [kvLo, kvHi] holds b; the mask
// is a product over axes, so the worst KV box is the product of the per-axis maxima.

import { axesOf, GnaProblem, product, TileShape } from './problem';
import { simulate, SimulateOptions, Simulation, Tiling } from './simulator';
import { tileSingle } from './single';
import { AxisTiling, tileAxis } from './tiling';

/**
 * Backward FLOPs per tile pair relative to the forward's: the forward computes two matrix
 * products per pair (S = QKᵀ, O += PV), the backward five (S again, dP = dO·Vᵀ, dV += Pᵀ·dO,
 * dQ += dS·K, dK += dSᵀ·Q), the FlashAttention-2 accounting. An assumption, not a measurement:
 * the measured ratio of fused kernels is usually 2.5–3×.
 */
export const BACKWARD_FLOP_RATIO = 2.5;

export interface BackwardSimulation {
  readonly tiling: Tiling;
  readonly qTile: readonly number[];
  readonly kvTile: readonly number[];
  /** Tile pairs of dense self attention on these tiles: ceil(N/T_q) · ceil(N/T_kv). */
  readonly total: number;
  readonly visited: number;
  readonly full: number;
  readonly partial: number;
  /** Q tiles that visit the worst KV tile. */
  readonly worstKvTileVisits: number;
  /** Q tiles a KV tile meets in self attention on the same tiles (the paper-style numerator). */
  readonly denseKvTileVisits: number;
  /** KV tiles of the GNA layout, padding and dilation groups included: the kernel's work items. */
  readonly kvTiles: number;
  /** KV tiles of self attention over the N flattened tokens: ceil(N / T_kv). */
  readonly denseKvTiles: number;
  /** The backward kernel's tile steps: kvTiles · worstKvTileVisits. */
  readonly steps: number;
  /** total / steps. */
  readonly simulated: number;
  /** denseKvTileVisits / worstKvTileVisits, only where it differs from `simulated`. */
  readonly paperSimulated?: number;
  readonly tilePairBound: number;
  readonly blockSparse: boolean;
  readonly padded: boolean;
}

export interface TrainingStep {
  /** Dense forward + backward time over GNA forward + backward time, in tile-step units. */
  readonly simulated: number;
  /** The assumed backward-to-forward FLOP ratio per tile pair (BACKWARD_FLOP_RATIO). */
  readonly backwardFlopRatio: number;
  /** Share of the GNA training step spent in the backward pass. */
  readonly backwardShare: number;
}

export interface TrainingSimulation {
  readonly forward: Simulation;
  readonly backward: BackwardSimulation;
  readonly training: TrainingStep;
}

/** Most Q tiles covering one KV tile on an axis: a sweep of +1/-1 events over the KV tiles. */
export function axisWorstKvTileVisits(t: AxisTiling): number {
  const delta = new Int32Array(t.kvTiles + 1);
  for (let a = 0; a < t.qTiles; a++) {
    if (t.kvHi[a] < t.kvLo[a]) continue;
    delta[t.kvLo[a]]++;
    delta[t.kvHi[a] + 1]--;
  }
  let covering = 0;
  let worst = 0;
  for (let b = 0; b < t.kvTiles; b++) {
    covering += delta[b];
    if (covering > worst) worst = covering;
  }
  return worst;
}

function sameRatio(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-12 * Math.max(a, b);
}

export function simulateBackward(problem: GnaProblem, tiles: TileShape, options: Pick<SimulateOptions, 'tiling'> = {}): BackwardSimulation {
  const tiling = options.tiling ?? 'multi';
  const tokens = product(problem.inputSize);
  const tq = product(tiles.q);
  const tkv = product(tiles.kv);
  const total = Math.ceil(tokens / tq) * Math.ceil(tokens / tkv);
  let visited: number;
  let full: number;
  let worst: number;
  let denseVisits: number;
  let kvTiles: number;
  let padded: boolean;
  if (tiling === 'multi') {
    const axes = axesOf(problem).map((axis, i) => tileAxis(axis, tiles.q[i], tiles.kv[i]));
    visited = product(axes.map((a) => a.visited));
    full = product(axes.map((a) => a.full));
    worst = product(axes.map(axisWorstKvTileVisits));
    denseVisits = product(problem.inputSize.map((n, i) => Math.ceil(n / tiles.q[i])));
    kvTiles = product(axes.map((a) => a.layoutKvTiles));
    padded = axes.some((a) => a.padded);
  } else {
    const counts = tileSingle(problem, tq, tkv);
    visited = counts.visited;
    full = counts.full;
    worst = 0;
    for (const v of counts.visitsPerKvTile) if (v > worst) worst = v;
    denseVisits = counts.qTiles;
    kvTiles = counts.kvTiles;
    padded = tokens % tq !== 0 || tokens % tkv !== 0;
  }
  const steps = kvTiles * worst;
  const simulated = total / steps;
  const paperSimulated = denseVisits / worst;
  return {
    tiling,
    qTile: [...tiles.q],
    kvTile: [...tiles.kv],
    total,
    visited,
    full,
    partial: visited - full,
    worstKvTileVisits: worst,
    denseKvTileVisits: denseVisits,
    kvTiles,
    denseKvTiles: Math.ceil(tokens / tkv),
    steps,
    simulated,
    ...(sameRatio(paperSimulated, simulated) ? {} : { paperSimulated }),
    tilePairBound: total / visited,
    blockSparse: visited === full,
    padded,
  };
}

/**
 * The training step: forward and backward, each in tile steps weighted by its tile pair's size
 * (T_q · T_kv tokens²) and the backward's FLOP ratio, dense over GNA.
 */
export function trainingStep(forward: Simulation, backward: BackwardSimulation): TrainingStep {
  const forwardArea = product(forward.qTile) * product(forward.kvTile);
  const backwardArea = product(backward.qTile) * product(backward.kvTile) * BACKWARD_FLOP_RATIO;
  const dense = forward.total * forwardArea + backward.total * backwardArea;
  const gnaBackward = backward.steps * backwardArea;
  const gna = forward.steps * forwardArea + gnaBackward;
  return { simulated: dense / gna, backwardFlopRatio: BACKWARD_FLOP_RATIO, backwardShare: gnaBackward / gna };
}

/** Forward, backward (on its own tiles) and the training step of one problem. */
export function simulateTraining(
  problem: GnaProblem,
  forwardTiles: TileShape,
  backwardTiles: TileShape,
  options: SimulateOptions = {},
): TrainingSimulation {
  const forward = simulate(problem, forwardTiles, options);
  const backward = simulateBackward(problem, backwardTiles, options);
  return { forward, backward, training: trainingStep(forward, backward) };
}
