// The Hopper emulation's own check (sm90-emulate.js --sabotage): mutated copies of the kernel and its
// host side, each a bug the GPU would show (a tensor map's swizzle, a matrix descriptor's byte
// offset, an A fragment's registers swapped, a wgmma or mbarrier wait too weak), built into the
// emulator and run on a few cases; every mutant must fail at least one of them (wrong output,
// wrong tile pairs, or the emulator stopping on a fault or a deadlock), else the emulation misses it.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { GnaNative } from '../../extension/native';
import { buildEmuDriver } from './backward-emulate';
import { emulateSm90Case, Sm90Mode, sm90SanitizerCases } from './sm90-emulate';

const NATIVE = resolve(__dirname, '../../../native');

/** One mutation: in native/`file`, `from` (which must occur exactly once) becomes `to`; its cases run under `mode` (a kernel variant). */
export interface Sabotage {
  readonly name: string;
  readonly file: string;
  readonly from: string;
  readonly to: string;
  readonly mode?: Sm90Mode;
}

export const SABOTAGES: readonly Sabotage[] = [
  {
    name: 'tensor maps without the swizzle the descriptors expect (128B → none, 64B → 128B)',
    file: 'src/gna_sm90.cu',
    from: 'C::kRowBytes == 128 ? CU_TENSOR_MAP_SWIZZLE_128B : CU_TENSOR_MAP_SWIZZLE_64B',
    to: 'C::kRowBytes == 128 ? CU_TENSOR_MAP_SWIZZLE_NONE : CU_TENSOR_MAP_SWIZZLE_128B',
  },
  {
    name: "Q's descriptor: stride byte offset of 16 rows instead of 8",
    file: 'src/gna_sm90_attention.cuh',
    from: 'const uint64_t dq = desc<C>(q_base, 16, 8 * C::kRowBytes);',
    to: 'const uint64_t dq = desc<C>(q_base, 16, 16 * C::kRowBytes);',
  },
  {
    name: "V's descriptor: leading byte offset of half a chunk",
    file: 'src/gna_sm90_attention.cuh',
    from: 'const uint64_t d0 = desc<C>(v_at(stage), C::kKvChunkBytes, 8 * C::kRowBytes);',
    to: 'const uint64_t d0 = desc<C>(v_at(stage), C::kKvChunkBytes / 2, 8 * C::kRowBytes);',
  },
  {
    name: "P's A fragments: registers a1 and a2 swapped",
    file: 'src/gna_sm90_attention.cuh',
    from: 'pn[kk][1] = M::pack(e[2], e[3]);\n        pn[kk][2] = M::pack(e[4], e[5]);',
    to: 'pn[kk][1] = M::pack(e[4], e[5]);\n        pn[kk][2] = M::pack(e[2], e[3]);',
  },
  {
    name: 'the output epilogue: accumulator rows g and g + 8 swapped',
    file: 'src/gna_sm90_attention.cuh',
    from: 'st_shared_u32(at, M::pack(o[4 * j + 2 * r] * inv, o[4 * j + 2 * r + 1] * inv));',
    to: 'st_shared_u32(at, M::pack(o[4 * j + 2 * (1 - r)] * inv, o[4 * j + 2 * (1 - r) + 1] * inv));',
  },
  {
    name: 'S read before its wgmma group has retired (wait_group 1 → 2)',
    file: 'src/gna_sm90_attention.cuh',
    from: 'wgmma_wait<1>();  // S of this step has landed',
    to: 'wgmma_wait<2>();  // S of this step has landed',
  },
  {
    name: "the epilogue's fence.proxy.async left out (the output's st.shared, then its TMA store)",
    file: 'src/gna_sm90_attention.cuh',
    from: 'fence_async_smem();\n      consumers_sync_wg(cw);',
    to: 'consumers_sync_wg(cw);',
  },
  {
    name: "a Q buffer released before the output's TMA store has read it (wait_group.read left out)",
    file: 'src/gna_sm90_attention.cuh',
    from: 'bulk_wait_read();\n        bar_arrive(bars.q_empty + 8 * stored_qb);',
    to: 'bar_arrive(bars.q_empty + 8 * stored_qb);',
  },
  {
    name: "a K tile read before its TMA load completes (the wait's parity flipped)",
    file: 'src/gna_sm90_attention.cuh',
    from: 'bar_wait(k_full + 8 * stage, (step / C::kStages) & 1);',
    to: 'bar_wait(k_full + 8 * stage, ((step / C::kStages) & 1) ^ 1);',
  },
  {
    name: "variant 1's quad transpose: the second round's received and kept pairs swapped",
    file: 'src/gna_sm90_attention.cuh',
    from: 'return high ? make_uint4(r_lo, r_hi, k_lo, k_hi) : make_uint4(k_lo, k_hi, r_lo, r_hi);',
    to: 'return high ? make_uint4(k_lo, k_hi, r_lo, r_hi) : make_uint4(r_lo, r_hi, k_lo, k_hi);',
    mode: { variant: 1 },
  },
];

/** A copy of native/ with `s` applied, under `dir`; the copy's path. */
export function sabotagedTree(dir: string, s: Sabotage): string {
  const root = join(dir, 'native');
  cpSync(join(NATIVE, 'src'), join(root, 'src'), { recursive: true });
  cpSync(join(NATIVE, 'emu'), join(root, 'emu'), { recursive: true });
  const path = join(root, s.file);
  const text = readFileSync(path, 'utf8');
  const at = text.indexOf(s.from);
  if (at < 0 || text.indexOf(s.from, at + 1) >= 0) throw new Error(`sabotage "${s.name}": the text to mutate is not in ${s.file} exactly once`);
  writeFileSync(path, text.slice(0, at) + s.to + text.slice(at + s.from.length));
  return root;
}

/**
 * Builds mutant `s` and runs it on the GPU check's Hopper sanitizer cases (every head dim, both
 * paths, 2 CTAs): the cases that caught it (all of them, or the first only), with what each showed.
 */
export async function sabotageFailures(native: GnaNative, s: Sabotage, firstOnly: boolean, seed = 20261122): Promise<{ failures: string[]; cases: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'gna-sm90-sabotage-'));
  try {
    const bin = buildEmuDriver(dir, 'sm90_emu', sabotagedTree(dir, s));
    const cases = sm90SanitizerCases(native, seed);
    return await collectFailures(cases.map(({ c, seed: caseSeed }) => ({ label: c.label, run: () => emulateSm90Case(native, bin, dir, c, caseSeed, { ctas: 2, ...s.mode }) })), firstOnly);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs a mutant's cases in order: the failures, each with what it showed (a run that throws is the
 * emulator stopping on a fault or a deadlock); with `firstOnly`, up to the first.
 */
export async function collectFailures(
  cases: readonly { label: string; run: () => Promise<{ pass: boolean; why: string }> }[],
  firstOnly: boolean,
): Promise<{ failures: string[]; cases: number }> {
  const failures: string[] = [];
  for (const c of cases) {
    try {
      const o = await c.run();
      if (!o.pass) failures.push(`${c.label}: ${o.why}`);
    } catch (e) {
      failures.push(`${c.label}: the emulator stopped (${(e as Error).message.split('\n')[0]})`);
    }
    if (firstOnly && failures.length > 0) break;
  }
  return { failures, cases: cases.length };
}

/** Runs every mutant of `list` through `failuresOf` and reports which were caught; exit code 1 if any was missed. */
export async function reportSabotages(list: readonly Sabotage[], failuresOf: (s: Sabotage) => Promise<{ failures: string[]; cases: number }>): Promise<number> {
  let missed = 0;
  for (const s of list) {
    const { failures, cases } = await failuresOf(s);
    if (failures.length === 0) missed++;
    console.log(`${failures.length > 0 ? 'CAUGHT' : 'MISSED'} ${s.name}: ${failures.length} of ${cases} cases fail`);
    for (const f of failures) console.log(`    ${f}`);
  }
  console.log(missed === 0 ? `ALL ${list.length} SABOTAGES CAUGHT` : `${missed} of ${list.length} sabotages missed`);
  return missed === 0 ? 0 : 1;
}

export async function runSabotage(native: GnaNative): Promise<number> {
  return reportSabotages(SABOTAGES, (s) => sabotageFailures(native, s, false));
}
