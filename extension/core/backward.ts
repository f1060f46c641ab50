// The backward pass (GNA-SPEC §5 "Backward pass"), beside the forward simulator. Fused backward
// kernels (NATTEN's, FlashAttention's) are KV-parallel: one work item per KV tile, which walks
// every Q tile whose KV range reaches it (dK, dV accumulate in the item, dQ is reduced across
// items). The visited tile pairs are the forward's, counted on the backward's own tiles; time
// follows the KV tile that the most Q tiles visit. Near the borders windows shift inward, so edge
// keys are attended by more queries and the backward's worst tile is worse than the forward's.
//
// Per axis the Q tiles visiting KV tile b are those whose range [kvLo, kvHi] holds b; the mask
// is a product over axes, so the worst KV box is the product of the per-axis maxima.

import { axisTotals, groupClasses, scanGroup } from './axisScan';
import { WorkAboveBudget, WorkBudget } from './budget';
import { axisIsPadded, layoutTiles } from './padding';
import { Axis, axesOf, GnaProblem, product, TileShape } from './problem';
import { sameRatio, simulate, SimulateOptions, Simulation, TilePairCounts } from './simulator';
import { singleTilingWork, tileSingle } from './single';
import { AxisTiling } from './tiling';

/**
 * Backward FLOPs per tile pair relative to the forward's: the forward computes two matrix
 * products per pair (S = QKᵀ, O += PV), the backward five (S again, dP = dO·Vᵀ, dV += Pᵀ·dO,
 * dQ += dS·K, dK += dSᵀ·Q), the FlashAttention-2 accounting. An assumption, not a measurement:
 * the measured ratio of fused kernels is usually 2.5–3×.
 */
export const BACKWARD_FLOP_RATIO = 2.5;

export interface BackwardSimulation extends TilePairCounts {
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
  return maxPrefixSum(delta, t.kvTiles);
}

function maxPrefixSum(delta: Int32Array, length: number): number {
  let covering = 0;
  let worst = 0;
  for (let b = 0; b < length; b++) {
    covering += delta[b];
    if (covering > worst) worst = covering;
  }
  return worst;
}

/**
 * The same count without per-Q-tile arrays: groups of one length behave alike, and runs of
 * identical Q tiles (windows against a border) add their count at once (axisScan.ts). Work: the
 * group's KV tiles plus its Q tiles outside those runs, charged to `budget`; throws
 * WorkAboveBudget when it does not fit.
 */
export function axisWorstKvTileVisitsWithin(axis: Axis, tq: number, tkv: number, budget: WorkBudget = new WorkBudget()): number {
  let worst = 0;
  for (const { len } of groupClasses(axis.n, axis.d)) {
    const kvTiles = Math.ceil(len / tkv);
    if (!budget.trySpend(kvTiles)) throw new WorkAboveBudget('the backward pass', kvTiles, budget.limit);
    const delta = new Int32Array(kvTiles + 1);
    const done = scanGroup(
      len,
      axis,
      tq,
      tkv,
      (r, count) => {
        if (r.hi < r.lo) return;
        delta[r.lo] += count;
        delta[r.hi + 1] -= count;
      },
      { budget },
    );
    if (done < 0) throw new WorkAboveBudget('the backward pass', budget.limit, budget.limit);
    worst = Math.max(worst, maxPrefixSum(delta, kvTiles));
  }
  return worst;
}

/**
 * Throws WorkAboveBudget when the per-KV-tile sweep (multi-dimensional) or the row walk
 * (single-dimensional) would pass `options.budget` (a fresh DEFAULT_WORK_BUDGET when none).
 */
export function simulateBackward(problem: GnaProblem, tiles: TileShape, options: Pick<SimulateOptions, 'tiling' | 'budget'> = {}): BackwardSimulation {
  const budget = options.budget ?? new WorkBudget();
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
    const axes = axesOf(problem).map((axis, i) => {
      const totals = axisTotals(axis, tiles.q[i], tiles.kv[i], budget);
      if (!totals) throw new WorkAboveBudget('the backward pass', budget.limit, budget.limit);
      return { ...totals, worstKv: axisWorstKvTileVisitsWithin(axis, tiles.q[i], tiles.kv[i], budget) };
    });
    visited = product(axes.map((a) => a.visited));
    full = product(axes.map((a) => a.full));
    worst = product(axes.map((a) => a.worstKv));
    denseVisits = product(problem.inputSize.map((n, i) => Math.ceil(n / tiles.q[i])));
    kvTiles = product(problem.inputSize.map((n, i) => layoutTiles(n, problem.dilation[i], tiles.kv[i])));
    padded = problem.inputSize.some((n, i) => axisIsPadded(n, problem.dilation[i], tiles.q[i]) || axisIsPadded(n, problem.dilation[i], tiles.kv[i]));
  } else {
    const estimate = singleTilingWork(problem, tq, tkv);
    if (!budget.trySpend(estimate)) throw new WorkAboveBudget('the backward pass (single-dimensional tiling)', estimate, budget.limit);
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
  const backward = simulateBackward(problem, backwardTiles, { ...options, budget: options.budget ?? new WorkBudget() });
  return { forward, backward, training: trainingStep(forward, backward) };
}
