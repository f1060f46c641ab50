// Benchmarking on this machine's GPU, from the editor: the six commands and the report's actions,
// wired to their parts: what to run (benchInput.ts), the run queue (benchQueue.ts), the history
// (benchHistoryStore.ts), the engine (benchEngine.ts) and the report panel (benchmarkReport.ts).
//   "GNA: Benchmark Config at Cursor" (also what the lenses and hovers run), "GNA: Benchmark…",
//   "GNA: Show GPU Info", "GNA: Open Benchmark History", Import and Export of the history.
// The native engine and the history's zod schemas are the lazily loaded benchmark runtime
// (dist/benchRuntime.js), required on the first benchmark, history or report action.

import * as vscode from 'vscode';
import type { BenchRecord } from '../core/bench';
import type { ReportRendered } from '../../webview/protocol/report';
import { BenchEngine, EngineSlot } from './benchEngine';
import { HistoryStore } from './benchHistoryStore';
import { askMissing, askRequest, callRequest, partialCallAt, sweepRequest } from './benchInput';
import { ReportAction, ReportPanel } from './benchmarkReport';
import type { BenchmarkOutcome } from './benchOutcome';
import { GPU_INFO_COMMAND, RunQueue } from './benchQueue';
import { resolveTarget } from './commands';
import type { Ctx } from './context';
import { strideSweep, windowSweep } from './pure/benchHistory';
import { parseCallRef } from './pure/calls';
import { gpuInfoLines } from './pure/benchMessages';
import { BENCHMARK_COMMAND } from './pure/hoverMarkdown';

export const BENCHMARK_FLOW_COMMAND = 'gna.benchmark';
export const HISTORY_COMMAND = 'gna.openBenchmarkHistory';
export const IMPORT_COMMAND = 'gna.importBenchmarkResult';
export const EXPORT_COMMAND = 'gna.exportBenchmarkHistory';

/** What the e2e tests read and set through the extension's API. */
export interface BenchmarkApi {
  history(): readonly BenchRecord[];
  rendered(): ReportRendered | undefined;
  readonly reportOpen: boolean;
  /** Labels of the running and waiting runs, running first. */
  pending(): string[];
  /**
   * Replaces the native engine (undefined: back to the native one). For tests of the queue, the
   * progress and the records on machines without a GPU; nothing in the extension calls it.
   */
  useEngine(engine: BenchEngine | undefined): void;
  /** Delivers a message as the report page would send it (validated with the protocol's schema). */
  fromPage(message: unknown): Promise<void>;
}

export interface Benchmark extends vscode.Disposable {
  readonly api: BenchmarkApi;
}

export function register(ctx: Ctx): Benchmark {
  const engine = new EngineSlot(ctx);
  // The report and the history refresh each other: the panel reads the history when it draws.
  const report: ReportPanel = new ReportPanel(ctx, {
    parse: (data) => ctx.bundle('benchRuntime').parseReportWebviewMessage(data),
    snapshot: () => {
      const status = queue.statusLine();
      return {
        type: 'show',
        records: history.records,
        ...(queue.simulatedOnly ? { simulatedOnly: queue.simulatedOnly } : {}),
        ...(status ? { status } : {}),
        canRun: ctx.trusted,
      };
    },
    act: (action) => act(action),
  });
  const history = new HistoryStore(ctx, () => report.refresh());
  const queue = new RunQueue(ctx, engine, history, report);

  /**
   * `gna.benchmarkConfig`: the lens's or hover's call, or the call at the cursor; a call whose
   * config is not complete asks for the values it does not give first.
   */
  async function benchmarkCall(arg: unknown): Promise<BenchmarkOutcome> {
    const target = await resolveTarget(ctx, arg);
    if (target === undefined) return { shown: 'info', message: 'No config picked.' };
    const ref = arg === undefined ? undefined : parseCallRef(arg);
    const partial = typeof target === 'string' && typeof ref !== 'string' ? await partialCallAt(ctx, ref) : undefined;
    if (partial && partial.known.missing.length > 0) {
      const request = await askMissing(ctx, partial);
      return 'spec' in request ? queue.submit(request) : request;
    }
    if (typeof target === 'string') {
      void vscode.window.showWarningMessage(target);
      return { shown: 'warning', message: target };
    }
    return queue.submit(callRequest(ctx, target));
  }

  async function benchmarkFlow(): Promise<BenchmarkOutcome> {
    const request = await askRequest(ctx);
    return 'spec' in request ? queue.submit(request) : request;
  }

  function showGpuInfo(): BenchmarkOutcome {
    const { info, reason } = engine.probe();
    const lines = gpuInfoLines(info, ctx.trusted, reason?.kind === 'engine-error' ? reason.detail : undefined);
    for (const line of lines) ctx.output.info(`GPU info: ${line}`);
    const message = lines.join(' ');
    const show = info?.available ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    void show(lines[0] ?? 'No GPU information.', 'Show Details').then((choice) => choice && ctx.output.show(true));
    return { shown: info?.available ? 'info' : 'warning', message, ...(reason ? { reason: reason.kind } : {}) };
  }

  function openHistory(): BenchmarkOutcome {
    const count = history.records.length;
    report.open();
    return { shown: 'report', message: `Benchmark report with ${count} run${count === 1 ? '' : 's'} in the history.` };
  }

  async function importFile(uri: unknown): Promise<BenchmarkOutcome> {
    const outcome = await history.importFile(uri);
    if (outcome.records) report.open(outcome.records);
    return outcome;
  }

  /** An action from the report page; the page is answered with `actionResult`. */
  async function act(action: ReportAction): Promise<{ ok: boolean; message: string }> {
    switch (action.type) {
      case 'export': {
        const outcome = await history.exportFile(action.format, undefined, action.ids);
        return { ok: outcome.shown === 'info' && outcome.message.startsWith('Saved'), message: outcome.message };
      }
      case 'delete': {
        const removed = await history.remove(action.ids);
        return { ok: true, message: `Deleted ${removed} run${removed === 1 ? '' : 's'}.` };
      }
      case 'import': {
        const outcome = await importFile(undefined);
        return { ok: outcome.records !== undefined, message: outcome.message };
      }
      case 'sweep':
      case 'rerun': {
        const record = history.records.find((r) => r.id === action.id);
        if (!record) return { ok: false, message: 'That run is no longer in the history.' };
        const plan = action.type === 'sweep' ? (action.kind === 'stride' ? strideSweep(record.problem, record.tiles) : windowSweep(record.problem)) : undefined;
        // Run again and sweeps time what the record timed: the forward, or the training step on its backward tiles.
        const on = record.backward ? { pass: 'training' as const, backwardTiles: record.backward.tiles } : { pass: 'forward' as const };
        const request = sweepRequest(record.problem, plan, { workload: record.workload, tiles: record.tiles, dtype: record.dtype, ...on }, record.label);
        // Either the run is in the queue now (the page is answered at once, the run reports
        // through its progress notification) or the answer (not measured here, refused) is settled.
        const waiting = queue.pending.length;
        const outcome = queue.submit(request);
        if (queue.pending.length > waiting) return { ok: true, message: plan ? `Started: ${plan.description}.` : `Started: ${request.spec.title}.` };
        return { ok: false, message: (await outcome).message };
      }
    }
  }

  const disposables = vscode.Disposable.from(
    queue,
    report,
    ctx.registerCommand(BENCHMARK_COMMAND, benchmarkCall),
    ctx.registerCommand(BENCHMARK_FLOW_COMMAND, benchmarkFlow),
    ctx.registerCommand(GPU_INFO_COMMAND, showGpuInfo),
    ctx.registerCommand(HISTORY_COMMAND, openHistory),
    ctx.registerCommand(IMPORT_COMMAND, importFile),
    ctx.registerCommand(EXPORT_COMMAND, (format, target, ids) => history.exportFile(format, target, ids)),
    ctx.onDidInvalidate(() => report.refresh()),
  );
  return {
    api: {
      history: () => history.records,
      rendered: () => report.rendered,
      get reportOpen() {
        return report.isOpen;
      },
      pending: () => queue.pending,
      useEngine: (e) => {
        engine.override = e;
      },
      fromPage: (message) => report.receiveForTests(message),
    },
    dispose: () => disposables.dispose(),
  };
}
