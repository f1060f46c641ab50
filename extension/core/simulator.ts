// The GNA paper's simulator (GNA-SPEC §5): what a fused kernel with given Q/KV tile shapes visits,
// and the speedups that follow. Multi-dimensional tiling multiplies per-axis closed forms;
// single-dimensional tiling walks Q tiles row by row (single.ts).
//
// The headline charges the work the kernel really does: one work item per Q tile of the padded,
// token-permuted layout (every axis and dilation group padded as NATTEN does, padding.ts), each
// as long as the worst Q tile's KV walk, against self attention's ceil(N/T_q)·ceil(N/T_kv) steps
// over the N flattened tokens. Without padding or dilation that is the paper's ratio.

import { axisTotals, groupClasses } from './axisScan';
import { WorkAboveBudget, WorkBudget } from './budget';
import { axisIsPadded, layoutTiles } from './padding';
import { Axis, axesOf, DEFAULT_WORKLOAD, GnaProblem, product, TileShape, Workload } from './problem';
import { singleTilingWork, tileSingle } from './single';
import { AxisTiling, tileAxis } from './tiling';
import { axisAttendedPairs } from './window';

export type Tiling = 'multi' | 'single';

export interface SimulateOptions {
  readonly tiling?: Tiling;
  readonly workload?: Workload;
  /** Share of the model's run time spent in this attention, for the end-to-end estimate. */
  readonly attentionShare?: number;
  /**
   * Work budget (budget.ts). Multi-dimensional tiling always fits in a real layout's budget
   * (runs of equal behaviour, axisScan.ts); without a budget it is exact at any size. Single-
   * dimensional tiling walks each Q tile's rows: above the budget it throws WorkAboveBudget.
   */
  readonly budget?: WorkBudget;
}

export interface AxisSummary {
  readonly qTiles: number;
  readonly kvTiles: number;
  /** Q and KV tiles of NATTEN's padded layout on this axis (every dilation group padded alike). */
  readonly layoutQTiles: number;
  readonly layoutKvTiles: number;
  readonly visited: number;
  readonly full: number;
  /** KV tiles visited on this axis by the worst Q tile. */
  readonly worst: number;
  readonly padded: boolean;
}

export interface FlopCount {
  /** FLOPs the kernel computes: 4 · head_dim · T_q · T_kv per visited pair (× heads × batch). */
  readonly computed: number;
  /** FLOPs that contribute to the output: 4 · head_dim per attended pair (× heads × batch). */
  readonly useful: number;
  readonly wasted: number;
  readonly wastedShare: number;
}

/** What the forward and the backward simulation both count, on their own tiles. */
export interface TilePairCounts {
  readonly tiling: Tiling;
  readonly qTile: readonly number[];
  readonly kvTile: readonly number[];
  /** Tile pairs of the dense kernel: ceil(N/T_q) · ceil(N/T_kv). */
  readonly total: number;
  readonly visited: number;
  readonly full: number;
  readonly partial: number;
}

export interface Simulation extends TilePairCounts {
  readonly tokens: number;
  /** KV tiles the worst Q tile visits. */
  readonly worstQTileVisits: number;
  /** KV tiles a Q tile visits in self attention on the same tiles (the GNA paper's numerator). */
  readonly denseQTileVisits: number;
  /** Q tiles of the GNA layout, padding and dilation groups included: the kernel's work items. */
  readonly qTiles: number;
  /** Q tiles self attention over the N flattened tokens has: ceil(N / T_q). */
  readonly denseQTiles: number;
  /** The GNA kernel's tile steps: qTiles · worstQTileVisits. */
  readonly steps: number;
  /** The headline number: total / steps (GNA-SPEC §5). */
  readonly simulated: number;
  /** The GNA paper's ratio denseQTileVisits / worstQTileVisits, only where it differs from `simulated`. */
  readonly paperSimulated?: number;
  readonly tilePairBound: number;
  readonly attendedPairs: number;
  readonly flopBound: number;
  readonly sparsity: number;
  /** No partial pair: no fine-grained masking anywhere. */
  readonly blockSparse: boolean;
  readonly padded: boolean;
  readonly flops: FlopCount;
  readonly attentionShare?: number;
  readonly endToEnd?: number;
  /** Per-axis counts (multi-dimensional tiling only). */
  readonly perAxis?: readonly AxisSummary[];
}

/** Per-axis tilings of a problem; also what previews use to colour tile pairs. */
export function tileAxes(problem: GnaProblem, tiles: TileShape): AxisTiling[] {
  return axesOf(problem).map((axis, i) => tileAxis(axis, tiles.q[i], tiles.kv[i]));
}

/** One axis's counts from the run-compressed scan (no per-tile arrays): what `perAxis` holds. */
function axisSummary(axis: Axis, tq: number, tkv: number, budget?: WorkBudget): AxisSummary {
  const totals = axisTotals(axis, tq, tkv, budget);
  if (!totals) throw new WorkAboveBudget('the tile scan of an axis', budget!.limit, budget!.limit);
  return {
    qTiles: totals.qTiles,
    kvTiles: groupClasses(axis.n, axis.d).reduce((sum, c) => sum + c.groups * Math.ceil(c.len / tkv), 0),
    layoutQTiles: layoutTiles(axis.n, axis.d, tq),
    layoutKvTiles: layoutTiles(axis.n, axis.d, tkv),
    visited: totals.visited,
    full: totals.full,
    worst: totals.worst,
    padded: axisIsPadded(axis.n, axis.d, tq) || axisIsPadded(axis.n, axis.d, tkv),
  };
}

/** Attended (query, key) pairs: a product of per-axis sums since the mask is a product. */
export function attendedPairs(problem: GnaProblem): number {
  return product(axesOf(problem).map(axisAttendedPairs));
}

/** Amdahl: the model-level speedup when a share `f` of run time gets `speedup` faster. */
export function endToEndSpeedup(speedup: number, share: number): number {
  return 1 / (1 - share + share / speedup);
}

/** Equal up to rounding: both ratios are quotients of the same integers when nothing pads. */
export function sameRatio(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-12 * Math.max(a, b);
}

export function simulate(problem: GnaProblem, tiles: TileShape, options: SimulateOptions = {}): Simulation {
  const tiling = options.tiling ?? 'multi';
  const workload = options.workload ?? DEFAULT_WORKLOAD;
  const tokens = product(problem.inputSize);
  const tq = product(tiles.q);
  const tkv = product(tiles.kv);
  const total = Math.ceil(tokens / tq) * Math.ceil(tokens / tkv);

  let visited: number;
  let full: number;
  let worst: number;
  let denseVisits: number;
  let qTiles: number;
  let padded: boolean;
  let perAxis: AxisSummary[] | undefined;
  if (tiling === 'multi') {
    const axes = axesOf(problem).map((axis, i) => axisSummary(axis, tiles.q[i], tiles.kv[i], options.budget));
    visited = product(axes.map((a) => a.visited));
    full = product(axes.map((a) => a.full));
    worst = product(axes.map((a) => a.worst));
    denseVisits = product(problem.inputSize.map((n, i) => Math.ceil(n / tiles.kv[i])));
    qTiles = product(axes.map((a) => a.layoutQTiles));
    padded = axes.some((a) => a.padded);
    perAxis = axes;
  } else {
    const estimate = singleTilingWork(problem, tq, tkv);
    if (options.budget && !options.budget.trySpend(estimate)) throw new WorkAboveBudget('single-dimensional tiling', estimate, options.budget.limit);
    const counts = tileSingle(problem, tq, tkv);
    visited = counts.visited;
    full = counts.full;
    worst = counts.worst;
    denseVisits = counts.kvTiles;
    qTiles = counts.qTiles;
    padded = tokens % tq !== 0 || tokens % tkv !== 0;
  }

  const attended = attendedPairs(problem);
  const perHead = workload.heads * workload.batch;
  const computed = 4 * workload.headDim * tq * tkv * visited * perHead;
  const useful = 4 * workload.headDim * attended * perHead;
  const steps = qTiles * worst;
  const simulated = total / steps;
  const paperSimulated = denseVisits / worst;
  const share = options.attentionShare;
  return {
    tiling,
    qTile: [...tiles.q],
    kvTile: [...tiles.kv],
    tokens,
    total,
    visited,
    full,
    partial: visited - full,
    worstQTileVisits: worst,
    denseQTileVisits: denseVisits,
    qTiles,
    denseQTiles: Math.ceil(tokens / tq),
    steps,
    simulated,
    ...(sameRatio(paperSimulated, simulated) ? {} : { paperSimulated }),
    tilePairBound: total / visited,
    attendedPairs: attended,
    flopBound: (tokens * tokens) / attended,
    sparsity: 1 - attended / (tokens * tokens),
    blockSparse: visited === full,
    padded,
    flops: { computed, useful, wasted: computed - useful, wastedShare: (computed - useful) / computed },
    ...(share === undefined ? {} : { attentionShare: share, endToEnd: endToEndSpeedup(simulated, share) }),
    ...(perAxis ? { perAxis } : {}),
  };
}
