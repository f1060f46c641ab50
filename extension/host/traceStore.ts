// The workspace's traced runs: `.gna/trace.json` of each workspace folder, read (zod-checked,
// through the linter's bundle, which carries zod, loaded on first need) when it appears, watched, and asked per document
// for what the run recorded there. A new or changed trace refreshes every feature (hints, hovers,
// diagnostics, lenses, the preview) through the context.

import { createHash } from 'crypto';
import * as vscode from 'vscode';
import { FileTrace, traceForFile } from '../core/trace';
import type { TraceFile } from '../core/traceSchema';
import type { Ctx } from './context';

export const TRACE_GLOB = '.gna/trace.json';
/** A workspace's trace above this is ignored with a warning: it is read on the host's thread. */
const MAX_TRACE_BYTES = 64 * 1024 * 1024;

export interface LoadedTrace {
  readonly folder: vscode.WorkspaceFolder;
  readonly uri: vscode.Uri;
  readonly trace: TraceFile;
}

export interface DocumentTrace {
  /** Changes whenever any trace is loaded again: part of the lint cache key. */
  readonly key: string;
  readonly trace?: FileTrace;
}

export class TraceStore implements vscode.Disposable {
  private readonly traces = new Map<string, LoadedTrace>();
  private readonly perDocument = new Map<string, { version: number; generation: number; result: DocumentTrace }>();
  private generation = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];

  /** A trace was loaded, changed or removed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly ctx: Ctx) {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${TRACE_GLOB}`);
    const reload = (uri: vscode.Uri) => {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (folder && vscode.Uri.joinPath(folder.uri, TRACE_GLOB).toString() === uri.toString()) void this.load(folder);
    };
    this.disposables.push(
      watcher,
      watcher.onDidCreate(reload),
      watcher.onDidChange(reload),
      watcher.onDidDelete(reload),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.loadAll()),
      vscode.workspace.onDidCloseTextDocument((d) => this.perDocument.delete(d.uri.toString())),
    );
  }

  /** Every loaded trace, one per workspace folder that has one. */
  all(): LoadedTrace[] {
    return [...this.traces.values()];
  }

  async loadAll(): Promise<void> {
    await Promise.all((vscode.workspace.workspaceFolders ?? []).map((f) => this.load(f, false)));
    this.publish('traces loaded');
  }

  /** (Re)reads one folder's trace; a missing file removes it, a broken one is logged and dropped. */
  async load(folder: vscode.WorkspaceFolder, publish = true): Promise<void> {
    const uri = vscode.Uri.joinPath(folder.uri, TRACE_GLOB);
    const key = folder.uri.toString();
    let bytes: Uint8Array | undefined;
    try {
      // The workspace decides what is there: a pipe, a device or a huge file is refused unread.
      const stat = await vscode.workspace.fs.stat(uri);
      if ((stat.type & vscode.FileType.File) === 0 || stat.size > MAX_TRACE_BYTES) {
        this.ctx.output.warn(`${vscode.workspace.asRelativePath(uri)} is ignored: not a regular file of at most ${MAX_TRACE_BYTES / 2 ** 20} MiB.`);
        bytes = undefined;
      } else bytes = await vscode.workspace.fs.readFile(uri);
    } catch {
      bytes = undefined; // no trace in this folder
    }
    const had = this.traces.delete(key);
    if (bytes) {
      const parsed = this.ctx.bundle('linter').parseTraceText(new TextDecoder().decode(bytes));
      if (typeof parsed === 'string') this.ctx.output.warn(`${vscode.workspace.asRelativePath(uri)} is ignored: ${parsed}`);
      else {
        this.traces.set(key, { folder, uri, trace: parsed });
        this.ctx.output.info(`trace ${vscode.workspace.asRelativePath(uri)}: ${parsed.calls.length} traced call sites and configs (${parsed.tracedAt})`);
      }
    }
    if (publish && (had || bytes)) this.publish('trace changed');
  }

  /** What the workspace folder's trace recorded for this document (cached per document version). */
  forDocument(document: vscode.TextDocument): DocumentTrace {
    const key = document.uri.toString();
    const cached = this.perDocument.get(key);
    if (cached && cached.version === document.version && cached.generation === this.generation) return cached.result;
    const folder = document.uri.scheme === 'file' ? vscode.workspace.getWorkspaceFolder(document.uri) : undefined;
    const loaded = folder ? this.traces.get(folder.uri.toString()) : undefined;
    let trace: FileTrace | undefined;
    if (loaded) {
      const sha256 = createHash('sha256').update(document.getText()).digest('hex');
      trace = traceForFile(loaded.trace, { path: document.uri.fsPath, sha256 }, loaded.folder.uri.fsPath);
    }
    const result: DocumentTrace = { key: `trace${this.generation}`, ...(trace ? { trace } : {}) };
    this.perDocument.set(key, { version: document.version, generation: this.generation, result });
    return result;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private publish(reason: string): void {
    this.generation++;
    this.perDocument.clear();
    this.changed.fire();
    this.ctx.invalidate(reason);
  }
}
