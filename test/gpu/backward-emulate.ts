// The fused backward's check without a GPU: the same cases and verdicts as backward-check.ts
// (backwardRun.ts), each run through the CPU emulation of the kernels (native/emu: the forward's
// log-sum-exp build, the backward's three kernels and the token permutation, every thread of every
// block, mma.sync computed from the lanes' fragments as the PTX ISA lays them out).
//   node out/test/gpu/backward-emulate.js [--cases N] [--seed S] [--curated-only] [--hopper [--sabotage]] [--max-steps M] [--out FILE]
// --hopper: the Hopper backward (sm90_backward_emu: gna_sm90_backward.cuh on the emulated TMA,
// mbarriers and wgmma of native/emu/hopper_emu.h) as the main kernel, as kernel 'hopper' runs it;
// --sabotage: instead, mutated copies of that kernel must each fail (backward-sabotage.ts).
// Compiles native/emu/backward_emu.cc with g++ (CXX) first. Slow (a CPU runs every thread of every
// block, ~1-2 ms per 64 × 64 step): the random cases default to 30, and a case of more than M
// steps (default 5000) is left out and named. Exit code as backward-check's.

import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { product, simulate } from '../../extension/core';
import { GnaNative } from '../../extension/native';
import type { RawCudaBackwardResult } from '../../extension/native/native';
import { BackwardCase, backwardCases, backwardCuratedCases, caseElements } from './backwardCases';
import { BackwardInputs, BackwardRunner, checkBackward } from './backwardRun';
import { runMain } from './script';

const ROOT = resolve(__dirname, '../../..');
const DTYPE_CODE = { float16: 2, bfloat16: 3 } as const; // gna_native.h's gna_dtype

function args(): { cases: number; seed: number; curatedOnly: boolean; hopper: boolean; sabotage: boolean; maxSteps: number; out?: string } {
  const a = process.argv.slice(2);
  const value = (flag: string) => {
    const i = a.indexOf(flag);
    return i >= 0 ? a[i + 1] : undefined;
  };
  return {
    cases: Number(value('--cases') ?? 30),
    seed: Number(value('--seed') ?? 20261205),
    curatedOnly: a.includes('--curated-only'),
    hopper: a.includes('--hopper'),
    sabotage: a.includes('--sabotage'),
    maxSteps: Number(value('--max-steps') ?? 5000),
    out: value('--out'),
  };
}

/** The backward kernel's 64-query × 64-key steps on a case (what the emulation's time follows). */
export function emulatedSteps(c: BackwardCase): number {
  const chunks = (t: readonly number[]) => Math.ceil(product(t) / 64);
  return simulate(c.problem, c.tiles).visited * chunks(c.tiles.q) * chunks(c.tiles.kv) * c.batch * c.heads;
}

/** backward_emu's input: one header line, then q, k, v, dO as float32. */
export function emulatorInput(c: BackwardCase, x: BackwardInputs): Buffer {
  const three = (v: readonly (number | boolean)[], pad: number) => [0, 1, 2].map((i) => (i < v.length ? Number(v[i]) : pad));
  const p = c.problem;
  const header = [
    p.inputSize.length,
    ...three(p.inputSize, 1),
    ...three(p.windowSize, 1),
    ...three(p.stride, 1),
    ...three(p.dilation, 1),
    ...three(p.causal, 0),
    ...three(c.tiles.q, 1),
    ...three(c.tiles.kv, 1),
    c.batch,
    c.heads,
    c.headDim,
    DTYPE_CODE[c.dtype],
    c.headDim ** -0.5,
  ].join(' ');
  const body = [x.q, x.k, x.v, x.dO].map((t) => Buffer.from(t.buffer, t.byteOffset, t.byteLength));
  return Buffer.concat([Buffer.from(`${header}\n`), ...body]);
}

/** The kernel an emulator runs, as results name it (gna_cuda.cu's names, then "(CPU emulation)"). */
export function emulatedKernel(c: BackwardCase, hopper: boolean): string {
  return `${hopper ? `sm90a wgmma+TMA backward, d${c.headDim}` : 'portable mma.sync backward'} (CPU emulation)`;
}

/** backward_emu's output: "visited full", then output, lse, dQ, dK, dV as float32. */
export function emulatorOutput(c: BackwardCase, bytes: Buffer, hopper = false): RawCudaBackwardResult {
  const eol = bytes.indexOf(10);
  const [visited, full] = bytes.subarray(0, eol).toString().split(' ').map(Number);
  const n = caseElements(c);
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset + eol + 1, bytes.byteOffset + bytes.length));
  const sizes = [n, n / c.headDim, n, n, n];
  const [output, lse, dq, dk, dv] = sizes.map((_, i) => floats.slice(sizes.slice(0, i).reduce((a, b) => a + b, 0), sizes.slice(0, i + 1).reduce((a, b) => a + b, 0)));
  if (floats.length !== sizes.reduce((a, b) => a + b, 0)) throw new Error(`backward_emu wrote ${floats.length} floats, expected ${sizes.reduce((a, b) => a + b, 0)}`);
  return { output, lse, dq, dk, dv, visited, full, kernel: emulatedKernel(c, hopper) };
}

/**
 * Compiles one of native/emu's drivers with g++ (CXX) into `dir`; its path. `src`: the native/ tree
 * to build from (a mutated copy, for the emulation's sabotage checks).
 */
export function buildEmuDriver(dir: string, driver: 'backward_emu' | 'sm90_backward_emu' | 'fa2_emu' | 'sm90_emu', src = join(ROOT, 'native')): string {
  const bin = join(dir, driver);
  execFileSync(process.env.CXX ?? 'g++', ['-std=c++17', '-O2', '-Wno-psabi', `-I${src}/emu/include`, `-I${src}/emu`, `-I${src}/src`, '-o', bin, `${src}/emu/${driver}.cc`], { stdio: 'inherit' });
  return bin;
}

/** A BackwardRunner on the emulator `bin` (sm90_backward_emu when `hopper`), its files in `dir`. */
export function emulatorRunner(bin: string, dir: string, hopper = false): BackwardRunner {
  return async (c, x) => {
    writeFileSync(join(dir, 'in'), emulatorInput(c, x));
    execFileSync(bin, [join(dir, 'in'), join(dir, 'out')], { stdio: 'inherit' });
    return emulatorOutput(c, readFileSync(join(dir, 'out')), hopper);
  };
}

async function main(): Promise<number> {
  const opts = args();
  if (opts.sabotage) {
    const { runBackwardSabotage } = await import('./backward-sabotage');
    return runBackwardSabotage(new GnaNative());
  }
  const dir = mkdtempSync(join(tmpdir(), 'gna-emu-'));
  try {
    const run = emulatorRunner(buildEmuDriver(dir, opts.hopper ? 'sm90_backward_emu' : 'backward_emu'), dir, opts.hopper);
    // The GPU check's list, in its order: case i gets the GPU check's inputs for case i.
    const cases = [...backwardCuratedCases(), ...(opts.curatedOnly ? [] : backwardCases(opts.cases, opts.seed))];
    const tooSlow = (c: BackwardCase) => (emulatedSteps(c) > opts.maxSteps ? `${emulatedSteps(c)} steps > --max-steps ${opts.maxSteps}` : undefined);
    const what = opts.hopper ? 'the Hopper fused backward (sm_90a: TMA, mbarriers, wgmma emulated)' : 'the fused backward';
    return await checkBackward(new GnaNative(), run, cases, opts.seed, `backward-emulate: ${what} on the CPU emulation (native/emu)`, opts.out, tooSlow);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) runMain(main);
