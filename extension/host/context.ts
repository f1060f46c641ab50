// The one object that owns the host's state: the output channel, the workspace's stored state,
// the bundles loaded on first need, the linter (created on first need: its bundle and
// tree-sitter's wasm are the expensive part of startup), the lint of each open document keyed by
// its version and the lint options (so that diagnostics, inlay hints, hovers, lenses and code
// actions share one lint per version), the NATTEN call at the cursor, and command registration.

import * as vscode from 'vscode';
import type * as PreviewProtocol from '../../webview/protocol/preview';
import type { FileTrace } from '../core/trace';
import type * as LintModule from '../lint/index';
import type { CallReport, LintOptions, LintReport } from '../lint/types';
import type * as BenchRuntime from './benchRuntime';
import { toOffset } from './convert';
import { callsAt } from './pure/calls';
import type { NoCursorCall } from './pure/commandMessages';
import { HostSettings, lintOptionsKey } from './pure/settingsModel';
import { readSettings } from './settings';
import { WorkerLinter } from './workerLinter';
import { documentsToRelint, FileChange, WorkspaceDependencies } from '../python/workspaceFiles';

export interface DocumentLint {
  readonly version: number;
  readonly optionsKey: string;
  readonly report: LintReport;
  readonly settings: HostSettings;
  /** What the lint consulted of the workspace's other files (host/workspaceIndex.ts). */
  readonly dependencies: WorkspaceDependencies;
}

/** Documents the extension lints: Python sources, wherever they live (disk, untitled, notebooks). */
const LINTED_SCHEMES = ['file', 'untitled', 'vscode-notebook-cell', 'vscode-remote', 'vscode-vfs'];

/** The same documents as a selector for the language providers (not `git:` or diff copies). */
export const PYTHON_DOCUMENTS: vscode.DocumentSelector = LINTED_SCHEMES.map((scheme) => ({ language: 'python', scheme }));

/**
 * The bundles built apart from extension.js (scripts/build.mjs) and required on first need, so
 * that tree-sitter, zod and the native engine cost no activation time: `dist/<name>.js`.
 */
export interface Bundles {
  linter: typeof LintModule;
  previewProtocol: typeof PreviewProtocol;
  benchRuntime: typeof BenchRuntime;
}

/** The NATTEN call at the cursor: the innermost call's reports (one per dict variant), with its lint. */
export interface CursorCall {
  readonly document: vscode.TextDocument;
  readonly lint: DocumentLint;
  readonly calls: readonly CallReport[];
}

/** What a command registered through `Ctx.registerCommand` answers when it threw. */
export interface CommandFailure {
  readonly shown: 'error';
  readonly message: string;
}

export interface HostStats {
  /** Lints run so far (cache misses); tests use it to check that features share lints. */
  lints: number;
  /** The same per document URI: other documents linted meanwhile never disturb a document's count. */
  lintsByDocument: Record<string, number>;
  linterLoadMs?: number;
  linterError?: string;
  /** Lint workers replaced by the watchdog after a file outlived its budget. */
  lintTimeouts?: number;
  /** Python files of the workspace the linter resolves values across (host/workspaceIndex.ts). */
  indexedFiles?: number;
  /** Documents linted again because a file they depend on changed. */
  dependencyRelints?: number;
}

export class Ctx implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  readonly stats: HostStats = { lints: 0, lintsByDocument: {} };
  /** The workspace's traced runs (`gna trace`), once traceStore registers them. */
  traces?: { forDocument(document: vscode.TextDocument): { key: string; trace?: FileTrace } };
  private linter?: Promise<WorkerLinter | undefined>;
  private loaded?: WorkerLinter;
  /** Per document: bumped when a file its lint depends on changes, so that its cached lint no longer matches. */
  private readonly epochs = new Map<string, number>();
  private readonly linterLoadedEmitter = new vscode.EventEmitter<void>();
  /** Lints on their way, so that features asking at once for one version share one request. */
  private readonly pending = new Map<string, Promise<DocumentLint | undefined>>();
  private readonly bundles: Partial<Bundles> = {};
  private readonly lints = new Map<string, DocumentLint>();
  private readonly loggedWarnings = new Set<string>();
  private readonly invalidated = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];

  /** Settings or workspace trust changed: cached lints are gone, features should refresh. */
  readonly onDidInvalidate = this.invalidated.event;
  /** The linter is ready (the workspace index starts then). */
  readonly onDidLoadLinter = this.linterLoadedEmitter.event;

  /**
   * @param workspaceState the workspace's stored state (the benchmark history, the benchmark
   *   input flow's last values): every feature reads and writes it through here.
   */
  constructor(
    readonly extensionUri: vscode.Uri,
    readonly workspaceState: vscode.Memento,
  ) {
    this.output = vscode.window.createOutputChannel('GNA Studio', { log: true });
    this.disposables.push(
      this.output,
      this.invalidated,
      this.linterLoadedEmitter,
      vscode.workspace.onDidCloseTextDocument((document) => this.lints.delete(document.uri.toString())),
    );
  }

  isLinted(document: vscode.TextDocument): boolean {
    return document.languageId === 'python' && LINTED_SCHEMES.includes(document.uri.scheme);
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  settings(document: vscode.TextDocument): HostSettings {
    const settings = readSettings(document);
    for (const warning of settings.warnings) {
      if (this.loggedWarnings.has(warning)) continue;
      this.loggedWarnings.add(warning);
      this.output.warn(warning);
    }
    return settings;
  }

  /**
   * The lint of the document's current version; undefined when the linter is unavailable. The
   * linter runs in a worker thread: however long a file takes, the host is never blocked, and a
   * file past its budget (gna.lint.timeBudgetMs) comes back with `gna/analysis-stopped`.
   */
  async lint(document: vscode.TextDocument): Promise<DocumentLint | undefined> {
    const settings = this.settings(document);
    const traced = this.traces?.forDocument(document);
    const key = document.uri.toString();
    const optionsKey = lintOptionsKey(settings.lint) + (traced ? `|${traced.key}` : '') + `|${this.epochs.get(key) ?? 0}`;
    const cached = this.lints.get(key);
    if (cached && cached.version === document.version && cached.optionsKey === optionsKey) return cached;
    const pendingKey = `${key}|${document.version}|${optionsKey}`;
    let pending = this.pending.get(pendingKey);
    if (!pending) {
      pending = this.lintNow(document, settings, optionsKey, traced?.trace).finally(() => this.pending.delete(pendingKey));
      this.pending.set(pendingKey, pending);
    }
    return pending;
  }

  private async lintNow(document: vscode.TextDocument, settings: HostSettings, optionsKey: string, trace: FileTrace | undefined): Promise<DocumentLint | undefined> {
    const linter = await this.getLinter();
    if (!linter || document.isClosed) return undefined;
    // The text may have changed while the linter loaded: lint what is there now, under its version.
    const key = document.uri.toString();
    const again = this.lints.get(key);
    if (again && again.version === document.version && again.optionsKey === optionsKey) return again;
    const version = document.version;
    const started = performance.now();
    // Its path in the workspace: the index holds it too, and its own text is left out of cross-file searches.
    const { dependencies, ...report } = await linter.lint(document.getText(), { ...settings.lint, path: key, ...(trace ? { trace } : {}) });
    this.stats.lints++;
    this.stats.lintsByDocument[key] = (this.stats.lintsByDocument[key] ?? 0) + 1;
    this.stats.lintTimeouts = linter.stats.timeouts;
    const result: DocumentLint = { version, optionsKey, report, settings, dependencies };
    // A newer version may have been linted meanwhile: never replace it with this older one.
    const latest = this.lints.get(key);
    if (!document.isClosed && !(latest && latest.version > version)) this.lints.set(key, result);
    this.output.trace(
      `linted ${vscode.workspace.asRelativePath(document.uri)} v${version} in ${(performance.now() - started).toFixed(1)} ms: ` +
        `${report.calls.length} calls, ${report.findings.length} findings`,
    );
    return result;
  }

  /**
   * A language feature's answer from the document's current lint: `none` when there is no lint,
   * it is outdated or the request was cancelled, and when `build` throws (logged): providers
   * answer nothing rather than throw.
   */
  async provide<T>(feature: string, document: vscode.TextDocument, token: vscode.CancellationToken, none: T, build: (lint: DocumentLint) => T): Promise<T> {
    try {
      const lint = await this.lint(document);
      if (!lint || token.isCancellationRequested || lint.version !== document.version) return none;
      return build(lint);
    } catch (e) {
      this.logError(feature, e);
      return none;
    }
  }

  /**
   * The NATTEN call at the cursor of `editor` (or at `offset` in its document), every variant of
   * it, from the document's current lint; why there is none otherwise.
   */
  async callAt(editor: vscode.TextEditor | undefined, offset?: number): Promise<CursorCall | NoCursorCall> {
    if (!editor || editor.document.isClosed) return 'no-editor';
    const document = editor.document;
    if (!this.isLinted(document)) return 'not-python';
    const lint = await this.lint(document);
    if (!lint) return 'no-linter';
    if (lint.version !== document.version) return 'changing';
    const calls = callsAt(lint.report, offset ?? toOffset(document, editor.selection.active));
    return calls.length === 0 ? 'no-call' : { document, lint, calls };
  }

  /** Loads a bundle on first use (a runtime path: the bundler leaves it out of extension.js). */
  bundle<K extends keyof Bundles>(name: K): Bundles[K] {
    return (this.bundles[name] ??= require(vscode.Uri.joinPath(this.extensionUri, 'dist', `${name}.js`).fsPath) as Bundles[K]);
  }

  /**
   * Registers a command that never throws: a failure is logged and shown, and becomes the answer
   * (tests run commands and read what they answer).
   */
  registerCommand<T>(id: string, run: (...args: unknown[]) => T | Promise<T>): vscode.Disposable {
    return vscode.commands.registerCommand(id, async (...args: unknown[]): Promise<T | CommandFailure> => {
      try {
        return await run(...args);
      } catch (e) {
        this.logError(id, e);
        const message = `${id} failed: ${e instanceof Error ? e.message : String(e)}`;
        void vscode.window.showErrorMessage(message);
        return { shown: 'error', message };
      }
    });
  }

  /** Drops every cached lint and tells the features to refresh (settings or trust changed). */
  invalidate(reason: string): void {
    this.output.info(`${reason}: refreshing`);
    this.lints.clear();
    this.invalidated.fire();
  }

  /** Whether the linter has loaded (the workspace index waits for it). */
  get linterLoaded(): boolean {
    return this.loaded !== undefined;
  }

  /** The workspace index changed: the worker gets the changed files, and documents that depend on them are linted again. */
  updateWorkspaceFiles(set: ReadonlyMap<string, string>, deleted: readonly string[]): void {
    const linter = this.loaded;
    if (!linter) return;
    linter.updateFiles(set, deleted);
    this.stats.indexedFiles = linter.fileCount;
    const changes: FileChange[] = [...[...set].map(([path, text]) => ({ path, text })), ...deleted.map((path) => ({ path }))];
    if (changes.length === 0) return;
    const lints = new Map<string, WorkspaceDependencies>();
    for (const [key, lint] of this.lints) lints.set(key, lint.dependencies);
    const relint = new Set(documentsToRelint(lints, changes));
    // A lint in flight was computed before the change reached the worker: it is outdated too.
    for (const pending of this.pending.keys()) relint.add(pending.slice(0, pending.indexOf('|')));
    if (relint.size === 0) return;
    for (const key of relint) {
      this.epochs.set(key, (this.epochs.get(key) ?? 0) + 1);
      this.lints.delete(key);
    }
    this.stats.dependencyRelints = (this.stats.dependencyRelints ?? 0) + relint.size;
    this.output.trace(`${changes.length} workspace file(s) changed: linting ${relint.size} dependent document(s) again`);
    this.invalidated.fire();
  }

  /** The workspace index's scan in progress (host/workspaceIndex.ts sets it). */
  indexScan?: Promise<void>;

  /** The workspace's indexed Python files (path → text), once the linter is loaded and the index scanned. */
  async workspaceFiles(): Promise<ReadonlyMap<string, string>> {
    const linter = await this.getLinter();
    await this.indexScan;
    return linter?.files ?? new Map();
  }

  /** A workspace file's report (not an open document's: nothing is cached), resolved across the workspace. */
  async lintWorkspaceFile(text: string, options: LintOptions, path: string): Promise<LintReport> {
    const linter = await this.getLinter();
    if (!linter) return { calls: [], findings: [] };
    const { dependencies: _consulted, ...report } = await linter.lint(text, { ...options, path });
    return report;
  }

  /** Empties the worker's copy of the workspace (the index scans again). */
  resetWorkspaceFiles(): void {
    this.loaded?.resetFiles();
    this.stats.indexedFiles = 0;
  }

  logError(where: string, error: unknown): void {
    this.output.error(`${where}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.lints.clear();
    void this.linter?.then((linter) => linter?.dispose());
  }

  private getLinter(): Promise<WorkerLinter | undefined> {
    return (this.linter ??= this.loadLinter());
  }

  private async loadLinter(): Promise<WorkerLinter | undefined> {
    const started = performance.now();
    try {
      const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
      const grammar = (name: string) => vscode.workspace.fs.readFile(vscode.Uri.joinPath(dist, 'grammars', name));
      const [treeSitterWasm, pythonWasm] = await Promise.all([grammar('tree-sitter.wasm'), grammar('tree-sitter-python.wasm')]);
      // The linter is a bundle of its own (scripts/build.mjs), loaded by the worker thread that
      // runs it: neither its compile time nor any file's analysis ever runs on the host's thread.
      const linter = await WorkerLinter.start(vscode.Uri.joinPath(dist, 'lintWorker.js').fsPath, { treeSitterWasm, pythonWasm });
      this.stats.linterLoadMs = performance.now() - started;
      this.output.info(`Python linter loaded in ${this.stats.linterLoadMs.toFixed(0)} ms (in a worker thread)`);
      this.loaded = linter;
      this.linterLoadedEmitter.fire();
      return linter;
    } catch (e) {
      // Not retried: a broken install would fail the same way on every keystroke.
      this.stats.linterError = e instanceof Error ? e.message : String(e);
      this.logError('loading the Python linter', e);
      void vscode.window
        .showErrorMessage(`GNA Studio could not load its Python parser, so lint, hints and hovers are off: ${this.stats.linterError}`, 'Show Log')
        .then((choice) => choice && this.output.show());
      return undefined;
    }
  }
}
