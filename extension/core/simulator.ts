// The GNA paper's simulator (GNA-SPEC §5): what a fused kernel with given Q/KV tile shapes visits,
// and the speedups that follow. Multi-dimensional tiling multiplies per-axis closed forms;
// single-dimensional tiling walks Q tiles row by row (single.ts).

import { axesOf, DEFAULT_WORKLOAD, GnaProblem, product, TileShape, Workload } from './problem';
import { tileSingle } from './single';
import { AxisTiling, tileAxis } from './tiling';
import { axisAttendedPairs } from './window';

export type Tiling = 'multi' | 'single';

export interface SimulateOptions {
  readonly tiling?: Tiling;
  readonly workload?: Workload;
  /** Share of the model's run time spent in this attention, for the end-to-end estimate. */
  readonly attentionShare?: number;
}

export interface AxisSummary {
  readonly qTiles: number;
  readonly kvTiles: number;
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

export interface Simulation {
  readonly tiling: Tiling;
  readonly qTile: readonly number[];
  readonly kvTile: readonly number[];
  readonly tokens: number;
  /** Tile pairs of the dense kernel: ceil(N/T_q) · ceil(N/T_kv). */
  readonly total: number;
  readonly visited: number;
  readonly full: number;
  readonly partial: number;
  /** KV tiles the worst Q tile visits, and every Q tile visits in self attention. */
  readonly worstQTileVisits: number;
  readonly denseQTileVisits: number;
  /** The headline number: denseQTileVisits / worstQTileVisits. */
  readonly simulated: number;
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

/** Attended (query, key) pairs: a product of per-axis sums since the mask is a product. */
export function attendedPairs(problem: GnaProblem): number {
  return product(axesOf(problem).map(axisAttendedPairs));
}

/** Amdahl: the model-level speedup when a share `f` of run time gets `speedup` faster. */
export function endToEndSpeedup(speedup: number, share: number): number {
  return 1 / (1 - share + share / speedup);
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
  let padded: boolean;
  let perAxis: AxisSummary[] | undefined;
  if (tiling === 'multi') {
    const axes = tileAxes(problem, tiles);
    visited = product(axes.map((a) => a.visited));
    full = product(axes.map((a) => a.full));
    worst = product(axes.map((a) => a.worst));
    denseVisits = product(problem.inputSize.map((n, i) => Math.ceil(n / tiles.kv[i])));
    padded = axes.some((a) => a.padded);
    perAxis = axes.map((a) => ({
      qTiles: a.qTiles,
      kvTiles: a.kvTiles,
      visited: a.visited,
      full: a.full,
      worst: a.worst,
      padded: a.padded,
    }));
  } else {
    const counts = tileSingle(problem, tq, tkv);
    visited = counts.visited;
    full = counts.full;
    worst = counts.worst;
    denseVisits = counts.kvTiles;
    padded = tokens % tq !== 0 || tokens % tkv !== 0;
  }

  const attended = attendedPairs(problem);
  const perHead = workload.heads * workload.batch;
  const computed = 4 * workload.headDim * tq * tkv * visited * perHead;
  const useful = 4 * workload.headDim * attended * perHead;
  const simulated = denseVisits / worst;
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
    simulated,
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
