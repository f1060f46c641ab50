// The run queue: two kernels timed at once on one GPU would distort each other's timings, so a
// second run waits for the first (its progress notification says so), and the same run already
// waiting is refused. Each run has a cancellable progress notification; cancelling aborts between
// timed repeats (AbortSignal → the engine's cancel token). A run that cannot be measured here (no
// usable GPU, untrusted) leaves its simulated numbers for the report instead.

import * as vscode from 'vscode';
import { BenchDtype, measureSeries } from '../core/bench';
import { simulateTraining, TrainingSimulation } from '../core/backward';
import { BACKWARD_PASSES, measureBackwardSeries, recordedBackward } from '../core/benchBackward';
import type { RunPass } from '../core/benchSchema';
import type { GnaProblem, TileShape, Workload } from '../core/problem';
import { simulate, Simulation } from '../core/simulator';
import type { SimulatedOnly } from '../../webview/protocol/report';
import type { EngineSlot } from './benchEngine';
import type { HistoryStore } from './benchHistoryStore';
import { BenchmarkOutcome, warned } from './benchOutcome';
import type { Ctx } from './context';
import { newRecordId, problemText, runRecords, SweepPlan } from './pure/benchHistory';
import { DeviceInfoLike, measuredMessage, notMeasuredDetail, notMeasuredMessage, runFailedMessage, simulatedSentence, sweepMessage, Unavailable } from './pure/benchMessages';
import { readWorkspaceSettings } from './settings';

export const GPU_INFO_COMMAND = 'gna.showGpuInfo';

/** Runs that may wait behind the one running; more is refused (likely a runaway click). */
const MAX_WAITING = 8;
/** `gna bench`'s defaults. */
const WARMUP = 3;
const REPEATS = 10;

/** A request to time one config, or a sweep of configs on one layout. */
export interface RunSpec {
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
  /**
   * `training` also times the backward pass and the training step, dense and GNA, on
   * `backwardTiles` (the family's backward preset; forward only when there is none).
   */
  readonly pass: RunPass;
  readonly backwardTiles?: TileShape;
  /** Why the training step was asked for and not timed (said after the run's message). */
  readonly backwardUnavailable?: string;
}

/** A run spec with what it is called in messages and its tiles (undefined: no preset fits). */
export interface RunRequest {
  readonly spec: RunSpec;
  readonly config: string;
  readonly tiles: TileShape | undefined;
}

/** The report as the queue drives it. */
export interface ReportView {
  /** The report panel is open and on screen. */
  readonly isVisible: boolean;
  refresh(): void;
  open(focus?: readonly string[], preserveFocus?: boolean): void;
}

interface Job {
  readonly spec: RunSpec;
  readonly key: string;
  readonly controller: AbortController;
  started: boolean;
  step: string;
}

export class RunQueue implements vscode.Disposable {
  private readonly jobs: Job[] = [];
  /** Resolves when the last queued job has finished: the next one waits on it. */
  private tail: Promise<void> = Promise.resolve();
  /** The last config that could not be measured here, with its simulated numbers. */
  simulatedOnly?: SimulatedOnly;

  constructor(
    private readonly ctx: Ctx,
    private readonly engine: EngineSlot,
    private readonly history: HistoryStore,
    private readonly report: ReportView,
  ) {}

  /** Titles of the running and waiting runs, running first. */
  get pending(): string[] {
    return this.jobs.map((j) => j.spec.title);
  }

  /**
   * Times a run, or says why it cannot: untrusted, no usable GPU (with the simulated numbers),
   * the same run already waiting, or too many waiting. Everything up to the queue is synchronous:
   * when this returns, the run is in `pending` or the answer is settled.
   */
  submit({ spec, config, tiles }: RunRequest): Promise<BenchmarkOutcome> {
    const simulation = tiles ? simulate(spec.points[0], tiles, { workload: spec.workload }) : undefined;
    const training = tiles && spec.pass === 'training' && spec.backwardTiles ? simulateTraining(spec.points[0], tiles, spec.backwardTiles, { workload: spec.workload }) : undefined;
    const { info, reason } = this.engine.probe();
    if (reason) return Promise.resolve(this.notMeasured(reason, config, simulation, training, spec.backwardTiles));
    if (!tiles) {
      return Promise.resolve(
        warned(`No ${readWorkspaceSettings().family ?? 'hopper'} tile preset for head dim ${spec.workload.headDim}: ${config} cannot be timed. ${simulatedSentence(undefined)}`),
      );
    }
    const key = JSON.stringify([spec.points, spec.workload, spec.tiles, spec.dtype, spec.sweep?.kind, spec.pass, spec.backwardTiles]);
    const same = this.jobs.find((j) => j.key === key);
    if (same) return Promise.resolve(warned(`${spec.title} is already ${same.started ? 'running' : 'waiting to run'}; not queued twice.`));
    if (this.jobs.length > MAX_WAITING) return Promise.resolve(warned(`${this.jobs.length} benchmarks are running or waiting; cancel some (or wait) before adding ${spec.title}.`));
    return this.enqueue({ spec, key, controller: new AbortController(), started: false, step: '' }, info!);
  }

  /** The report's status line: what runs and how many wait. */
  statusLine(): string | undefined {
    const running = this.jobs.find((j) => j.started);
    const waiting = this.jobs.filter((j) => !j.started).length;
    if (!running && waiting === 0) return undefined;
    const head = running ? `Running ${running.spec.title}${running.step ? `: ${running.step}` : ''}` : 'Starting';
    return `${head}${waiting > 0 ? ` · ${waiting} waiting` : ''}`;
  }

  private notMeasured(reason: Unavailable, config: string, simulation: Simulation | undefined, training: TrainingSimulation | undefined, backwardTiles: TileShape | undefined): BenchmarkOutcome {
    const message = notMeasuredMessage(reason, config, simulation, training);
    const detail = notMeasuredDetail(reason);
    this.ctx.output.info(`benchmark of ${config} not run: ${detail}${reason.engineSays ? ` (the engine's own message: ${reason.engineSays.split('\n')[0]})` : ''}`);
    if (simulation) {
      this.simulatedOnly = {
        label: config,
        reason: detail,
        qTile: [...simulation.qTile],
        kvTile: [...simulation.kvTile],
        simulated: simulation.simulated,
        ...(simulation.paperSimulated === undefined ? {} : { paperSimulated: simulation.paperSimulated }),
        tilePairBound: simulation.tilePairBound,
        flopBound: simulation.flopBound,
        sparsity: simulation.sparsity,
        blockSparse: simulation.blockSparse,
        visited: simulation.visited,
        total: simulation.total,
        ...(training && backwardTiles ? { backward: recordedBackward(backwardTiles, training, []) } : {}),
      };
      this.report.refresh();
    }
    // The report, when it is on screen, says it already (its notice and simulated-only card): no
    // notification over it. Otherwise a short one whose "Show Details" opens the report.
    if (!this.report.isVisible) {
      const actions = reason.kind === 'untrusted' ? ['Manage Workspace Trust'] : ['Show Details'];
      void vscode.window.showWarningMessage(message, ...actions).then((choice) => {
        if (choice === 'Manage Workspace Trust') void vscode.commands.executeCommand('workbench.trust.manage');
        else if (choice === 'Show Details') {
          if (simulation) this.report.open();
          else void vscode.commands.executeCommand(GPU_INFO_COMMAND);
        }
      });
    }
    return { shown: 'warning', message, reason: reason.kind };
  }

  private enqueue(job: Job, info: DeviceInfoLike): Promise<BenchmarkOutcome> {
    this.jobs.push(job);
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    this.report.refresh();
    return Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `GNA benchmark: ${job.spec.title}`, cancellable: true },
        async (progress, token) => {
          const onCancel = token.onCancellationRequested(() => job.controller.abort());
          try {
            if (this.jobs[0] !== job) progress.report({ message: `waiting for ${this.jobs[0].spec.title} to finish…` });
            await previous;
            if (job.controller.signal.aborted) return this.finish(job, { shown: 'info', message: `Benchmark of ${job.spec.title} cancelled before it started.` });
            job.started = true;
            return await this.run(job, info, (message, increment) => progress.report({ message, increment }));
          } finally {
            onCancel.dispose();
            release();
          }
        },
      ),
    );
  }

  private async run(job: Job, info: DeviceInfoLike, report: (message: string, increment: number) => void): Promise<BenchmarkOutcome> {
    const { spec } = job;
    const engine = this.engine.engine;
    const gpu = info.devices.find((d) => d.index === 0) ?? null;
    const points = spec.points.map((problem) => ({ problem, simulation: simulate(problem, spec.tiles, { workload: spec.workload }) }));
    const base = { workload: spec.workload, tiles: spec.tiles, dtype: spec.dtype, device: 0, warmup: WARMUP, repeats: REPEATS };
    const started = Date.now();
    const backward = spec.pass === 'training' && spec.backwardTiles !== undefined;
    /** Timed kernels in all, for the progress bar: dense and each point, per pass. */
    const kernels = (points.length + 1) * (backward ? 1 + BACKWARD_PASSES.length : 1);
    /** Which half failed, for the message: the backward needs more memory than the forward. */
    let stage: 'forward' | 'backward' = 'forward';
    try {
      const run = await measureSeries(engine, base, points, {
        signal: job.controller.signal,
        onStep: (step) => {
          job.step = `${step.dense ? 'dense self attention' : problemText(step.problem)} (${step.index + 1} of ${step.count})`;
          report(job.step, step.index === 0 ? 0 : 100 / kernels);
          this.report.refresh();
        },
      });
      // With gna.pass training: the backward and the training step of every point, dense once per pass.
      const trainings = backward ? points.map((p) => simulateTraining(p.problem, spec.tiles, spec.backwardTiles!, { workload: spec.workload })) : undefined;
      stage = 'backward';
      const passes =
        trainings && spec.backwardTiles
          ? await measureBackwardSeries(engine, { workload: spec.workload, dtype: spec.dtype, device: 0, warmup: WARMUP, repeats: REPEATS }, points.map((p, i) => ({ problem: p.problem, training: trainings[i] })), spec.backwardTiles, {
              signal: job.controller.signal,
              onStep: (step) => {
                job.step = `${step.pass === 'backward' ? 'backward' : 'training step'}: ${step.dense ? 'dense self attention' : problemText(points[step.point].problem)} (${step.index + 1} of ${step.count})`;
                report(job.step, 100 / kernels);
                this.report.refresh();
              },
            })
          : undefined;
      const at = new Date().toISOString();
      const sweepId = spec.sweep ? newRecordId(started, Math.random) : undefined;
      const records = runRecords(
        { at, gpu, driverVersion: info.driverVersion, runtimeVersion: info.runtimeVersion, workload: spec.workload, tiles: spec.tiles, dtype: spec.dtype },
        { ...run, ...(trainings && passes && spec.backwardTiles ? { backward: { tiles: spec.backwardTiles, trainings, passes } } : {}) },
        { id: (i) => newRecordId(started + i, Math.random), label: (problem) => `${spec.prefix}${problemText(problem)}${spec.suffix}` },
        spec.sweep && sweepId ? { id: sweepId, kind: spec.sweep.kind } : undefined,
      );
      // Sweep points are stored in reverse so that the history (newest first) lists them in order.
      await this.history.add([...records].reverse());
      const ids = records.map((r) => r.id);
      const measured = records.length === 1 ? measuredMessage(records[0]) : sweepMessage(spec.title, records, gpu?.name ?? 'the GPU');
      const message = spec.backwardUnavailable ? `${measured} ${spec.backwardUnavailable}` : measured;
      this.ctx.output.info(`benchmark: ${message} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      this.report.open(spec.sweep ? [ids[spec.sweep.baseIndex ?? 0]] : ids, true);
      void vscode.window.showInformationMessage(message);
      return this.finish(job, { shown: 'report', message, records: ids });
    } catch (e) {
      const code = (e as { code?: string }).code;
      const message = runFailedMessage(code, e instanceof Error ? e.message : String(e), stage);
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

  dispose(): void {
    for (const job of this.jobs) job.controller.abort();
  }
}
