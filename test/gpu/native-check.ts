// GPU check of the fused CUDA kernel (run on a CUDA machine; see native/README.md):
//   node gpu-check.js [--cases N] [--seed S] [--sanitizer] [--out FILE]
// For many configs (every rank, odd and even windows, strides, dilation, causal, layouts that
// tiles do not divide, head dims 32/64/128, float16 and bfloat16, dense self attention) it
// compares the CUDA output with the float64 CPU reference run on the same 16-bit-rounded
// inputs, by ‖out − ref‖ / ‖ref‖ (GNA-SPEC §7 tolerances; NaN never passes; outputs are
// poisoned with NaN before each run). It also checks that the kernel visited exactly the tile
// pairs the simulator counts, exercises the benchmark (timings, cancellation) and the GPU error
// paths, and prints a table. --sanitizer runs a few small cases only (for compute-sanitizer).
// --hopper-cases N adds N random configs the sm90a kernel takes; --no-bench skips the timings and
// error paths (for a second pass under GNA_KERNEL=permuted or portable: the environment switches
// of native/scripts/gpu-run.sh become the engine's default options, see extension/native/envOptions.ts).
// Under GNA_KERNEL=fa2 (issue 23) every case must run the FA2-class portable kernel, --fa2-cases N
// (default 200 then) adds random configs cycling its head dims and dtypes (fa2Cases.ts), and
// --sanitizer adds its small cases.
// Exit code: 0 all passed, 1 a check failed, 3 no usable GPU.

import { writeFileSync } from 'fs';
import { GnaProblem, product, simulate, TileShape } from '../../extension/core';
import { cudaVersion } from '../../extension/core/bench';
import { engineOptionsFromEnv, GnaNative, GnaNativeError, InputDtype } from '../../extension/native';
import { runMain, scriptEngine } from './script';
import { describeProblem, rng } from '../unit/native/random';
import { curated, HOPPER_HEAD_DIMS, hopperCases, p, randomCases, sanitizerCases, tensor } from './checkCases';
import type { GpuCase } from './backwardCases';
import { FA2_HEAD_DIMS, fa2Cases, fa2SanitizerCases, kernelTag } from './fa2Cases';
import { variantMiss } from './variantCheck';

type Case = GpuCase;

interface Outcome {
  readonly c: Case;
  readonly error: number;
  readonly nan: number;
  readonly visited: number;
  readonly full: number;
  readonly simVisited: number;
  readonly simFull: number;
  /** Which kernel ran (the Hopper path for D128 with 128-token KV tiles on an H100). */
  readonly kernel: string;
  /** Two chained passes (output → Q) against the second pass run alone: bitwise equal or not. */
  readonly chained?: boolean;
  readonly pass: boolean;
  readonly why: string;
}

const TOLERANCE: Record<InputDtype, number> = { float16: 3e-3, bfloat16: 1e-2 };

function args(fa2: boolean): { cases: number; hopperCases: number; fa2Cases: number; seed: number; sanitizer: boolean; bench: boolean; out?: string } {
  const a = process.argv.slice(2);
  const value = (flag: string) => {
    const i = a.indexOf(flag);
    return i >= 0 ? a[i + 1] : undefined;
  };
  return {
    cases: Number(value('--cases') ?? 150),
    hopperCases: Number(value('--hopper-cases') ?? 100),
    fa2Cases: Number(value('--fa2-cases') ?? (fa2 ? 200 : 0)),
    seed: Number(value('--seed') ?? 20261122),
    sanitizer: a.includes('--sanitizer'),
    bench: !a.includes('--no-bench'),
    out: value('--out'),
  };
}


/**
 * On the Hopper kernel: two passes launched back to back, the first one's output the second's Q,
 * must equal (bitwise) the second pass run alone on that output. The second kernel may start
 * before the first ends (programmatic dependent launch); reading Q before the first has written
 * it gives NaN (the poisoned output) or a stale value. Small problems leave most SMs free, so the
 * second kernel's CTAs do start early here.
 */
async function chainedPassesAgree(native: GnaNative, c: Case, q: Float32Array, k: Float32Array, v: Float32Array, first: Float32Array): Promise<number> {
  const workload = { batch: c.batch, heads: c.heads, headDim: c.headDim };
  const run = { problem: c.problem, workload, tiles: c.tiles, dtype: c.dtype, k, v };
  const [chained, alone] = await Promise.all([native.cudaForward({ ...run, q, passes: 2 }), native.cudaForward({ ...run, q: first })]);
  let differing = 0;
  for (let i = 0; i < first.length; i++) if (!Object.is(chained.output[i], alone.output[i])) differing++;
  return differing;
}

async function runCase(native: GnaNative, c: Case, seed: number, chain: boolean, wanted?: string): Promise<Outcome> {
  const rand = rng(seed);
  const workload = { batch: c.batch, heads: c.heads, headDim: c.headDim };
  const n = c.batch * product(c.problem.inputSize) * c.heads * c.headDim;
  // Fresh random inputs, rounded to the 16-bit type first so both sides see the same values.
  const [q, k, v] = [c.sharpness, 1, 1].map((s) => native.quantize(tensor(rand, n, s), c.dtype));
  const [ref, gpu] = await Promise.all([
    native.referenceForward({ problem: c.problem, workload, q: Float64Array.from(q), k: Float64Array.from(k), v: Float64Array.from(v) }),
    native.cudaForward({ problem: c.problem, workload, tiles: c.tiles, dtype: c.dtype, q, k, v }),
  ]);
  let num = 0;
  let den = 0;
  let nan = 0;
  for (let i = 0; i < n; i++) {
    const x = gpu.output[i];
    if (!Number.isFinite(x)) nan++;
    num += (x - ref[i]) ** 2;
    den += ref[i] ** 2;
  }
  const error = Math.sqrt(num / den);
  const sim = simulate(c.problem, c.tiles);
  const why: string[] = [];
  if (nan > 0) why.push(`${nan} non-finite outputs`);
  if (!(error < TOLERANCE[c.dtype])) why.push(`error ${error.toExponential(2)} >= ${TOLERANCE[c.dtype]}`);
  if (gpu.visited !== sim.visited) why.push(`visited ${gpu.visited} != simulator ${sim.visited}`);
  if (gpu.full !== sim.full) why.push(`full ${gpu.full} != simulator ${sim.full}`);
  if (wanted && kernelTag(gpu.kernel ?? '') !== wanted) why.push(`${wanted} asked for, ${gpu.kernel ?? 'an unnamed kernel'} ran`);
  const variantWhy = variantMiss(gpu.kernel ?? '', c.headDim, engineOptionsFromEnv(process.env).variant ?? 0);
  if (variantWhy) why.push(variantWhy);
  let chained: boolean | undefined;
  if (chain && (gpu.kernel ?? '').startsWith('sm90')) {
    const differing = await chainedPassesAgree(native, c, q, k, v, gpu.output);
    chained = differing === 0;
    if (!chained) why.push(`2 chained passes differ from the 2nd pass alone in ${differing} outputs`);
  }
  return { c, error, nan, visited: gpu.visited, full: gpu.full, simVisited: sim.visited, simFull: sim.full, kernel: gpu.kernel ?? '?', chained, pass: why.length === 0, why: why.join('; ') };
}

function row(o: Outcome): string {
  const c = o.c;
  const t = (v: readonly number[]) => v.join('×');
  return [
    (o.pass ? 'PASS' : 'FAIL').padEnd(4),
    c.label.padEnd(19),
    describeProblem(c.problem).padEnd(62),
    `Q ${t(c.tiles.q)} KV ${t(c.tiles.kv)}`.padEnd(24),
    `D${c.headDim}`.padEnd(4),
    (c.dtype === 'float16' ? 'fp16' : 'bf16').padEnd(4),
    `${c.batch}×${c.heads}`.padEnd(4),
    o.error.toExponential(2).padStart(9),
    `${o.visited}/${o.simVisited}`.padStart(13),
    `${o.full}/${o.simFull}`.padStart(13),
    kernelTag(o.kernel).padEnd(8),
    o.why,
  ].join(' ');
}

async function poolMap<T, R>(items: readonly T[], width: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}

async function expectCode(name: string, p: Promise<unknown>, code: string, lines: string[]): Promise<boolean> {
  try {
    await p;
    lines.push(`FAIL  ${name}: resolved, expected ${code}`);
    return false;
  } catch (e) {
    const ok = e instanceof GnaNativeError && e.code === code;
    lines.push(`${ok ? 'PASS' : 'FAIL'}  ${name}: ${e instanceof GnaNativeError ? e.code : 'non-GNA error'}: ${(e as Error).message.split('\n')[0]}`);
    return ok;
  }
}

async function gpuBehaviour(native: GnaNative): Promise<{ lines: string[]; failures: number }> {
  const lines: string[] = [];
  let failures = 0;
  const workload = { batch: 1, heads: 24, headDim: 128 };
  // Timings of the same code on GNA and dense problems: a smoke test of the benchmark path
  // (speed itself is the next issue's).
  const benches: [string, GnaProblem, TileShape, number][] = [
    ['256×256 w80 s16 (FLUX)', p([256, 256], [80, 80], [16, 16], [1, 1], [false, false]), { q: [16, 8], kv: [16, 8] }, 24],
    ['256×256 w80 s1', p([256, 256], [80, 80], [1, 1], [1, 1], [false, false]), { q: [16, 8], kv: [16, 8] }, 24],
    ['32768 w2048 s256', p([32768], [2048], [256], [1], [false]), { q: [128], kv: [128] }, 1],
  ];
  const denseDone = new Map<string, number>();
  for (const [label, problem, tiles, heads] of benches) {
    const w = { ...workload, heads };
    const sim = simulate(problem, tiles);
    const gna = await native.benchmark({ problem, workload: w, tiles, dtype: 'bfloat16', warmup: 2, repeats: 5 });
    const key = problem.inputSize.join('×') + `/${heads}`;
    if (!denseDone.has(key)) {
      const dense = await native.benchmark({ problem, workload: w, tiles, dtype: 'bfloat16', warmup: 1, repeats: 3, dense: true });
      denseDone.set(key, dense.attentionMs);
      lines.push(`bench dense ${key.padEnd(14)} attention ${dense.attentionMs.toFixed(3)} ms, permutation ${dense.permuteMs.toFixed(3)} ms, ${dense.tflops.toFixed(1)} TFLOP/s on visited tiles; ${dense.kernel}`);
    }
    const dense = denseDone.get(key)!;
    const countsOk = gna.visited === sim.visited && gna.full === sim.full;
    if (!countsOk) failures++;
    lines.push(
      `bench ${label.padEnd(24)} attention ${gna.attentionMs.toFixed(3)} ms, permutation ${gna.permuteMs.toFixed(3)} ms, ` +
        `${gna.tflops.toFixed(1)} TFLOP/s; measured ${(dense / gna.attentionMs).toFixed(2)}× vs simulated ${sim.simulated.toFixed(2)}×; ` +
        `tile pairs ${gna.visited}/${sim.visited} ${countsOk ? 'match' : 'MISMATCH'}; ${gna.kernel}`,
    );
  }

  // Cancellation between repeats: a long benchmark aborted early.
  const controller = new AbortController();
  const started = Date.now();
  const long = native.benchmark({ problem: benches[0][1], workload, tiles: benches[0][2], repeats: 10000, warmup: 1 }, controller.signal);
  setTimeout(() => controller.abort(), 300);
  if (!(await expectCode('abort during a 10000-repeat benchmark', long, 'GNA_ERR_CANCELLED', lines))) failures++;
  lines.push(`      (cancelled after ${Date.now() - started} ms)`);

  const small = { problem: p([64], [8], [1], [1], [false]), workload: { batch: 1, heads: 1, headDim: 64 }, tiles: { q: [64], kv: [64] } };
  if (!(await expectCode('device 99', native.benchmark({ ...small, device: 99 }), 'GNA_ERR_INVALID', lines))) failures++;
  const huge = { problem: p([1024, 1024], [8, 8], [1, 1], [1, 1], [false, false]), workload: { batch: 1, heads: 4096, headDim: 128 } };
  if (!(await expectCode('1 TiB of inputs', native.benchmark({ ...huge, repeats: 1 }), 'GNA_ERR_OOM', lines))) failures++;
  // The context must still work after those errors.
  const after = await native.benchmark({ ...small, repeats: 2, warmup: 1 });
  const ok = after.attentionMs > 0 && after.repeats === 2;
  lines.push(`${ok ? 'PASS' : 'FAIL'}  a benchmark after the errors still runs (${after.attentionMs.toFixed(4)} ms)`);
  if (!ok) failures++;
  return { lines, failures };
}

async function main(): Promise<number> {
  const fa2 = engineOptionsFromEnv(process.env).kernel?.startsWith('portable-fa2') ?? false;
  const opts = args(fa2);
  const native = scriptEngine();
  const info = native.deviceInfo();
  const device = info.devices[0];
  const machine = device
    ? `${device.name}, sm_${device.computeCapability.replace('.', '')}, ${device.multiprocessors} SMs, ${(device.totalMemBytes / 2 ** 30).toFixed(0)} GiB; ` +
      `driver supports CUDA ${cudaVersion(info.driverVersion)}, runtime CUDA ${cudaVersion(info.runtimeVersion)}; node ${process.version}; ${new Date().toISOString()}`
    : info.message;
  console.log(`machine: ${machine}`);
  const switches = engineOptionsFromEnv(process.env);
  if (Object.keys(switches).length > 0) console.log(`engine options from the environment: ${JSON.stringify(switches)}`);
  if (!info.available) return 3;

  const cases = opts.sanitizer
    ? [...sanitizerCases(), ...(fa2 ? fa2SanitizerCases() : [])]
    : [...curated(), ...randomCases(opts.cases, opts.seed), ...hopperCases(opts.hopperCases, opts.seed), ...fa2Cases(opts.fa2Cases, opts.seed)];
  const started = Date.now();
  const outcomes = await poolMap(cases, opts.sanitizer ? 1 : 8, (c, i) => runCase(native, c, opts.seed + 7919 * i, !opts.sanitizer, fa2 ? 'fa2' : undefined));
  const seconds = (Date.now() - started) / 1000;

  const header = `${'    '} ${'case'.padEnd(19)} ${'problem'.padEnd(62)} ${'tiles'.padEnd(24)} D    type B×H  ${'rel err'.padStart(9)} ${'visited k/sim'.padStart(13)} ${'full k/sim'.padStart(13)} kernel`;
  const table = [header, ...outcomes.map(row)];
  const failed = outcomes.filter((o) => !o.pass);
  const summary: string[] = [];
  for (const dtype of ['float16', 'bfloat16'] as const) {
    const of = outcomes.filter((o) => o.c.dtype === dtype);
    if (of.length === 0) continue;
    const max = Math.max(...of.map((o) => o.error));
    const median = of.map((o) => o.error).sort((a, b) => a - b)[Math.floor(of.length / 2)];
    summary.push(`${dtype}: ${of.length} cases, ${of.filter((o) => o.pass).length} passed, relative error median ${median.toExponential(2)}, max ${max.toExponential(2)} (tolerance ${TOLERANCE[dtype]})`);
  }
  for (const r of [1, 2, 3]) {
    const of = outcomes.filter((o) => o.c.problem.inputSize.length === r);
    summary.push(`rank ${r}: ${of.length} cases, ${of.filter((o) => o.pass).length} passed`);
  }
  const withFull = outcomes.filter((o) => o.full > 0);
  summary.push(`${withFull.length} cases walked full (unmasked) KV tiles, ${withFull.filter((o) => o.pass).length} passed; ${outcomes.reduce((a, o) => a + o.full, 0)} full of ${outcomes.reduce((a, o) => a + o.visited, 0)} visited tile pairs in all`);
  for (const tag of ['sm90-dir', 'sm90-per', 'fa2', 'portable']) {
    const of = outcomes.filter((o) => kernelTag(o.kernel) === tag);
    if (of.length > 0) summary.push(`kernel ${tag}: ${of.length} cases, ${of.filter((o) => o.pass).length} passed`);
  }
  // The Hopper builds one by one (issue 18: head dims 32, 64, 128, 256), both dtypes.
  for (const d of HOPPER_HEAD_DIMS) {
    const of = outcomes.filter((o) => kernelTag(o.kernel).startsWith('sm90') && o.c.headDim === d);
    const dtypes = [...new Set(of.map((o) => (o.c.dtype === 'float16' ? 'fp16' : 'bf16')))].sort().join('+');
    summary.push(`kernel sm90 d${d}: ${of.length} cases (${dtypes || 'none'}), ${of.filter((o) => o.pass).length} passed`);
  }
  // The FA2-class portable kernel (issue 23) per head dim and dtype.
  for (const d of fa2 ? FA2_HEAD_DIMS : []) {
    for (const dtype of ['float16', 'bfloat16'] as const) {
      const of = outcomes.filter((o) => kernelTag(o.kernel) === 'fa2' && o.c.headDim === d && o.c.dtype === dtype);
      const worst = of.length > 0 ? Math.max(...of.map((o) => o.error)).toExponential(2) : '-';
      summary.push(`kernel fa2 d${d} ${dtype}: ${of.length} cases, ${of.filter((o) => o.pass).length} passed, worst relative error ${worst}`);
    }
  }
  const chainedRuns = outcomes.filter((o) => o.chained !== undefined);
  if (chainedRuns.length > 0) {
    summary.push(`2 chained passes (output as the next Q, back to back) = the 2nd pass alone, bitwise, in ${chainedRuns.filter((o) => o.chained).length}/${chainedRuns.length} Hopper cases`);
  }
  summary.push(`tile pairs visited by the kernel = simulator in ${outcomes.filter((o) => o.visited === o.simVisited && o.full === o.simFull).length}/${outcomes.length} cases`);
  summary.push(`${outcomes.length} cases in ${seconds.toFixed(1)} s: ${failed.length === 0 ? 'ALL PASSED' : `${failed.length} FAILED`}`);

  let behaviourFailures = 0;
  let behaviour: string[] = [];
  if (!opts.sanitizer && opts.bench) {
    const b = await gpuBehaviour(native);
    behaviour = b.lines;
    behaviourFailures = b.failures;
  }
  const text = [`machine: ${machine}`, '', ...table, '', ...behaviour, '', ...summary].join('\n');
  if (opts.out) writeFileSync(opts.out, text + '\n');
  // The terminal gets failures, behaviour and the summary; the file gets the whole table.
  if (!opts.out || opts.sanitizer) console.log(table.join('\n'));
  else for (const o of failed.slice(0, 30)) console.log(row(o));
  console.log([...behaviour, ...summary].join('\n'));
  return failed.length > 0 || behaviourFailures > 0 ? 1 : 0;
}

runMain(main);
