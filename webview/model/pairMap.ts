// The whole tile-pair map: Q tiles (rows) × KV tiles (columns), both flattened row-major over
// the tile grid, each pair empty, partial or full. 30×48×80 with 2×8×8 tiles already has
// 900 × 900 pairs, so the map is never built pair by pair: pairKind is a product over axes,
// and for one Q tile the visited KV tiles are, per axis, one interval (with a full
// sub-interval). Along the last axis that gives runs of consecutive flattened KV tiles, each
// split into at most three constant-kind segments, added to the display cells they cover.
// Work: Q tiles × (visited leading-axis KV tiles) × 3, plus the cells touched.

import { product } from '../../extension/core/problem';
import type { AxisTiling } from '../../extension/core/tiling';
import { aggregationFactor } from './layers';

export interface PairMap {
  readonly qTiles: number;
  readonly kvTiles: number;
  /** Display cells: `rowFactor` Q tiles × `colFactor` KV tiles each. */
  readonly rows: number;
  readonly cols: number;
  readonly rowFactor: number;
  readonly colFactor: number;
  /** Full and partial pairs per display cell, row-major. */
  readonly full: Uint32Array;
  readonly partial: Uint32Array;
  /** Per-axis Q/KV tile counts, to turn a row or column back into tile coordinates. */
  readonly qTileGrid: readonly number[];
  readonly kvTileGrid: readonly number[];
}

/** Row-major flat index ⇄ per-axis coordinates on a grid (the core's, under the model's names). */
export { flatten as joinIndex, unflatten as splitIndex } from '../../extension/core/mask';

/** Constant-kind runs the map is built from: Σ over Q tiles of the leading axes' visited KV tiles. */
export function pairMapWork(axes: readonly AxisTiling[]): number {
  let work = axes[axes.length - 1].qTiles;
  for (let i = 0; i < axes.length - 1; i++) work *= axes[i].visited;
  return work;
}

/** Beyond this many runs the map would stall the view (tiny tiles on a huge layout); it is skipped. */
export const MAX_PAIR_MAP_WORK = 4_000_000;

export function buildPairMap(axes: readonly AxisTiling[], maxRows: number, maxCols: number): PairMap {
  const qTileGrid = axes.map((a) => a.qTiles);
  const kvTileGrid = axes.map((a) => a.kvTiles);
  const qTiles = product(qTileGrid);
  const kvTiles = product(kvTileGrid);
  const rowFactor = aggregationFactor(qTiles, maxRows);
  const colFactor = aggregationFactor(kvTiles, maxCols);
  const rows = Math.ceil(qTiles / rowFactor);
  const cols = Math.ceil(kvTiles / colFactor);
  const full = new Uint32Array(rows * cols);
  const partial = new Uint32Array(rows * cols);
  const r = axes.length;
  const last = axes[r - 1];
  const lastCount = last.kvTiles;

  // Adds `count`-wise every KV tile in [lo, hi] (flattened) to row `row` of `target`.
  const addSegment = (target: Uint32Array, row: number, lo: number, hi: number): void => {
    if (hi < lo) return;
    const base = row * cols;
    let c = Math.floor(lo / colFactor);
    let x = lo;
    while (x <= hi) {
      const cellEnd = Math.min(hi, (c + 1) * colFactor - 1);
      target[base + c] += cellEnd - x + 1;
      x = cellEnd + 1;
      c++;
    }
  };

  const qCoord = new Array<number>(r).fill(0);
  for (let a = 0; a < qTiles; a++) {
    const row = Math.floor(a / rowFactor);
    // Walk the visited KV tiles of the leading axes; `allFull` says whether all of them are full.
    const walk = (axis: number, flatPrefix: number, allFull: boolean): void => {
      const t = axes[axis];
      const qa = qCoord[axis];
      if (axis === r - 1) {
        const base = flatPrefix * lastCount;
        const lo = t.kvLo[qa];
        const hi = t.kvHi[qa];
        const flo = t.fullLo[qa];
        const fhi = t.fullHi[qa];
        if (!allFull || fhi < flo) {
          addSegment(partial, row, base + lo, base + hi);
        } else {
          addSegment(partial, row, base + lo, base + flo - 1);
          addSegment(full, row, base + flo, base + fhi);
          addSegment(partial, row, base + fhi + 1, base + hi);
        }
        return;
      }
      for (let b = t.kvLo[qa]; b <= t.kvHi[qa]; b++) {
        walk(axis + 1, flatPrefix * t.kvTiles + b, allFull && b >= t.fullLo[qa] && b <= t.fullHi[qa]);
      }
    };
    walk(0, 0, true);
    // Next Q tile coordinates (row-major increment).
    for (let i = r - 1; i >= 0; i--) {
      if (++qCoord[i] < qTileGrid[i]) break;
      qCoord[i] = 0;
    }
  }
  return { qTiles, kvTiles, rows, cols, rowFactor, colFactor, full, partial, qTileGrid, kvTileGrid };
}

/** Tile pairs in display cell (row, col), padding cells at the edges included as zero. */
export function pairsInCell(map: PairMap, row: number, col: number): number {
  const rowsHere = Math.min(map.rowFactor, map.qTiles - row * map.rowFactor);
  const colsHere = Math.min(map.colFactor, map.kvTiles - col * map.colFactor);
  return rowsHere * colsHere;
}
