// Multi-dimensional tiling along one axis (GNA-SPEC §5). The mask is a product over axes, so
// every count over box-shaped tiles is a product of these per-axis counts.
//
// On an axis, tokens are grouped by dilation group and each group is tiled on its own. Tile
// indices here count each group's own tiles (what the previews and the project's kernel walk);
// NATTEN pads every group to the same number of tiles (padding.ts), which `layoutQTiles` and
// `layoutKvTiles` count: the work items the simulator charges. A Q tile covering group coordinates [f, l] needs the KV coordinates
// [start(f), end(l)] (windows only move forward), and every one of its queries attends the
// coordinates [start(l), end(f)]: the first range gives the visited KV tiles, the second the full
// ones.

import { axisIsPadded, layoutTiles } from './padding';
import { Axis } from './problem';
import { groupTileRange } from './axisScan';
import { groupLength } from './window';

export interface AxisTiling {
  readonly tq: number;
  readonly tkv: number;
  /** Q tiles on this axis, over all dilation groups. */
  readonly qTiles: number;
  /** KV tiles on this axis, over all dilation groups. */
  readonly kvTiles: number;
  /** Q and KV tiles of NATTEN's padded, token-permuted layout (every dilation group padded alike). */
  readonly layoutQTiles: number;
  readonly layoutKvTiles: number;
  /** Per Q tile: dilation group, visited KV tiles `[kvLo, kvHi]`, full ones `[fullLo, fullHi]` (empty when fullHi < fullLo). */
  readonly group: Int32Array;
  readonly kvLo: Int32Array;
  readonly kvHi: Int32Array;
  readonly fullLo: Int32Array;
  readonly fullHi: Int32Array;
  /** First global Q / KV tile index of each dilation group. */
  readonly qGroupStart: Int32Array;
  readonly kvGroupStart: Int32Array;
  /** Σ visited, Σ full and max visited over this axis's Q tiles. */
  readonly visited: number;
  readonly full: number;
  readonly worst: number;
  /** Whether NATTEN pads this axis for the Q or KV tile (n not a multiple of tile × dilation). */
  readonly padded: boolean;
}

/**
 * Walks the Q tiles of one axis in order, giving each one's dilation group and its visited and
 * full KV tile ranges as global tile indices (full range empty when fullHi < fullLo).
 */
function forEachQTile(
  axis: Axis,
  tq: number,
  tkv: number,
  visit: (a: number, group: number, kvLo: number, kvHi: number, fullLo: number, fullHi: number) => void,
): void {
  const { n, d } = axis;
  let a = 0;
  let kvBase = 0;
  for (let g = 0; g < d; g++) {
    const len = groupLength(n, d, g);
    for (let i = 0; i * tq < len; i++, a++) {
      const r = groupTileRange(i, len, axis, tq, tkv);
      const hasFull = r.fullHi >= r.fullLo;
      visit(a, g, kvBase + r.lo, kvBase + r.hi, hasFull ? kvBase + r.fullLo : 0, hasFull ? kvBase + r.fullHi : -1);
    }
    kvBase += Math.ceil(len / tkv);
  }
}

/** Σ visited, Σ full and the worst Q tile's count on one axis, without per-tile arrays. */
export function axisTileTotals(axis: Axis, tq: number, tkv: number): { visited: number; full: number; worst: number } {
  let visited = 0;
  let full = 0;
  let worst = 0;
  forEachQTile(axis, tq, tkv, (_a, _g, kvLo, kvHi, fullLo, fullHi) => {
    const count = kvHi - kvLo + 1;
    visited += count;
    full += fullHi - fullLo + 1;
    if (count > worst) worst = count;
  });
  return { visited, full, worst };
}

export function tileAxis(axis: Axis, tq: number, tkv: number): AxisTiling {
  const { n, d } = axis;
  const qGroupStart = new Int32Array(d + 1);
  const kvGroupStart = new Int32Array(d + 1);
  for (let g = 0; g < d; g++) {
    const len = groupLength(n, d, g);
    qGroupStart[g + 1] = qGroupStart[g] + Math.ceil(len / tq);
    kvGroupStart[g + 1] = kvGroupStart[g] + Math.ceil(len / tkv);
  }
  const padded = axisIsPadded(n, d, tq) || axisIsPadded(n, d, tkv);
  const qTiles = qGroupStart[d];
  const group = new Int32Array(qTiles);
  const kvLo = new Int32Array(qTiles);
  const kvHi = new Int32Array(qTiles);
  const fullLo = new Int32Array(qTiles);
  const fullHi = new Int32Array(qTiles);
  let visited = 0;
  let full = 0;
  let worst = 0;
  forEachQTile(axis, tq, tkv, (a, g, lo, hi, flo, fhi) => {
    group[a] = g;
    kvLo[a] = lo;
    kvHi[a] = hi;
    fullLo[a] = flo;
    fullHi[a] = fhi;
    visited += hi - lo + 1;
    full += fhi - flo + 1;
    if (hi - lo + 1 > worst) worst = hi - lo + 1;
  });
  return {
    tq,
    tkv,
    qTiles,
    kvTiles: kvGroupStart[d],
    layoutQTiles: layoutTiles(n, d, tq),
    layoutKvTiles: layoutTiles(n, d, tkv),
    group,
    kvLo,
    kvHi,
    fullLo,
    fullHi,
    qGroupStart,
    kvGroupStart,
    visited,
    full,
    worst,
    padded,
  };
}

export type PairKind = 'empty' | 'partial' | 'full';

/** How Q tile `a` and KV tile `b` meet on one axis. */
export function axisPairKind(t: AxisTiling, a: number, b: number): PairKind {
  if (b < t.kvLo[a] || b > t.kvHi[a]) return 'empty';
  return b >= t.fullLo[a] && b <= t.fullHi[a] ? 'full' : 'partial';
}

/** How a Q box and a KV box meet: empty if any axis is empty, full if every axis is full. */
export function pairKind(axes: readonly AxisTiling[], qTile: readonly number[], kvTile: readonly number[]): PairKind {
  let kind: PairKind = 'full';
  for (let i = 0; i < axes.length; i++) {
    const k = axisPairKind(axes[i], qTile[i], kvTile[i]);
    if (k === 'empty') return 'empty';
    if (k === 'partial') kind = 'partial';
  }
  return kind;
}
