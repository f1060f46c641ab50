// `gna bench --backward` (issue 21): after the forward's series, the backward alone and the
// training step (forward then backward), dense and GNA on the backward's tiles, each measured
// against its simulation (simulateTraining). A build without a backward kernel answers each pass
// with why (GNA_ERR_UNSUPPORTED: "no backward kernel in this build"), never a failed run; any
// other failure (out of memory, a CUDA error, cancelled) rejects as the forward's would.
// Pure: the engine is the caller's.

import { BenchCall, BenchEngineLike, formatMs } from './bench';
import { formatPercent, formatSpeedup } from './format';
import { formatTuple } from './problem';
import type { PassComparison, RecordedBackward } from './benchSchema';
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
export function comparePass(pass: BackwardPass, dense: Pick<KernelTiming, 'attentionMs'>, gna: Pick<KernelTiming, 'attentionMs'>, simulated: number): PassComparison {
  const measured = dense.attentionMs / gna.attentionMs;
  return { available: true, pass, denseMs: dense.attentionMs, gnaMs: gna.attentionMs, measured, simulated, shareOfSimulated: measured / simulated };
}

/** One step of a backward series: which pass, dense or which point (0-based), of how many kernels in all. */
export interface BackwardStep {
  readonly pass: BackwardPass;
  readonly dense: boolean;
  readonly point: number;
  readonly index: number;
  readonly count: number;
}

/**
 * Times each backward pass for every point of a series on one layout: per pass the dense
 * baseline once, then each point's GNA config, all on `backwardTiles` (the backward kernel's;
 * the training step's forward runs on the engine's forward tiles). Answers one list of passes
 * per point. `base` is the forward run's call. A pass the engine cannot time here is answered
 * for every point with why; any other failure rejects, so a partial series is never reported.
 */
export async function measureBackwardSeries<T extends KernelTiming, S>(
  engine: BenchEngineLike<T, S>,
  base: Omit<BenchCall, 'problem' | 'dense' | 'pass' | 'tiles'>,
  points: readonly { readonly problem: GnaProblem; readonly training: TrainingSimulation }[],
  backwardTiles: TileShape,
  options: { readonly signal?: S; readonly onStep?: (step: BackwardStep) => void } = {},
): Promise<PassComparison[][]> {
  const results: PassComparison[][] = points.map(() => []);
  const count = BACKWARD_PASSES.length * (points.length + 1);
  let index = 0;
  for (const pass of BACKWARD_PASSES) {
    const call = { ...base, tiles: backwardTiles, pass };
    try {
      options.onStep?.({ pass, dense: true, point: 0, index: index++, count });
      const dense = await engine.benchmark({ ...call, problem: points[0].problem, dense: true }, options.signal);
      for (const [i, point] of points.entries()) {
        options.onStep?.({ pass, dense: false, point: i, index: index++, count });
        const gna = await engine.benchmark({ ...call, problem: point.problem }, options.signal);
        results[i].push(comparePass(pass, dense, gna, simulatedPass(point.training, pass)));
      }
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (typeof code !== 'string' || !UNAVAILABLE_CODES.has(code)) throw e;
      index = BACKWARD_PASSES.indexOf(pass) * (points.length + 1) + points.length + 1;
      const reason = e instanceof Error ? e.message : String(e);
      for (const [i, point] of points.entries()) results[i].push({ available: false, pass, simulated: simulatedPass(point.training, pass), reason, code });
    }
  }
  return results;
}

/** `gna bench --backward`'s passes for one problem: a series of one. */
export async function measureBackwardPasses<T extends KernelTiming, S>(
  engine: BenchEngineLike<T, S>,
  base: Omit<BenchCall, 'problem' | 'dense' | 'pass' | 'tiles'>,
  problem: GnaProblem,
  backwardTiles: TileShape,
  sim: TrainingSimulation,
  signal?: S,
): Promise<PassComparison[]> {
  return (await measureBackwardSeries(engine, base, [{ problem, training: sim }], backwardTiles, signal === undefined ? {} : { signal }))[0];
}

/** What a pass is called in a report: `backward (tiles 16×8 / 16×8)`, `training step`. */
export function passName(pass: BackwardPass, backwardTiles?: TileShape): string {
  return pass === 'backward' ? `backward${backwardTiles ? ` (tiles ${formatTuple(backwardTiles.q)} / ${formatTuple(backwardTiles.kv)})` : ''}` : 'training step';
}

/** One pass, measured against simulated, or why it was not measured: the CLI's row and the report's cell. */
export function passText(p: PassComparison): string {
  if (!p.available) return `not measured: ${p.reason}; simulated ${formatSpeedup(p.simulated)}`;
  return `dense ${formatMs(p.denseMs)}, GNA ${formatMs(p.gnaMs)}: measured ${formatSpeedup(p.measured)}, simulated ${formatSpeedup(p.simulated)} (${formatPercent(p.shareOfSimulated)} of simulated)`;
}

/** The passes as report rows: name, then measured against simulated or why not. */
export function passRows(passes: readonly PassComparison[], backwardTiles?: TileShape): [string, string][] {
  return passes.map((p) => [passName(p.pass as BackwardPass, backwardTiles), passText(p)]);
}

/** What a training run's record keeps of the backward: its tiles, simulation and passes. */
export function recordedBackward(tiles: TileShape, sim: TrainingSimulation, passes: readonly PassComparison[]): RecordedBackward {
  const b = sim.backward;
  return {
    tiles,
    simulation: {
      simulated: b.simulated,
      ...(b.paperSimulated === undefined ? {} : { paperSimulated: b.paperSimulated }),
      tilePairBound: b.tilePairBound,
      worstKvTileVisits: b.worstKvTileVisits,
      denseKvTileVisits: b.denseKvTileVisits,
      blockSparse: b.blockSparse,
    },
    training: { ...sim.training },
    passes: [...passes],
  };
}

/**
 * The passes of a `gna bench --backward --json` file read back: each measured pass compared again
 * from its two times against `sim` (so a file cannot claim a speedup its times do not give), each
 * unmeasured one with its reason and the simulated number of `sim`.
 */
export function passesFromTimes(passes: readonly PassComparison[], sim: TrainingSimulation): PassComparison[] {
  return passes.flatMap((p): PassComparison[] => {
    if (p.pass === 'forward') return [];
    const simulated = simulatedPass(sim, p.pass);
    return [p.available ? comparePass(p.pass, { attentionMs: p.denseMs }, { attentionMs: p.gnaMs }, simulated) : { ...p, simulated }];
  });
}

/** The one line a training report gives when the backward could not be measured here, or undefined. */
export function backwardNotMeasured(backward: Pick<RecordedBackward, 'passes' | 'simulation' | 'training'>): string | undefined {
  const missing = backward.passes.filter((p) => !p.available);
  if (missing.length === 0) return undefined;
  const first = missing[0];
  const reason = first.available ? '' : first.reason.split('\n')[0].replace(/\.$/, '');
  const what = missing.length === backward.passes.length ? 'Backward and training step' : missing.map((p) => passName(p.pass as BackwardPass)).join(' and ');
  return `${what} not measured: ${reason}. Simulated: backward ${formatSpeedup(backward.simulation.simulated)}, training step ${formatSpeedup(backward.training.simulated)}.`;
}
