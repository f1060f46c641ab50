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

/** One axis of the picture, at display resolution: `factor` coordinates per display cell. */
export interface AxisLayer {
  readonly n: number;
  readonly factor: number;
  /** State bits per display cell (OR over its coordinates). */
  readonly states: Uint8Array;
  /** Kind per display cell (max over its coordinates). */
  readonly kinds: Uint8Array;
  /** 1 where a coordinate of the selected Q tile lies in the display cell. */
  readonly inQTile: Uint8Array;
}

function fillRun(out: Uint8Array, run: AxisRun, bit: number): void {
  for (let x = run.first; x <= run.last; x += run.step) out[x] |= bit;
}

/** State bits of every coordinate on one axis for query coordinate `x`. */
export function axisStates(axis: Axis, x: number): Uint8Array {
  const out = new Uint8Array(axis.n);
  fillRun(out, axisDilationGroup(x, axis), DILATION_GROUP);
  fillRun(out, axisStrideGroup(x, axis), STRIDE_GROUP);
  fillRun(out, axisNeighborhood(x, axis), ATTENDED);
  out[x] |= QUERY;
  return out;
}

/** Kind of each key coordinate's KV tile against Q tile `qTile` on one axis. */
export function axisKinds(tiling: AxisTiling, n: number, qTile: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let x = 0; x < n; x++) {
    const kind = axisPairKind(tiling, qTile, axisKvTileOf(tiling, x));
    out[x] = kind === 'full' ? FULL : kind === 'partial' ? PARTIAL : EMPTY;
  }
  return out;
}

/** 1 on the coordinates of Q tile `qTile`. */
export function axisQTileMembers(tiling: AxisTiling, n: number, qTile: number): Uint8Array {
  const out = new Uint8Array(n);
  fillRun(out, axisTileRun(tiling, n, qTile, 'q'), 1);
  return out;
}

/** Coordinates per display cell so that an axis of `n` fits in `maxCells` cells. */
export function aggregationFactor(n: number, maxCells: number): number {
  return Math.max(1, Math.ceil(n / Math.max(1, maxCells)));
}

export function aggregateOr(values: Uint8Array, factor: number): Uint8Array {
  if (factor === 1) return values;
  const out = new Uint8Array(Math.ceil(values.length / factor));
  for (let x = 0; x < values.length; x++) out[Math.floor(x / factor)] |= values[x];
  return out;
}

export function aggregateMax(values: Uint8Array, factor: number): Uint8Array {
  if (factor === 1) return values;
  const out = new Uint8Array(Math.ceil(values.length / factor));
  for (let x = 0; x < values.length; x++) {
    const c = Math.floor(x / factor);
    if (values[x] > out[c]) out[c] = values[x];
  }
  return out;
}

/** The layer of one axis for a selected query coordinate `x`, aggregated to at most `maxCells`. */
export function axisLayer(axis: Axis, tiling: AxisTiling, x: number, maxCells: number): AxisLayer {
  const factor = aggregationFactor(axis.n, maxCells);
  const qTile = axisQTileOf(tiling, x);
  return {
    n: axis.n,
    factor,
    states: aggregateOr(axisStates(axis, x), factor),
    kinds: aggregateMax(axisKinds(tiling, axis.n, qTile), factor),
    inQTile: aggregateOr(axisQTileMembers(tiling, axis.n, qTile), factor),
  };
}

/** A one-cell layer: the value of a fixed coordinate (a 3-D slice), or the identity of the product. */
export function pointLayer(layer: AxisLayer | undefined, x: number): AxisLayer {
  if (!layer) return { n: 1, factor: 1, states: Uint8Array.of(ALL_STATES), kinds: Uint8Array.of(FULL), inQTile: Uint8Array.of(1) };
  if (layer.factor !== 1) throw new RangeError('pointLayer needs an unaggregated layer');
  return { n: 1, factor: 1, states: Uint8Array.of(layer.states[x]), kinds: Uint8Array.of(layer.kinds[x]), inQTile: Uint8Array.of(layer.inQTile[x]) };
}

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
