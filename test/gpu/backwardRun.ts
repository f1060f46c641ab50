// The fused backward's check loop, shared by the GPU check (backward-check.ts: cudaBackward on the
// device) and its CPU emulation (backward-emulate.ts: the same kernels through native/emu): each
// case's inputs from its seed, the float64 reference on the same 16-bit-rounded values, the
// verdict (BACKWARD_TOLERANCE, and the kernel's tile pairs against simulate()), one line per case
// and the summary. Exit code: 0 all passed, 1 a check failed (or none ran), 2 no backward kernel
// for the request (GNA_ERR_UNSUPPORTED).

import { writeFileSync } from 'fs';
import { simulate } from '../../extension/core';
import { GnaNative, GnaNativeError } from '../../extension/native';
import type { RawCudaBackwardResult } from '../../extension/native/native';
import { BackwardCase, BackwardVerdict, caseElements, GRADIENT_NAMES, judgeBackward } from './backwardCases';
import { describeProblem, randomTensor, rng } from '../unit/native/random';

/** One case's inputs, rounded to its dtype (what the kernels read). */
export interface BackwardInputs {
  readonly q: Float32Array;
  readonly k: Float32Array;
  readonly v: Float32Array;
  readonly dO: Float32Array;
}

/** Runs the fused backward on one case (the GPU, or the emulation). */
export type BackwardRunner = (c: BackwardCase, inputs: BackwardInputs) => Promise<RawCudaBackwardResult>;

export interface BackwardOutcome extends BackwardVerdict {
  readonly c: BackwardCase;
  readonly kernel: string;
}

/** One case: its inputs from `seed`, the reference, the run, the verdict. */
export async function checkCase(native: GnaNative, run: BackwardRunner, c: BackwardCase, seed: number): Promise<BackwardOutcome> {
  const rand = rng(seed);
  const n = caseElements(c);
  const [q, k, v, dO] = [0, 1, 2, 3].map(() => randomTensor(rand, Float32Array, n));
  for (let i = 0; i < n; i++) q[i] *= c.sharpness;
  // The reference sees exactly the values the kernels see: rounded to the input type.
  const round = (t: Float32Array) => native.quantize(t, c.dtype);
  const inputs = { q: round(q), k: round(k), v: round(v), dO: round(dO) };
  const workload = { batch: c.batch, heads: c.heads, headDim: c.headDim };
  const f64 = (t: Float32Array) => Float64Array.from(t);
  const want = await native.referenceBackward({ problem: c.problem, workload, q: f64(inputs.q), k: f64(inputs.k), v: f64(inputs.v), dO: f64(inputs.dO) });
  const got = await run(c, inputs);
  const verdict = judgeBackward(c.dtype, got, want);
  // The backward walks the forward's tile pairs from the KV side: the same pairs, the same full ones.
  const sim = simulate(c.problem, c.tiles);
  const walk = got.visited === sim.visited && got.full === sim.full ? '' : `tile pairs ${got.visited} (full ${got.full}) != simulator ${sim.visited} (full ${sim.full})`;
  return { c, kernel: got.kernel, ...verdict, pass: verdict.pass && !walk, why: [verdict.why, walk].filter(Boolean).join(', ') };
}

/**
 * Runs every case (case i on seed + 7919 i, so that case i gets the same inputs wherever it runs)
 * but those `leaveOut` names a reason for, prints and optionally writes the report; the exit code.
 */
export async function checkBackward(
  native: GnaNative,
  run: BackwardRunner,
  cases: readonly BackwardCase[],
  seed: number,
  header: string,
  out?: string,
  leaveOut: (c: BackwardCase) => string | undefined = () => undefined,
): Promise<number> {
  const lines = [header];
  const outcomes: BackwardOutcome[] = [];
  for (const [i, c] of cases.entries()) {
    const reason = leaveOut(c);
    if (reason) {
      lines.push(`left out: ${c.label} (${reason})`);
      console.log(lines[lines.length - 1]);
      continue;
    }
    try {
      outcomes.push(await checkCase(native, run, c, seed + 7919 * i));
    } catch (e) {
      if (e instanceof GnaNativeError && e.code === 'GNA_ERR_UNSUPPORTED') {
        console.log(`no backward kernel for this request: ${e.message}`);
        return 2;
      }
      throw e;
    }
    const o = outcomes[outcomes.length - 1];
    const errors = GRADIENT_NAMES.map((name) => `${name} ${o.errors[name].toExponential(2)}`).join(' ');
    lines.push(`${o.pass ? 'PASS' : 'FAIL'} ${c.label} ${c.dtype} d${c.headDim} b${c.batch} h${c.heads} ${describeProblem(c.problem)} tiles ${c.tiles.q.join('×')}/${c.tiles.kv.join('×')} [${o.kernel}] ${errors}${o.pass ? '' : `: ${o.why}`}`);
    console.log(lines[lines.length - 1]);
  }
  for (const dtype of ['float16', 'bfloat16'] as const) {
    const of = outcomes.filter((o) => o.c.dtype === dtype);
    if (of.length === 0) continue;
    lines.push(`worst ${dtype}: ${GRADIENT_NAMES.map((name) => `${name} ${Math.max(...of.map((o) => o.errors[name])).toExponential(2)}`).join(', ')}`);
  }
  lines.push(`kernels: ${[...new Set(outcomes.map((o) => o.kernel))].join(', ')}`);
  const failed = outcomes.filter((o) => !o.pass).length + (outcomes.length === 0 ? 1 : 0);
  lines.push(failed === 0 ? `ALL PASSED (${outcomes.length} cases)` : `FAILED ${failed} of ${outcomes.length} cases`);
  console.log(lines.slice(-4).join('\n'));
  if (out) writeFileSync(out, `${lines.join('\n')}\n`);
  return failed === 0 ? 0 : 1;
}
