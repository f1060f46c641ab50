// GPU check of the fused backward (issue 21), run on a CUDA machine from the carry folder
// (native/scripts/issue21.sh runs it; make-carry.sh bundles it as backward-check.js):
//   node backward-check.js [--cases N] [--seed S] [--sanitizer] [--out FILE]
// For the curated configs and N random ones (default 300: every rank, dilation, causal, strides,
// padded layouts, fp16 and bf16, head dims 32/64/128; backwardCases.ts) it runs cudaBackward and
// the float64 reference gradients (referenceBackward) on the same 16-bit-rounded inputs, judges
// output, lse, dQ, dK, dV by BACKWARD_TOLERANCE and the kernel's tile pairs (visited, full) against
// simulate(); it prints one line per case, the worst error per dtype and tensor, and which kernel
// ran. GNA_KERNEL (gpu-run.sh's switch) picks the kernel as for the forward.
// --sanitizer: the few small cases of backwardSanitizerCases, one at a time.
// Exit code: 0 all passed, 1 a check failed (or none ran), 2 no backward kernel for the request,
// 3 no usable GPU.

import { writeFileSync } from 'fs';
import { simulate } from '../../extension/core';
import { cudaVersion } from '../../extension/core/bench';
import { GnaNativeError } from '../../extension/native';
import { backwardCases, BackwardCase, backwardCuratedCases, backwardSanitizerCases, caseElements, GRADIENT_NAMES, judgeBackward, BackwardVerdict } from './backwardCases';
import { runMain, scriptEngine } from './script';
import { describeProblem, randomTensor, rng } from '../unit/native/random';

function args(): { cases: number; seed: number; sanitizer: boolean; out?: string } {
  const a = process.argv.slice(2);
  const value = (flag: string) => {
    const i = a.indexOf(flag);
    return i >= 0 ? a[i + 1] : undefined;
  };
  return { cases: Number(value('--cases') ?? 300), seed: Number(value('--seed') ?? 20261205), sanitizer: a.includes('--sanitizer'), out: value('--out') };
}

const native = scriptEngine();

interface Outcome extends BackwardVerdict {
  readonly c: BackwardCase;
  readonly kernel: string;
}

async function runCase(c: BackwardCase, seed: number): Promise<Outcome> {
  const rand = rng(seed);
  const n = caseElements(c);
  const [q, k, v, dO] = [0, 1, 2, 3].map(() => randomTensor(rand, Float32Array, n));
  for (let i = 0; i < n; i++) q[i] *= c.sharpness;
  // The reference sees exactly the values the GPU sees: rounded to the input type.
  const [q16, k16, v16, dO16] = [q, k, v, dO].map((t) => native.quantize(t, c.dtype));
  const workload = { batch: c.batch, heads: c.heads, headDim: c.headDim };
  const want = await native.referenceBackward({ problem: c.problem, workload, q: Float64Array.from(q16), k: Float64Array.from(k16), v: Float64Array.from(v16), dO: Float64Array.from(dO16) });
  const got = await native.cudaBackward({ problem: c.problem, workload, tiles: c.tiles, dtype: c.dtype, q: q16, k: k16, v: v16, dO: dO16 });
  const verdict = judgeBackward(c.dtype, got, want);
  // The backward walks the forward's tile pairs from the KV side: the same pairs, the same full ones.
  const sim = simulate(c.problem, c.tiles);
  const walk = got.visited === sim.visited && got.full === sim.full ? '' : `tile pairs ${got.visited} (full ${got.full}) != simulator ${sim.visited} (full ${sim.full})`;
  return { c, kernel: got.kernel, ...verdict, pass: verdict.pass && !walk, why: [verdict.why, walk].filter(Boolean).join(', ') };
}

async function main(): Promise<number> {
  const opts = args();
  const info = native.deviceInfo();
  if (!info.available) {
    console.log(`no usable GPU: ${info.message}`);
    return 3;
  }
  const lines = [`backward-check on ${info.devices.map((d) => `${d.name} (cc ${d.computeCapability})`).join(', ')}, driver ${cudaVersion(info.driverVersion)}, runtime ${cudaVersion(info.runtimeVersion)}`];
  const cases = opts.sanitizer ? backwardSanitizerCases() : [...backwardCuratedCases(), ...backwardCases(opts.cases, opts.seed)];
  const outcomes: Outcome[] = [];
  for (const [i, c] of cases.entries()) {
    try {
      outcomes.push(await runCase(c, opts.seed + 7919 * i));
    } catch (e) {
      if (e instanceof GnaNativeError && e.code === 'GNA_ERR_UNSUPPORTED') {
        console.log(`no backward kernel in this build: ${e.message}`);
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
  if (opts.out) writeFileSync(opts.out, `${lines.join('\n')}\n`);
  return failed === 0 ? 0 : 1;
}

runMain(main);
