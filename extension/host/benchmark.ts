// Benchmarking on this machine's GPU, from the editor: "GNA: Benchmark Config at Cursor" (also
// what the lenses and hovers run), "GNA: Benchmark…" (a quick input flow that remembers its last
// values), "GNA: Show GPU Info", "GNA: Open Benchmark History", and Import/Export of the history.
//
// - The native engine is loaded on the first benchmark (dist/benchRuntime.js, with the history's
//   zod schemas), never at activation. Its deviceInfo() answer says why nothing can run here (no
//   addon, a CPU-only build, no driver, an old driver, no GPU); an untrusted workspace is refused
//   before any native code loads. In every such case the message names the reason and the
//   simulated numbers are still shown.
// - Runs go through one queue: two kernels timed at once on one GPU would distort each other's
//   timings, so a second run waits for the first (its progress notification says so), and the
//   same config already waiting is refused. Each run has a cancellable progress notification;
//   cancelling aborts between timed repeats (AbortSignal → the engine's cancel token).
// - Every measured config becomes a record in the workspace's history (workspaceState, newest
//   first, capped), which the report panel shows, compares and exports.

import * as vscode from 'vscode';
import { BenchDtype, BenchEngine as Engine, BenchRecord, measureSeries, recordedTiming } from '../core/bench';
import { defaultTiles, GpuFamily } from '../core/presets';
import { GnaProblem, TileShape, Workload } from '../core/problem';
import { simulate, Simulation } from '../core/simulator';
import type * as Runtime from './benchRuntime';
import type { ReportRendered, SimulatedOnly } from '../../webview/protocol/report';
import { ReportAction, ReportPanel } from './benchmarkReport';
import { resolveTarget } from './commands';
import type { Ctx } from './context';
import { toOffset, toPosition } from './convert';
import {
  describeFlow,
  FLOW_DTYPES,
  FLOW_HEAD_DIMS,
  FLOW_ORDER,
  flowFromProblem,
  flowProblem,
  restoreFlow,
  TEXT_STEPS,
} from './pure/benchFlow';
import {
  addRecords,
  historyCsv,
  historyJson,
  makeRecord,
  MAX_HISTORY,
  newRecordId,
  pickRecords,
  problemText,
  removeRecords,
  strideSweep,
  SweepPlan,
  windowSweep,
} from './pure/benchHistory';
import {
  DeviceInfoLike,
  gpuInfoLines,
  measuredMessage,
  notMeasuredMessage,
  runFailedMessage,
  simulatedSentence,
  Unavailable,
  UnavailableKind,
  unavailableReason,
} from './pure/benchMessages';
import { callsAt, callTarget, CallTarget } from './pure/calls';
import { describeConfig } from './pure/commandMessages';
import { BENCHMARK_COMMAND } from './pure/hoverMarkdown';
import { resolveSettings, SETTINGS_SECTION } from './pure/settingsModel';

export const BENCHMARK_FLOW_COMMAND = 'gna.benchmark';
export const GPU_INFO_COMMAND = 'gna.showGpuInfo';
export const HISTORY_COMMAND = 'gna.openBenchmarkHistory';
export const IMPORT_COMMAND = 'gna.importBenchmarkResult';
export const EXPORT_COMMAND = 'gna.exportBenchmarkHistory';

const HISTORY_KEY = 'gna.benchmark.history';
const FLOW_KEY = 'gna.benchmark.lastValues';
/** Runs that may wait behind the one running; more is refused (likely a runaway click). */
const MAX_WAITING = 8;
/** `gna bench`'s defaults. */
const WARMUP = 3;
const REPEATS = 10;
/** Imports larger than this are refused before reading (a history of MAX_HISTORY is ~300 KB). */
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** What a command did, returned so tests can check it without reading notifications. */
export interface BenchmarkOutcome {
  readonly shown: 'info' | 'warning' | 'error' | 'report';
  readonly message: string;
  /** Records the command added (a run, a sweep, an import). */
  readonly records?: readonly string[];
  /** Why nothing was measured, when that is the outcome. */
  readonly reason?: UnavailableKind;
}

/** The engine as the service needs it: the native wrapper, or a test's scripted stand-in. */
export type BenchEngine = Engine<AbortSignal>;
export type { EngineTiming } from '../core/bench';

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

/** A request to time one config, or a sweep of configs on one layout. */
interface RunSpec {
  /** The progress title and the report's status line. */
  readonly title: string;
  /** Record labels: `${prefix}${problemText(point)}${suffix}`. */
  readonly prefix: string;
  readonly suffix: string;
  readonly points: readonly GnaProblem[];
  readonly sweep?: Pick<SweepPlan, 'kind' | 'baseIndex'>;
  readonly workload: Workload;
  readonly tiles: TileShape;
  readonly dtype: BenchDtype;
}

interface Job {
  readonly spec: RunSpec;
  readonly key: string;
  readonly controller: AbortController;
  started: boolean;
  step: string;
}

export class BenchmarkService implements vscode.Disposable {
  private runtimeModule?: typeof Runtime;
  private engineOverride?: BenchEngine;
  private historyCache?: BenchRecord[];
  private readonly jobs: Job[] = [];
  /** Resolves when the last queued job has finished: the next one waits on it. */
  private tail: Promise<void> = Promise.resolve();
  private simulatedOnly?: SimulatedOnly;
  private readonly report: ReportPanel;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly ctx: Ctx,
    private readonly memento: vscode.Memento,
  ) {
    this.report = new ReportPanel(ctx, {
      parse: (data) => this.runtime().parseReportWebviewMessage(data),
      snapshot: () => ({
        type: 'show',
        records: this.history(),
        ...(this.simulatedOnly ? { simulatedOnly: this.simulatedOnly } : {}),
        ...(this.statusLine() ? { status: this.statusLine() } : {}),
        canRun: ctx.trusted,
      }),
      act: (action) => this.act(action),
    });
    const command = (id: string, run: (...args: unknown[]) => Promise<BenchmarkOutcome>) =>
      vscode.commands.registerCommand(id, (...args: unknown[]) => this.guard(id, () => run(...args)));
    this.disposables.push(
      this.report,
      command(BENCHMARK_COMMAND, (arg) => this.benchmarkCall(arg)),
      command(BENCHMARK_FLOW_COMMAND, () => this.benchmarkFlow()),
      command(GPU_INFO_COMMAND, () => this.showGpuInfo()),
      command(HISTORY_COMMAND, async () => this.openHistory()),
      command(IMPORT_COMMAND, (uri) => this.importFile(uri)),
      command(EXPORT_COMMAND, (format, target, ids) => this.exportHistory(format, target, ids)),
      ctx.onDidInvalidate(() => this.report.refresh()),
    );
  }

  /** For the e2e tests (through the extension's API). */
  get api(): BenchmarkApi {
    const report = this.report;
    return {
      history: () => this.history(),
      rendered: () => report.rendered,
      get reportOpen() {
        return report.isOpen;
      },
      pending: () => this.jobs.map((j) => j.spec.title),
      useEngine: (engine) => {
        this.engineOverride = engine;
      },
      fromPage: (message) => this.report.receiveForTests(message),
    };
  }

  /** Commands never throw: a failure is logged and shown, and becomes the outcome. */
  private async guard(id: string, run: () => Promise<BenchmarkOutcome>): Promise<BenchmarkOutcome> {
    try {
      return await run();
    } catch (e) {
      this.ctx.logError(id, e);
      const message = `${id} failed: ${e instanceof Error ? e.message : String(e)}`;
      void vscode.window.showErrorMessage(message);
      return { shown: 'error', message };
    }
  }

  // ---- the lazily loaded half ---------------------------------------------------------------

  private runtime(): typeof Runtime {
    // A runtime path: the bundler leaves it alone, so the engine and zod stay out of extension.js.
    this.runtimeModule ??= require(vscode.Uri.joinPath(this.ctx.extensionUri, 'dist', 'benchRuntime.js').fsPath) as typeof Runtime;
    return this.runtimeModule;
  }

  private engine(): BenchEngine {
    return this.engineOverride ?? (this.runtime().gnaNative() as BenchEngine);
  }

  /** The engine's answer, or why there is none; nothing native runs in an untrusted workspace. */
  private probe(): { info?: DeviceInfoLike; reason?: Unavailable } {
    if (!this.ctx.trusted) return { reason: unavailableReason(undefined, false) };
    try {
      const info = this.engine().deviceInfo();
      return { info, reason: unavailableReason(info, true) };
    } catch (e) {
      this.ctx.logError('querying the GPU', e);
      return { reason: unavailableReason(undefined, true, e instanceof Error ? e.message : String(e)) };
    }
  }

  // ---- history --------------------------------------------------------------------------------

  private history(): BenchRecord[] {
    if (!this.historyCache) {
      const { records, dropped } = this.runtime().parseHistory(this.memento.get<unknown>(HISTORY_KEY));
      if (dropped > 0) this.ctx.output.warn(`benchmark history: dropped ${dropped} stored record(s) that no longer validate`);
      this.historyCache = records;
    }
    return this.historyCache;
  }

  private async saveHistory(records: BenchRecord[]): Promise<void> {
    this.historyCache = records;
    await this.memento.update(HISTORY_KEY, records);
    this.report.refresh();
  }

  // ---- commands -------------------------------------------------------------------------------

  /** `gna.benchmarkConfig`: the lens's or hover's call, or the call at the cursor. */
  private async benchmarkCall(arg: unknown): Promise<BenchmarkOutcome> {
    const target = await resolveTarget(this.ctx, arg);
    if (target === undefined) return { shown: 'info', message: 'No config picked.' };
    if (typeof target === 'string') {
      void vscode.window.showWarningMessage(target);
      return { shown: 'warning', message: target };
    }
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.uri);
    const settings = document ? this.ctx.settings(document).lint : this.workspaceSettings();
    const family = settings.family ?? 'hopper';
    const remembered = restoreFlow(this.memento.get(FLOW_KEY));
    const workload: Workload = { batch: remembered.batch, heads: remembered.heads, headDim: settings.headDim ?? 128 };
    const tiles = target.tiles ?? defaultTiles(family, target.problem.inputSize.length, workload.headDim);
    const where = document ? ` · ${vscode.workspace.asRelativePath(document.uri, false)}:${toPosition(document, target.offset).line + 1}` : '';
    return this.benchmark(
      {
        title: describeConfig(target),
        prefix: `${target.op}${target.variant !== undefined ? ` [${target.variant}]` : ''} `,
        suffix: where,
        points: [target.problem],
        workload,
        tiles: tiles ?? { q: [], kv: [] },
        dtype: remembered.dtype,
      },
      describeConfig(target),
      tiles,
    );
  }

  /** `gna.benchmark`: layout, window, stride, dilation, causal, heads, head dim, dtype, batch. */
  private async benchmarkFlow(): Promise<BenchmarkOutcome> {
    let values = restoreFlow(this.memento.get(FLOW_KEY));
    const atCursor = await this.problemAtCursor();
    if (atCursor) values = flowFromProblem(atCursor, values);
    const total = FLOW_ORDER.length + 1;
    for (const [i, step] of FLOW_ORDER.entries()) {
      const title = `GNA: Benchmark (${i + 1}/${total}) · ${describeFlow(values)}`;
      if (step === 'headDim') {
        const items = FLOW_HEAD_DIMS.map((d) => ({ label: String(d), description: d === values.headDim ? 'last used' : '', value: d }));
        const picked = await vscode.window.showQuickPick(sortCurrentFirst(items, values.headDim), { title, placeHolder: 'Head dim (the CUDA kernel has 32, 64 and 128)', ignoreFocusOut: true });
        if (!picked) return cancelledFlow();
        values = { ...values, headDim: picked.value };
      } else if (step === 'dtype') {
        const items = FLOW_DTYPES.map((d) => ({ label: d.label, description: d.detail, value: d.dtype }));
        const picked = await vscode.window.showQuickPick(sortCurrentFirst(items, values.dtype), { title, placeHolder: 'Input type', ignoreFocusOut: true });
        if (!picked) return cancelledFlow();
        values = { ...values, dtype: picked.value };
      } else {
        const text = TEXT_STEPS[step];
        const current = values;
        const answer = await vscode.window.showInputBox({
          title,
          prompt: text.prompt,
          placeHolder: text.placeholder,
          value: text.format(current),
          ignoreFocusOut: true,
          validateInput: (t) => {
            const r = text.parse(t, current);
            return 'error' in r ? r.error : undefined;
          },
        });
        if (answer === undefined) return cancelledFlow();
        const parsed = text.parse(answer, current);
        if ('error' in parsed) return { shown: 'warning', message: parsed.error };
        values = parsed.value;
      }
    }
    const checked = flowProblem(values);
    if ('error' in checked) {
      void vscode.window.showWarningMessage(checked.error);
      return { shown: 'warning', message: checked.error };
    }
    await this.memento.update(FLOW_KEY, values);
    const family = this.workspaceSettings().family ?? 'hopper';
    const tiles = defaultTiles(family, checked.problem.inputSize.length, checked.workload.headDim);
    const plans = tiles ? [strideSweep(checked.problem, tiles), windowSweep(checked.problem)] : [];
    const choices = [
      { label: 'Benchmark this config', description: problemText(checked.problem), plan: undefined as SweepPlan | undefined },
      ...plans.map((plan) => ({
        label: plan.kind === 'stride' ? `Sweep strides from the recommendation (${plan.problems.length} configs)` : `Sweep window sizes (${plan.problems.length} configs)`,
        description: plan.description,
        plan,
      })),
    ];
    const run = await vscode.window.showQuickPick(choices, { title: `GNA: Benchmark (${total}/${total}) · ${describeFlow(values)}`, placeHolder: 'What to run', ignoreFocusOut: true });
    if (!run) return cancelledFlow();
    const points = run.plan ? run.plan.problems : [checked.problem];
    return this.benchmark(
      {
        title: run.plan ? `${run.plan.kind} sweep of ${problemText(checked.problem)}` : problemText(checked.problem),
        prefix: '',
        suffix: '',
        points,
        ...(run.plan ? { sweep: { kind: run.plan.kind, ...(run.plan.baseIndex !== undefined ? { baseIndex: run.plan.baseIndex } : {}) } } : {}),
        workload: checked.workload,
        tiles: tiles ?? { q: [], kv: [] },
        dtype: values.dtype,
      },
      problemText(checked.problem),
      tiles,
    );
  }

  private async showGpuInfo(): Promise<BenchmarkOutcome> {
    const { info, reason } = this.probe();
    const lines = gpuInfoLines(info, this.ctx.trusted, reason?.kind === 'engine-error' ? reason.detail : undefined);
    for (const line of lines) this.ctx.output.info(`GPU info: ${line}`);
    const message = lines.join(' ');
    const show = info?.available ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    void show(lines[0] ?? 'No GPU information.', 'Show Details').then((choice) => choice && this.ctx.output.show(true));
    return { shown: info?.available ? 'info' : 'warning', message, ...(reason ? { reason: reason.kind } : {}) };
  }

  private async openHistory(focus?: readonly string[]): Promise<BenchmarkOutcome> {
    const records = this.history();
    this.report.open(focus);
    return { shown: 'report', message: `Benchmark report with ${records.length} run${records.length === 1 ? '' : 's'} in the history.` };
  }

  /** `gna.importBenchmarkResult [uri]`: a `gna bench --json` file or an exported history. */
  private async importFile(arg: unknown): Promise<BenchmarkOutcome> {
    let uri = arg instanceof vscode.Uri ? arg : typeof arg === 'string' && arg !== '' ? vscode.Uri.parse(arg, true) : undefined;
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
    if (stat.size > MAX_IMPORT_BYTES) return this.warn(`${fileName} is ${(stat.size / 2 ** 20).toFixed(0)} MiB; a benchmark result is far smaller. Nothing was imported.`);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const existing = this.history();
    const at = new Date(stat.mtime > 0 ? stat.mtime : Date.now()).toISOString();
    const parsed = await this.runtime().parseImport(text, { id: () => newRecordId(Date.now(), Math.random), at, fileName }, new Set(existing.map((r) => r.id)));
    if ('error' in parsed) return this.warn(parsed.error);
    await this.saveHistory(addRecords(existing, parsed.records, MAX_HISTORY));
    const ids = parsed.records.map((r) => r.id);
    this.report.open(ids);
    const message = `Imported ${ids.length} measured run${ids.length === 1 ? '' : 's'} from ${fileName}.`;
    void vscode.window.showInformationMessage(message);
    return { shown: 'report', message, records: ids };
  }

  /** `gna.exportBenchmarkHistory [format] [target] [ids]`: asks for what it is not given. */
  private async exportHistory(formatArg: unknown, targetArg: unknown, idsArg: unknown): Promise<BenchmarkOutcome> {
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
    const records = pickRecords(this.history(), ids);
    if (records.length === 0) return this.warn('Nothing to export: the benchmark history is empty.');
    let target = targetArg instanceof vscode.Uri ? targetArg : typeof targetArg === 'string' && targetArg !== '' ? vscode.Uri.parse(targetArg, true) : undefined;
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

  // ---- running --------------------------------------------------------------------------------

  /**
   * Times a run spec, or says why it cannot: untrusted, no usable GPU (with the simulated
   * numbers), the same run already waiting, or too many waiting.
   */
  private async benchmark(spec: RunSpec, config: string, tiles: TileShape | undefined): Promise<BenchmarkOutcome> {
    const first = spec.points[0];
    const simulation = tiles ? simulate(first, tiles, { workload: spec.workload }) : undefined;
    const { info, reason } = this.probe();
    if (reason) return this.notMeasured(reason, config, simulation);
    if (!tiles) {
      return this.warn(`No ${this.workspaceSettings().family ?? 'hopper'} tile preset for head dim ${spec.workload.headDim}: ${config} cannot be timed. ${simulatedSentence(undefined)}`);
    }
    const key = JSON.stringify([spec.points, spec.workload, spec.tiles, spec.dtype, spec.sweep?.kind]);
    const same = this.jobs.find((j) => j.key === key);
    if (same) return this.warn(`${spec.title} is already ${same.started ? 'running' : 'waiting to run'}; not queued twice.`);
    if (this.jobs.length > MAX_WAITING) return this.warn(`${this.jobs.length} benchmarks are running or waiting; cancel some (or wait) before adding ${spec.title}.`);
    return this.enqueue(spec, info!);
  }

  private notMeasured(reason: Unavailable, config: string, simulation: Simulation | undefined): BenchmarkOutcome {
    const message = notMeasuredMessage(reason, config, simulation);
    this.ctx.output.info(`benchmark of ${config} not run: ${reason.title} ${reason.detail}`);
    if (simulation) {
      this.simulatedOnly = {
        label: config,
        reason: `${reason.title} ${reason.kind === 'untrusted' ? '' : reason.detail}`.trim(),
        qTile: [...simulation.qTile],
        kvTile: [...simulation.kvTile],
        simulated: simulation.simulated,
        tilePairBound: simulation.tilePairBound,
        flopBound: simulation.flopBound,
        sparsity: simulation.sparsity,
        blockSparse: simulation.blockSparse,
        visited: simulation.visited,
        total: simulation.total,
      };
      this.report.refresh();
    }
    const actions = reason.kind === 'untrusted' ? ['Manage Workspace Trust'] : simulation ? ['Show Simulation', 'Show GPU Info'] : ['Show GPU Info'];
    void vscode.window.showWarningMessage(message, ...actions).then((choice) => {
      if (choice === 'Manage Workspace Trust') void vscode.commands.executeCommand('workbench.trust.manage');
      else if (choice === 'Show Simulation') this.report.open();
      else if (choice === 'Show GPU Info') void vscode.commands.executeCommand(GPU_INFO_COMMAND);
    });
    return { shown: 'warning', message, reason: reason.kind };
  }

  private enqueue(spec: RunSpec, info: DeviceInfoLike): Promise<BenchmarkOutcome> {
    const job: Job = { spec, key: JSON.stringify([spec.points, spec.workload, spec.tiles, spec.dtype, spec.sweep?.kind]), controller: new AbortController(), started: false, step: '' };
    this.jobs.push(job);
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    this.report.refresh();
    return Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `GNA benchmark: ${spec.title}`, cancellable: true },
        async (progress, token) => {
          const onCancel = token.onCancellationRequested(() => job.controller.abort());
          try {
            if (this.jobs[0] !== job) progress.report({ message: `waiting for ${this.jobs[0].spec.title} to finish…` });
            await previous;
            if (job.controller.signal.aborted) return this.finish(job, { shown: 'info', message: `Benchmark of ${spec.title} cancelled before it started.` });
            job.started = true;
            return await this.runJob(job, info, (message, increment) => progress.report({ message, increment }));
          } finally {
            onCancel.dispose();
            release();
          }
        },
      ),
    );
  }

  private async runJob(job: Job, info: DeviceInfoLike, report: (message: string, increment: number) => void): Promise<BenchmarkOutcome> {
    const { spec } = job;
    const engine = this.engine();
    const gpu = info.devices.find((d) => d.index === 0) ?? null;
    const points = spec.points.map((problem) => ({ problem, simulation: simulate(problem, spec.tiles, { workload: spec.workload }) }));
    const base = { workload: spec.workload, tiles: spec.tiles, dtype: spec.dtype, device: 0, warmup: WARMUP, repeats: REPEATS };
    const started = Date.now();
    try {
      const run = await measureSeries(engine, base, points, {
        signal: job.controller.signal,
        onStep: (step) => {
          job.step = `${step.dense ? 'dense self attention' : problemText(step.problem)} (${step.index + 1} of ${step.count})`;
          report(job.step, step.index === 0 ? 0 : 100 / step.count);
          this.report.refresh();
        },
      });
      const at = new Date().toISOString();
      const sweepId = spec.sweep ? newRecordId(started, Math.random) : undefined;
      const records = run.points.map((p, i) =>
        makeRecord(
          {
            id: newRecordId(started + i, Math.random),
            at,
            label: `${spec.prefix}${problemText(p.problem)}${spec.suffix}`,
            gpu,
            driverVersion: info.driverVersion,
            runtimeVersion: info.runtimeVersion,
            workload: spec.workload,
            tiles: spec.tiles,
            dtype: spec.dtype,
          },
          p.problem,
          p.simulation,
          recordedTiming(run.dense),
          recordedTiming(p.gna),
          p.comparison,
          'run',
          spec.sweep && sweepId ? { id: sweepId, kind: spec.sweep.kind, index: i, count: run.points.length } : undefined,
        ),
      );
      // Sweep points are stored in reverse so that the history (newest first) lists them in order.
      await this.saveHistory(addRecords(this.history(), [...records].reverse(), MAX_HISTORY));
      const ids = records.map((r) => r.id);
      const message =
        records.length === 1
          ? measuredMessage(records[0])
          : `${spec.title}: ${records.length} configs measured on ${gpu?.name ?? 'the GPU'}, ${records.map((r) => `${r.comparison.measured.toFixed(2)}×`).join(', ')} (simulated ${records.map((r) => `${r.comparison.simulated.toFixed(2)}×`).join(', ')}).`;
      this.ctx.output.info(`benchmark: ${message} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      this.report.open(spec.sweep ? [ids[spec.sweep.baseIndex ?? 0]] : ids, true);
      void vscode.window.showInformationMessage(message);
      return this.finish(job, { shown: 'report', message, records: ids });
    } catch (e) {
      const code = (e as { code?: string }).code;
      const message = runFailedMessage(code, e instanceof Error ? e.message : String(e));
      if (code !== 'GNA_ERR_CANCELLED') {
        this.ctx.logError(`benchmark of ${spec.title}`, e);
        void vscode.window.showErrorMessage(message, 'Show Log').then((choice) => choice && this.ctx.output.show(true));
      } else {
        this.ctx.output.info(`benchmark of ${spec.title} cancelled`);
      }
      return this.finish(job, { shown: code === 'GNA_ERR_CANCELLED' ? 'info' : 'error', message });
    }
  }

  private finish(job: Job, outcome: BenchmarkOutcome): BenchmarkOutcome {
    const i = this.jobs.indexOf(job);
    if (i >= 0) this.jobs.splice(i, 1);
    this.report.refresh();
    return outcome;
  }

  private statusLine(): string | undefined {
    const running = this.jobs.find((j) => j.started);
    const waiting = this.jobs.filter((j) => !j.started).length;
    if (!running && waiting === 0) return undefined;
    const head = running ? `Running ${running.spec.title}${running.step ? `: ${running.step}` : ''}` : 'Starting';
    return `${head}${waiting > 0 ? ` · ${waiting} waiting` : ''}`;
  }

  // ---- actions from the report page --------------------------------------------------------

  private async act(action: ReportAction): Promise<{ ok: boolean; message: string }> {
    switch (action.type) {
      case 'export': {
        const outcome = await this.exportHistory(action.format, undefined, action.ids);
        return { ok: outcome.shown === 'info' && outcome.message.startsWith('Saved'), message: outcome.message };
      }
      case 'delete': {
        const before = this.history();
        const after = removeRecords(before, action.ids);
        await this.saveHistory(after);
        return { ok: true, message: `Deleted ${before.length - after.length} run${before.length - after.length === 1 ? '' : 's'}.` };
      }
      case 'import': {
        const outcome = await this.importFile(undefined);
        return { ok: outcome.records !== undefined, message: outcome.message };
      }
      case 'sweep':
      case 'rerun': {
        const record = this.history().find((r) => r.id === action.id);
        if (!record) return { ok: false, message: 'That run is no longer in the history.' };
        const plan = action.type === 'sweep' ? (action.kind === 'stride' ? strideSweep(record.problem, record.tiles) : windowSweep(record.problem)) : undefined;
        const spec: RunSpec = {
          title: plan ? `${plan.kind} sweep of ${problemText(record.problem)}` : problemText(record.problem),
          prefix: '',
          suffix: '',
          points: plan ? plan.problems : [record.problem],
          ...(plan ? { sweep: { kind: plan.kind, ...(plan.baseIndex !== undefined ? { baseIndex: plan.baseIndex } : {}) } } : {}),
          workload: record.workload,
          tiles: record.tiles,
          dtype: record.dtype,
        };
        // Everything up to the queue is synchronous: either the run is in the queue now (the page
        // is answered at once, the run reports through its progress notification) or the outcome
        // (not measured here, refused) is already settled and is the answer.
        const waiting = this.jobs.length;
        const outcome = this.benchmark(spec, record.label, record.tiles);
        if (this.jobs.length > waiting) {
          return { ok: true, message: plan ? `Started: ${plan.description}.` : `Started: ${spec.title}.` };
        }
        const settled = await outcome;
        return { ok: false, message: settled.message };
      }
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private warn(message: string): BenchmarkOutcome {
    void vscode.window.showWarningMessage(message);
    return { shown: 'warning', message };
  }

  private workspaceSettings(): { family?: GpuFamily; headDim?: number } {
    const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    return resolveSettings((key) => configuration.get(key), '').lint;
  }

  /** The first config of the call at the cursor, quietly (no picker, no warning). */
  private async problemAtCursor(): Promise<GnaProblem | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !this.ctx.isLinted(editor.document)) return undefined;
    const lint = await this.ctx.lint(editor.document);
    if (!lint) return undefined;
    const target = callsAt(lint.report, toOffset(editor.document, editor.selection.active))
      .map((call) => callTarget(editor.document.uri.toString(), call))
      .find((t): t is CallTarget => t !== undefined);
    return target?.problem;
  }

  dispose(): void {
    for (const job of this.jobs) job.controller.abort();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function cancelledFlow(): BenchmarkOutcome {
  return { shown: 'info', message: 'Benchmark cancelled.' };
}

function sortCurrentFirst<T extends { value: unknown }>(items: T[], current: unknown): T[] {
  return [...items.filter((i) => i.value === current), ...items.filter((i) => i.value !== current)];
}

export function register(ctx: Ctx, memento: vscode.Memento): BenchmarkService {
  return new BenchmarkService(ctx, memento);
}
