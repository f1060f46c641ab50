// The editor's linter, off the extension host's thread: requests go one at a time to a worker
// thread (lintWorker.ts) and come back as promises, so a large file or a slow config never
// blocks the host. Two bounds hold on every file: the linter's own time budget (checked between
// calls, it answers with `gna/analysis-stopped` where it stopped), and a watchdog for the case
// the budget cannot see (one call that never returns): past the budget plus a grace period the
// worker is terminated, the file gets `gna/analysis-stopped`, and a fresh worker serves the rest.
// No `vscode` here, so plain Node tests run it.

import { Worker } from 'worker_threads';
import { analysisStoppedFinding, FILE_START, internalErrorFinding } from '../lint/failures';
import { fromTransferable } from '../lint/transfer';
import type { LintOptions, LintReport } from '../lint/types';
import type { GrammarBytes } from '../python/treeSitter';
import { NO_DEPENDENCIES, WorkspaceDependencies } from '../python/workspaceFiles';
import type { LintWorkerMessage, LintWorkerRequest } from './lintWorker';

/** Beyond the budget, the time a worker has to answer before it is presumed stuck. */
export const WATCHDOG_GRACE_MS = 2000;
/** The budget of a request whose options set none. */
const UNSET_BUDGET_MS = 5000;

type LintRequest = Extract<LintWorkerRequest, { kind: 'lint' }>;

/** A lint's report, and what it consulted of the workspace (which changes can alter it). */
export interface WorkerLintResult extends LintReport {
  readonly dependencies: WorkspaceDependencies;
}

interface Pending {
  readonly request: LintRequest;
  readonly resolve: (report: WorkerLintResult) => void;
}

export interface WorkerLinterStats {
  /** Workers terminated by the watchdog. */
  timeouts: number;
  /** Workers started (the first, and one after each timeout or crash). */
  starts: number;
}

export class WorkerLinter {
  readonly stats: WorkerLinterStats = { timeouts: 0, starts: 0 };
  private worker?: Worker;
  private ready = false;
  private readonly queue: Pending[] = [];
  private current?: { pending: Pending; timer: ReturnType<typeof setTimeout> };
  private nextId = 0;
  private disposed = false;
  /** The workspace's files as the worker has them (path → text). */
  private readonly mirror = new Map<string, string>();

  private constructor(
    private readonly script: string,
    private readonly grammars: GrammarBytes,
    private readonly graceMs: number,
  ) {}

  /** Starts the first worker; rejects with the worker's reason when the linter cannot load. */
  static async start(script: string, grammars: GrammarBytes, graceMs = WATCHDOG_GRACE_MS): Promise<WorkerLinter> {
    const linter = new WorkerLinter(script, grammars, graceMs);
    await new Promise<void>((resolve, reject) => linter.spawn(resolve, reject));
    return linter;
  }

  /**
   * The report of `text` (`options.path`: its path in the workspace, left out of its own
   * cross-file searches); never rejects (a stuck or crashed worker gives a finding that says so).
   */
  lint(text: string, options: LintOptions): Promise<WorkerLintResult> {
    if (this.disposed) return Promise.resolve(failed(new Error('the linter was shut down')));
    return new Promise((resolve) => {
      this.queue.push({ request: { kind: 'lint', id: this.nextId++, text, options }, resolve });
      this.pump();
    });
  }

  /**
   * Files of the workspace changed (`set`: path → new text) or left it (`deleted`). Only these
   * go to the worker; lints queued after this call see them.
   */
  updateFiles(set: ReadonlyMap<string, string>, deleted: readonly string[] = []): void {
    const changed: [string, string][] = [];
    for (const path of deleted) this.mirror.delete(path);
    for (const [path, text] of set) {
      if (this.mirror.get(path) === text) continue;
      this.mirror.set(path, text);
      changed.push([path, text]);
    }
    if (changed.length === 0 && deleted.length === 0) return;
    if (this.worker && this.ready) this.post({ kind: 'files', set: changed, deleted });
  }

  /** Every workspace file leaves the worker (the index scans again). */
  resetFiles(): void {
    if (this.mirror.size > 0) this.updateFiles(new Map(), [...this.mirror.keys()]);
  }

  /** The workspace's files as the worker has them (path → text). */
  get files(): ReadonlyMap<string, string> {
    return this.mirror;
  }

  /** How many workspace files the worker has. */
  get fileCount(): number {
    return this.mirror.size;
  }

  dispose(): void {
    this.disposed = true;
    void this.worker?.terminate();
    this.worker = undefined;
    if (this.current) {
      clearTimeout(this.current.timer);
      this.current.pending.resolve(failed(new Error('the linter was shut down')));
      this.current = undefined;
    }
    for (const p of this.queue.splice(0)) p.resolve(failed(new Error('the linter was shut down')));
  }

  private spawn(onReady?: () => void, onFail?: (e: Error) => void): void {
    this.stats.starts++;
    this.ready = false;
    const worker = new Worker(this.script, { workerData: { grammars: this.grammars } });
    this.worker = worker;
    let started = false;
    worker.on('message', (message: LintWorkerMessage) => {
      if (worker !== this.worker) return;
      if (message.kind === 'ready') {
        started = true;
        this.ready = true;
        // A fresh worker (the first, or one after a timeout or crash) gets the whole workspace.
        if (this.mirror.size > 0) this.post({ kind: 'files', set: [...this.mirror], deleted: [] });
        onReady?.();
        this.pump();
      } else if (message.kind === 'failed') {
        onFail?.(new Error(message.message));
        this.fail(new Error(`the linter could not start: ${message.message}`));
      } else if (this.current && message.id === this.current.pending.request.id) {
        clearTimeout(this.current.timer);
        const { pending } = this.current;
        this.current = undefined;
        pending.resolve({ ...fromTransferable(message.report), dependencies: message.dependencies ?? NO_DEPENDENCIES });
        this.pump();
      }
    });
    const lost = (e: Error) => {
      if (worker !== this.worker || this.disposed) return;
      if (!started) {
        // A worker that dies while loading would die again: stop rather than respawn forever.
        onFail?.(e);
        this.fail(e);
        return;
      }
      this.worker = undefined;
      this.ready = false;
      // The request in flight (if any) is what the worker died on: say so, and serve the rest.
      if (this.current) {
        clearTimeout(this.current.timer);
        this.current.pending.resolve(failed(e));
        this.current = undefined;
      }
      this.pump();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the lint worker exited (code ${code})`)));
  }

  /** A worker that cannot load the linter will not load it next time either: every request fails. */
  private fail(e: Error): void {
    void this.worker?.terminate();
    this.worker = undefined;
    this.disposed = true;
    for (const p of this.queue.splice(0)) p.resolve(failed(e));
  }

  private pump(): void {
    if (this.disposed || this.current || this.queue.length === 0) return;
    if (!this.worker) {
      this.spawn();
      return;
    }
    if (!this.ready) return;
    const pending = this.queue.shift()!;
    const budget = pending.request.options.timeBudgetMs ?? UNSET_BUDGET_MS;
    const timer = setTimeout(() => this.timeOut(), budget + this.graceMs);
    this.current = { pending, timer };
    this.post(pending.request);
  }

  private post(request: LintWorkerRequest): void {
    this.worker?.postMessage(request);
  }

  /** The worker did not answer in time: it is stuck in one call. Replace it. */
  private timeOut(): void {
    if (!this.current) return;
    this.stats.timeouts++;
    const { pending } = this.current;
    this.current = undefined;
    const stuck = this.worker;
    this.worker = undefined;
    this.ready = false;
    void stuck?.terminate();
    const budget = pending.request.options.timeBudgetMs ?? UNSET_BUDGET_MS;
    pending.resolve({ calls: [], findings: [analysisStoppedFinding(budget, 0, FILE_START)], dependencies: NO_DEPENDENCIES });
    this.pump();
  }
}

function failed(e: Error): WorkerLintResult {
  return { calls: [], findings: [internalErrorFinding(e, FILE_START, 'linting this file')], dependencies: NO_DEPENDENCIES };
}
