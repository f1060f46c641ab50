// What NATTEN's Python API looked like in each release the linter knows (0.14 to 0.21): the
// names that exist, their parameters in positional order, and what replaced the removed ones.
// Sources (SHI-Labs/NATTEN): CHANGELOG.md; natten/functional.py and natten/natten{1,2}d.py
// (0.14.6); src/natten/natten3d.py (0.15); src/natten/functional.py and src/natten/na{1,2,3}d.py
// (0.17); src/natten/functional.py and src/natten/modules.py (0.20, 0.21).

import type { Rank } from '../core/problem';

/** `[major, minor, patch]`. */
export type Version = readonly [number, number, number];

export const NEWEST_VERSION = '0.21';

/** Parses `0.21`, `0.17.5`, `v0.20.1`; undefined for anything else. */
export function parseVersion(text: string): Version | undefined {
  const m = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?\s*$/.exec(text);
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), m[3] === undefined ? 0 : Number(m[3])];
}

export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

export function formatVersion(v: Version): string {
  return v[2] === 0 ? `${v[0]}.${v[1]}` : `${v[0]}.${v[1]}.${v[2]}`;
}

const V = (major: number, minor: number, patch = 0): Version => [major, minor, patch];

/**
 * - `fused`: `na1d/na2d/na3d` (one call computes the whole attention).
 * - `generic`: `neighborhood_attention_generic` (rank from the query tensor at run time).
 * - `module`: `NeighborhoodAttention1D/2D/3D` (token layout from the input at run time).
 * - `unfused`: `na{1,2,3}d_qk` / `na{1,2,3}d_av` (0.15–0.17; two calls and a softmax).
 * - `legacy`: `natten{1,2,3}d{qk,qkrpb,av}` (0.14 names, deprecated in 0.15).
 */
export type OpKind = 'fused' | 'generic' | 'module' | 'unfused' | 'legacy';

export interface Signature {
  /** First release with this signature, and the first without it. */
  readonly from: Version;
  readonly until?: Version;
  /** Parameter names in positional order, as NATTEN spells them. */
  readonly params: readonly string[];
  /** 3-D window and dilation given as a depth scalar plus a spatial scalar (0.15 3-D API). */
  readonly depthSplit?: boolean;
  /** Keyword spellings that name the same parameter (0.20.0 called `embed_dim` `dim`). */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Parameters without a default, where the linter checks them (kernel_size is checked by the core). */
  readonly required?: readonly string[];
}

export interface OpSpec {
  readonly name: string;
  readonly kind: OpKind;
  /** Undefined for `neighborhood_attention_generic`. */
  readonly rank?: Rank;
  readonly introduced: Version;
  readonly deprecated?: Version;
  readonly removed?: Version;
  /** What to call instead once it is removed (or deprecated). */
  readonly replacement?: string;
  readonly signatures: readonly Signature[];
}

// natten/functional.py, 0.20 and 0.21: na{1,2,3}d(query, key, value, kernel_size, stride=1,
// dilation=1, is_causal=False, scale=None, additional_keys=None, …, return_lse=False).
const FUSED_020 = [
  'query', 'key', 'value', 'kernel_size', 'stride', 'dilation', 'is_causal', 'scale',
  'additional_keys', 'additional_values', 'attention_kwargs', 'backend', 'q_tile_shape', 'kv_tile_shape',
  'backward_q_tile_shape', 'backward_kv_tile_shape', 'backward_kv_splits', 'backward_use_pt_reduction',
  'run_persistent_kernel', 'kernel_schedule', 'torch_compile', 'return_lse',
];
// src/natten/functional.py, 0.17: na{1,2,3}d(query, key, value, kernel_size, dilation=1,
// is_causal=False, rpb=None, scale=None); 0.17.4 appended additional_keys/values, xformers_kwargs.
const FUSED_017 = ['query', 'key', 'value', 'kernel_size', 'dilation', 'is_causal', 'rpb', 'scale', 'additional_keys', 'additional_values', 'xformers_kwargs'];
// src/natten/functional.py, 0.15.0: na{1,2}d_qk(query, key, kernel_size, dilation),
// na{1,2}d_qk_with_bias(query, key, bias, kernel_size, dilation), na{1,2}d_av(attn, value,
// kernel_size, dilation), and the 3-D forms with a depth scalar and a spatial scalar:
// na3d_qk(query, key, kernel_size_d, kernel_size, dilation_d, dilation); every parameter required.
// 0.15.1 appended additional_keys / additional_values. 0.17.0 dropped the *_with_bias ops (rpb= on
// the QK op instead), gave every rank one signature with tuple kernel_size, and added is_causal.
const QK_015 = ['query', 'key', 'kernel_size', 'dilation'];
const QK_BIAS_015 = ['query', 'key', 'bias', 'kernel_size', 'dilation'];
const AV_015 = ['attn', 'value', 'kernel_size', 'dilation'];
const QK_3D_015 = ['query', 'key', 'kernel_size_d', 'kernel_size', 'dilation_d', 'dilation'];
const QK_BIAS_3D_015 = ['query', 'key', 'bias', 'kernel_size_d', 'kernel_size', 'dilation_d', 'dilation'];
const AV_3D_015 = ['attn', 'value', 'kernel_size_d', 'kernel_size', 'dilation_d', 'dilation'];
const QK_017 = ['query', 'key', 'kernel_size', 'dilation', 'additional_keys', 'is_causal', 'rpb'];
const AV_017 = ['attn', 'value', 'kernel_size', 'dilation', 'additional_values', 'is_causal'];
// natten/functional.py, 0.14.6 to 0.17.4: natten{1,2}dqkrpb(query, key, rpb, kernel_size, dilation),
// natten{1,2}dqk(query, key, kernel_size, dilation), natten{1,2}dav(attn, value, kernel_size, dilation);
// the 3-D forms (0.15) take kernel_size_d, kernel_size, dilation_d, dilation.
const LEGACY_QKRPB = ['query', 'key', 'rpb', 'kernel_size', 'dilation'];
const LEGACY_QK = ['query', 'key', 'kernel_size', 'dilation'];
const LEGACY_AV = ['attn', 'value', 'kernel_size', 'dilation'];
const LEGACY_QKRPB_3D = ['query', 'key', 'rpb', 'kernel_size_d', 'kernel_size', 'dilation_d', 'dilation'];
const LEGACY_QK_3D = ['query', 'key', 'kernel_size_d', 'kernel_size', 'dilation_d', 'dilation'];
const LEGACY_AV_3D = ['attn', 'value', 'kernel_size_d', 'kernel_size', 'dilation_d', 'dilation'];
// Modules. 0.14.6/0.15: NeighborhoodAttention{1,2}D(dim, num_heads, kernel_size, dilation=1,
// bias=True, qkv_bias=True, qk_scale=None, attn_drop=0.0, proj_drop=0.0); 0.15 3-D:
// (dim, num_heads, kernel_size, kernel_size_d=None, dilation=1, dilation_d=None, bias=True, …).
const MODULE_014 = ['dim', 'num_heads', 'kernel_size', 'dilation', 'bias', 'qkv_bias', 'qk_scale', 'attn_drop', 'proj_drop'];
const MODULE_3D_015 = ['dim', 'num_heads', 'kernel_size', 'kernel_size_d', 'dilation', 'dilation_d', 'bias', 'qkv_bias', 'qk_scale', 'attn_drop', 'proj_drop'];
// 0.17: (dim, num_heads, kernel_size, dilation=1, is_causal=False, rel_pos_bias=False,
// qkv_bias=True, qk_scale=None, attn_drop=0.0, proj_drop=0.0).
const MODULE_017 = ['dim', 'num_heads', 'kernel_size', 'dilation', 'is_causal', 'rel_pos_bias', 'qkv_bias', 'qk_scale', 'attn_drop', 'proj_drop'];
// 0.17.4 appended use_experimental_ops=False.
const MODULE_0174 = [...MODULE_017, 'use_experimental_ops'];
// src/natten/modules.py, 0.20.0: (dim, num_heads, kernel_size, stride=1, dilation=1,
// is_causal=False, qkv_bias=True, qk_scale=None, proj_drop=0.0); 0.20.1 renamed dim to embed_dim.
const MODULE_0200 = ['dim', 'num_heads', 'kernel_size', 'stride', 'dilation', 'is_causal', 'qkv_bias', 'qk_scale', 'proj_drop'];
const MODULE_020 = ['embed_dim', ...MODULE_0200.slice(1)];

/** Module keywords renamed in a release: the old spelling is a TypeError from then on. */
export const RENAMED_KEYWORDS: readonly { readonly from: string; readonly to: string; readonly release: Version }[] = [
  { from: 'bias', to: 'rel_pos_bias', release: V(0, 17) },
  { from: 'dim', to: 'embed_dim', release: V(0, 20, 1) },
];

function fused(rank: Rank): OpSpec {
  return {
    name: `na${rank}d`,
    kind: 'fused',
    rank,
    introduced: V(0, 17),
    signatures: [
      { from: V(0, 17), until: V(0, 20), params: FUSED_017 },
      { from: V(0, 20), params: FUSED_020 },
    ],
  };
}

/** The 0.15 signatures of an unfused op: 0.15.0 as given, 0.15.1 with the additional KV tensor appended. */
function unfused015(params: readonly string[], extra: string, depthSplit: boolean): Signature[] {
  const split = depthSplit ? { depthSplit: true } : {};
  return [
    { from: V(0, 15), until: V(0, 15, 1), params, required: params, ...split },
    { from: V(0, 15, 1), until: V(0, 17), params: [...params, extra], required: params, ...split },
  ];
}

function unfused(rank: Rank, which: 'qk' | 'av' | 'qk_with_bias'): OpSpec {
  const three = rank === 3;
  if (which === 'qk_with_bias') {
    return {
      name: `na${rank}d_qk_with_bias`,
      kind: 'unfused',
      rank,
      introduced: V(0, 15),
      removed: V(0, 17),
      replacement: `na${rank}d_qk(query, key, kernel_size, dilation, rpb=bias) in 0.17, or the fused na${rank}d from 0.20 (which has no positional bias)`,
      signatures: unfused015(three ? QK_BIAS_3D_015 : QK_BIAS_015, 'additional_keys', three),
    };
  }
  const qk = which === 'qk';
  return {
    name: `na${rank}d_${which}`,
    kind: 'unfused',
    rank,
    introduced: V(0, 15),
    removed: V(0, 20),
    replacement: `na${rank}d(query, key, value, kernel_size, …): the fused op computes QK, softmax and AV in one call`,
    signatures: [
      ...unfused015(three ? (qk ? QK_3D_015 : AV_3D_015) : qk ? QK_015 : AV_015, qk ? 'additional_keys' : 'additional_values', three),
      // 0.17's na3d_av alone kept dilation without a default.
      { from: V(0, 17), until: V(0, 20), params: qk ? QK_017 : AV_017, ...(three && !qk ? { required: AV_017.slice(0, 4) } : {}) },
    ],
  };
}

function legacy(rank: Rank, which: 'qk' | 'qkrpb' | 'av'): OpSpec {
  const params =
    rank === 3
      ? which === 'qkrpb'
        ? LEGACY_QKRPB_3D
        : which === 'qk'
          ? LEGACY_QK_3D
          : LEGACY_AV_3D
      : which === 'qkrpb'
        ? LEGACY_QKRPB
        : which === 'qk'
          ? LEGACY_QK
          : LEGACY_AV;
  const introduced = rank === 3 ? V(0, 15) : V(0, 14);
  return {
    name: `natten${rank}d${which}`,
    kind: 'legacy',
    rank,
    introduced,
    deprecated: V(0, 15),
    removed: V(0, 17, 5),
    replacement: `na${rank}d_${which === 'av' ? 'av' : 'qk'} (0.15–0.17) or, from 0.20, the fused na${rank}d(query, key, value, kernel_size, …)`,
    // Every parameter of the legacy ops is required (`natten2dav(attn, value, kernel_size, dilation)`).
    signatures: [{ from: introduced, until: V(0, 17, 5), params, depthSplit: rank === 3, required: params }],
  };
}

function module(rank: Rank): OpSpec {
  const early: Signature[] =
    rank === 3
      ? [{ from: V(0, 15), until: V(0, 17), params: MODULE_3D_015, depthSplit: true }]
      : [{ from: V(0, 14), until: V(0, 17), params: MODULE_014 }];
  return {
    name: `NeighborhoodAttention${rank}D`,
    kind: 'module',
    rank,
    introduced: rank === 3 ? V(0, 15) : V(0, 14),
    signatures: [
      ...early,
      { from: V(0, 17), until: V(0, 17, 4), params: MODULE_017 },
      { from: V(0, 17, 4), until: V(0, 20), params: MODULE_0174 },
      { from: V(0, 20), until: V(0, 20, 1), params: MODULE_0200 },
      { from: V(0, 20, 1), params: MODULE_020 },
    ],
  };
}

const GENERIC: OpSpec = {
  name: 'neighborhood_attention_generic',
  kind: 'generic',
  introduced: V(0, 20),
  signatures: [{ from: V(0, 20), params: FUSED_020 }],
};

const RANKS: Rank[] = [1, 2, 3];

/** Every NATTEN callable the linter recognises, by the name NATTEN exports it under. */
export const OPS: ReadonlyMap<string, OpSpec> = new Map(
  [
    ...RANKS.map(fused),
    GENERIC,
    ...RANKS.map(module),
    ...RANKS.flatMap((r) => [unfused(r, 'qk'), unfused(r, 'av'), unfused(r, 'qk_with_bias')]),
    ...RANKS.flatMap((r) => [legacy(r, 'qk'), legacy(r, 'qkrpb'), legacy(r, 'av')]),
  ].map((op) => [op.name, op]),
);

export type Availability = 'available' | 'deprecated' | 'removed' | 'not-yet';

export function availability(op: OpSpec, version: Version): Availability {
  if (compareVersions(version, op.introduced) < 0) return 'not-yet';
  if (op.removed && compareVersions(version, op.removed) >= 0) return 'removed';
  if (op.deprecated && compareVersions(version, op.deprecated) >= 0) return 'deprecated';
  return 'available';
}

/**
 * The signature in force at `version`; for a version where the op does not exist, the nearest
 * one (its last before removal, its first before introduction), so arguments still map.
 */
export function signatureAt(op: OpSpec, version: Version): Signature {
  for (const s of op.signatures) {
    if (compareVersions(version, s.from) >= 0 && (s.until === undefined || compareVersions(version, s.until) < 0)) return s;
  }
  return compareVersions(version, op.signatures[0].from) < 0 ? op.signatures[0] : op.signatures[op.signatures.length - 1];
}

/**
 * For a keyword `signature` lacks (a TypeError): the other signature of the op that has it, the
 * latest one before `signature` (it was removed) else the earliest after (it is not there yet).
 */
export function foreignKeyword(op: OpSpec, signature: Signature, keyword: string): Signature | undefined {
  const has = (s: Signature) => s.params.includes(keyword) || s.aliases?.[keyword] !== undefined;
  if (has(signature)) return undefined;
  const before = op.signatures.filter((s) => compareVersions(s.from, signature.from) < 0 && has(s));
  if (before.length > 0) return before[before.length - 1];
  return op.signatures.find((s) => compareVersions(s.from, signature.from) > 0 && has(s));
}

/**
 * Whether NATTEN at `version` rejects even window sizes for this op: every op before 0.17.5,
 * and the unfused and legacy ops always (0.17.5 allowed even sizes in fused kernels only). The
 * 0.17 modules run the unfused ops unless fused NA is switched on, so they count as unfused.
 */
export function requiresOddWindow(op: OpSpec, version: Version): boolean {
  if (compareVersions(version, V(0, 17, 5)) < 0) return true;
  if (op.kind === 'module') return compareVersions(version, V(0, 20)) < 0;
  return op.kind === 'unfused' || op.kind === 'legacy';
}

/** Whether `stride` exists for this op at this version (0.20 and later, fused ops and modules). */
export function supportsStride(op: OpSpec, version: Version): boolean {
  return signatureAt(op, version).params.includes('stride') && availability(op, version) !== 'not-yet';
}

/** `0.20 and later`, `0.17 (before 0.20)`: the releases a signature covers. */
export function describeSignatureRange(s: Signature): string {
  return s.until ? `${formatVersion(s.from)} (before ${formatVersion(s.until)})` : `${formatVersion(s.from)} and later`;
}
