// A benchmark run as every surface sees it (GNA-SPEC §7): the `gna bench` CLI, the editor's
// benchmark commands, the report webview and the recorded history. Timing itself is the native
// engine's; here is the order of the calls (dense once, then each GNA config on the same layout,
// tiles, workload and dtype) and the record a run leaves behind. Pure: no Node, no DOM.

import type { BenchRecord, MeasuredComparison, RecordedSimulation } from './benchSchema';
import { compareToSimulation, KernelTiming } from './measured';
import type { BenchDtype, BenchPass, DeviceInfo, Device, EngineOptions, GnaProblem, RecordedTiming, TileShape, Workload } from './schema';
import { Simulation } from './simulator';

export type { BenchRecord, BenchJson, MeasuredComparison, RecordedSimulation, SweepKind } from './benchSchema';
export type { BenchDtype, BenchPass, Device, DeviceInfo, EngineOptions, MeasuredTiming, RecordedTiming } from './schema';

/** What the engine is asked for one timed kernel (the native wrapper's BenchmarkRequest fits it). */
export interface BenchCall {
  readonly problem: GnaProblem;
  readonly workload: Workload;
  readonly tiles: TileShape;
  readonly dtype: BenchDtype;
  readonly device: number;
  readonly warmup: number;
  readonly repeats: number;
  /** Self attention over the N flattened tokens (the baseline, `denseBaseline`), on 1-D tiles of as many tokens. */
  readonly dense?: boolean;
  /** How the engine runs the kernel; unset fields take the defaults (schema.ts EngineOptionsSchema). */
  readonly options?: Partial<EngineOptions>;
  /** What is timed (default forward); a build without a backward kernel rejects the others with GNA_ERR_UNSUPPORTED. */
  readonly pass?: BenchPass;
}

/** The accepted range of each run count: the CLI's usage check and the native wrapper's check share it. */
export const RUN_COUNT_LIMITS = {
  device: { min: 0, max: 1024 },
  warmup: { min: 0, max: 1000 },
  repeats: { min: 1, max: 10000 },
} as const;

/** One message per run count outside its range, `prefix` naming it as the caller spells it (`--`). */
export function runCountIssues(counts: Partial<Record<keyof typeof RUN_COUNT_LIMITS, number>>, prefix = ''): string[] {
  const issues: string[] = [];
  for (const name of Object.keys(RUN_COUNT_LIMITS) as (keyof typeof RUN_COUNT_LIMITS)[]) {
    const v = counts[name];
    const { min, max } = RUN_COUNT_LIMITS[name];
    if (v !== undefined && (!Number.isSafeInteger(v) || v < min || v > max)) issues.push(`${prefix}${name} must be an integer in ${min}..${max}, got ${v}`);
  }
  return issues;
}

/**
 * The engine as the runner needs it. `S` is the cancellation signal's type (an AbortSignal where
 * there is one); the runner only passes it through, so the core needs no DOM or Node types.
 */
export interface BenchEngineLike<T extends KernelTiming, S> {
  benchmark(request: BenchCall, signal?: S): Promise<T>;
}

/** One timed kernel as the engine answers (the native wrapper's BenchmarkResult fits it). */
export type EngineTiming = RecordedTiming;

/**
 * The engine as the CLI and the editor use it: the native wrapper, or a test's scripted
 * stand-in. Its deviceInfo() says why nothing can run here ("no addon", "CPU-only build", …).
 */
export interface BenchEngine<S> extends BenchEngineLike<EngineTiming, S> {
  deviceInfo(): DeviceInfo;
}

export interface SeriesPoint {
  readonly problem: GnaProblem;
  /** The simulation of `problem` on the run's tiles (the number measured against). */
  readonly simulation: Simulation;
}

export interface MeasuredPoint<T> extends SeriesPoint {
  readonly gna: T;
  readonly comparison: MeasuredComparison;
}

export interface BenchStep {
  /** 0-based index of the timed kernel in this run, and how many there are (dense first). */
  readonly index: number;
  readonly count: number;
  readonly dense: boolean;
  readonly problem: GnaProblem;
}

/**
 * Times dense self attention once, then every point's GNA config, and compares each with its
 * simulation. Every point must share one token layout (the dense baseline is the layout's); a
 * single config is a series of one. Rejects with whatever the engine rejects with (cancelled,
 * out of memory, …), so a partial series is never reported as a whole one.
 */
export async function measureSeries<T extends KernelTiming, S>(
  engine: BenchEngineLike<T, S>,
  base: Omit<BenchCall, 'problem' | 'dense'>,
  points: readonly SeriesPoint[],
  options: { readonly signal?: S; readonly onStep?: (step: BenchStep) => void } = {},
): Promise<{ readonly dense: T; readonly points: MeasuredPoint<T>[] }> {
  if (points.length === 0) throw new RangeError('measureSeries needs at least one point');
  const layout = points[0].problem.inputSize.join('x');
  if (points.some((p) => p.problem.inputSize.join('x') !== layout)) {
    throw new RangeError(`measureSeries times one token layout at a time; got ${points.map((p) => p.problem.inputSize.join('x')).join(', ')}`);
  }
  const count = points.length + 1;
  options.onStep?.({ index: 0, count, dense: true, problem: points[0].problem });
  const dense = await engine.benchmark({ ...base, problem: points[0].problem, dense: true }, options.signal);
  const measured: MeasuredPoint<T>[] = [];
  for (const [i, point] of points.entries()) {
    options.onStep?.({ index: i + 1, count, dense: false, problem: point.problem });
    const gna = await engine.benchmark({ ...base, problem: point.problem }, options.signal);
    measured.push({ ...point, gna, comparison: compareToSimulation(dense, gna, point.simulation, base.tiles, base.workload) });
  }
  return { dense, points: measured };
}

// ---- the record a run leaves behind ------------------------------------------------------

/** The envelope of an exported history (JSON), read back by Import. */
export const HISTORY_FORMAT = 'gna-studio.benchmark-history';
export const HISTORY_VERSION = 1;

/** The timing fields of an engine's answer (which also repeats the problem, tiles, …). */
export function recordedTiming(t: RecordedTiming): RecordedTiming {
  return {
    attentionMs: t.attentionMs,
    permuteMs: t.permuteMs,
    totalMs: t.totalMs,
    repeats: t.repeats,
    visited: t.visited,
    full: t.full,
    tflops: t.tflops,
    // The engine names its kernel variant when it has more than one; older builds do not.
    ...(typeof t.kernel === 'string' && t.kernel !== '' ? { kernel: t.kernel } : {}),
    ...(t.options ? { options: t.options } : {}),
  };
}

export function recordedSimulation(sim: Simulation): RecordedSimulation {
  return {
    simulated: sim.simulated,
    ...(sim.paperSimulated === undefined ? {} : { paperSimulated: sim.paperSimulated }),
    tilePairBound: sim.tilePairBound,
    flopBound: sim.flopBound,
    blockSparse: sim.blockSparse,
    visited: sim.visited,
    full: sim.full,
    total: sim.total,
    sparsity: sim.sparsity,
  };
}

/** `13.0` for 13000; `none` for 0. */
export function cudaVersion(v: number): string {
  return v > 0 ? `${Math.floor(v / 1000)}.${Math.floor((v % 1000) / 10)}` : 'none';
}

/** `NVIDIA H100 80GB HBM3 (sm_90, 132 SMs)`, or `no GPU recorded`. */
export function describeGpu(gpu: Device | null | undefined): string {
  return gpu ? `${gpu.name} (sm_${gpu.computeCapability.replace('.', '')}, ${gpu.multiprocessors} SMs)` : 'no GPU recorded';
}

/**
 * The kernel variant of a record: the GNA run's, else the dense run's, else "not reported";
 * with the engine options it ran under where they are not the defaults.
 */
export function kernelVariant(record: Pick<BenchRecord, 'gna' | 'dense'>): string {
  const kernel = record.gna.kernel ?? record.dense.kernel ?? 'not reported';
  const options = record.gna.options ? optionsText(record.gna.options) : '';
  return options ? `${kernel} (${options})` : kernel;
}

/** `portable kernel asked for, no PDL, at most 3 CTAs`: the options that are not the defaults ('' for none). */
export function optionsText(options: EngineOptions): string {
  const parts: string[] = [];
  if (options.kernel !== 'auto') parts.push(`${options.kernel} kernel asked for`);
  if (!options.pdl) parts.push('no PDL');
  if (options.maxCtas > 0) parts.push(`at most ${options.maxCtas} CTAs`);
  if (options.chain > 1) parts.push(`time per pass of ${options.chain} chained`);
  if (options.emptyKernel) parts.push('empty kernel: the launch floor');
  if (options.trace) parts.push('traced');
  if (options.variant) parts.push(`Hopper kernel variant ${options.variant}`);
  return parts.join(', ');
}

/** `3.2 ms`, `0.161 ms`, `270 ms`: what the CLI and the report print for a time. */
export function formatMs(x: number): string {
  return `${x < 1 ? x.toFixed(3) : x < 100 ? x.toFixed(2) : x.toFixed(1)} ms`;
}
