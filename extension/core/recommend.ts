// Stride recommendation (GNA-SPEC §5). With multi-dimensional tiling the worst Q tile's KV count
// is a product of per-axis counts, so each axis is tuned on its own: among strides 1..k keep
// those that strictly lower the axis's count, and recommend the smallest that reaches the floor.
// A larger stride makes more queries share one window, which changes the model, so the
// recommendation is the least change that gets the whole speedup.
// The layout's Q tiles (padding and dilation groups, the other factor of the simulated speedup)
// depend on the layout, dilation and Q tile only, never on the stride: ranking strides by the
// worst Q tile is ranking them by simulated speedup.

import { axesOf, GnaProblem, TileShape } from './problem';
import { simulate, SimulateOptions, Simulation } from './simulator';
import { axisTileTotals } from './tiling';

export interface StrideOption {
  readonly stride: number;
  /** KV tiles the worst Q tile visits along this axis at this stride. */
  readonly worst: number;
  /** No partial tile pair along this axis at this stride. */
  readonly blockSparse: boolean;
}

export interface AxisRecommendation {
  readonly axis: number;
  readonly current: number;
  readonly currentWorst: number;
  /** Strides worth considering: each strictly lowers the count of every smaller stride. */
  readonly options: readonly StrideOption[];
  /** The lowest count any stride 1..k reaches, and the smallest stride reaching it. */
  readonly floor: number;
  readonly recommended: number;
  /** Whether the recommended stride leaves this axis free of partial pairs. */
  readonly blockSparse: boolean;
}

export interface StrideRecommendation {
  readonly axes: readonly AxisRecommendation[];
  readonly stride: readonly number[];
  /** The problem simulated at the recommended stride. */
  readonly simulation: Simulation;
  /** True when the current stride already reaches the floor on every axis. */
  readonly atFloor: boolean;
  /** The smallest stride per axis that makes the whole problem perfectly block-sparse, if any. */
  readonly blockSparseStride?: readonly number[];
}

export function recommendStride(problem: GnaProblem, tiles: TileShape, options: SimulateOptions = {}): StrideRecommendation {
  const axes = axesOf(problem).map((axis, i): AxisRecommendation & { firstBlockSparse?: number } => {
    const strideOptions: StrideOption[] = [];
    let best = Infinity;
    let currentWorst = 0;
    let firstBlockSparse: number | undefined;
    for (let s = 1; s <= axis.k; s++) {
      const t = axisTileTotals({ ...axis, s }, tiles.q[i], tiles.kv[i]);
      const blockSparse = t.full === t.visited;
      if (s === axis.s) currentWorst = t.worst;
      if (blockSparse && firstBlockSparse === undefined) firstBlockSparse = s;
      if (t.worst < best) {
        best = t.worst;
        strideOptions.push({ stride: s, worst: t.worst, blockSparse });
      }
    }
    const chosen = strideOptions[strideOptions.length - 1];
    return {
      axis: i,
      current: axis.s,
      currentWorst,
      options: strideOptions,
      floor: chosen.worst,
      recommended: chosen.stride,
      blockSparse: chosen.blockSparse,
      firstBlockSparse,
    };
  });
  const stride = axes.map((a) => a.recommended);
  const simulation = simulate({ ...problem, stride }, tiles, { ...options, tiling: 'multi' });
  const blockSparseStride = axes.every((a) => a.firstBlockSparse !== undefined)
    ? axes.map((a) => a.firstBlockSparse as number)
    : undefined;
  return {
    axes: axes.map(({ firstBlockSparse: _unused, ...rest }) => rest),
    stride,
    simulation,
    atFloor: axes.every((a) => a.currentWorst === a.floor),
    ...(blockSparseStride ? { blockSparseStride } : {}),
  };
}
