// What a preview draws for one selected query, per axis. The mask is a product over axes, and so
// are the groups and the tile kinds, so a grid cell's state is the bitwise AND (kinds: the
// minimum) of its row's and column's per-axis states. Large axes are aggregated before that
// product: "some cell of the block has the state" factorises exactly, because
// OR over a block of (a_r AND b_c) = (OR over rows of a_r) AND (OR over columns of b_c), and
// likewise max over a block of min(a_r, b_c) = min(max a_r, max b_c).

import { axisDilationGroup, axisKvTileOf, axisQTileOf, axisStrideGroup, axisTileRun, AxisRun } from '../../extension/core/groups';
import type { Axis } from '../../extension/core/problem';
import { AxisTiling, axisPairKind } from '../../extension/core/tiling';
import { axisNeighborhood } from '../../extension/core/window';

/** Cell state bits. */
export const ATTENDED = 1;
export const STRIDE_GROUP = 2;
export const DILATION_GROUP = 4;
export const QUERY = 8;
export const ALL_STATES = ATTENDED | STRIDE_GROUP | DILATION_GROUP | QUERY;

/** Tile kind of a key's KV tile against the selected Q tile; ordered so that combining is `min`. */
export const EMPTY = 0;
export const PARTIAL = 1;
export const FULL = 2;
export type Kind = typeof EMPTY | typeof PARTIAL | typeof FULL;

/** Coordinates `first … first + count - 1` of an axis: the part of it a zoomed picture shows. */
export interface Span {
  readonly first: number;
  readonly count: number;
}

/** One axis of the picture, at display resolution: `factor` coordinates per display cell, from `first`. */
export interface AxisLayer {
  /** Coordinates shown (the whole axis unless zoomed). */
  readonly n: number;
  /** The first coordinate shown. */
  readonly first: number;
  readonly factor: number;
  /** State bits per display cell (OR over its coordinates). */
  readonly states: Uint8Array;
  /** Kind per display cell (max over its coordinates). */
  readonly kinds: Uint8Array;
  /** 1 where a coordinate of the selected Q tile lies in the display cell. */
  readonly inQTile: Uint8Array;
}

/**
 * Calls `mark(cell)` for every display cell (of `factor` coordinates from `span.first`) that holds
 * a coordinate of the run inside the span. A cell at least `step` wide that overlaps the clipped
 * run always holds one of its coordinates (the end cells hold its first and last), so the work is
 * the cells touched, never the run's length.
 */
function forEachCellOfRun(run: AxisRun, factor: number, span: Span, mark: (cell: number) => void): void {
  const lo = Math.max(run.first, span.first);
  const first = run.first + Math.ceil((lo - run.first) / run.step) * run.step;
  const hi = Math.min(run.last, span.first + span.count - 1);
  const last = hi < run.first ? first - 1 : run.first + Math.floor((hi - run.first) / run.step) * run.step;
  if (last < first) return;
  const c0 = Math.floor((first - span.first) / factor);
  const c1 = Math.floor((last - span.first) / factor);
  if (factor >= run.step) {
    for (let c = c0; c <= c1; c++) mark(c);
    return;
  }
  // Fewer coordinates than cells: each lands in its own cell.
  for (let x = first; x <= last; x += run.step) mark(Math.floor((x - span.first) / factor));
}

/** Coordinates per display cell so that an axis of `n` fits in `maxCells` cells. */
export function aggregationFactor(n: number, maxCells: number): number {
  return Math.max(1, Math.ceil(n / Math.max(1, maxCells)));
}

/**
 * The layer of one axis for a selected query coordinate `x`, over `span` (the whole axis unless
 * zoomed), aggregated to at most `maxCells`: state bits OR-ed, kinds max-ed and Q-tile membership
 * OR-ed over each cell's coordinates. Built from runs (groups, window, the visited KV tiles of the
 * query's Q tile), so the work is bounded by the display cells and the visited tiles, not the axis length.
 */
export function axisLayer(axis: Axis, tiling: AxisTiling, x: number, maxCells: number, span: Span = { first: 0, count: axis.n }): AxisLayer {
  const factor = aggregationFactor(span.count, maxCells);
  const cells = Math.ceil(span.count / factor);
  const states = new Uint8Array(cells);
  const kinds = new Uint8Array(cells);
  const inQTile = new Uint8Array(cells);
  const orBit = (bit: number) => (c: number) => {
    states[c] |= bit;
  };
  forEachCellOfRun(axisDilationGroup(x, axis), factor, span, orBit(DILATION_GROUP));
  forEachCellOfRun(axisStrideGroup(x, axis), factor, span, orBit(STRIDE_GROUP));
  forEachCellOfRun(axisNeighborhood(x, axis), factor, span, orBit(ATTENDED));
  forEachCellOfRun({ first: x, last: x, step: 1 }, factor, span, orBit(QUERY));
  const qTile = axisQTileOf(tiling, x);
  for (let b = tiling.kvLo[qTile]; b <= tiling.kvHi[qTile]; b++) {
    const kind = axisPairKind(tiling, qTile, b) === 'full' ? FULL : PARTIAL;
    forEachCellOfRun(axisTileRun(tiling, axis.n, b, 'kv'), factor, span, (c) => {
      if (kind > kinds[c]) kinds[c] = kind;
    });
  }
  forEachCellOfRun(axisTileRun(tiling, axis.n, qTile, 'q'), factor, span, (c) => {
    inQTile[c] = 1;
  });
  return { n: span.count, first: span.first, factor, states, kinds, inQTile };
}

/** The one-cell layer of coordinate `x` (a 3-D slice), in O(1) whatever the axis length. */
export function pointLayer(axis: Axis, tiling: AxisTiling, queryX: number, x: number): AxisLayer {
  const has = (run: AxisRun) => x >= run.first && x <= run.last && (x - run.first) % run.step === 0;
  let states = 0;
  if (has(axisDilationGroup(queryX, axis))) states |= DILATION_GROUP;
  if (has(axisStrideGroup(queryX, axis))) states |= STRIDE_GROUP;
  if (has(axisNeighborhood(queryX, axis))) states |= ATTENDED;
  if (x === queryX) states |= QUERY;
  const qTile = axisQTileOf(tiling, queryX);
  const kind = axisPairKind(tiling, qTile, axisKvTileOf(tiling, x));
  return {
    n: 1,
    first: x,
    factor: 1,
    states: Uint8Array.of(states),
    kinds: Uint8Array.of(kind === 'full' ? FULL : kind === 'partial' ? PARTIAL : EMPTY),
    inQTile: Uint8Array.of(axisQTileOf(tiling, x) === qTile ? 1 : 0),
  };
}

/** The identity of the product: one cell with every state, the strongest kind, in the Q tile. */
export const IDENTITY_LAYER: AxisLayer = { n: 1, first: 0, factor: 1, states: Uint8Array.of(ALL_STATES), kinds: Uint8Array.of(FULL), inQTile: Uint8Array.of(1) };

/** Bits of a composed cell code: states (4 bits), kind (2 bits), in the selected Q tile (1 bit). */
export const KIND_SHIFT = 4;
export const IN_Q_TILE = 64;
export const CODE_COUNT = 128;

/**
 * Cell codes of the grid rows × cols, row-major: the product of a row layer, a column layer and
 * fixed factors (slices of the other axes). `out` is reused when large enough.
 */
export function composeGrid(rows: AxisLayer, cols: AxisLayer, fixed: readonly AxisLayer[], out?: Uint8Array): Uint8Array {
  let states = ALL_STATES;
  let kind = FULL as number;
  let inQ = 1;
  for (const f of fixed) {
    states &= f.states[0];
    kind = Math.min(kind, f.kinds[0]);
    inQ &= f.inQTile[0];
  }
  const R = rows.states.length;
  const C = cols.states.length;
  const codes = out && out.length >= R * C ? out.subarray(0, R * C) : new Uint8Array(R * C);
  // Column codes once, then one AND/min per cell.
  const colCode = new Uint8Array(C);
  const colKind = new Uint8Array(C);
  for (let c = 0; c < C; c++) {
    colCode[c] = cols.states[c] & states;
    colKind[c] = Math.min(cols.kinds[c], kind);
  }
  for (let r = 0; r < R; r++) {
    const rs = rows.states[r];
    const rk = rows.kinds[r];
    const rq = rows.inQTile[r] & inQ;
    const base = r * C;
    for (let c = 0; c < C; c++) {
      const k = rk < colKind[c] ? rk : colKind[c];
      codes[base + c] = (rs & colCode[c]) | (k << KIND_SHIFT) | (rq & cols.inQTile[c] ? IN_Q_TILE : 0);
    }
  }
  return codes;
}

export function codeStates(code: number): number {
  return code & ALL_STATES;
}

export function codeKind(code: number): Kind {
  return ((code >> KIND_SHIFT) & 3) as Kind;
}
