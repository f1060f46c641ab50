// Brute-force references written straight from GNA-SPEC's inequalities, independent of the
// core's interval formulas: a per-pair predicate, explicit token-to-tile maps, and tile pairs
// classified by counting attended pairs. Only for small problems.

import type { GnaProblem } from '../../extension/core';

/** GNA-SPEC §2–3 as a predicate on one axis. */
export function specAttends(q: number, kv: number, n: number, k: number, s: number, d: number, causal: boolean): boolean {
  if (q % d !== kv % d) return false;
  const g = q % d;
  const len = Math.floor(n / d) + (g < n % d ? 1 : 0);
  const qi = Math.floor(q / d);
  const ki = Math.floor(kv / d);
  if (causal) {
    const leader = Math.min(Math.floor(qi / s) * s + s - 1, len - 1);
    return ki <= qi && leader - ki < k;
  }
  const left = Math.floor(k / 2);
  const right = Math.floor(k / 2) + (k % 2) - 1;
  const leader = Math.min(Math.floor(qi / s) * s + Math.floor(s / 2), len - 1);
  const centre = Math.min(Math.max(leader, left), len - 1 - right);
  return ki >= centre - left && ki <= centre + right;
}

export function coordsOf(flat: number, shape: readonly number[]): number[] {
  const c: number[] = [];
  for (let i = shape.length - 1; i >= 0; i--) {
    c.unshift(flat % shape[i]);
    flat = Math.floor(flat / shape[i]);
  }
  return c;
}

export function bruteAttends(p: GnaProblem, q: number, kv: number): boolean {
  const qc = coordsOf(q, p.inputSize);
  const kc = coordsOf(kv, p.inputSize);
  return p.inputSize.every((n, i) => specAttends(qc[i], kc[i], n, p.windowSize[i], p.stride[i], p.dilation[i], p.causal[i]));
}

export interface BruteCounts {
  visited: number;
  full: number;
  worst: number;
  /** Q tiles visiting the most-visited KV tile (the backward pass's worst work item). */
  worstKv: number;
  attended: number;
  qTiles: number;
  kvTiles: number;
}

/** Attended (query, key) pairs per (Q tile, KV tile), keyed `${qTile},${kvTile}`, and each tile's real tokens. */
export interface BrutePairCounts {
  readonly pairCounts: Map<string, number>;
  readonly qSize: Map<number, number>;
  readonly kvSize: Map<number, number>;
  readonly attended: number;
}

/** Enumerates the whole mask once, tallying attended pairs by the tiles `tileOf(token)` puts them in. */
export function brutePairCounts(p: GnaProblem, qTileOf: (t: number) => number, kvTileOf: (t: number) => number): BrutePairCounts {
  const N = p.inputSize.reduce((a, b) => a * b, 1);
  const qSize = new Map<number, number>();
  const kvSize = new Map<number, number>();
  for (let t = 0; t < N; t++) {
    qSize.set(qTileOf(t), (qSize.get(qTileOf(t)) ?? 0) + 1);
    kvSize.set(kvTileOf(t), (kvSize.get(kvTileOf(t)) ?? 0) + 1);
  }
  const pairCounts = new Map<string, number>();
  let attended = 0;
  for (let q = 0; q < N; q++) {
    for (let kv = 0; kv < N; kv++) {
      if (!bruteAttends(p, q, kv)) continue;
      attended++;
      const key = `${qTileOf(q)},${kvTileOf(kv)}`;
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + 1);
    }
  }
  return { pairCounts, qSize, kvSize, attended };
}

/** A pair is full when both tiles are unpadded (hold `capacity` real tokens) and every query attends every key. */
export function isFullPair(counts: BrutePairCounts, qTile: number, kvTile: number, qCapacity: number, kvCapacity: number): boolean {
  const qs = counts.qSize.get(qTile) ?? 0;
  const ks = counts.kvSize.get(kvTile) ?? 0;
  return qs === qCapacity && ks === kvCapacity && counts.pairCounts.get(`${qTile},${kvTile}`) === qs * ks;
}

/**
 * Counts tile pairs by enumeration. `tileOf(token)` gives a tile id and `capacity` the tokens a
 * tile holds with padding.
 */
export function bruteTiles(p: GnaProblem, qTileOf: (t: number) => number, kvTileOf: (t: number) => number, qCapacity: number, kvCapacity: number): BruteCounts {
  const counts = brutePairCounts(p, qTileOf, kvTileOf);
  let full = 0;
  const perQ = new Map<number, number>();
  const perKv = new Map<number, number>();
  for (const key of counts.pairCounts.keys()) {
    const [a, b] = key.split(',').map(Number);
    perQ.set(a, (perQ.get(a) ?? 0) + 1);
    perKv.set(b, (perKv.get(b) ?? 0) + 1);
    if (isFullPair(counts, a, b, qCapacity, kvCapacity)) full++;
  }
  return {
    visited: counts.pairCounts.size,
    full,
    worst: Math.max(0, ...perQ.values()),
    worstKv: Math.max(0, ...perKv.values()),
    attended: counts.attended,
    qTiles: counts.qSize.size,
    kvTiles: counts.kvSize.size,
  };
}

/** Multi-dimensional tile id: per axis, dilation group first, then the group coordinate's tile. */
export function boxTileOf(p: GnaProblem, tile: readonly number[]): (t: number) => number {
  const shape = p.inputSize;
  const perAxisTiles = shape.map((n, i) => {
    const d = p.dilation[i];
    let count = 0;
    for (let g = 0; g < d; g++) count += Math.ceil((Math.floor(n / d) + (g < n % d ? 1 : 0)) / tile[i]);
    return count;
  });
  return (t) => {
    const c = coordsOf(t, shape);
    let id = 0;
    for (let i = 0; i < shape.length; i++) {
      const d = p.dilation[i];
      const g = c[i] % d;
      let before = 0;
      for (let h = 0; h < g; h++) before += Math.ceil((Math.floor(shape[i] / d) + (h < shape[i] % d ? 1 : 0)) / tile[i]);
      id = id * perAxisTiles[i] + before + Math.floor(Math.floor(c[i] / d) / tile[i]);
    }
    return id;
  };
}

/**
 * Q (or KV) tiles of NATTEN's token-permuted layout, counted by building it: each axis padded up
 * to a multiple of tile × dilation, then split into (tile index, in-tile offset, dilation group)
 * and regrouped group-major, as SHI-Labs/NATTEN src/natten/token_permute.py (`maybe_pad`,
 * `token_permute`) does; every padded coordinate is placed and the distinct tile ids counted.
 */
export function permutedLayoutTiles(p: GnaProblem, tile: readonly number[]): number {
  const padded = p.inputSize.map((n, i) => Math.ceil(n / (tile[i] * p.dilation[i])) * tile[i] * p.dilation[i]);
  const ids = new Set<string>();
  const total = padded.reduce((a, b) => a * b, 1);
  for (let t = 0; t < total; t++) {
    const c = coordsOf(t, padded);
    // Per axis: the dilation group, then the tile of the group coordinate inside the group.
    ids.add(c.map((x, i) => `${x % p.dilation[i]}:${Math.floor(Math.floor(x / p.dilation[i]) / tile[i])}`).join(','));
  }
  return ids.size;
}
