// The Hopper backward's emulation check (backward-emulate.js --hopper --sabotage): mutated copies of
// gna_sm90_backward.cuh, each a bug the GPU would show (a descriptor's byte offset, dSᵀ stored
// without the swizzle its descriptor reads, a wgmma or mbarrier wait too weak, the next step's tiles
// loaded over the current ones), built into sm90_backward_emu and run on the GPU check's small
// cases; every mutant must fail at least one (wrong gradients, wrong tile pairs, or the emulator
// stopping on a fault or a deadlock), else the emulation could not have caught it.

import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { GnaNative } from '../../extension/native';
import { buildEmuDriver, emulatorRunner } from './backward-emulate';
import { backwardSanitizerCases } from './backwardCases';
import { checkCase } from './backwardRun';
import { collectFailures, reportSabotages, Sabotage, sabotagedTree } from './sm90-sabotage';

const FILE = 'src/gna_sm90_backward.cuh';

export const BACKWARD_SABOTAGES: readonly Sabotage[] = [
  {
    name: "dQ's A (dSᵀ, MN-major): stride byte offset of 16 keys instead of 8",
    file: FILE,
    from: 'desc_sw128(base + C::kOffDs + kk * 16 * 128, C::kDsBytes, 1024)',
    to: 'desc_sw128(base + C::kOffDs + kk * 16 * 128, C::kDsBytes, 2048)',
  },
  {
    name: 'dSᵀ stored without the 128-byte swizzle its descriptor reads',
    file: FILE,
    from: '((chunk16 ^ (row & 7)) << 4)',
    to: '(chunk16 << 4)',
  },
  {
    name: "dO's descriptor (B of dV, MN-major): k-steps 8 rows apart instead of 16",
    file: FILE,
    from: 'desc<C>(do_at + kk * 16 * C::kRowBytes, C::kChunkBytes, sbo)',
    to: 'desc<C>(do_at + kk * 8 * C::kRowBytes, C::kChunkBytes, sbo)',
  },
  {
    name: 'dPᵀ read before its wgmma group has retired (wait_group 1 → 2)',
    file: FILE,
    from: 'wgmma_wait<1>();  // dPᵀ has landed',
    to: 'wgmma_wait<2>();  // dPᵀ has landed',
  },
  {
    name: "dSᵀ's fence.proxy.async left out (its st.shared, then dQ's wgmma reads it)",
    file: FILE,
    from: '    fence_async_smem();  // the generic-proxy stores above',
    to: '    // the generic-proxy stores above',
  },
  {
    name: "a step's Q and dO read before their TMA load completes (the wait's parity flipped)",
    file: FILE,
    from: 'bar_wait(full0 + 8 * buf, (it >> 1) & 1);',
    to: 'bar_wait(full0 + 8 * buf, ((it >> 1) & 1) ^ 1);',
  },
  {
    name: "the next step's Q and dO loaded over this step's buffer",
    file: FILE,
    from: 'if (threadIdx.x == 0) load_step(nxt, buf ^ 1);',
    to: 'if (threadIdx.x == 0) load_step(nxt, buf);',
  },
];

/** Builds mutant `s` and runs it on the backward's sanitizer cases: those that caught it (or the first). */
export async function backwardSabotageFailures(native: GnaNative, s: Sabotage, firstOnly: boolean, seed = 20261205): Promise<{ failures: string[]; cases: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'gna-bwd-sabotage-'));
  try {
    const run = emulatorRunner(buildEmuDriver(dir, 'sm90_backward_emu', sabotagedTree(dir, s)), dir, true);
    const cases = backwardSanitizerCases().map((c, i) => ({ label: c.label, run: () => checkCase(native, run, c, seed + 7919 * i) }));
    return await collectFailures(cases, firstOnly);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runBackwardSabotage(native: GnaNative): Promise<number> {
  return reportSabotages(BACKWARD_SABOTAGES, (s) => backwardSabotageFailures(native, s, false));
}
