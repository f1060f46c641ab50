// Zoom and pan of the token grid, as pure geometry: which tokens of the row and column axes a
// zoomed picture shows, how a zoom about a point, a drag or a keyboard move changes that, and
// which token lies under a point of the canvas. Both axes share one zoom factor, so the picture
// keeps its aspect; each axis shows at least MIN_SHOWN tokens (or all of a shorter axis).

import type { Span } from './layers';
import type { GridView } from './preview';

export interface Viewport extends GridView {
  /** 1 shows the whole layout; z shows about 1/z of each axis. */
  readonly zoom: number;
}

/** Lengths of the row and column axes (1 row for a 1-D sequence). */
export type GridDims = readonly [rows: number, cols: number];

/** Fewest tokens an axis shows when zoomed all the way in. */
export const MIN_SHOWN = 4;

/** Zoom step of the buttons and keys. */
export const ZOOM_STEP = 2;

export function wholeView(dims: GridDims): Viewport {
  return { zoom: 1, rows: { first: 0, count: dims[0] }, cols: { first: 0, count: dims[1] } };
}

export function isWhole(v: Viewport, dims: GridDims): boolean {
  return v.rows.count === dims[0] && v.cols.count === dims[1];
}

/** Largest useful zoom: the longer axis down to MIN_SHOWN tokens. */
export function maxZoom(dims: GridDims): number {
  return Math.max(1, Math.max(dims[0], dims[1]) / MIN_SHOWN);
}

function shownCount(n: number, zoom: number): number {
  return Math.min(n, Math.max(Math.min(n, MIN_SHOWN), Math.ceil(n / zoom)));
}

function clampFirst(first: number, count: number, n: number): number {
  return Math.min(Math.max(0, n - count), Math.max(0, Math.round(first)));
}

/**
 * Zooms by `factor` (above 1 in, below 1 out) keeping the token at `anchor` (fractional row and
 * column coordinates, e.g. under the pointer) where it was on the canvas, as far as the edges allow.
 */
export function zoomAbout(v: Viewport, dims: GridDims, factor: number, anchor: readonly [number, number]): Viewport {
  const zoom = Math.min(maxZoom(dims), Math.max(1, v.zoom * factor));
  const axis = (span: Span, n: number, at: number): Span => {
    const count = shownCount(n, zoom);
    const t = span.count > 0 ? (at - span.first) / span.count : 0.5;
    return { first: clampFirst(at - t * count, count, n), count };
  };
  return { zoom, rows: axis(v.rows, dims[0], anchor[0]), cols: axis(v.cols, dims[1], anchor[1]) };
}

/** Moves the view by whole tokens (positive: toward higher coordinates), stopping at the edges. */
export function panBy(v: Viewport, dims: GridDims, rows: number, cols: number): Viewport {
  return {
    zoom: v.zoom,
    rows: { first: clampFirst(v.rows.first + rows, v.rows.count, dims[0]), count: v.rows.count },
    cols: { first: clampFirst(v.cols.first + cols, v.cols.count, dims[1]), count: v.cols.count },
  };
}

/** The smallest pan that brings token (row, col) into view. */
export function keepInView(v: Viewport, dims: GridDims, row: number, col: number): Viewport {
  const axis = (span: Span, n: number, x: number): Span => {
    if (x < span.first) return { first: clampFirst(x, span.count, n), count: span.count };
    if (x >= span.first + span.count) return { first: clampFirst(x - span.count + 1, span.count, n), count: span.count };
    return span;
  };
  return { zoom: v.zoom, rows: axis(v.rows, dims[0], row), cols: axis(v.cols, dims[1], col) };
}

/** The same zoom on a layout of other lengths, kept inside it. */
export function fitTo(v: Viewport, dims: GridDims): Viewport {
  const zoom = Math.min(maxZoom(dims), v.zoom);
  const axis = (span: Span, n: number): Span => {
    const count = shownCount(n, zoom);
    return { first: clampFirst(span.first, count, n), count };
  };
  return { zoom, rows: axis(v.rows, dims[0]), cols: axis(v.cols, dims[1]) };
}

/** Tokens per display cell of the row and column axes (aggregated layers; 1 when each cell is a token). */
export type CellFactors = readonly [rows: number, cols: number];

/** Tokens along an axis the drawn cells stand for: whole cells of `factor` tokens, the last one maybe short. */
function drawnTokens(count: number, factor: number): number {
  return Math.ceil(count / factor) * factor;
}

/**
 * Fractional (row, col) token coordinates under canvas point (x, y) of a width × height picture
 * drawn in cells of `factors` tokens (as pictureFor aggregates the view), capped at the last token shown.
 */
export function tokenAt(v: Viewport, width: number, height: number, x: number, y: number, factors: CellFactors = [1, 1]): [number, number] {
  const at = (span: Span, factor: number, t: number) => span.first + Math.min(span.count - 1e-9, t * drawnTokens(span.count, factor));
  return [at(v.rows, factors[0], y / height), at(v.cols, factors[1], x / width)];
}

/** Tokens a drag of (dx, dy) CSS pixels moves the view by (dragging right shows lower columns). */
export function dragInTokens(v: Viewport, width: number, height: number, dx: number, dy: number, factors: CellFactors = [1, 1]): [number, number] {
  return [(-dy / height) * drawnTokens(v.rows.count, factors[0]), (-dx / width) * drawnTokens(v.cols.count, factors[1])];
}

/** What the view shows, in words: "whole layout", or the zoom and the token ranges on show. */
export function viewText(v: Viewport, dims: GridDims): string {
  if (isWhole(v, dims)) return 'whole layout';
  const range = (s: Span, n: number) => `${(s.first).toLocaleString('en-US')}–${(s.first + s.count - 1).toLocaleString('en-US')} of ${n.toLocaleString('en-US')}`;
  const zoom = `${Number(v.zoom.toFixed(1))}×`;
  if (dims[0] === 1) return `${zoom}: tokens ${range(v.cols, dims[1])}`;
  return `${zoom}: rows ${range(v.rows, dims[0])}, columns ${range(v.cols, dims[1])}`;
}
