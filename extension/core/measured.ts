// Measured versus simulated (GNA-SPEC §7): the numbers a benchmark report shows, computed once
// for the CLI, the editor's report and the recorded history.

import { product, TileShape, Workload } from './problem';
import { Simulation } from './simulator';

/** One timed kernel: medians of CUDA-event timings after warm-up. */
export interface KernelTiming {
  readonly attentionMs: number;
  /** Token permutation in and out (0 when the layout needs none). */
  readonly permuteMs: number;
  readonly visited: number;
}

export interface MeasuredComparison {
  readonly denseMs: number;
  readonly gnaMs: number;
  readonly permuteMs: number;
  /** t_dense / t_gna, attention kernels only. */
  readonly measured: number;
  /** The same with the GNA side's token permutation counted in. */
  readonly measuredWithPermute: number;
  readonly simulated: number;
  readonly tilePairBound: number;
  readonly flopBound: number;
  /** measured / simulated: the share of the simulator's bound the kernel reached. */
  readonly shareOfBound: number;
  /** TFLOP/s on visited tiles: 4 · visited · T_q · T_kv · head_dim · heads · batch / t. */
  readonly gnaTflops: number;
  readonly denseTflops: number;
}

export function visitedTileTflops(visited: number, tiles: TileShape, workload: Workload, ms: number): number {
  const flops = 4 * visited * product(tiles.q) * product(tiles.kv) * workload.headDim * workload.heads * workload.batch;
  return flops / (ms * 1e-3) / 1e12;
}

export function compareToSimulation(
  dense: KernelTiming,
  gna: KernelTiming,
  sim: Simulation,
  tiles: TileShape,
  workload: Workload,
): MeasuredComparison {
  const measured = dense.attentionMs / gna.attentionMs;
  return {
    denseMs: dense.attentionMs,
    gnaMs: gna.attentionMs,
    permuteMs: gna.permuteMs,
    measured,
    measuredWithPermute: dense.attentionMs / (gna.attentionMs + gna.permuteMs),
    simulated: sim.simulated,
    tilePairBound: sim.tilePairBound,
    flopBound: sim.flopBound,
    shareOfBound: measured / sim.simulated,
    gnaTflops: visitedTileTflops(gna.visited, tiles, workload, gna.attentionMs),
    denseTflops: visitedTileTflops(dense.visited, tiles, workload, dense.attentionMs),
  };
}
