// Measured versus simulated (GNA-SPEC §7): the numbers a benchmark report shows, computed once
// for the CLI, the editor's report and the recorded history.

import type { MeasuredComparison } from './benchSchema';
import { product } from './problem';
import type { MeasuredTiming, TileShape, Workload } from './schema';
import { Simulation } from './simulator';

export type { MeasuredComparison } from './benchSchema';

/** What the comparison needs of a timed kernel. */
export type KernelTiming = Pick<MeasuredTiming, 'attentionMs' | 'permuteMs' | 'visited'>;

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
