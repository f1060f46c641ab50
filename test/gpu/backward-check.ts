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

import { cudaVersion } from '../../extension/core/bench';
import { backwardCases, backwardCuratedCases, backwardSanitizerCases } from './backwardCases';
import { checkBackward } from './backwardRun';
import { runMain, scriptEngine } from './script';

function args(): { cases: number; seed: number; sanitizer: boolean; out?: string } {
  const a = process.argv.slice(2);
  const value = (flag: string) => {
    const i = a.indexOf(flag);
    return i >= 0 ? a[i + 1] : undefined;
  };
  return { cases: Number(value('--cases') ?? 300), seed: Number(value('--seed') ?? 20261205), sanitizer: a.includes('--sanitizer'), out: value('--out') };
}

const native = scriptEngine();

async function main(): Promise<number> {
  const opts = args();
  const info = native.deviceInfo();
  if (!info.available) {
    console.log(`no usable GPU: ${info.message}`);
    return 3;
  }
  const header = `backward-check on ${info.devices.map((d) => `${d.name} (cc ${d.computeCapability})`).join(', ')}, driver ${cudaVersion(info.driverVersion)}, runtime ${cudaVersion(info.runtimeVersion)}`;
  const cases = opts.sanitizer ? backwardSanitizerCases() : [...backwardCuratedCases(), ...backwardCases(opts.cases, opts.seed)];
  const run = (c: (typeof cases)[number], x: { q: Float32Array; k: Float32Array; v: Float32Array; dO: Float32Array }) =>
    native.cudaBackward({ problem: c.problem, workload: { batch: c.batch, heads: c.heads, headDim: c.headDim }, tiles: c.tiles, dtype: c.dtype, ...x });
  return checkBackward(native, run, cases, opts.seed, header, opts.out);
}

runMain(main);
