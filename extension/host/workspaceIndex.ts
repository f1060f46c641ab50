// The workspace's Python files for the linter's resolution across files (a class's call sites in
// another file, a config class imported from another module): found once the linter has loaded,
// kept up to date by a file watcher and by the open documents (whose unsaved text wins over the
// disk), and handed to the lint worker as they change, one changed file at a time. Open documents
// whose last lint consulted a changed file, or searched for a word it now mentions, are linted
// again. Bounded (host/pure/indexBudget.ts): a file count (gna.workspaceIndex.maxFiles, a
// restricted setting: only the user's value counts in an untrusted workspace), a size per file
// and in all, and a time for the first scan; a bound that cuts the index is said in the output.

import * as vscode from 'vscode';
import type { Ctx } from './context';
import {
  DEFAULT_MAX_INDEXED_FILES,
  excludedGlobs,
  exclusionMatcher,
  IndexBudget,
  MAX_INDEXED_FILES,
  Refusal,
  refusalMessage,
  SCAN_TIME_BUDGET_MS,
} from './pure/indexBudget';
import { SKIPPED_DIRS } from '../python/workspaceFiles';

/** Files read at once during the first scan. */
const READ_CONCURRENCY = 16;
/** Files sent to the worker per message during the first scan. */
const BATCH_FILES = 200;
/** Changes (saves, checkouts, typing in another document) are gathered this long before they are read and sent. */
const CHANGE_DEBOUNCE_MS = 300;

function maxFiles(): number {
  const raw = vscode.workspace.getConfiguration('gna').get<unknown>('workspaceIndex.maxFiles');
  return Number.isSafeInteger(raw) && (raw as number) >= 0 ? Math.min(raw as number, MAX_INDEXED_FILES) : DEFAULT_MAX_INDEXED_FILES;
}

export function register(ctx: Ctx): vscode.Disposable {
  return new WorkspaceIndex(ctx);
}

class WorkspaceIndex implements vscode.Disposable {
  private budget = new IndexBudget(DEFAULT_MAX_INDEXED_FILES);
  private excluded: (relativePath: string) => boolean = () => false;
  private globs: string[] = [];
  /** Bumped by each (re)start: a scan of an older generation stops. */
  private generation = 0;
  private started = false;
  private readonly said = new Set<Refusal>();
  private readonly queued = new Set<string>();
  private timer?: ReturnType<typeof setTimeout>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.py');
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => this.queue(uri)),
      watcher.onDidChange((uri) => this.queue(uri)),
      watcher.onDidDelete((uri) => this.queue(uri)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.queue(e.document.uri);
      }),
      // Closed without saving: the disk's text holds again.
      vscode.workspace.onDidCloseTextDocument((document) => this.queue(document.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('files.exclude') || e.affectsConfiguration('gna.workspaceIndex')) this.restart('its settings changed');
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.restart('the workspace folders changed')),
      ctx.onDidLoadLinter(() => this.restart()),
    );
  }

  dispose(): void {
    this.generation++;
    clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  /** Empties the index and scans the workspace again (on first need, and when what it holds is redefined). */
  private restart(reason?: string): void {
    if (!this.ctx.linterLoaded) return;
    if (reason) this.ctx.output.info(`Workspace index: ${reason}, scanning again`);
    const generation = ++this.generation;
    this.started = true;
    this.said.clear();
    this.queued.clear();
    this.budget = new IndexBudget(maxFiles());
    this.globs = excludedGlobs(SKIPPED_DIRS, vscode.workspace.getConfiguration('files').get('exclude'));
    this.excluded = exclusionMatcher(this.globs);
    this.ctx.indexScan = this.scan(generation).catch((e: unknown) => this.ctx.logError('workspace index', e));
  }

  private async scan(generation: number): Promise<void> {
    this.ctx.resetWorkspaceFiles();
    const started = performance.now();
    if (this.budget.maxFiles === 0) {
      this.ctx.output.info('Workspace index: off (gna.workspaceIndex.maxFiles is 0); values are resolved within each file.');
      return;
    }
    const found = await vscode.workspace.findFiles('**/*.py', `{${this.globs.join(',')}}`, this.budget.maxFiles + 1);
    if (generation !== this.generation) return;
    const uris = found.sort((a, b) => (a.toString() < b.toString() ? -1 : 1));
    let batch = new Map<string, string>();
    let timedOut = false;
    for (let i = 0; i < uris.length; i += READ_CONCURRENCY) {
      if (performance.now() - started > SCAN_TIME_BUDGET_MS) {
        timedOut = true;
        this.ctx.output.warn(
          `Workspace index: the first scan stopped after ${SCAN_TIME_BUDGET_MS / 1000} s with ${this.budget.files} of ${uris.length} Python files read; the rest join as they change.`,
        );
        break;
      }
      const slice = uris.slice(i, i + READ_CONCURRENCY);
      const texts = await Promise.all(slice.map((uri) => this.read(uri)));
      if (generation !== this.generation) return;
      slice.forEach((uri, j) => {
        const text = texts[j];
        if (text !== undefined && this.admit(uri, text)) batch.set(uri.toString(), text);
      });
      if (batch.size >= BATCH_FILES) {
        this.ctx.updateWorkspaceFiles(batch, []);
        batch = new Map();
      }
    }
    this.ctx.updateWorkspaceFiles(batch, []);
    if (!timedOut) {
      this.ctx.output.info(
        `Workspace index: ${this.budget.files} Python files (${(this.budget.bytes / 2 ** 20).toFixed(1)} MiB) in ${(performance.now() - started).toFixed(0)} ms`,
      );
    }
  }

  /** Whether the index keeps this file's text; a refusal is said once per bound. */
  private admit(uri: vscode.Uri, text: string): boolean {
    const refusal = this.budget.admit(uri.toString(), Buffer.byteLength(text, 'utf8'));
    if (refusal) this.refused(uri, refusal);
    return refusal === undefined;
  }

  private refused(uri: vscode.Uri, refusal: Refusal): void {
    if (this.said.has(refusal)) return;
    this.said.add(refusal);
    this.ctx.output.warn(refusalMessage(refusal, this.budget, vscode.workspace.asRelativePath(uri)));
  }

  /** A file the index covers: Python, inside a workspace folder, not excluded. */
  private covers(uri: vscode.Uri): boolean {
    if (!uri.path.endsWith('.py') || uri.scheme === 'untitled') return false;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return false;
    const relative = uri.path.slice(folder.uri.path.replace(/\/$/, '').length + 1);
    return !this.excluded(relative);
  }

  /** The text the index holds for a file: the open document's, else the disk's (regular files within the size bound only). */
  private async read(uri: vscode.Uri): Promise<string | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.toString() === uri.toString());
    if (open) return open.getText();
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if ((stat.type & vscode.FileType.File) === 0) return undefined;
      if (stat.size > this.budget.maxFileBytes) {
        this.refused(uri, 'file-too-large');
        return undefined;
      }
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return undefined; // gone, or unreadable: not indexed
    }
  }

  private queue(uri: vscode.Uri): void {
    if (!this.started || !this.covers(uri)) return;
    this.queued.add(uri.toString());
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(this.generation).catch((e: unknown) => this.ctx.logError('workspace index', e)), CHANGE_DEBOUNCE_MS);
  }

  private async flush(generation: number): Promise<void> {
    const uris = [...this.queued].map((u) => vscode.Uri.parse(u));
    this.queued.clear();
    const set = new Map<string, string>();
    const deleted: string[] = [];
    for (const uri of uris) {
      const text = await this.read(uri);
      if (generation !== this.generation) return;
      const key = uri.toString();
      if (text !== undefined && this.admit(uri, text)) set.set(key, text);
      else {
        this.budget.remove(key);
        deleted.push(key);
      }
    }
    this.ctx.updateWorkspaceFiles(set, deleted);
  }
}
