// The report's view model, pure (no DOM): from the history and the selection, what the page
// shows — the mode (one run, a comparison, a sweep), the headline, the details table (one row
// per metric, one column per run) and the chart (bars of the bounds, or a series measured vs
// simulated). Unit-tested in plain Node.

import { BenchRecord, cudaVersion, describeGpu, formatMs, kernelVariant } from '../../extension/core/bench';
import { formatPercent, formatSpeedup } from '../../extension/core/format';
import { formatTuple } from '../../extension/core/problem';
import { BackwardPass, backwardNotMeasured, passText } from '../../extension/core/benchBackward';

export type Mode = 'empty' | 'single' | 'compare' | 'sweep';

export interface TableRow {
  readonly metric: string;
  readonly cells: readonly string[];
  /** Rows that hold the headline numbers are emphasised. */
  readonly key?: boolean;
}

/** `trainingMeasured` / `trainingSimulated`: a training sweep's training step (issue 21). */
export type SeriesRole = 'measured' | 'measuredWithPermute' | 'simulated' | 'tilePair' | 'flop' | 'trainingMeasured' | 'trainingSimulated';

export interface ChartSeries {
  readonly name: string;
  readonly role: SeriesRole;
  /** NaN where nothing was measured (a pass this build cannot time): no bar, no point. */
  readonly values: readonly number[];
}

export interface ChartSpec {
  readonly kind: 'none' | 'bars' | 'series';
  /** One label per group (bars) or per x position (series). */
  readonly labels: readonly string[];
  readonly series: readonly ChartSeries[];
  readonly yLabel: string;
  /** Where the config the sweep started from sits, to mark it. */
  readonly baseIndex?: number;
}

export interface ReportView {
  readonly mode: Mode;
  readonly records: readonly BenchRecord[];
  readonly headline: string;
  /** What was measured where: the config, the GPU, the kernel variant. */
  readonly subtitle: string;
  readonly columns: readonly string[];
  readonly rows: readonly TableRow[];
  readonly chart: ChartSpec;
  /** A text alternative of the chart, for screen readers. */
  readonly chartText: string;
  /**
   * The one line saying that a training run's backward was not measured here (and why), with
   * its simulated numbers; '' when every shown run measured what it asked for.
   */
  readonly passNote: string;
}

/** At most this many runs side by side (a wider table stops being readable). */
export const MAX_COMPARE = 8;

/** The selection as the page should use it: known ids only, the newest run when none. */
export function effectiveSelection(records: readonly BenchRecord[], selected: readonly string[]): string[] {
  const known = new Set(records.map((r) => r.id));
  const kept = selected.filter((id) => known.has(id)).slice(0, MAX_COMPARE);
  return kept.length > 0 ? kept : records.length > 0 ? [records[0].id] : [];
}

/** The points of a record's sweep that are in the history, in sweep order. */
export function sweepPoints(records: readonly BenchRecord[], record: BenchRecord): BenchRecord[] {
  if (!record.sweep) return [record];
  const id = record.sweep.id;
  return records.filter((r) => r.sweep?.id === id).sort((a, b) => a.sweep!.index - b.sweep!.index);
}

/** What a sweep varies, as the x label of one point. */
export function sweepLabel(record: BenchRecord): string {
  return formatTuple(record.sweep?.kind === 'window' ? record.problem.windowSize : record.problem.stride);
}

/** `2026-11-22 15:04 UTC`: the same on every machine that reads an exported history. */
export function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const METRICS: readonly { metric: string; cell: (r: BenchRecord) => string; key?: boolean }[] = [
  { metric: 'measured speedup', cell: (r) => formatSpeedup(r.comparison.measured), key: true },
  { metric: 'with token permutation', cell: (r) => formatSpeedup(r.comparison.measuredWithPermute) },
  {
    metric: 'simulated speedup',
    cell: (r) => formatSpeedup(r.comparison.simulated) + (r.simulation.paperSimulated === undefined ? '' : ` (GNA paper's ratio ${formatSpeedup(r.simulation.paperSimulated)})`),
    key: true,
  },
  { metric: 'share of the bound', cell: (r) => formatPercent(r.comparison.shareOfBound), key: true },
  { metric: 'tile-pair bound', cell: (r) => formatSpeedup(r.comparison.tilePairBound) },
  { metric: 'FLOP-wise bound', cell: (r) => formatSpeedup(r.comparison.flopBound) },
  { metric: 'dense kernel', cell: (r) => formatMs(r.comparison.denseMs) },
  { metric: 'GNA kernel', cell: (r) => formatMs(r.comparison.gnaMs) },
  { metric: 'token permutation', cell: (r) => (r.comparison.permuteMs > 0 ? formatMs(r.comparison.permuteMs) : 'none') },
  { metric: 'TFLOP/s on visited tiles', cell: (r) => `${r.comparison.gnaTflops.toFixed(0)} (dense ${r.comparison.denseTflops.toFixed(0)})` },
  {
    metric: 'tile pairs visited',
    cell: (r) => `${r.gna.visited.toLocaleString('en-US')} of ${r.simulation.total.toLocaleString('en-US')}, ${r.gna.full.toLocaleString('en-US')} full${r.simulation.blockSparse ? ' (block-sparse)' : ''}`,
  },
  { metric: 'layout', cell: (r) => formatTuple(r.problem.inputSize) },
  { metric: 'window', cell: (r) => formatTuple(r.problem.windowSize) },
  { metric: 'stride', cell: (r) => formatTuple(r.problem.stride) },
  { metric: 'dilation', cell: (r) => formatTuple(r.problem.dilation) },
  { metric: 'causal', cell: (r) => formatTuple(r.problem.causal) },
  { metric: 'Q / KV tile', cell: (r) => `${formatTuple(r.tiles.q)} / ${formatTuple(r.tiles.kv)}` },
  { metric: 'workload', cell: (r) => `batch ${r.workload.batch}, ${r.workload.heads} heads × ${r.workload.headDim}, ${r.dtype === 'bfloat16' ? 'bf16' : 'fp16'}` },
  { metric: 'GPU', cell: (r) => describeGpu(r.gpu) },
  { metric: 'driver / CUDA runtime', cell: (r) => `${cudaVersion(r.driverVersion)} / ${cudaVersion(r.runtimeVersion)}` },
  { metric: 'kernel variant', cell: (r) => kernelVariant(r) },
  { metric: 'repeats', cell: (r) => `median of ${r.gna.repeats}` },
  { metric: 'measured', cell: (r) => `${when(r.at)}${r.origin === 'imported' ? ' (imported)' : ''}` },
];

/** The pass row, and the backward's rows where a shown run timed the training step (the CLI's words, core/benchBackward.ts). */
const PASS_METRIC = { metric: 'pass', cell: (r: BenchRecord) => (r.backward ? 'training: forward, backward and training step' : 'forward'), key: true };
const NOT_TIMED = 'not timed (forward run)';
const passCell = (pass: BackwardPass) => (r: BenchRecord) => {
  const p = r.backward?.passes.find((q) => q.pass === pass);
  return p ? passText(p) : NOT_TIMED;
};
const BACKWARD_METRICS: readonly { metric: string; cell: (r: BenchRecord) => string; key?: boolean }[] = [
  { metric: 'backward', cell: passCell('backward'), key: true },
  { metric: 'training step', cell: passCell('training'), key: true },
  {
    metric: 'backward simulated',
    cell: (r) => {
      const b = r.backward?.simulation;
      return b
        ? `${formatSpeedup(b.simulated)} (worst KV tile: ${b.worstKvTileVisits} Q-tile visits, ${b.denseKvTileVisits} in self attention; tile-pair bound ${formatSpeedup(b.tilePairBound)})`
        : NOT_TIMED;
    },
  },
  {
    metric: 'training step simulated',
    cell: (r) => {
      const t = r.backward?.training;
      return t ? `${formatSpeedup(t.simulated)} (backward ${formatPercent(t.backwardShare)} of the GNA step, at ${t.backwardFlopRatio}× the forward's FLOPs per tile pair)` : NOT_TIMED;
    },
  },
  { metric: 'backward Q / KV tile', cell: (r) => (r.backward ? `${formatTuple(r.backward.tiles.q)} / ${formatTuple(r.backward.tiles.kv)}` : NOT_TIMED) },
];

/** The one line of the shown runs whose backward was not measured (the first such run's reason). */
function passNote(records: readonly BenchRecord[]): string {
  for (const r of records) {
    const note = r.backward && backwardNotMeasured(r.backward);
    if (note) return records.length > 1 ? `${r.label}: ${note}` : note;
  }
  return '';
}

/** A pass's measured speedup, NaN where it was not measured. */
function measuredOf(r: BenchRecord, pass: BackwardPass): number {
  const p = r.backward?.passes.find((q) => q.pass === pass);
  return p?.available ? p.measured : NaN;
}

function simulatedOf(r: BenchRecord, pass: BackwardPass): number {
  return (pass === 'backward' ? r.backward?.simulation.simulated : r.backward?.training.simulated) ?? NaN;
}

/** `7.78×`, or `not measured` for NaN. */
const speedupOrNot = (x: number): string => (Number.isNaN(x) ? 'not measured' : formatSpeedup(x));

export function buildView(records: readonly BenchRecord[], selected: readonly string[]): ReportView {
  const ids = effectiveSelection(records, selected);
  const chosen = ids.map((id) => records.find((r) => r.id === id)!).filter(Boolean);
  if (chosen.length === 0) {
    return { mode: 'empty', records: [], headline: 'No benchmark runs yet.', subtitle: '', columns: [], rows: [], chart: { kind: 'none', labels: [], series: [], yLabel: '' }, chartText: '', passNote: '' };
  }
  if (chosen.length === 1 && chosen[0].sweep && sweepPoints(records, chosen[0]).length > 1) return sweepView(sweepPoints(records, chosen[0]));
  if (chosen.length === 1) return singleView(chosen[0]);
  return compareView(chosen);
}

function table(records: readonly BenchRecord[]): TableRow[] {
  const [lead, ...rest] = METRICS;
  // After the forward's measured speedup: what was timed, then the backward's rows where any run has one.
  const metrics = [lead, PASS_METRIC, ...(records.some((r) => r.backward) ? BACKWARD_METRICS : []), ...rest];
  return metrics.map((m) => ({ metric: m.metric, cells: records.map(m.cell), ...(m.key ? { key: true } : {}) }));
}

function singleView(r: BenchRecord): ReportView {
  if (r.backward) return trainingView(r);
  const c = r.comparison;
  const series: ChartSeries[] = [
    { name: 'measured', role: 'measured', values: [c.measured] },
    { name: 'with permutation', role: 'measuredWithPermute', values: [c.measuredWithPermute] },
    { name: 'simulated', role: 'simulated', values: [c.simulated] },
    { name: 'tile-pair bound', role: 'tilePair', values: [c.tilePairBound] },
    { name: 'FLOP-wise bound', role: 'flop', values: [c.flopBound] },
  ];
  return {
    mode: 'single',
    records: [r],
    headline: `${formatSpeedup(c.measured)} measured vs ${formatSpeedup(c.simulated)} simulated (${formatPercent(c.shareOfBound)} of the bound)`,
    subtitle: `${r.label} — ${describeGpu(r.gpu)}, ${kernelVariant(r)}`,
    columns: [r.label],
    rows: table([r]),
    chart: { kind: 'bars', labels: [r.label], series, yLabel: 'speedup over dense (×)' },
    chartText: `Speedup over dense: ${series.map((s) => `${s.name} ${formatSpeedup(s.values[0])}`).join(', ')}.`,
    passNote: '',
  };
}

/** One training run: the forward's headline and the training step's; bars of measured and simulated per pass. */
function trainingView(r: BenchRecord): ReportView {
  const c = r.comparison;
  const passes = ['forward', 'backward', 'training step'];
  const measured = [c.measured, measuredOf(r, 'backward'), measuredOf(r, 'training')];
  const simulated = [c.simulated, simulatedOf(r, 'backward'), simulatedOf(r, 'training')];
  const step = Number.isNaN(measured[2]) ? `training step ${formatSpeedup(simulated[2])} simulated, not measured` : `training step ${formatSpeedup(measured[2])} measured vs ${formatSpeedup(simulated[2])} simulated`;
  return {
    mode: 'single',
    records: [r],
    headline: `${formatSpeedup(c.measured)} measured vs ${formatSpeedup(c.simulated)} simulated (${formatPercent(c.shareOfBound)} of the bound); ${step}`,
    subtitle: `${r.label} — ${describeGpu(r.gpu)}, ${kernelVariant(r)}`,
    columns: [r.label],
    rows: table([r]),
    chart: {
      kind: 'bars',
      labels: passes,
      series: [
        { name: 'measured', role: 'measured', values: measured },
        { name: 'simulated', role: 'simulated', values: simulated },
      ],
      yLabel: 'speedup over dense (×)',
    },
    chartText: `Speedup over dense: ${passes.map((p, i) => `${p} measured ${speedupOrNot(measured[i])}, simulated ${formatSpeedup(simulated[i])}`).join('; ')}.`,
    passNote: passNote([r]),
  };
}

function compareView(records: readonly BenchRecord[]): ReportView {
  const labels = records.map((_, i) => `#${i + 1}`);
  const series: ChartSeries[] = [
    { name: 'measured', role: 'measured', values: records.map((r) => r.comparison.measured) },
    { name: 'simulated', role: 'simulated', values: records.map((r) => r.comparison.simulated) },
  ];
  return {
    mode: 'compare',
    records,
    headline: `Comparing ${records.length} runs: measured ${range(series[0].values)}, simulated ${range(series[1].values)}`,
    subtitle: [...new Set(records.map((r) => describeGpu(r.gpu)))].join(' · '),
    columns: records.map((r, i) => `#${i + 1} ${r.label}`),
    rows: table(records),
    chart: { kind: 'bars', labels, series, yLabel: 'speedup over dense (×)' },
    chartText: records.map((r, i) => `#${i + 1} ${r.label}: measured ${formatSpeedup(r.comparison.measured)}, simulated ${formatSpeedup(r.comparison.simulated)}`).join('; '),
    passNote: passNote(records),
  };
}

function sweepView(points: readonly BenchRecord[]): ReportView {
  const kind = points[0].sweep!.kind;
  const labels = points.map(sweepLabel);
  const series: ChartSeries[] = [
    { name: 'measured', role: 'measured', values: points.map((r) => r.comparison.measured) },
    { name: 'simulated', role: 'simulated', values: points.map((r) => r.comparison.simulated) },
    { name: 'tile-pair bound', role: 'tilePair', values: points.map((r) => r.comparison.tilePairBound) },
    // A training sweep: its training step too (measured only where every point was).
    ...(points.every((r) => r.backward)
      ? [
          ...(points.every((r) => !Number.isNaN(measuredOf(r, 'training'))) ? [{ name: 'training step measured', role: 'trainingMeasured' as const, values: points.map((r) => measuredOf(r, 'training')) }] : []),
          { name: 'training step simulated', role: 'trainingSimulated' as const, values: points.map((r) => simulatedOf(r, 'training')) },
        ]
      : []),
  ];
  const missing = points[0].sweep!.count - points.length;
  return {
    mode: 'sweep',
    records: points,
    headline:
      `${kind === 'stride' ? 'Stride' : 'Window'} sweep of ${points.length} configs: measured ${range(series[0].values)}, simulated ${range(series[1].values)}` +
      (missing > 0 ? ` (${missing} point${missing === 1 ? '' : 's'} deleted)` : ''),
    subtitle: `${kind === 'stride' ? 'strides' : 'windows'} ${labels.join(', ')} — ${describeGpu(points[0].gpu)}, ${kernelVariant(points[0])}`,
    columns: points.map((r) => `${kind} ${sweepLabel(r)}`),
    rows: table(points),
    chart: { kind: 'series', labels, series, yLabel: 'speedup over dense (×)' },
    chartText: points.map((r) => `${kind} ${sweepLabel(r)}: measured ${formatSpeedup(r.comparison.measured)}, simulated ${formatSpeedup(r.comparison.simulated)}`).join('; '),
    passNote: passNote(points),
  };
}

function range(values: readonly number[]): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? formatSpeedup(lo) : `${formatSpeedup(lo)}–${formatSpeedup(hi)}`;
}

/** One history row: when, config, GPU, measured vs simulated. */
export interface HistoryRow {
  readonly id: string;
  readonly when: string;
  readonly label: string;
  readonly gpu: string;
  readonly measured: string;
  readonly simulated: string;
  readonly share: string;
  readonly sweep?: string;
  /** `training` for a run that timed the backward too. */
  readonly pass?: string;
}

export function historyRows(records: readonly BenchRecord[]): HistoryRow[] {
  return records.map((r) => ({
    id: r.id,
    when: when(r.at),
    label: r.label,
    gpu: r.gpu?.name ?? 'no GPU recorded',
    measured: formatSpeedup(r.comparison.measured),
    simulated: formatSpeedup(r.comparison.simulated),
    share: formatPercent(r.comparison.shareOfBound),
    ...(r.sweep ? { sweep: `${r.sweep.kind} sweep ${r.sweep.index + 1}/${r.sweep.count}` } : {}),
    ...(r.backward ? { pass: 'training' } : {}),
  }));
}

/** A "nice" upper end for the y axis and its tick step: 1, 2 or 5 × 10^k. */
export function niceScale(max: number, ticks = 5): { top: number; step: number } {
  if (!(max > 0) || !Number.isFinite(max)) return { top: 1, step: 0.2 };
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  return { top: Math.ceil(max / step) * step, step };
}
