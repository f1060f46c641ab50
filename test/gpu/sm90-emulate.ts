// The Hopper (sm_90a) fused forward's check without a GPU: the GPU check's cases that the Hopper
// kernel takes (native-check.ts's curated, random and Hopper lists, checkCases.ts, with the same
// inputs: case i of that list gets seed S + 7919·i), each run through the CPU emulation
// (native/emu/sm90_emu.cc: gna_sm90.cu's host side with emulated tensor maps, then every thread of
// every CTA with mbarriers, TMA and wgmma emulated from the PTX ISA), against the float64 reference
// with the GPU check's verdict (GNA-SPEC §7 tolerance, tile pairs = simulate()), and the path
// (direct or permuted) the addon's hopperChoice names.
//   node out/test/gpu/sm90-emulate.js [--cases N] [--hopper-cases N] [--seed S] [--max-work W]
//        [--permuted] [--ctas N] [--variant V] [--head-dims 32,64] [--sanitizer] [--sabotage] [--compare GPU-RESULTS]
// The defaults (--cases 120 --hopper-cases 240) are issue18.sh's GPU run's list.
// --permuted: every case on token-permuted buffers (GNA_KERNEL=permuted); --ctas N: the persistent
// grid capped at N CTAs (GNA_SM90_CTAS=N; default: one CTA per SM of an H100, as on the GPU);
// --variant V: the kernel's variant V (GNA_SM90_VARIANT=V; a case whose build has it fails unless it ran);
// --head-dims: only the cases at those head dims (e.g. the builds a variant exists for);
// --sanitizer: the GPU check's small sanitizer cases instead; --sabotage: the emulation's own check
// (sm90-sabotage.ts): mutated copies of the kernel must fail; --compare: each case's error beside the
// one a GPU run of the same list reported (its results file's first table, e.g.
// native/results/h200-correctness-2026-12-05.txt, which ran --cases 120 --hopper-cases 240).
// Compiles native/emu/sm90_emu.cc with g++ (CXX) first. Slow (a CPU runs every thread): cases of more
// than W units of work (d128 128×128 steps, default 400) are left out and named. Exit code: 0 all
// passed, 1 otherwise.

import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { presetsFor, product, simulate } from '../../extension/core';
import { GnaNative } from '../../extension/native';
import { buildEmuDriver } from './backward-emulate';
import type { GpuCase } from './backwardCases';
import { curated, hopperCases, randomCases, sanitizerCases, tensor } from './checkCases';
import { emulateForward } from './fa2-emulate';
import { cliFlags, runMain } from './script';
import { variantMiss } from './variantCheck';
import { describeProblem, rng } from '../unit/native/random';

/** How the emulated kernel runs a case: forced onto the permuted path, its grid capped (0: one CTA per SM), a kernel variant. */
export interface Sm90Mode {
  readonly permuted?: boolean;
  readonly ctas?: number;
  readonly variant?: number;
}

export interface Sm90Outcome {
  readonly c: GpuCase;
  readonly error: number;
  readonly path: 'direct' | 'permuted';
  readonly pass: boolean;
  readonly why: string;
}

/** The kernel's query rows per item and keys per step at a case's head dim (its Hopper presets). */
function itemShape(c: GpuCase): { rows: number; keys: number } {
  const preset = presetsFor('hopper', c.problem.inputSize.length, c.headDim)[0];
  return { rows: product(preset.q), keys: product(preset.kv) };
}

/** The emulation's work on a case in head-dim-128 steps (128 rows × 128 keys × 128 columns): what its time follows. */
export function sm90Work(c: GpuCase): number {
  const { rows, keys } = itemShape(c);
  const steps = simulate(c.problem, c.tiles).visited * Math.ceil(product(c.tiles.q) / rows) * c.batch * c.heads;
  return (steps * rows * keys * c.headDim) / 128 ** 3;
}

/** The path the Hopper kernel takes for a case on a compute capability 9.0 GPU (the addon's selection), or none. */
export function hopperPath(native: GnaNative, c: GpuCase, mode: Sm90Mode = {}): 'direct' | 'permuted' | 'none' {
  const workload = { batch: c.batch, heads: c.heads, headDim: c.headDim };
  return native.hopperChoice(c.problem, workload, c.tiles, mode.permuted ? 'permuted' : 'hopper').path;
}

/** The case's inputs as the GPU check makes them (native-check.ts runCase) from `seed`. */
function checkInputs(native: GnaNative, c: GpuCase, seed: number): { q: Float32Array; k: Float32Array; v: Float32Array } {
  const rand = rng(seed);
  const n = c.batch * product(c.problem.inputSize) * c.heads * c.headDim;
  const [q, k, v] = [c.sharpness, 1, 1].map((s) => native.quantize(tensor(rand, n, s), c.dtype));
  return { q, k, v };
}

/** One case through the emulator `bin` (files in `dir`): the GPU check's inputs from `seed`, its verdict, and the path. */
export async function emulateSm90Case(native: GnaNative, bin: string, dir: string, c: GpuCase, seed: number, mode: Sm90Mode = {}): Promise<Sm90Outcome> {
  const expected = hopperPath(native, c, mode);
  if (expected === 'none') throw new Error(`${c.label}: the Hopper kernel does not take this case`);
  const args = [...(mode.permuted ? ['permuted'] : []), ...(mode.ctas ? ['ctas', String(mode.ctas)] : []), ...(mode.variant ? ['variant', String(mode.variant)] : [])];
  const { error, why, extra } = await emulateForward(native, bin, dir, c, checkInputs(native, c, seed), args);
  const path = extra[0] === 1 ? 'direct' : 'permuted';
  if (path !== expected) why.push(`the ${path} path ran, hopperChoice names ${expected}`);
  const kernel = `sm90a, d${c.headDim}${extra[1] > 0 ? `, variant ${extra[1]}` : ''}`;
  const missed = variantMiss(kernel, c.headDim, mode.variant ?? 0);
  if (missed) why.push(missed);
  return { c, error, path, pass: why.length === 0, why: why.join('; ') };
}

/** The GPU check's list with each case's seed (its index there), the Hopper kernel's cases only. */
export function sm90CheckCases(native: GnaNative, cases: number, hopper: number, seed: number, mode: Sm90Mode = {}): { c: GpuCase; seed: number }[] {
  const all = [...curated(), ...randomCases(cases, seed), ...hopperCases(hopper, seed)];
  return all.map((c, i) => ({ c, seed: seed + 7919 * i })).filter(({ c }) => hopperPath(native, c, mode) !== 'none');
}

/** The GPU check's sanitizer cases that the Hopper kernel takes, with their seeds (as in its --sanitizer run). */
export function sm90SanitizerCases(native: GnaNative, seed: number, mode: Sm90Mode = {}): { c: GpuCase; seed: number }[] {
  return sanitizerCases()
    .map((c, i) => ({ c, seed: seed + 7919 * i }))
    .filter(({ c }) => hopperPath(native, c, mode) !== 'none');
}

/**
 * The relative errors of a GPU check's results file (its first table: "PASS label … D128 fp16 1×2
 * 2.93e-4 …"), by label and dtype.
 */
export function gpuErrors(text: string): Map<string, number> {
  const errors = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(?:PASS|FAIL) (.{19}) .* D\d+\s+(fp16|bf16) \S+\s+(\S+)/.exec(line);
    const key = m ? `${m[1].trim()} ${m[2] === 'fp16' ? 'float16' : 'bfloat16'}` : '';
    if (m && !errors.has(key)) errors.set(key, Number(m[3]));
  }
  return errors;
}

function args(): { cases: number; hopper: number; seed: number; maxWork: number; mode: Sm90Mode; headDims?: number[]; sanitizer: boolean; sabotage: boolean; compare?: string } {
  const { value, has } = cliFlags();
  return {
    cases: Number(value('--cases') ?? 120),
    hopper: Number(value('--hopper-cases') ?? 240),
    seed: Number(value('--seed') ?? 20261122),
    maxWork: Number(value('--max-work') ?? 400),
    mode: { permuted: has('--permuted'), ctas: Number(value('--ctas') ?? 0), variant: Number(value('--variant') ?? 0) },
    headDims: value('--head-dims')?.split(',').map(Number),
    sanitizer: has('--sanitizer'),
    sabotage: has('--sabotage'),
    compare: value('--compare'),
  };
}

async function main(): Promise<number> {
  const opts = args();
  const native = new GnaNative();
  if (opts.sabotage) {
    const { runSabotage } = await import('./sm90-sabotage');
    return runSabotage(native);
  }
  const dir = mkdtempSync(join(tmpdir(), 'gna-sm90-emu-'));
  try {
    const bin = buildEmuDriver(dir, 'sm90_emu');
    const all = opts.sanitizer ? sm90SanitizerCases(native, opts.seed, opts.mode) : sm90CheckCases(native, opts.cases, opts.hopper, opts.seed, opts.mode);
    const wanted = all.filter(({ c }) => !opts.headDims || opts.headDims.includes(c.headDim));
    const cases = wanted.filter(({ c }) => sm90Work(c) <= opts.maxWork);
    for (const { c } of wanted.filter((x) => !cases.includes(x))) console.log(`left out: ${c.label} (${sm90Work(c).toFixed(0)} units of work > --max-work ${opts.maxWork})`);
    const gpu = opts.compare ? gpuErrors(readFileSync(opts.compare, 'utf8')) : undefined;
    const ratios: number[] = [];
    let failed = 0;
    const started = Date.now();
    for (const { c, seed } of cases) {
      const t0 = Date.now();
      const o = await emulateSm90Case(native, bin, dir, c, seed, opts.mode);
      if (!o.pass) failed++;
      const tiles = `tiles ${c.tiles.q.join('×')}/${c.tiles.kv.join('×')}`;
      const onGpu = gpu?.get(`${c.label} ${c.dtype}`);
      if (onGpu !== undefined) ratios.push(o.error / onGpu);
      const beside = onGpu === undefined ? '' : ` (GPU ${onGpu.toExponential(2)})`;
      console.log(
        `${o.pass ? 'PASS' : 'FAIL'} ${c.label} ${c.dtype} d${c.headDim} b${c.batch} h${c.heads} ${describeProblem(c.problem)} ${tiles} ${o.path} ` +
          `error ${o.error.toExponential(2)}${beside} ${((Date.now() - t0) / 1000).toFixed(1)} s${o.pass ? '' : `: ${o.why}`}`,
      );
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    if (ratios.length > 0) {
      const off = ratios.map((r) => Math.abs(r - 1)).sort((a, b) => a - b);
      const within = (x: number) => off.filter((v) => v <= x).length;
      console.log(`emulated error / GPU error over ${ratios.length} cases: within 1% in ${within(0.01)}, within 5% in ${within(0.05)}, worst ${(100 * off[off.length - 1]).toFixed(1)}% off`);
    }
    console.log(failed === 0 && cases.length > 0 ? `ALL PASSED (${cases.length} cases, ${seconds} s)` : `FAILED ${failed} of ${cases.length} cases (${seconds} s)`);
    return failed === 0 && cases.length > 0 ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) runMain(main);
