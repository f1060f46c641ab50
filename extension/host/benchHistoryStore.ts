// The benchmark history: every measured or imported run, kept in the workspace's state (newest
// first, capped at MAX_HISTORY), read once and validated with the runtime's zod schemas; Import
// (a `gna bench --json` file or an exported history) and Export (JSON or CSV).

import * as vscode from 'vscode';
import type { BenchRecord } from '../core/bench';
import type { BenchmarkOutcome } from './benchOutcome';
import { warned } from './benchOutcome';
import type { Ctx } from './context';
import { addRecords, historyCsv, historyJson, MAX_HISTORY, newRecordId, pickRecords, removeRecords } from './pure/benchHistory';

const HISTORY_KEY = 'gna.benchmark.history';
/** Imports larger than this are refused before reading (a history of MAX_HISTORY is ~300 KB). */
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export class HistoryStore {
  private cache?: BenchRecord[];

  /** @param changed called after every change (the report shows the history). */
  constructor(
    private readonly ctx: Ctx,
    private readonly changed: () => void,
  ) {}

  get records(): BenchRecord[] {
    if (!this.cache) {
      const { records, dropped } = this.ctx.bundle('benchRuntime').parseHistory(this.ctx.workspaceState.get<unknown>(HISTORY_KEY));
      if (dropped > 0) this.ctx.output.warn(`benchmark history: dropped ${dropped} stored record(s) that no longer validate`);
      this.cache = records;
    }
    return this.cache;
  }

  /** Adds records at the top (callers pass them newest first). */
  add(records: readonly BenchRecord[]): Promise<void> {
    return this.save(addRecords(this.records, records, MAX_HISTORY));
  }

  /** Removes these records; answers how many there were. */
  async remove(ids: readonly string[]): Promise<number> {
    const before = this.records;
    const after = removeRecords(before, ids);
    await this.save(after);
    return before.length - after.length;
  }

  private async save(records: BenchRecord[]): Promise<void> {
    this.cache = records;
    await this.ctx.workspaceState.update(HISTORY_KEY, records);
    this.changed();
  }

  /** `gna.importBenchmarkResult [uri]`: a `gna bench --json` file or an exported history. */
  async importFile(arg: unknown): Promise<BenchmarkOutcome> {
    let uri = asUri(arg);
    if (!uri) {
      const picked = await vscode.window.showOpenDialog({
        title: 'Import a benchmark result (gna bench --json, or an exported history)',
        canSelectMany: false,
        filters: { 'JSON': ['json'] },
        ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
      });
      if (!picked?.[0]) return { shown: 'info', message: 'Import cancelled.' };
      uri = picked[0];
    }
    const fileName = uri.path.split('/').pop() ?? uri.toString();
    const stat = await vscode.workspace.fs.stat(uri);
    // A pipe or a device (`stat.type` without the File bit) is never opened: it could be read forever.
    if ((stat.type & vscode.FileType.File) === 0) return warned(`${fileName} is not a regular file. Nothing was imported.`);
    if (stat.size > MAX_IMPORT_BYTES) return warned(`${fileName} is ${(stat.size / 2 ** 20).toFixed(0)} MiB; a benchmark result is far smaller. Nothing was imported.`);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const existing = this.records;
    const at = new Date(stat.mtime > 0 ? stat.mtime : Date.now()).toISOString();
    const parsed = await this.ctx.bundle('benchRuntime').parseImport(text, { id: () => newRecordId(Date.now(), Math.random), at, fileName }, new Set(existing.map((r) => r.id)));
    if ('error' in parsed) return warned(parsed.error);
    await this.add(parsed.records);
    const ids = parsed.records.map((r) => r.id);
    const message = `Imported ${ids.length} measured run${ids.length === 1 ? '' : 's'} from ${fileName}.`;
    void vscode.window.showInformationMessage(message);
    return { shown: 'report', message, records: ids };
  }

  /** `gna.exportBenchmarkHistory [format] [target] [ids]`: asks for what it is not given. */
  async exportFile(formatArg: unknown, targetArg: unknown, idsArg: unknown): Promise<BenchmarkOutcome> {
    const format =
      formatArg === 'json' || formatArg === 'csv'
        ? formatArg
        : (
            await vscode.window.showQuickPick(
              [
                { label: 'JSON', description: 'every number, re-importable', value: 'json' as const },
                { label: 'CSV', description: 'one row per run, for spreadsheets', value: 'csv' as const },
              ],
              { title: 'Export the benchmark history as' },
            )
          )?.value;
    if (!format) return { shown: 'info', message: 'Export cancelled.' };
    const ids = Array.isArray(idsArg) ? idsArg.filter((x): x is string => typeof x === 'string') : [];
    const records = pickRecords(this.records, ids);
    if (records.length === 0) return warned('Nothing to export: the benchmark history is empty.');
    let target = asUri(targetArg);
    if (!target) {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      target = await vscode.window.showSaveDialog({
        title: `Export ${records.length} benchmark run${records.length === 1 ? '' : 's'}`,
        filters: format === 'json' ? { JSON: ['json'] } : { CSV: ['csv'] },
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `gna-benchmarks.${format}`) } : {}),
      });
      if (!target) return { shown: 'info', message: 'Export cancelled.' };
    }
    const text = format === 'json' ? historyJson(records, new Date().toISOString()) : historyCsv(records);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    const message = `Saved ${records.length} run${records.length === 1 ? '' : 's'} as ${format.toUpperCase()} to ${vscode.workspace.asRelativePath(target, false)}.`;
    this.ctx.output.info(message);
    return { shown: 'info', message };
  }
}

/** A command's file argument: a Uri, or its string form. */
function asUri(arg: unknown): vscode.Uri | undefined {
  return arg instanceof vscode.Uri ? arg : typeof arg === 'string' && arg !== '' ? vscode.Uri.parse(arg, true) : undefined;
}
