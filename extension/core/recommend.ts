// Stride recommendation (GNA-SPEC §5). With multi-dimensional tiling the worst Q tile's KV count
// is a product of per-axis counts, so each axis is tuned on its own: among strides 1..k keep
// those that strictly lower the axis's count, and recommend the smallest that reaches the floor.
// A larger stride makes more queries share one window, which changes the model, so the
// recommendation is the least change that gets the whole speedup.
// The layout's Q tiles (padding and dilation groups, the other factor of the simulated speedup)
// depend on the layout, dilation and Q tile only, never on the stride: ranking strides by the
// worst Q tile is ranking them by simulated speedup.

//
// Each stride costs one run-compressed scan of the axis (axisScan.ts), a few tile evaluations
// per period of lcm(T_q, s, T_kv). The scan goes up from stride 1 and stops once the axis reaches
// the lowest count any stride can give, ceil(k / T_kv) (some query attends k keys), and the
// smallest block-sparse stride is known; the work budget stops it otherwise, and the result says
// where (`cutOff`): what it found up to there is exact.

import { axisTotals } from './axisScan';
import { WorkBudget } from './budget';
import { axesOf, GnaProblem, TileShape } from './problem';
import { simulate, SimulateOptions, Simulation } from './simulator';

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
  /**
   * Set when the work budget stopped the search: strides above `stride` on `axis` (and every
   * later axis) were not tried. `floorReached`: the axes searched so far did reach their lowest
   * possible count, so only the block-sparse search is incomplete.
   */
  readonly cutOff?: { readonly axis: number; readonly stride: number; readonly floorReached: boolean; readonly reason: string };
}

export function recommendStride(
  problem: GnaProblem,
  tiles: TileShape,
  options: SimulateOptions & { readonly budget?: WorkBudget } = {},
): StrideRecommendation {
  const budget = options.budget ?? new WorkBudget();
  let cutOff: StrideRecommendation['cutOff'];
  const axes = axesOf(problem).map((axis, i): AxisRecommendation & { firstBlockSparse?: number } => {
    const strideOptions: StrideOption[] = [];
    let best = Infinity;
    // The current stride's count, from the same scan the simulator runs (exact, unbudgeted).
    const current = axisTotals(axis, tiles.q[i], tiles.kv[i])!;
    const currentWorst = current.worst;
    let firstBlockSparse: number | undefined;
    const lowest = Math.ceil(axis.k / tiles.kv[i]);
    for (let s = 1; s <= axis.k && !cutOff; s++) {
      const t = axisTotals({ ...axis, s }, tiles.q[i], tiles.kv[i], budget);
      if (!t) {
        cutOff = { axis: i, stride: s - 1, floorReached: best === lowest, reason: 'work above budget' };
        break;
      }
      const blockSparse = t.full === t.visited;
      if (blockSparse && firstBlockSparse === undefined) firstBlockSparse = s;
      if (t.worst < best) {
        best = t.worst;
        strideOptions.push({ stride: s, worst: t.worst, blockSparse });
      }
      if (best === lowest && firstBlockSparse !== undefined) break;
    }
    // Cut off before this axis was searched: keep its current stride.
    if (strideOptions.length === 0) strideOptions.push({ stride: axis.s, worst: currentWorst, blockSparse: current.full === current.visited });
    const chosen = strideOptions[strideOptions.length - 1];
    return {
      axis: i,
      current: axis.s,
      currentWorst,
      options: strideOptions,
      floor: chosen.worst,
      recommended: chosen.stride,
      blockSparse: chosen.blockSparse,
      ...(firstBlockSparse === undefined ? {} : { firstBlockSparse }),
    };
  });
  const stride = axes.map((a) => a.recommended);
  const { budget: _searchOnly, ...simulateOptions } = options;
  const simulation = simulate({ ...problem, stride }, tiles, { ...simulateOptions, tiling: 'multi' });
  const blockSparseStride = axes.every((a) => a.firstBlockSparse !== undefined)
    ? axes.map((a) => a.firstBlockSparse as number)
    : undefined;
  return {
    axes: axes.map(({ firstBlockSparse: _unused, ...rest }) => rest),
    stride,
    simulation,
    // Cut off before the floor: the current stride may not be the best there is.
    atFloor: axes.every((a) => a.currentWorst <= a.floor) && (!cutOff || cutOff.floorReached),
    ...(blockSparseStride ? { blockSparseStride } : {}),
    ...(cutOff ? { cutOff } : {}),
  };
}
