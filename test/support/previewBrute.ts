// Brute-force references for the preview's view model, written from GNA-SPEC's definitions and
// the brute-force tile map (bruteforce.ts), independent of the per-axis factorisation the view
// model relies on. Only for small problems.

import type { GnaProblem } from '../../extension/core';
import { boxTileOf, bruteAttends, brutePairCounts, coordsOf, isFullPair } from './bruteforce';

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
  const qOf = boxTileOf(p, qTile);
  const kvOf = boxTileOf(p, kvTile);
  const counts = brutePairCounts(p, qOf, kvOf);
  const qCap = qTile.reduce((x, y) => x * y, 1);
  const kvCap = kvTile.reduce((x, y) => x * y, 1);
  const kind = (qa: number, kb: number): BruteKind =>
    !counts.pairCounts.has(`${qa},${kb}`) ? 'empty' : isFullPair(counts, qa, kb, qCap, kvCap) ? 'full' : 'partial';
  return { qOf, kvOf, kind, qTiles: counts.qSize.size, kvTiles: counts.kvSize.size };
}

export { bruteAttends, coordsOf };
