// The typed protocol between the extension host and the benchmark report webview: one
// discriminated union per direction, validated with zod where it is received. The host holds the
// history (workspace storage) and runs benchmarks; the page shows records, keeps the selection,
// and asks the host for everything that touches files or the GPU. Pure: no DOM, no `vscode`.

import { z } from 'zod';
import { parseWith, Parsed, RequestIdSchema } from './common';
import { BenchRecordSchema, RecordedBackwardSchema } from '../../extension/core/benchSchema';
import type { Frozen } from '../../extension/core/schema';

export { BenchRecordSchema } from '../../extension/core/benchSchema';
export type { BenchRecord } from '../../extension/core/bench';

const RecordId = z.string().min(1).max(100);
const Ids = z.array(RecordId).max(1000);
const Speedup = z.number().nonnegative();

/** A config that could not be measured here: what the simulator says, and why it was not run. */
export const SimulatedOnlySchema = z.object({
  label: z.string().max(1000),
  /** `Not run: no NVIDIA driver on this machine.` and what to do about it. */
  reason: z.string().max(4000),
  qTile: z.array(z.number().int().positive()).min(1).max(3),
  kvTile: z.array(z.number().int().positive()).min(1).max(3),
  simulated: Speedup,
  /** The GNA paper's ratio, where padding or dilation groups make it differ. */
  paperSimulated: Speedup.optional(),
  tilePairBound: Speedup,
  flopBound: Speedup,
  sparsity: z.number().min(0).max(1),
  blockSparse: z.boolean(),
  visited: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** With `gna.pass` training: the backward's and the training step's simulated numbers (no pass measured). */
  backward: RecordedBackwardSchema.optional(),
});
export type SimulatedOnly = Frozen<z.infer<typeof SimulatedOnlySchema>>;

export const NoticeSchema = z.object({ level: z.enum(['info', 'warning', 'error']), text: z.string().max(4000) });
export type Notice = z.infer<typeof NoticeSchema>;

export const ReportHostMessageSchema = z.discriminatedUnion('type', [
  // Host → page, after `ready` and whenever the history, the run queue or the focus changes:
  // everything the page shows. `focus` (ids) replaces the page's selection when present (a new
  // run, an opened sweep); otherwise the page keeps its own.
  z.object({
    type: z.literal('show'),
    records: z.array(BenchRecordSchema).max(1000),
    focus: Ids.optional(),
    /** The latest config that could not be measured here, with its simulated numbers. */
    simulatedOnly: SimulatedOnlySchema.optional(),
    /** What the run queue is doing (`Running 2 of 7: …`), absent when idle. */
    status: z.string().max(1000).optional(),
    notice: NoticeSchema.optional(),
    /** Whether benchmarks can be started from the page (trusted workspace). */
    canRun: z.boolean(),
  }),
  // Host → page, answering an action (export, delete, sweep, rerun): done or why not, in words.
  z.object({ type: z.literal('actionResult'), requestId: RequestIdSchema, ok: z.boolean(), message: z.string().max(4000) }),
]);
/** Read-only like the records it carries (core/schema.ts Frozen). */
export type ReportHostMessage = Frozen<z.infer<typeof ReportHostMessageSchema>>;

/** What the page drew, reported after every render (tests and the output log read it). */
export const ReportRenderedSchema = z.object({
  mode: z.enum(['empty', 'single', 'compare', 'sweep']),
  records: z.number().int().nonnegative(),
  selected: Ids,
  /** Rows × record columns of the details table. */
  tableRows: z.number().int().nonnegative(),
  tableColumns: z.number().int().nonnegative(),
  /** The headline under the title, e.g. `7.92× measured vs 10.2× simulated (77% of the bound)`. */
  headline: z.string().max(1000),
  chart: z.object({
    kind: z.enum(['none', 'bars', 'series']),
    series: z.number().int().nonnegative(),
    points: z.number().int().nonnegative(),
    width: z.number().nonnegative(),
    height: z.number().nonnegative(),
  }),
  simulatedOnly: z.boolean(),
  /** The line saying a training run's backward was not measured (why, and its simulated numbers); '' when none. */
  passNote: z.string().max(4000),
  /** The simulated-only card's rows (the backward's and the training step's too, with gna.pass training). */
  simulatedRows: z.number().int().nonnegative(),
  /** The notice line as shown (an action's answer, or the host's notice). */
  notice: z.string().max(4000),
});
export type ReportRendered = z.infer<typeof ReportRenderedSchema>;

export const ExportFormatSchema = z.enum(['json', 'csv']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

export const ReportWebviewMessageSchema = z.discriminatedUnion('type', [
  // Page → host, once its script runs (and after a reload): send me `show`.
  z.object({ type: z.literal('ready') }),
  // Page → host, after each render: see ReportRenderedSchema.
  z.object({ type: z.literal('rendered'), rendered: ReportRenderedSchema }),
  // Page → host, "Export JSON" / "Export CSV": the selected records (all when `ids` is empty);
  // the host asks where to save.
  z.object({ type: z.literal('export'), requestId: RequestIdSchema, format: ExportFormatSchema, ids: Ids }),
  // Page → host, "Delete": remove these records from the history.
  z.object({ type: z.literal('delete'), requestId: RequestIdSchema, ids: Ids.min(1) }),
  // Page → host, "Sweep strides" / "Sweep windows": run a series around this record's config.
  z.object({ type: z.literal('sweep'), requestId: RequestIdSchema, id: RecordId, kind: z.enum(['stride', 'window']) }),
  // Page → host, "Run again": the same config and workload, measured now.
  z.object({ type: z.literal('rerun'), requestId: RequestIdSchema, id: RecordId }),
  // Page → host, "Import…": ask for a `gna bench --json` file or an exported history.
  z.object({ type: z.literal('import'), requestId: RequestIdSchema }),
  // Page → host, an exception in the page, for the output channel.
  z.object({ type: z.literal('error'), message: z.string().max(8000) }),
]);
export type ReportWebviewMessage = z.infer<typeof ReportWebviewMessageSchema>;

export const parseReportHostMessage = (data: unknown): Parsed<ReportHostMessage> => parseWith(ReportHostMessageSchema, data);
export const parseReportWebviewMessage = (data: unknown): Parsed<ReportWebviewMessage> => parseWith(ReportWebviewMessageSchema, data);
