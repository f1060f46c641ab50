// Stride recommendation for the training step (forward + backward). The forward's time follows
// the worst Q tile, the backward's the worst KV tile, and both are products of per-axis counts,
// but their weighted sum is not: so each axis keeps the strides whose (forward, backward) counts
// no smaller stride matches or beats on both (a Pareto front, a handful of strides), and the
// combination of per-axis choices with the least training-step time wins; among equal times,
// the smallest strides (the least change to the model).

import { axisTotals } from './axisScan';
import { axisWorstKvTileVisitsWithin, BACKWARD_FLOP_RATIO, simulateTraining, TrainingSimulation } from './backward';
import { WorkAboveBudget, WorkBudget } from './budget';
import { axesOf, GnaProblem, product, TileShape } from './problem';
import { SimulateOptions } from './simulator';

export interface TrainingStrideOption {
  readonly stride: number;
  /** KV tiles the forward's worst Q tile visits, and Q tiles the backward's worst KV tile meets, on this axis. */
  readonly forwardWorst: number;
  readonly backwardWorst: number;
}

export interface TrainingStrideRecommendation {
  readonly stride: readonly number[];
  /** Per axis, the strides worth considering (smallest first). */
  readonly axes: readonly { readonly axis: number; readonly options: readonly TrainingStrideOption[] }[];
  /** Forward, backward and training step at the recommended stride. */
  readonly simulation: TrainingSimulation;
  /** True when the current stride's training step is already as fast as the recommended one. */
  readonly atOptimum: boolean;
  /** Set when the work budget stopped the search: strides above `stride` on `axis` were not tried. */
  readonly cutOff?: { readonly axis: number; readonly stride: number; readonly reason: string };
}

function paretoFront(options: TrainingStrideOption[]): TrainingStrideOption[] {
  const front: TrainingStrideOption[] = [];
  for (const o of options) {
    if (!front.some((f) => f.forwardWorst <= o.forwardWorst && f.backwardWorst <= o.backwardWorst)) front.push(o);
  }
  return front;
}

export function recommendTrainingStride(
  problem: GnaProblem,
  forwardTiles: TileShape,
  backwardTiles: TileShape,
  options: SimulateOptions = {},
): TrainingStrideRecommendation {
  const { budget = new WorkBudget(), ...simulateOptions } = options;
  options = simulateOptions;
  let cutOff: TrainingStrideRecommendation['cutOff'];
  const axes = axesOf(problem).map((axis, i) => {
    const all: TrainingStrideOption[] = [];
    for (let s = 1; s <= axis.k && !cutOff; s++) {
      const strided = { ...axis, s };
      try {
        const forward = axisTotals(strided, forwardTiles.q[i], forwardTiles.kv[i], budget);
        if (!forward) throw new WorkAboveBudget('the training-step recommendation', budget.limit, budget.limit);
        all.push({
          stride: s,
          forwardWorst: forward.worst,
          backwardWorst: axisWorstKvTileVisitsWithin(strided, backwardTiles.q[i], backwardTiles.kv[i], budget),
        });
      } catch (e) {
        if (!(e instanceof WorkAboveBudget)) throw e;
        cutOff = { axis: i, stride: s - 1, reason: 'work above budget' };
      }
    }
    // Cut off before this axis was searched: keep its current stride.
    if (all.length === 0) {
      all.push({
        stride: axis.s,
        forwardWorst: axisTotals(axis, forwardTiles.q[i], forwardTiles.kv[i])!.worst,
        backwardWorst: axisWorstKvTileVisitsWithin(axis, backwardTiles.q[i], backwardTiles.kv[i], new WorkBudget(Infinity)),
      });
    }
    return { axis: i, options: paretoFront(all) };
  });

  // Time in tile-pair areas: the stride changes only the worst counts, never the tile counts.
  const current = simulateTraining(problem, forwardTiles, backwardTiles, { ...options, tiling: 'multi' });
  const forwardWeight = current.forward.qTiles * product(forwardTiles.q) * product(forwardTiles.kv);
  const backwardWeight = current.backward.kvTiles * product(backwardTiles.q) * product(backwardTiles.kv) * BACKWARD_FLOP_RATIO;
  const time = (choice: readonly TrainingStrideOption[]): number =>
    forwardWeight * product(choice.map((o) => o.forwardWorst)) + backwardWeight * product(choice.map((o) => o.backwardWorst));

  let best: TrainingStrideOption[] = [];
  let bestTime = Infinity;
  const search = (prefix: TrainingStrideOption[]): void => {
    if (prefix.length === axes.length) {
      const t = time(prefix);
      const strideSum = (c: readonly TrainingStrideOption[]): number => c.reduce((sum, o) => sum + o.stride, 0);
      if (t < bestTime || (t === bestTime && strideSum(prefix) < strideSum(best))) {
        best = [...prefix];
        bestTime = t;
      }
      return;
    }
    for (const o of axes[prefix.length].options) search([...prefix, o]);
  };
  search([]);

  const stride = best.map((o) => o.stride);
  const simulation = simulateTraining({ ...problem, stride }, forwardTiles, backwardTiles, { ...options, tiling: 'multi' });
  return { stride, axes, simulation, atOptimum: !cutOff && current.training.simulated >= simulation.training.simulated, ...(cutOff ? { cutOff } : {}) };
}
