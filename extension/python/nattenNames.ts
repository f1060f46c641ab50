// NATTEN names other than the attention ops (those are in nattenApi.ts): the global switches,
// capability queries and modules that came and went, where each lived, and what replaces it.
// Read from SHI-Labs/NATTEN's sources at each tag: src/natten/__init__.py, functional.py (0.15:
// has_cuda, enable_tiled_na, …), context.py (0.17.0: use_fused_na, use_autotuner, has_fused_na =
// has_fna, …; 0.17.5: use_flex_attention, force_flex_attention), flex.py (0.17.5), and the 0.20.0
// tree, which has none of them (CHANGELOG 0.20.0: autotuner removed, unfused and CPU backends
// dropped, Flex FNA a backend of the fused ops).

import { compareVersions, Version } from './nattenApi';

export interface NattenName {
  /** Dotted paths the name is reachable under (`natten.use_fused_na`, `natten.context.use_fused_na`). */
  readonly paths: readonly string[];
  readonly introduced: Version;
  readonly removed: Version;
  readonly replacement: string;
}

const V = (major: number, minor: number, patch = 0): Version => [major, minor, patch];

const FUSED_IS_DEFAULT = 'nothing: from 0.20 every op is fused, so drop the call';
const NO_AUTOTUNER = 'nothing: the autotuner is gone; pick tiles with the q_tile_shape/kv_tile_shape arguments (python -m natten.profiler --optimize finds them)';
const CAPABILITY = 'torch.cuda.is_available() / torch.cuda.get_device_capability(), or natten.HAS_LIBNATTEN';
const NO_SWITCH = 'nothing: 0.20 dropped the unfused (tiled/GEMM) kernels this switch chose between, so drop the call';
const FLEX = 'na1d/na2d/na3d(…, backend="flex-fna")';

/** Names living in natten.functional and natten from 0.15, moved to natten.context (and natten) in 0.17. */
const FROM_015 = ['has_cuda', 'has_half', 'has_bfloat', 'has_gemm', 'has_tf32_gemm', 'has_fp32_gemm', 'has_fp64_gemm', 'enable_tf32', 'disable_tf32', 'enable_tiled_na', 'disable_tiled_na', 'enable_gemm_na', 'disable_gemm_na'];
/** Names of natten.context (and natten) from 0.17.0. */
const FROM_017 = [
  'use_fused_na', 'use_fna', 'is_fused_na_enabled', 'is_fna_enabled', 'has_fused_na', 'has_fna',
  'use_autotuner', 'disable_autotuner', 'is_autotuner_enabled', 'is_autotuner_enabled_for_forward', 'is_autotuner_enabled_for_backward',
  'is_autotuner_thorough_for_forward', 'is_autotuner_thorough_for_backward',
  'use_tf32_in_gemm_na', 'is_tf32_in_gemm_na_enabled', 'use_tiled_na', 'is_tiled_na_enabled', 'use_gemm_na', 'is_gemm_na_enabled',
];
/** natten.context (and natten) from 0.17.5. */
const FROM_0175 = ['use_flex_attention', 'should_use_flex_attention', 'force_flex_attention', 'should_force_flex_attention'];

function replacementOf(name: string): string {
  if (/autotuner/.test(name)) return NO_AUTOTUNER;
  if (/fused_na|fna|flex_attention/.test(name)) return name.startsWith('has_') ? CAPABILITY : FUSED_IS_DEFAULT;
  if (name.startsWith('has_')) return CAPABILITY;
  return NO_SWITCH;
}

function entries(): Map<string, NattenName> {
  const out = new Map<string, NattenName>();
  const add = (name: string, n: NattenName) => out.set(name, n);
  for (const name of FROM_015) {
    add(name, { paths: [`natten.${name}`, `natten.context.${name}`], introduced: V(0, 15), removed: V(0, 20), replacement: replacementOf(name) });
  }
  for (const name of FROM_017) add(name, { paths: [`natten.${name}`, `natten.context.${name}`], introduced: V(0, 17), removed: V(0, 20), replacement: replacementOf(name) });
  for (const name of FROM_0175) add(name, { paths: [`natten.${name}`, `natten.context.${name}`], introduced: V(0, 17, 5), removed: V(0, 20), replacement: replacementOf(name) });
  // natten.functional held the 0.15 switches until 0.17.0 moved them to natten.context.
  for (const name of FROM_015) add(`functional.${name}`, { paths: [`natten.functional.${name}`], introduced: V(0, 15), removed: V(0, 17), replacement: `natten.context.${name} (0.17–0.19), then ${replacementOf(name)}` });
  // Modules of their own.
  add('flex', { paths: ['natten.flex'], introduced: V(0, 17, 5), removed: V(0, 20), replacement: FLEX });
  add('nested', { paths: ['natten.nested'], introduced: V(0, 15), removed: V(0, 20), replacement: 'the fused ops with the nested tensors unbound (0.20 dropped natten.nested)' });
  add('experimental', { paths: ['natten.experimental'], introduced: V(0, 17, 4), removed: V(0, 20), replacement: 'the fused ops (0.20 dropped the experimental torch ops)' });
  add('flops', { paths: ['natten.flops'], introduced: V(0, 14), removed: V(0, 20), replacement: 'python -m natten.profiler (0.20 dropped natten.flops)' });
  return out;
}

export const NATTEN_NAMES: ReadonlyMap<string, NattenName> = entries();

/** The removed name a dotted path reaches (itself, or a module above it: `natten.flex.flex_na2d`). */
export function removedNameAt(path: string, version: Version): { name: NattenName; path: string } | undefined {
  for (const n of NATTEN_NAMES.values()) {
    for (const p of n.paths) {
      if ((path === p || path.startsWith(`${p}.`)) && compareVersions(version, n.removed) >= 0) return { name: n, path: p };
    }
  }
  return undefined;
}

/** Whether a dotted path names something that exists (or existed) in NATTEN outside the ops. */
export function isKnownName(path: string): boolean {
  for (const n of NATTEN_NAMES.values()) for (const p of n.paths) if (path === p || path.startsWith(`${p}.`)) return true;
  return false;
}
