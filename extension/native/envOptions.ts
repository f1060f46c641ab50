// The environment switches the GPU scripts were driven by (native/scripts/gpu-run.sh,
// native/bench/*), mapped to typed engine options: the native engine reads no environment, so a
// timing always says which options it ran under. Only the scripts under test/gpu use this.

import type { EngineOptions } from '../core/schema';

/** GNA_KERNEL values and the kernel option each names (`fa2` is short for `portable-fa2`). */
const KERNEL_SWITCH: Readonly<Record<string, EngineOptions['kernel']>> = {
  portable: 'portable',
  permuted: 'permuted',
  hopper: 'hopper',
  fa2: 'portable-fa2',
  'portable-fa2': 'portable-fa2',
  'fa2-permuted': 'portable-fa2-permuted',
  'portable-fa2-permuted': 'portable-fa2-permuted',
};

/**
 * GNA_KERNEL=portable|permuted|hopper|fa2|fa2-permuted, GNA_SM90_PDL=0, GNA_SM90_CTAS=N, GNA_SM90_TRACE=FILE,
 * GNA_SM90_VARIANT=N, GNA_BENCH_CHAIN=N and GNA_BENCH_EMPTY=1, read as the engine read them before they became
 * options; a switch that is not set (or says nothing) leaves its option out.
 */
export function engineOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): Partial<EngineOptions> {
  const options: { -readonly [K in keyof EngineOptions]?: EngineOptions[K] } = {};
  const kernel = Object.hasOwn(KERNEL_SWITCH, env.GNA_KERNEL ?? '') ? KERNEL_SWITCH[env.GNA_KERNEL ?? ''] : undefined;
  if (kernel) options.kernel = kernel;
  if (env.GNA_SM90_PDL?.startsWith('0')) options.pdl = false;
  const ctas = parseInt(env.GNA_SM90_CTAS ?? '', 10);
  if (ctas > 0) options.maxCtas = Math.min(ctas, 1 << 20);
  if (env.GNA_SM90_TRACE) options.trace = env.GNA_SM90_TRACE;
  const variant = parseInt(env.GNA_SM90_VARIANT ?? '', 10);
  if (variant > 0) options.variant = variant;
  const chain = parseInt(env.GNA_BENCH_CHAIN ?? '', 10);
  if (chain > 1) options.chain = Math.min(1000, chain);
  if (env.GNA_BENCH_EMPTY?.startsWith('1')) options.emptyKernel = true;
  return options;
}
