// The whole tile-pair map: Q tiles (rows) × KV tiles (columns), both flattened row-major over
// the tile grid, each pair empty, partial or full. 30×48×80 with 2×8×8 tiles already has
// 900 × 900 pairs, so the map is never built pair by pair: pairKind is a product over axes,
// and for one Q tile the visited KV tiles are, per axis, one interval (with a full
// sub-interval). Along the last axis that gives runs of consecutive KV tiles, each split into at
// most three constant-kind segments, added to the display cells they cover.
// Work: Q tiles × (visited leading-axis KV tiles) × 3, plus the cells touched.
//
// When there are more tiles than display cells, a display cell is a block of tiles per axis
// (blockFactors): whole rows of the tile grid are never cut across, so a block holds tiles that
// are neighbours on every axis and the picture shows the grid's structure instead of the beat
// pattern that cutting the flattened order into equal runs makes (a moiré).

import { flatten as joinIndex, unflatten as splitIndex } from '../../extension/core/mask';
import { product } from '../../extension/core/problem';
import type { AxisTiling } from '../../extension/core/tiling';

export interface PairMap {
  readonly qTiles: number;
  readonly kvTiles: number;
  /** Display cells down and across. */
  readonly rows: number;
  readonly cols: number;
  /** Tiles per display cell along each axis of the tile grid (the last block of an axis may be short). */
  readonly qFactors: readonly number[];
  readonly kvFactors: readonly number[];
  /** Display cells along each axis: ceil(tiles / factor); rows and cols are their products. */
  readonly qCells: readonly number[];
  readonly kvCells: readonly number[];
  /** Most Q tiles and KV tiles a display cell stands for (1 × 1: one pair per cell). */
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
export { joinIndex, splitIndex };

/** Constant-kind runs the map is built from: Σ over Q tiles of the leading axes' visited KV tiles. */
export function pairMapWork(axes: readonly AxisTiling[]): number {
  let work = axes[axes.length - 1].qTiles;
  for (let i = 0; i < axes.length - 1; i++) work *= axes[i].visited;
  return work;
}

/** Beyond this many runs the map would stall the view (tiny tiles on a huge layout); it is skipped. */
export const MAX_PAIR_MAP_WORK = 4_000_000;

/**
 * Tiles per display cell along each axis of a tile grid so that at most `maxCells` cells remain:
 * the last axis is aggregated first, then the one before it once the last is a single cell, and
 * so on; a block never spans two rows of an outer axis. An axis takes the smallest factor that
 * fits, or a divisor of its length (blocks all the same size) when that keeps at least half the cells.
 */
export function blockFactors(grid: readonly number[], maxCells: number): number[] {
  const factors = grid.map(() => 1);
  let cells = product(grid);
  for (let i = grid.length - 1; i >= 0 && cells > maxCells; i--) {
    const others = cells / grid[i];
    const allowed = Math.max(1, Math.floor(maxCells / others));
    factors[i] = evenFactor(grid[i], Math.ceil(grid[i] / allowed));
    cells = others * Math.ceil(grid[i] / factors[i]);
  }
  return factors;
}

/** The smallest divisor of n from `least` on that leaves at least half of n / least blocks, else `least`. */
function evenFactor(n: number, least: number): number {
  const blocks = Math.ceil(n / least);
  for (let f = least; Math.ceil(n / f) * 2 >= blocks; f++) if (n % f === 0) return f;
  return least;
}

/** The display cell (flat, row-major over the cells per axis) of tile coordinates `coords`. */
function cellOf(coords: readonly number[], factors: readonly number[], cells: readonly number[]): number {
  let flat = 0;
  for (let i = 0; i < coords.length; i++) flat = flat * cells[i] + Math.floor(coords[i] / factors[i]);
  return flat;
}

/** The map's row of a Q tile (flat index over the tile grid). */
export function rowOfQTile(map: PairMap, flatQTile: number): number {
  return cellOf(splitIndex(flatQTile, map.qTileGrid), map.qFactors, map.qCells);
}

/** The map's column of a KV tile (flat index over the tile grid). */
export function colOfKvTile(map: PairMap, flatKvTile: number): number {
  return cellOf(splitIndex(flatKvTile, map.kvTileGrid), map.kvFactors, map.kvCells);
}

/** Per axis, the first and last tile coordinate of display cell `cell` (flat over `cells`). */
export function tileRangesOfCell(cell: number, factors: readonly number[], cells: readonly number[], grid: readonly number[]): [number, number][] {
  return splitIndex(cell, cells).map((c, i) => [c * factors[i], Math.min(grid[i], (c + 1) * factors[i]) - 1]);
}

/** The first Q tile (flat) of a map row: where a click on that row goes. */
export function firstQTileOfRow(map: PairMap, row: number): number {
  return joinIndex(tileRangesOfCell(row, map.qFactors, map.qCells, map.qTileGrid).map(([lo]) => lo), map.qTileGrid);
}

export function buildPairMap(axes: readonly AxisTiling[], maxRows: number, maxCols: number): PairMap {
  const qTileGrid = axes.map((a) => a.qTiles);
  const kvTileGrid = axes.map((a) => a.kvTiles);
  const qTiles = product(qTileGrid);
  const kvTiles = product(kvTileGrid);
  const qFactors = blockFactors(qTileGrid, maxRows);
  const kvFactors = blockFactors(kvTileGrid, maxCols);
  const qCells = qTileGrid.map((g, i) => Math.ceil(g / qFactors[i]));
  const kvCells = kvTileGrid.map((g, i) => Math.ceil(g / kvFactors[i]));
  const rows = product(qCells);
  const cols = product(kvCells);
  const full = new Uint32Array(rows * cols);
  const partial = new Uint32Array(rows * cols);
  const r = axes.length;
  const lastFactor = kvFactors[r - 1];
  const lastCells = kvCells[r - 1];

  // Adds every KV tile in [lo, hi] of the last axis, under the leading axes' cell `prefixCell`, to row `row` of `target`.
  const addSegment = (target: Uint32Array, row: number, prefixCell: number, lo: number, hi: number): void => {
    if (hi < lo) return;
    const base = row * cols + prefixCell * lastCells;
    let c = Math.floor(lo / lastFactor);
    let x = lo;
    while (x <= hi) {
      const cellEnd = Math.min(hi, (c + 1) * lastFactor - 1);
      target[base + c] += cellEnd - x + 1;
      x = cellEnd + 1;
      c++;
    }
  };

  const qCoord = new Array<number>(r).fill(0);
  for (let a = 0; a < qTiles; a++) {
    const row = cellOf(qCoord, qFactors, qCells);
    // Walk the visited KV tiles of the leading axes; `allFull` says whether all of them are full.
    const walk = (axis: number, prefixCell: number, allFull: boolean): void => {
      const t = axes[axis];
      const qa = qCoord[axis];
      if (axis === r - 1) {
        const lo = t.kvLo[qa];
        const hi = t.kvHi[qa];
        const flo = t.fullLo[qa];
        const fhi = t.fullHi[qa];
        if (!allFull || fhi < flo) {
          addSegment(partial, row, prefixCell, lo, hi);
        } else {
          addSegment(partial, row, prefixCell, lo, flo - 1);
          addSegment(full, row, prefixCell, flo, fhi);
          addSegment(partial, row, prefixCell, fhi + 1, hi);
        }
        return;
      }
      for (let b = t.kvLo[qa]; b <= t.kvHi[qa]; b++) {
        walk(axis + 1, prefixCell * kvCells[axis] + Math.floor(b / kvFactors[axis]), allFull && b >= t.fullLo[qa] && b <= t.fullHi[qa]);
      }
    };
    walk(0, 0, true);
    // Next Q tile coordinates (row-major increment).
    for (let i = r - 1; i >= 0; i--) {
      if (++qCoord[i] < qTileGrid[i]) break;
      qCoord[i] = 0;
    }
  }
  return {
    qTiles,
    kvTiles,
    rows,
    cols,
    qFactors,
    kvFactors,
    qCells,
    kvCells,
    rowFactor: product(qFactors),
    colFactor: product(kvFactors),
    full,
    partial,
    qTileGrid,
    kvTileGrid,
  };
}

function blockSize(cell: number, factors: readonly number[], cells: readonly number[], grid: readonly number[]): number {
  return tileRangesOfCell(cell, factors, cells, grid).reduce((n, [lo, hi]) => n * (hi - lo + 1), 1);
}

/** Tile pairs in display cell (row, col): the product of its blocks' sizes per axis. */
export function pairsInCell(map: PairMap, row: number, col: number): number {
  return blockSize(row, map.qFactors, map.qCells, map.qTileGrid) * blockSize(col, map.kvFactors, map.kvCells, map.kvTileGrid);
}

/** Q tiles per row and KV tiles per column (a cell holds their product of pairs), for a pass over every cell. */
export function blockSizes(map: PairMap): { rows: Uint32Array; cols: Uint32Array } {
  const rows = new Uint32Array(map.rows);
  const cols = new Uint32Array(map.cols);
  for (let r = 0; r < map.rows; r++) rows[r] = blockSize(r, map.qFactors, map.qCells, map.qTileGrid);
  for (let c = 0; c < map.cols; c++) cols[c] = blockSize(c, map.kvFactors, map.kvCells, map.kvTileGrid);
  return { rows, cols };
}

/**
 * How a display cell is drawn: the kind most of its visited pairs have (empty when none is), and
 * how strongly, from 1 when every pair of the block is visited down to MIN_STRENGTH for one of
 * many, so a block where little is computed reads fainter than a busy one.
 */
export function pairCellShade(full: number, partial: number, pairs: number): { state: 'pairFull' | 'pairPartial' | 'empty'; strength: number } {
  const visited = full + partial;
  if (visited === 0) return { state: 'empty', strength: 0 };
  return { state: full >= partial ? 'pairFull' : 'pairPartial', strength: MIN_STRENGTH + (1 - MIN_STRENGTH) * Math.min(1, visited / pairs) };
}

/** The faintest a visited block is drawn (its colour this far from the background). */
export const MIN_STRENGTH = 0.45;

/**
 * The shades the map draws for its most drawn kind, faintest and strongest: what the legend's
 * "fainter" swatch shows, so that it is the map's own colours (a partial-pairs map never gets a
 * swatch of full pairs). Undefined when nothing is visited.
 */
export function drawnShades(map: PairMap): { state: 'pairFull' | 'pairPartial'; faintest: number; strongest: number } | undefined {
  const sizes = blockSizes(map);
  const seen = { pairFull: { cells: 0, faintest: 1, strongest: 0 }, pairPartial: { cells: 0, faintest: 1, strongest: 0 } };
  for (let r = 0; r < map.rows; r++) {
    for (let c = 0; c < map.cols; c++) {
      const i = r * map.cols + c;
      const shade = pairCellShade(map.full[i], map.partial[i], sizes.rows[r] * sizes.cols[c]);
      if (shade.state === 'empty') continue;
      const s = seen[shade.state];
      s.cells++;
      s.faintest = Math.min(s.faintest, shade.strength);
      s.strongest = Math.max(s.strongest, shade.strength);
    }
  }
  const state = seen.pairPartial.cells > seen.pairFull.cells ? 'pairPartial' : 'pairFull';
  const { cells, faintest, strongest } = seen[state];
  return cells === 0 ? undefined : { state, faintest, strongest };
}
