// The benchmark's heavy half, bundled apart (dist/benchRuntime.js, see scripts/build.mjs) and
// required on the first benchmark, history or report action, never at activation: the native
// engine's wrapper (which loads the addon on its own first call) and the zod schemas of the
// history, the report protocol and the files Import reads. No `vscode` here.

import { BenchRecord } from '../core/bench';
import { BenchJsonSchema, BenchJsonUnavailableSchema, BenchRecordSchema, firstIssue, HistoryFileSchema } from '../core/benchSchema';
import { problemText, recordFromBenchJson } from './pure/benchHistory';

export { gnaNative, GnaNativeError } from '../native';
export type { BenchmarkResult, DeviceInfo } from '../native';
export { parseReportWebviewMessage, parseReportHostMessage } from '../../webview/protocol/report';

/**
 * The history as stored in the workspace: every record that still validates (the stored form
 * may come from an older version, or be edited by hand); the rest are dropped and counted.
 */
export function parseHistory(stored: unknown): { records: BenchRecord[]; dropped: number } {
  if (!Array.isArray(stored)) return { records: [], dropped: stored === undefined ? 0 : 1 };
  const records: BenchRecord[] = [];
  const ids = new Set<string>();
  let dropped = 0;
  for (const item of stored) {
    const r = BenchRecordSchema.safeParse(item);
    if (r.success && !ids.has(r.data.id)) {
      records.push(r.data);
      ids.add(r.data.id);
    } else dropped++;
  }
  return { records, dropped };
}

export interface ImportMeta {
  /** A fresh id for the n-th imported measurement. */
  id(n: number): string;
  /** When the file was written (ISO), for records that do not say when they were measured. */
  readonly at: string;
  /** The file's name, for labels. */
  readonly fileName: string;
}

/** `gna bench --json` measurements one file may hold: the history keeps this many runs in all. */
export const MAX_IMPORT_ENTRIES = 200;

/** Lets the host's event loop turn between two entries' recomputations. */
const yieldToHost = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Records from a file's text: an exported history (records kept as they are, with fresh ids
 * where they clash with `existing`), or `gna bench --json` output (one object or a list). Never
 * rejects: a file it cannot read gives the reason. Each measurement's simulation is computed
 * again (bounded by the core's work budget) one entry per turn of the event loop, and the record
 * it makes must pass the same schema as a record measured here: a zero kernel time, whose
 * speedup would be Infinity, is refused rather than stored.
 */
export async function parseImport(text: string, meta: ImportMeta, existing: ReadonlySet<string>): Promise<{ records: BenchRecord[] } | { error: string }> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { error: `${meta.fileName} is not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (typeof json === 'object' && json !== null && 'format' in json) {
    const history = HistoryFileSchema.safeParse(json);
    if (!history.success) return { error: `${meta.fileName} is not a GNA Studio benchmark history: ${firstIssue(history.error)}` };
    let n = 0;
    return { records: history.data.records.map((r) => (existing.has(r.id) ? { ...r, id: meta.id(n++), origin: 'imported' } : { ...r, origin: 'imported' })) };
  }
  const items = Array.isArray(json) ? json : [json];
  if (items.length === 0) return { error: `${meta.fileName} holds no measurement.` };
  if (items.length > MAX_IMPORT_ENTRIES) return { error: `${meta.fileName} holds ${items.length} measurements; at most ${MAX_IMPORT_ENTRIES} are imported at once (the history keeps ${MAX_IMPORT_ENTRIES}).` };
  const records: BenchRecord[] = [];
  for (const [i, item] of items.entries()) {
    const where = items.length > 1 ? ` (entry ${i + 1})` : '';
    const unavailable = BenchJsonUnavailableSchema.safeParse(item);
    if (unavailable.success) return { error: `${meta.fileName}${where} records no measurement: ${unavailable.data.reason}` };
    const bench = BenchJsonSchema.safeParse(item);
    if (!bench.success) return { error: `${meta.fileName}${where} is not \`gna bench --json\` output: ${firstIssue(bench.error)}` };
    for (const kernel of ['dense', 'gna'] as const) {
      if (!(bench.data[kernel].attentionMs > 0)) return { error: `${meta.fileName}${where} records a ${kernel} kernel time of ${bench.data[kernel].attentionMs} ms, which no run measures.` };
    }
    if (i > 0) await yieldToHost();
    const label = `${problemText(bench.data.problem)} · ${meta.fileName}${where}`;
    const record = BenchRecordSchema.safeParse(recordFromBenchJson(bench.data, { id: meta.id(i), at: meta.at, label }));
    if (!record.success) return { error: `${meta.fileName}${where} gives numbers a benchmark record cannot hold: ${firstIssue(record.error)}` };
    records.push(record.data);
  }
  return { records };
}
