// `gna bench --backward` (issue 21): after the forward's series, the backward alone and the
// training step (forward then backward), dense and GNA on the backward's tiles, each measured
// against its simulation (simulateTraining). A build without a backward kernel answers each pass
// with why (GNA_ERR_UNSUPPORTED: "no backward kernel in this build"), never a failed run; any
// other failure (out of memory, a CUDA error, cancelled) rejects as the forward's would.
// Pure: the engine is the caller's.

import type { BenchCall, BenchEngineLike } from './bench';
import type { PassComparison } from './benchSchema';
import type { TrainingSimulation } from './backward';
import type { KernelTiming } from './measured';
import type { BenchPass, GnaProblem, TileShape } from './schema';

export type { PassComparison } from './benchSchema';

/** The passes `--backward` times, in this order. */
export const BACKWARD_PASSES = ['backward', 'training'] as const satisfies readonly BenchPass[];
export type BackwardPass = (typeof BACKWARD_PASSES)[number];

/** Error codes that mean "this engine cannot time that pass here", not "the run failed". */
const UNAVAILABLE_CODES: ReadonlySet<string> = new Set(['GNA_ERR_UNSUPPORTED', 'GNA_ERR_NOT_BUILT', 'GNA_ERR_NO_DEVICE']);

/** The simulator's number a pass is measured against. */
export function simulatedPass(sim: TrainingSimulation, pass: BackwardPass): number {
  return pass === 'backward' ? sim.backward.simulated : sim.training.simulated;
}

/** Measured versus simulated for one pass. */
export function comparePass(pass: BackwardPass, dense: KernelTiming, gna: KernelTiming, simulated: number): PassComparison {
  const measured = dense.attentionMs / gna.attentionMs;
  return { available: true, pass, denseMs: dense.attentionMs, gnaMs: gna.attentionMs, measured, simulated, shareOfSimulated: measured / simulated };
}

/**
 * Times each backward pass, dense first, on `backwardTiles` (the backward kernel's; the training
 * step's forward runs on the engine's forward tiles). `base` is the forward run's call.
 */
export async function measureBackwardPasses<T extends KernelTiming, S>(
  engine: BenchEngineLike<T, S>,
  base: Omit<BenchCall, 'problem' | 'dense' | 'pass' | 'tiles'>,
  problem: GnaProblem,
  backwardTiles: TileShape,
  sim: TrainingSimulation,
  signal?: S,
): Promise<PassComparison[]> {
  const results: PassComparison[] = [];
  for (const pass of BACKWARD_PASSES) {
    const simulated = simulatedPass(sim, pass);
    const call = { ...base, problem, tiles: backwardTiles, pass };
    try {
      const dense = await engine.benchmark({ ...call, dense: true }, signal);
      const gna = await engine.benchmark(call, signal);
      results.push(comparePass(pass, dense, gna, simulated));
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (typeof code !== 'string' || !UNAVAILABLE_CODES.has(code)) throw e;
      results.push({ available: false, pass, simulated, reason: e instanceof Error ? e.message : String(e), code });
    }
  }
  return results;
}
