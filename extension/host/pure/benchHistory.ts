// The benchmark history and what is done with it, as pure functions: records made from a run or
// from a `gna bench --json` file, the capped newest-first list kept in the workspace, export as
// JSON and CSV, and the configs a sweep runs (strides from the recommendation, or window sizes).
// The zod schemas of these forms are in core/benchSchema.ts (loaded with the benchmark runtime,
// never at activation).

import {
  BenchJson,
  BenchRecord,
  cudaVersion,
  HISTORY_FORMAT,
  HISTORY_VERSION,
  kernelVariant,
  RecordedTiming,
  recordedSimulation,
  recordedTiming,
  SweepKind,
} from '../../core/bench';
import { compareToSimulation, MeasuredComparison } from '../../core/measured';
import { passesFromTimes, recordedBackward } from '../../core/benchBackward';
import type { PassComparison, RecordedBackward } from '../../core/benchSchema';
import { simulateTraining, TrainingSimulation } from '../../core/backward';
import { formatTuple, GnaProblem, product, TileShape } from '../../core/problem';
import { formatCausal } from '../../core/format';
import { recommendStride } from '../../core/recommend';
import { simulate, Simulation } from '../../core/simulator';
import { checkProblem } from '../../core/validate';

/** Records kept in the workspace; the oldest go first. A record is ~1.5 KB of JSON. */
export const MAX_HISTORY = 200;
/** Points of one sweep (each is one timed GNA kernel, after one dense baseline). */
export const MAX_SWEEP_POINTS = 8;

/** What every record of one run shares. */
export type RunContext = Pick<BenchRecord, 'id' | 'at' | 'label' | 'gpu' | 'driverVersion' | 'runtimeVersion' | 'workload' | 'tiles' | 'dtype'>;

/** A record of one measured config (a sweep point carries `sweep`). */
export function makeRecord(
  run: RunContext,
  problem: GnaProblem,
  simulation: Simulation,
  dense: RecordedTiming,
  gna: RecordedTiming,
  comparison: MeasuredComparison,
  origin: BenchRecord['origin'] = 'run',
  sweep?: BenchRecord['sweep'],
  backward?: RecordedBackward,
): BenchRecord {
  return {
    id: run.id,
    at: run.at,
    origin,
    label: run.label,
    problem,
    workload: run.workload,
    tiles: run.tiles,
    dtype: run.dtype,
    gpu: run.gpu,
    driverVersion: run.driverVersion,
    runtimeVersion: run.runtimeVersion,
    dense,
    gna,
    simulation: recordedSimulation(simulation),
    comparison,
    ...(sweep ? { sweep } : {}),
    // The history says what was timed: the forward, or the training step with its backward.
    pass: backward ? 'training' : 'forward',
    ...(backward ? { backward } : {}),
  };
}

/** A measured run: the forward series, and the backward's per point when the training step was timed. */
export interface MeasuredRun {
  readonly dense: RecordedTiming;
  readonly points: readonly { readonly problem: GnaProblem; readonly simulation: Simulation; readonly gna: RecordedTiming; readonly comparison: MeasuredComparison }[];
  readonly backward?: { readonly tiles: TileShape; readonly trainings: readonly TrainingSimulation[]; readonly passes: readonly (readonly PassComparison[])[] };
}

/** A run's records, one per point, in point order (sweep points numbered), each named by `name`. */
export function runRecords(
  context: Omit<RunContext, 'id' | 'label'>,
  run: MeasuredRun,
  name: { id(index: number): string; label(problem: GnaProblem): string },
  sweep?: { readonly id: string; readonly kind: SweepKind },
): BenchRecord[] {
  const b = run.backward;
  return run.points.map((p, i) =>
    makeRecord(
      { ...context, id: name.id(i), label: name.label(p.problem) },
      p.problem,
      p.simulation,
      recordedTiming(run.dense),
      recordedTiming(p.gna),
      p.comparison,
      'run',
      sweep ? { ...sweep, index: i, count: run.points.length } : undefined,
      b ? recordedBackward(b.tiles, b.trainings[i], b.passes[i]) : undefined,
    ),
  );
}

/**
 * A record from `gna bench --json`. The simulation and the comparison are computed again here
 * from the problem, the tiles and the two timings, so an imported record reads exactly like one
 * measured in the editor (and a file cannot claim numbers its timings do not give).
 */
export function recordFromBenchJson(json: BenchJson, meta: { id: string; at: string; label: string }): BenchRecord {
  const simulation = simulate(json.problem, json.tiles, { workload: json.workload });
  const comparison = compareToSimulation(json.dense, json.gna, simulation, json.tiles, json.workload);
  const run: RunContext = {
    ...meta,
    gpu: json.device,
    driverVersion: json.driverVersion,
    runtimeVersion: json.runtimeVersion,
    workload: json.workload,
    tiles: json.tiles,
    dtype: json.dtype,
  };
  // `gna bench --backward --json`: the backward's simulation computed again too, each pass compared from its times.
  const backward = json.backward ? importedBackward(json, json.backward) : undefined;
  // Only the timing fields are kept (the CLI's output repeats the problem and tiles in each).
  return makeRecord(run, json.problem, simulation, recordedTiming(json.dense), recordedTiming(json.gna), comparison, 'imported', undefined, backward);
}

function importedBackward(json: BenchJson, backward: NonNullable<BenchJson['backward']>): RecordedBackward {
  const training = simulateTraining(json.problem, json.tiles, backward.tiles, { workload: json.workload });
  return recordedBackward(backward.tiles, training, passesFromTimes(backward.passes, training));
}

/** `lq3k2a-7f3c`: time-ordered, unique enough for one workspace. `random` gives 0 ≤ x < 1. */
export function newRecordId(nowMs: number, random: () => number): string {
  return `${Math.floor(nowMs).toString(36)}-${Math.floor(random() * 36 ** 6)
    .toString(36)
    .padStart(6, '0')}`;
}

/** `256×256, window 80×80, stride 16×16` (stride, dilation and causal only when not the default). */
export function problemText(p: GnaProblem): string {
  const parts = [formatTuple(p.inputSize), `window ${formatTuple(p.windowSize)}`];
  if (p.stride.some((s) => s !== 1)) parts.push(`stride ${formatTuple(p.stride)}`);
  if (p.dilation.some((d) => d !== 1)) parts.push(`dilation ${formatTuple(p.dilation)}`);
  if (p.causal.some((c) => c)) parts.push(formatCausal(p.causal));
  return parts.join(', ');
}

// ---- the history -------------------------------------------------------------------------

/** New records first, then the old ones; an id already present is replaced; at most `max`. */
export function addRecords(history: readonly BenchRecord[], added: readonly BenchRecord[], max = MAX_HISTORY): BenchRecord[] {
  const ids = new Set(added.map((r) => r.id));
  return [...added, ...history.filter((r) => !ids.has(r.id))].slice(0, Math.max(0, max));
}

export function removeRecords(history: readonly BenchRecord[], ids: readonly string[]): BenchRecord[] {
  const gone = new Set(ids);
  return history.filter((r) => !gone.has(r.id));
}

/** The records of `ids` in history order; all of them for an empty list. */
export function pickRecords(history: readonly BenchRecord[], ids: readonly string[]): BenchRecord[] {
  if (ids.length === 0) return [...history];
  const wanted = new Set(ids);
  return history.filter((r) => wanted.has(r.id));
}

/** The other points of a record's sweep, in sweep order (just the record when it is not a sweep's). */
export function sweepOf(history: readonly BenchRecord[], record: BenchRecord): BenchRecord[] {
  if (!record.sweep) return [record];
  const id = record.sweep.id;
  return history.filter((r) => r.sweep?.id === id).sort((a, b) => a.sweep!.index - b.sweep!.index);
}

// ---- export ------------------------------------------------------------------------------

/** The JSON export: a versioned envelope that Import reads back. */
export function historyJson(records: readonly BenchRecord[], exportedAt: string): string {
  return `${JSON.stringify({ format: HISTORY_FORMAT, version: HISTORY_VERSION, exportedAt, records }, null, 2)}\n`;
}

interface CsvColumn {
  readonly name: string;
  readonly value: (r: BenchRecord) => string | number | boolean | undefined;
}

const tuple = (values: readonly (number | boolean)[]): string => formatTuple(values).replace(/×/g, 'x');

/** One row per record; numbers unrounded, tuples as `30x48x80`. */
export const CSV_COLUMNS: readonly CsvColumn[] = [
  { name: 'id', value: (r) => r.id },
  { name: 'measured_at', value: (r) => r.at },
  { name: 'origin', value: (r) => r.origin },
  { name: 'label', value: (r) => r.label },
  { name: 'layout', value: (r) => tuple(r.problem.inputSize) },
  { name: 'window', value: (r) => tuple(r.problem.windowSize) },
  { name: 'stride', value: (r) => tuple(r.problem.stride) },
  { name: 'dilation', value: (r) => tuple(r.problem.dilation) },
  { name: 'causal', value: (r) => tuple(r.problem.causal) },
  { name: 'batch', value: (r) => r.workload.batch },
  { name: 'heads', value: (r) => r.workload.heads },
  { name: 'head_dim', value: (r) => r.workload.headDim },
  { name: 'dtype', value: (r) => r.dtype },
  { name: 'q_tile', value: (r) => tuple(r.tiles.q) },
  { name: 'kv_tile', value: (r) => tuple(r.tiles.kv) },
  { name: 'gpu', value: (r) => r.gpu?.name ?? '' },
  { name: 'compute_capability', value: (r) => r.gpu?.computeCapability ?? '' },
  { name: 'driver', value: (r) => cudaVersion(r.driverVersion) },
  { name: 'cuda_runtime', value: (r) => cudaVersion(r.runtimeVersion) },
  { name: 'kernel', value: (r) => kernelVariant(r) },
  { name: 'dense_ms', value: (r) => r.comparison.denseMs },
  { name: 'gna_ms', value: (r) => r.comparison.gnaMs },
  { name: 'permute_ms', value: (r) => r.comparison.permuteMs },
  { name: 'measured_speedup', value: (r) => r.comparison.measured },
  { name: 'measured_speedup_with_permute', value: (r) => r.comparison.measuredWithPermute },
  { name: 'simulated_speedup', value: (r) => r.comparison.simulated },
  { name: 'share_of_bound', value: (r) => r.comparison.shareOfBound },
  { name: 'tile_pair_bound', value: (r) => r.comparison.tilePairBound },
  { name: 'flop_bound', value: (r) => r.comparison.flopBound },
  { name: 'gna_tflops_visited', value: (r) => r.comparison.gnaTflops },
  { name: 'dense_tflops', value: (r) => r.comparison.denseTflops },
  { name: 'visited_tile_pairs', value: (r) => r.gna.visited },
  { name: 'full_tile_pairs', value: (r) => r.gna.full },
  { name: 'simulated_visited', value: (r) => r.simulation.visited },
  { name: 'total_tile_pairs', value: (r) => r.simulation.total },
  { name: 'block_sparse', value: (r) => r.simulation.blockSparse },
  { name: 'repeats', value: (r) => r.gna.repeats },
  { name: 'sweep_id', value: (r) => r.sweep?.id },
  { name: 'sweep_kind', value: (r) => r.sweep?.kind },
  { name: 'sweep_index', value: (r) => r.sweep?.index },
  { name: 'pass', value: (r) => r.pass ?? 'forward' },
  { name: 'backward_q_tile', value: (r) => r.backward && tuple(r.backward.tiles.q) },
  { name: 'backward_kv_tile', value: (r) => r.backward && tuple(r.backward.tiles.kv) },
  ...(['backward', 'training'] as const).flatMap((pass): CsvColumn[] => [
    { name: `${pass}_dense_ms`, value: (r) => measuredPass(r, pass)?.denseMs },
    { name: `${pass}_gna_ms`, value: (r) => measuredPass(r, pass)?.gnaMs },
    { name: `${pass}_measured_speedup`, value: (r) => measuredPass(r, pass)?.measured },
    { name: `${pass}_simulated_speedup`, value: (r) => r.backward?.passes.find((p) => p.pass === pass)?.simulated },
  ]),
  { name: 'backward_not_measured', value: (r) => r.backward?.passes.flatMap((p) => (p.available ? [] : [p.reason]))[0] },
];

/** A pass of a training record, when it was measured. */
function measuredPass(r: BenchRecord, pass: 'backward' | 'training'): Extract<PassComparison, { available: true }> | undefined {
  const p = r.backward?.passes.find((q) => q.pass === pass);
  return p?.available ? p : undefined;
}

/**
 * RFC 4180 text cell: quoted when it holds a comma, quote or line break. Text that a spreadsheet
 * would run as a formula (=, +, -, @ first) gets a leading apostrophe: labels come from source code.
 */
export function csvCell(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function historyCsv(records: readonly BenchRecord[]): string {
  const lines = [CSV_COLUMNS.map((c) => c.name).join(',')];
  for (const r of records) lines.push(CSV_COLUMNS.map((c) => csvCell(c.value(r))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

// ---- sweeps ------------------------------------------------------------------------------

export interface SweepPlan {
  readonly kind: SweepKind;
  /** Configs to time, in the order they are plotted; all on the layout of the base config. */
  readonly problems: readonly GnaProblem[];
  /** Index of the base config in `problems`, when it is one of them. */
  readonly baseIndex?: number;
  /** Why the plan has the points it has, for the progress title and the report. */
  readonly description: string;
}

const sameTuple = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** At most `max` items: the first, the last, and evenly spaced ones between, keeping `keep`. */
export function thin<T>(items: readonly T[], max: number, keep?: number): T[] {
  if (items.length <= max) return [...items];
  const chosen = new Set<number>([0, items.length - 1]);
  if (keep !== undefined && keep >= 0 && keep < items.length) chosen.add(keep);
  for (let i = 1; chosen.size < max; i++) {
    const spread = Math.round((i * (items.length - 1)) / (max - 1));
    if (spread > 0 && spread < items.length - 1) chosen.add(spread);
    if (i > items.length) break; // every index has been offered
  }
  return [...chosen].sort((a, b) => a - b).slice(0, max).map((i) => items[i]);
}

/**
 * Strides from the recommendation. Per axis the candidates are the strides that strictly lower
 * its worst-Q-tile KV count (core/recommend.ts) and the powers of two up to the recommended
 * stride (up to the window when no stride helps, so the series still shows that), plus the
 * config's own stride. The axes walk their candidates together (axis i takes its j-th, or its
 * last), from stride 1 to the recommendation; the simulated speedup rises in steps while the
 * measured one also shows what fewer partial (masked) tile pairs buy between the steps.
 */
export function strideSweep(problem: GnaProblem, tiles: TileShape, max = MAX_SWEEP_POINTS): SweepPlan {
  const rec = recommendStride(problem, tiles);
  const candidates = rec.axes.map((a, i) => {
    const top = a.recommended > 1 ? a.recommended : problem.windowSize[i];
    const set = new Set<number>(a.options.map((o) => o.stride));
    for (let s = 1; s <= top; s *= 2) set.add(s);
    set.add(top);
    return [...set].sort((x, y) => x - y);
  });
  const steps = Math.max(...candidates.map((c) => c.length));
  const strides: number[][] = [];
  for (let j = 0; j < steps; j++) strides.push(candidates.map((c) => c[Math.min(j, c.length - 1)]));
  if (!strides.some((s) => sameTuple(s, problem.stride))) strides.push([...problem.stride]);
  // The staircase grows on every axis at once; the config's own stride goes where its stride
  // product puts it.
  strides.sort((a, b) => product(a) - product(b) || a.join().localeCompare(b.join()));
  const base = strides.findIndex((s) => sameTuple(s, problem.stride));
  const kept = thin(strides, max, base);
  const problems = kept.map((stride) => ({ ...problem, stride }));
  const baseIndex = problems.findIndex((p) => sameTuple(p.stride, problem.stride));
  return {
    kind: 'stride',
    problems,
    ...(baseIndex >= 0 ? { baseIndex } : {}),
    description: `strides ${problems.map((p) => formatTuple(p.stride)).join(', ')} (recommended ${formatTuple(rec.stride)})`,
  };
}

/** Window scales of a window sweep: from a quarter to twice the config's window. */
export const WINDOW_SCALES: readonly number[] = [0.25, 0.5, 0.75, 1, 1.5, 2];

/**
 * Window sizes around the config's: each axis's window scaled by WINDOW_SCALES, kept inside
 * 2..n/d (NATTEN's limits), the stride lowered where it would exceed the window; invalid or
 * repeated configs are dropped. Ordered by window size.
 */
export function windowSweep(problem: GnaProblem, max = MAX_SWEEP_POINTS): SweepPlan {
  const seen = new Set<string>();
  const problems: GnaProblem[] = [];
  for (const scale of WINDOW_SCALES) {
    const windowSize = problem.windowSize.map((k, i) =>
      Math.min(Math.floor(problem.inputSize[i] / problem.dilation[i]), Math.max(2, Math.round(k * scale))),
    );
    const stride = problem.stride.map((s, i) => Math.min(s, windowSize[i]));
    const key = windowSize.join('x');
    if (seen.has(key)) continue;
    const check = checkProblem({ ...problem, windowSize, stride, rank: problem.inputSize.length });
    if (!check.problem) continue;
    seen.add(key);
    problems.push(check.problem);
  }
  problems.sort((a, b) => product(a.windowSize) - product(b.windowSize));
  const base = problems.findIndex((p) => sameTuple(p.windowSize, problem.windowSize));
  const kept = thin(problems, max, base);
  const baseIndex = kept.findIndex((p) => sameTuple(p.windowSize, problem.windowSize));
  return {
    kind: 'window',
    problems: kept,
    ...(baseIndex >= 0 ? { baseIndex } : {}),
    description: `windows ${kept.map((p) => formatTuple(p.windowSize)).join(', ')}`,
  };
}
