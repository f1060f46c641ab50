// The FA2-class portable kernel's check without a GPU (issue 23): the GPU check's FA2 cases
// (fa2Cases.ts), each run through the CPU emulation of CUDA (native/emu/fa2_emu.cc: the token
// permutation, then every thread of every block of the kernel, mma.sync and ldmatrix computed from
// the lanes' registers as the PTX ISA lays them out), against the float64 reference with the GPU
// check's verdict (relative error under GNA-SPEC §7's tolerance, tile pairs = simulate()).
//   node out/test/gpu/fa2-emulate.js [--cases N] [--seed S] [--max-steps M] [--permuted] [--variant 1]
// (--permuted: every case on token-permuted buffers, the path dilation takes; else the caller's
// layout where there is no dilation, as on the GPU. --variant 1: the head-dim-128 cases only, through
// the 64-key d128 variant, gna_fa2.cuh kVariantWideStep.)
// Compiles native/emu/fa2_emu.cc with g++ (CXX) first. Slow (a CPU runs every thread): cases of more
// than M kernel steps (default 3000) are left out and named. Exit code: 0 all passed, 1 otherwise.

import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { product, simulate } from '../../extension/core';
import { GnaNative } from '../../extension/native';
import { buildEmuDriver, emulatorInput } from './backward-emulate';
import type { GpuCase } from './backwardCases';
import { FA2_BLOCKS, fa2Cases, fa2SanitizerCases } from './fa2Cases';
import { runMain } from './script';
import { describeProblem, randomTensor, rng } from '../unit/native/random';

/** GNA-SPEC §7, as the GPU check (native-check.ts). */
const TOLERANCE = { float16: 3e-3, bfloat16: 1e-2 } as const;

/** The kernel's steps on a case (block of rows × KV step pairs, every batch and head): what the emulation's time follows. */
export function fa2Steps(c: GpuCase): number {
  const { rows, keys } = FA2_BLOCKS[c.headDim];
  return simulate(c.problem, c.tiles).visited * Math.ceil(product(c.tiles.q) / rows) * Math.ceil(product(c.tiles.kv) / keys) * c.batch * c.heads;
}

export interface Fa2Outcome {
  readonly c: GpuCase;
  readonly error: number;
  readonly pass: boolean;
  readonly why: string;
}

/** A forward emulator's run of one case: its output's verdict, and the extra numbers of its first line. */
export interface ForwardRun {
  readonly error: number;
  readonly why: string[];
  readonly extra: number[];
}

/**
 * q, k, v through a forward emulator (fa2_emu, sm90_emu: the case file in, "visited full …" and the
 * output out) with `args`, in `dir`, and the GPU check's verdict against the float64 reference:
 * relative error under GNA-SPEC §7's tolerance, no non-finite output, the simulator's tile pairs.
 */
export async function emulateForward(native: GnaNative, bin: string, dir: string, c: GpuCase, x: { q: Float32Array; k: Float32Array; v: Float32Array }, args: string[]): Promise<ForwardRun> {
  const n = x.q.length;
  const workload = { batch: c.batch, heads: c.heads, headDim: c.headDim };
  const ref = await native.referenceForward({ problem: c.problem, workload, q: Float64Array.from(x.q), k: Float64Array.from(x.k), v: Float64Array.from(x.v) });
  // The forward emulators read backward_emu's input (header, then tensors): q, k, v.
  writeFileSync(join(dir, 'in'), emulatorInput(c, { ...x, dO: new Float32Array(0) }));
  execFileSync(bin, [join(dir, 'in'), join(dir, 'out'), ...args], { stdio: 'inherit' });
  const bytes = readFileSync(join(dir, 'out'));
  const eol = bytes.indexOf(10);
  const [visited, full, ...extra] = bytes.subarray(0, eol).toString().split(' ').map(Number);
  const out = new Float32Array(bytes.buffer.slice(bytes.byteOffset + eol + 1, bytes.byteOffset + bytes.length));
  const why: string[] = [];
  if (out.length !== n) why.push(`the emulator wrote ${out.length} values, expected ${n}`);
  let num = 0;
  let den = 0;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(out[i])) bad++;
    num += (out[i] - ref[i]) ** 2;
    den += ref[i] ** 2;
  }
  const error = Math.sqrt(num / den);
  if (bad > 0) why.push(`${bad} non-finite outputs`);
  if (!(error < TOLERANCE[c.dtype])) why.push(`error ${error.toExponential(2)} >= ${TOLERANCE[c.dtype]}`);
  const sim = simulate(c.problem, c.tiles);
  if (visited !== sim.visited || full !== sim.full) why.push(`tile pairs ${visited} (full ${full}) != simulator ${sim.visited} (full ${sim.full})`);
  return { error, why, extra };
}

/**
 * One case through the emulator `bin` (files in `dir`): inputs from `seed`, the reference, the
 * verdict. The kernel reads the caller's layout where it can (no dilation), as on the GPU, unless
 * `permuted` (the token-permuted buffers dilation takes).
 */
export async function emulateFa2Case(native: GnaNative, bin: string, dir: string, c: GpuCase, seed: number, permuted = false, variant = 0): Promise<Fa2Outcome> {
  const rand = rng(seed);
  const n = c.batch * product(c.problem.inputSize) * c.heads * c.headDim;
  const [q, k, v] = [c.sharpness, 1, 1].map((s) => {
    const t = randomTensor(rand, Float32Array, n);
    for (let i = 0; i < n; i++) t[i] *= s;
    return native.quantize(t, c.dtype);
  });
  const { error, why } = await emulateForward(native, bin, dir, c, { q, k, v }, [...(permuted ? ['permuted'] : []), ...(variant === 1 ? ['variant1'] : [])]);
  return { c, error, pass: why.length === 0, why: why.join('; ') };
}

function args(): { cases: number; seed: number; maxSteps: number; permuted: boolean; variant: number } {
  const a = process.argv.slice(2);
  const value = (flag: string) => {
    const i = a.indexOf(flag);
    return i >= 0 ? a[i + 1] : undefined;
  };
  return { cases: Number(value('--cases') ?? 40), seed: Number(value('--seed') ?? 20261122), maxSteps: Number(value('--max-steps') ?? 3000), permuted: a.includes('--permuted'), variant: Number(value('--variant') ?? 0) };
}

async function main(): Promise<number> {
  const opts = args();
  const dir = mkdtempSync(join(tmpdir(), 'gna-fa2-emu-'));
  try {
    const bin = buildEmuDriver(dir, 'fa2_emu');
    const native = new GnaNative();
    if (opts.variant !== 0 && opts.variant !== 1) throw new Error('--variant: 0 or 1');
    const all = [...fa2SanitizerCases(), ...fa2Cases(opts.cases, opts.seed)].filter((c) => opts.variant === 0 || c.headDim === 128);
    const cases = all.filter((c) => fa2Steps(c) <= opts.maxSteps);
    for (const c of all.filter((x) => !cases.includes(x))) console.log(`left out: ${c.label} (${fa2Steps(c)} steps > --max-steps ${opts.maxSteps})`);
    let failed = 0;
    for (const [i, c] of cases.entries()) {
      const o = await emulateFa2Case(native, bin, dir, c, opts.seed + 7919 * i, opts.permuted, opts.variant);
      if (!o.pass) failed++;
      console.log(`${o.pass ? 'PASS' : 'FAIL'} ${c.label} ${c.dtype} d${c.headDim}${opts.variant ? ` variant ${opts.variant}` : ''} b${c.batch} h${c.heads} ${describeProblem(c.problem)} tiles ${c.tiles.q.join('×')}/${c.tiles.kv.join('×')} error ${o.error.toExponential(2)}${o.pass ? '' : `: ${o.why}`}`);
    }
    console.log(failed === 0 && cases.length > 0 ? `ALL PASSED (${cases.length} cases)` : `FAILED ${failed} of ${cases.length} cases`);
    return failed === 0 && cases.length > 0 ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) runMain(main);
