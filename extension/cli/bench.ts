// `gna bench`: time the project's fused CUDA kernel on this machine's GPU — dense self attention
// and the GNA config on the same layout — and put the measured speedup beside the simulated one.
// Without a usable GPU it says why, shows the simulation, and exits with code 3. --backward adds
// the backward pass and the training step (issue 21), measured against simulateTraining; a build
// without a backward kernel says so in those rows and the forward's report stands.

import { formatCausal, formatPercent, formatSpeedup, formatTuple, MeasuredComparison, simulate, Simulation, simulateTraining, TrainingSimulation } from '../core';
import { measureBackwardPasses, PassComparison, passRows } from '../core/benchBackward';
import { BenchDtype, BenchEngine as Engine, cudaVersion, describeGpu, Device, EngineTiming, formatMs, kernelVariant, measureSeries, runCountIssues } from '../core/bench';
import { FlagSpec, helpText, parseArgs, unexpectedArguments } from './args';
import { CliIO, Command, EXIT, UsageError } from './io';
import { BACKWARD_FLAGS, OUTPUT_FLAGS, PROBLEM_FLAGS, prepareJob, requestFromFlags, scalarize, SimJob } from './sim';

const SUMMARY = "Benchmark a GNA config on this machine's GPU with GNA Studio's fused kernel: dense vs GNA, measured vs simulated.";

const FLAGS: FlagSpec[] = [
  ...PROBLEM_FLAGS,
  { name: 'dtype', kind: 'string', choices: ['bf16', 'fp16', 'bfloat16', 'float16'], help: 'input type: bf16 (default) or fp16; fp32 accumulation' },
  { name: 'repeats', kind: 'number', help: 'timed repeats; the median is reported (default 10)' },
  { name: 'warmup', kind: 'number', help: 'untimed runs first (default 3)' },
  { name: 'device', kind: 'number', help: 'CUDA device index (default 0)' },
  ...BACKWARD_FLAGS,
  ...OUTPUT_FLAGS,
];

/** What `gna bench` needs of the native engine (the real one, or a test's). */
export type BenchEngine = Engine<AbortSignal>;

export interface BenchReport {
  readonly job: SimJob;
  readonly simulation: Simulation;
  readonly device: Device | undefined;
  readonly driverVersion: number;
  readonly runtimeVersion: number;
  readonly dtype: BenchDtype;
  /** The engine's answers as they are (the native wrapper's also repeat problem, tiles, dtype, device). */
  readonly dense: EngineTiming;
  readonly gna: EngineTiming;
  readonly comparison: MeasuredComparison;
  /** With --backward: the backward's simulation, and the backward and training step measured (or why not). */
  readonly training?: TrainingSimulation;
  readonly passes?: readonly PassComparison[];
}

function loadEngine(): BenchEngine {
  // Required lazily so `gna sim` and `gna lint` never touch the addon.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../native') as typeof import('../native')).gnaNative();
}

export function makeBenchCommand(engineFactory: () => BenchEngine = loadEngine): Command {
  return async (argv, io: CliIO) => {
    const parsed = parseArgs(argv, FLAGS);
    if (parsed.values.has('help')) {
      io.out(helpText('bench', SUMMARY, FLAGS));
      return EXIT.ok;
    }
    const problems = [...parsed.problems, ...unexpectedArguments('bench', parsed.positionals)];
    const job = prepareJob(scalarize(requestFromFlags(parsed.values)));
    if (Array.isArray(job)) problems.push(...job);
    else if (job.tiling !== 'multi') problems.push('gna bench times the multi-dimensional kernel: drop --tiling single');
    const repeats = (parsed.values.get('repeats') as number | undefined) ?? 10;
    const warmup = (parsed.values.get('warmup') as number | undefined) ?? 3;
    const device = (parsed.values.get('device') as number | undefined) ?? 0;
    const dtypeFlag = (parsed.values.get('dtype') as string | undefined) ?? 'bf16';
    const dtype: BenchDtype = dtypeFlag.startsWith('b') ? 'bfloat16' : 'float16';
    // Checked here, before the GPU is probed: a bad count is a usage error, not a failed run.
    problems.push(...runCountIssues({ repeats, warmup, device }, '--'));
    if (problems.length > 0 || Array.isArray(job)) throw new UsageError(problems);

    const json = parsed.values.has('json');
    const simulation = simulate(job.problem, job.tiles, { workload: job.workload });
    const training = job.backwardTiles ? simulateTraining(job.problem, job.tiles, job.backwardTiles, { workload: job.workload }) : undefined;
    const engine = engineFactory();
    const info = engine.deviceInfo();
    if (!info.available) {
      const reason = `no usable GPU: ${info.message}`;
      // The reason once: in the JSON, or on stderr beside the simulated numbers.
      if (json) io.out(JSON.stringify({ available: false, reason, code: info.code ?? null, simulation, ...(training ? { training } : {}) }, null, 2));
      else {
        io.out(renderSimulated(job, simulation, training));
        io.err(`gna bench: ${reason}`);
      }
      return EXIT.noGpu;
    }

    const controller = new AbortController();
    const onSigint = (): void => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      const base = { workload: job.workload, tiles: job.tiles, dtype, device, warmup, repeats };
      const run = await measureSeries(engine, base, [{ problem: job.problem, simulation }], { signal: controller.signal });
      const [{ gna, comparison }] = run.points;
      const dense = run.dense;
      const passes = training
        ? await measureBackwardPasses(engine, { workload: job.workload, dtype, device, warmup, repeats }, job.problem, job.backwardTiles!, training, controller.signal)
        : undefined;
      const report: BenchReport = {
        job,
        simulation,
        device: info.devices.find((d) => d.index === device),
        driverVersion: info.driverVersion,
        runtimeVersion: info.runtimeVersion,
        dtype,
        dense,
        gna,
        comparison,
        ...(training ? { training, passes } : {}),
      };
      io.out(json ? JSON.stringify(benchJson(report), null, 2) : renderBench(report));
      return EXIT.ok;
    } catch (e) {
      const code = (e as { code?: string }).code;
      io.err(`gna bench: ${code ? `${code}: ` : ''}${e instanceof Error ? e.message : String(e)}`);
      return code === 'GNA_ERR_NO_DEVICE' || code === 'GNA_ERR_NOT_BUILT' || code === 'GNA_ERR_LOAD' ? EXIT.noGpu : EXIT.runFailed;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  };
}

export const benchCommand: Command = makeBenchCommand();

function title(job: SimJob): string {
  const p = job.problem;
  const w = job.workload;
  return (
    `layout ${formatTuple(p.inputSize)}, window ${formatTuple(p.windowSize)}, stride ${formatTuple(p.stride)}, dilation ${formatTuple(p.dilation)}` +
    (p.causal.some((c) => c) ? `, ${formatCausal(p.causal)}` : '') +
    `; batch ${w.batch}, ${w.heads} head${w.heads === 1 ? '' : 's'}, head dim ${w.headDim}; Q tile ${formatTuple(job.tiles.q)}, KV tile ${formatTuple(job.tiles.kv)}`
  );
}

function renderSimulated(job: SimJob, sim: Simulation, training?: TrainingSimulation): string {
  const forward = `${title(job)}\n  simulated ${formatSpeedup(sim.simulated)}, tile-pair bound ${formatSpeedup(sim.tilePairBound)}, FLOP-wise bound ${formatSpeedup(sim.flopBound)}${
    sim.blockSparse ? ', block-sparse' : ''
  }`;
  if (!training) return forward;
  const b = training.backward;
  return `${forward}\n  backward simulated ${formatSpeedup(b.simulated)} (worst KV tile: ${b.worstKvTileVisits} Q-tile visits, ${b.denseKvTileVisits} in self attention), training step simulated ${formatSpeedup(training.training.simulated)}`;
}

export function renderBench(r: BenchReport): string {
  const c = r.comparison;
  const dev = r.device ? describeGpu(r.device) : 'unknown device';
  const rows: [string, string][] = [
    ['GPU', `${dev}, driver ${cudaVersion(r.driverVersion)}, CUDA runtime ${cudaVersion(r.runtimeVersion)}, ${r.dtype}`],
    ['kernel', kernelVariant(r)],
    ['dense kernel', `${formatMs(c.denseMs)}  ${c.denseTflops.toFixed(0)} TFLOP/s`],
    ['GNA kernel', `${formatMs(c.gnaMs)}  ${c.gnaTflops.toFixed(0)} TFLOP/s on visited tiles`],
    ['token permutation', c.permuteMs > 0 ? formatMs(c.permuteMs) : 'none'],
    ['measured speedup', `${formatSpeedup(c.measured)} (${formatSpeedup(c.measuredWithPermute)} with permutation)`],
    ['simulated speedup', formatSpeedup(c.simulated)],
    ['share of bound', formatPercent(c.shareOfBound)],
    ['tile-pair bound', formatSpeedup(c.tilePairBound)],
    ['FLOP-wise bound', formatSpeedup(c.flopBound)],
    ['tile pairs', `${r.gna.visited} visited, ${r.gna.full} full (batch 0, head 0 as the kernel counted)`],
    ['repeats', `median of ${r.gna.repeats}`],
    ...(r.passes && r.job.backwardTiles ? passRows(r.passes, r.job.backwardTiles) : []),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [title(r.job), ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n');
}

export function benchJson(r: BenchReport): Record<string, unknown> {
  return {
    available: true,
    problem: r.job.problem,
    workload: r.job.workload,
    tiles: r.job.tiles,
    dtype: r.dtype,
    device: r.device ?? null,
    driverVersion: r.driverVersion,
    runtimeVersion: r.runtimeVersion,
    dense: r.dense,
    gna: r.gna,
    ...r.comparison,
    blockSparse: r.simulation.blockSparse,
    ...(r.training && r.passes ? { backward: { tiles: r.job.backwardTiles, simulation: r.training.backward, training: r.training.training, passes: r.passes } } : {}),
  };
}
