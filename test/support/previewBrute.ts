// Brute-force references for the preview's view model, written from GNA-SPEC's definitions and
// the brute-force tile map (bruteforce.ts), independent of the per-axis factorisation the view
// model relies on. Only for small problems.

import type { GnaProblem } from '../../extension/core';
import { boxTileOf, bruteAttends, coordsOf } from './bruteforce';

export function tokenCount(p: GnaProblem): number {
  return p.inputSize.reduce((a, b) => a * b, 1);
}

/** Per-axis "same stride group": same dilation group and the same run of s group coordinates. */
export function bruteSameStrideGroup(p: GnaProblem, q: number[], x: number[]): boolean {
  return p.inputSize.every((_, i) => {
    const d = p.dilation[i];
    const s = p.stride[i];
    return q[i] % d === x[i] % d && Math.floor(Math.floor(q[i] / d) / s) === Math.floor(Math.floor(x[i] / d) / s);
  });
}

export function bruteSameDilationGroup(p: GnaProblem, q: number[], x: number[]): boolean {
  return p.inputSize.every((_, i) => q[i] % p.dilation[i] === x[i] % p.dilation[i]);
}

export type BruteKind = 'empty' | 'partial' | 'full';

/**
 * Every (Q tile, KV tile) pair's kind by enumerating the mask: full when every query of an
 * unpadded Q tile attends every key of an unpadded KV tile. Keys: `${qTile},${kvTile}`.
 */
export function brutePairKinds(p: GnaProblem, qTile: readonly number[], kvTile: readonly number[]) {
  const N = tokenCount(p);
  const qOf = boxTileOf(p, qTile);
  const kvOf = boxTileOf(p, kvTile);
  const qSize = new Map<number, number>();
  const kvSize = new Map<number, number>();
  for (let t = 0; t < N; t++) {
    qSize.set(qOf(t), (qSize.get(qOf(t)) ?? 0) + 1);
    kvSize.set(kvOf(t), (kvSize.get(kvOf(t)) ?? 0) + 1);
  }
  const counts = new Map<string, number>();
  for (let a = 0; a < N; a++) {
    for (let b = 0; b < N; b++) {
      if (!bruteAttends(p, a, b)) continue;
      const key = `${qOf(a)},${kvOf(b)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const qCap = qTile.reduce((x, y) => x * y, 1);
  const kvCap = kvTile.reduce((x, y) => x * y, 1);
  const kind = (qa: number, kb: number): BruteKind => {
    const c = counts.get(`${qa},${kb}`) ?? 0;
    if (c === 0) return 'empty';
    const qs = qSize.get(qa) ?? 0;
    const ks = kvSize.get(kb) ?? 0;
    return qs === qCap && ks === kvCap && c === qs * ks ? 'full' : 'partial';
  };
  return { qOf, kvOf, kind, qTiles: qSize.size, kvTiles: kvSize.size };
}

export { bruteAttends, coordsOf };
