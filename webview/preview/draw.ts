// Canvas drawing. Every picture is first written as one pixel per display cell into ImageData
// (one lookup per cell), then scaled up with smoothing off; lines and outlines come after. The
// work per frame is the number of display cells, which the view model caps.

import { ATTENDED, AxisLayer, QUERY } from '../model/layers';
import type { AttentionMatrix } from '../model/matrix';
import { blockSizes, PairMap, pairCellShade } from '../model/pairMap';
import type { MarkInks } from '../model/palette';
import type { GridPicture } from '../model/preview';
import { css, fill, mix, packed, Palette } from './theme';

/** A canvas sized for the device's pixel ratio, with its CSS size. */
export interface Surface {
  readonly canvas: HTMLCanvasElement;
  readonly width: number;
  readonly height: number;
}

/** Sets the canvas's CSS and backing sizes; returns the 2-D context scaled to CSS pixels. */
export function prepare(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(width));
  const h = Math.max(1, Math.round(height));
  if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
  }
  const ctx = canvas.getContext('2d', { alpha: false });
  if (!ctx) throw new Error('This webview cannot draw on a canvas (no 2-D context).');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

/**
 * Sets the canvas's backing store to exactly width × height device pixels (a whole number per
 * cell, model/pixelFit.ts); returns the 2-D context scaled to CSS pixels.
 */
export function prepareDevice(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D {
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
    canvas.style.width = `${width / ratio}px`;
    canvas.style.height = `${height / ratio}px`;
  }
  const ctx = canvas.getContext('2d', { alpha: false });
  if (!ctx) throw new Error('This webview cannot draw on a canvas (no 2-D context).');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

/** Cell-resolution pixels, reused between frames of the same size. */
class PixelBuffer {
  private canvas = document.createElement('canvas');
  private image?: ImageData;
  private words?: Uint32Array;

  pixels(cols: number, rows: number): Uint32Array {
    if (!this.image || this.image.width !== cols || this.image.height !== rows) {
      this.canvas.width = cols;
      this.canvas.height = rows;
      this.image = new ImageData(cols, rows);
      this.words = new Uint32Array(this.image.data.buffer);
    }
    return this.words!;
  }

  /** Puts the pixels and scales them onto `ctx` at (x, y, w, h). */
  blit(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number): void {
    const small = this.canvas.getContext('2d');
    if (!small || !this.image) return;
    small.putImageData(this.image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.canvas, x, y, w, h);
  }
}

const buffers = new Map<string, PixelBuffer>();
function buffer(name: string): PixelBuffer {
  let b = buffers.get(name);
  if (!b) buffers.set(name, (b = new PixelBuffer()));
  return b;
}

export interface GridGeometry {
  readonly cellW: number;
  readonly cellH: number;
  readonly cols: number;
  readonly rows: number;
}

export interface GridOverlay {
  /** Per-axis tile sizes and whether the axis is undilated (tiles are then contiguous boxes). */
  readonly kvTile: readonly [number, number];
  readonly contiguous: readonly [boolean, boolean];
  /** The query's Q tile as coordinate ranges [rowLo, rowHi, colLo, colHi], when contiguous. */
  readonly qBox?: readonly [number, number, number, number];
  /** The query's coordinates on the drawn axes (row undefined in 1-D), when in the drawn slice. */
  readonly queryCell?: readonly [number, number];
}

/** The token grid (or 1-D sequence) of a picture, filling width × height. */
export function drawGrid(ctx: CanvasRenderingContext2D, pic: GridPicture, lut: Uint32Array, p: Palette, width: number, height: number, overlay: GridOverlay): GridGeometry {
  const rows = pic.rows.states.length;
  const cols = pic.cols.states.length;
  const buf = buffer('grid');
  const px = buf.pixels(cols, rows);
  const codes = pic.codes;
  for (let i = 0; i < rows * cols; i++) px[i] = lut[codes[i]];
  buf.blit(ctx, 0, 0, width, height);
  const cellW = width / cols;
  const cellH = height / rows;
  const geometry = { cellW, cellH, cols, rows };

  // KV tile boundaries, where tiles are contiguous and cells big enough to separate them.
  ctx.lineWidth = 1;
  ctx.strokeStyle = css(p.line, p.highContrast ? 0.9 : 0.45);
  ctx.beginPath();
  const [rowTile, colTile] = overlay.kvTile;
  // Coordinates on the canvas: a zoomed picture starts at the layers' first coordinate.
  const colX = (c: number) => ((c - pic.cols.first) / pic.cols.factor) * cellW;
  const rowY = (r: number) => ((r - pic.rows.first) / pic.rows.factor) * cellH;
  const firstBoundary = (first: number, tile: number) => (Math.floor(first / tile) + 1) * tile;
  if (overlay.contiguous[1] && pic.cols.factor === 1 && cellW * colTile >= 6) {
    for (let c = firstBoundary(pic.cols.first, colTile); c < pic.cols.first + pic.cols.n; c += colTile) {
      const x = Math.round(colX(c)) + 0.5;
      ctx.moveTo(x, 0);
      ctx.lineTo(x, height);
    }
  }
  if (rows > 1 && overlay.contiguous[0] && pic.rows.factor === 1 && cellH * rowTile >= 6) {
    for (let r = firstBoundary(pic.rows.first, rowTile); r < pic.rows.first + pic.rows.n; r += rowTile) {
      const y = Math.round(rowY(r)) + 0.5;
      ctx.moveTo(0, y);
      ctx.lineTo(width, y);
    }
  }
  ctx.stroke();

  // The query's Q tile as one dashed box, then the query cell.
  if (overlay.qBox) {
    const [r0, r1, c0, c1] = overlay.qBox;
    const x0 = colX(c0);
    const x1 = colX(c1 + 1);
    const y0 = rows === 1 ? 0 : rowY(r0);
    const y1 = rows === 1 ? height : rowY(r1 + 1);
    strokeMark(ctx, p.marks, 2, (c) => c.strokeRect(x0 + 1, y0 + 1, Math.max(2, x1 - x0 - 2), Math.max(2, y1 - y0 - 2)), [4, 3]);
  }
  const shown = (x: number, layer: AxisLayer) => x >= layer.first && x < layer.first + layer.n;
  if (overlay.queryCell && shown(overlay.queryCell[1], pic.cols) && (rows === 1 || shown(overlay.queryCell[0], pic.rows))) {
    const [qr, qc] = overlay.queryCell;
    const x = Math.floor((qc - pic.cols.first) / pic.cols.factor) * cellW;
    const y = rows === 1 ? 0 : Math.floor((qr - pic.rows.first) / pic.rows.factor) * cellH;
    strokeMark(ctx, { ...p.marks, over: p.foreground }, 2, (c) => c.strokeRect(x - 1, y - 1, Math.max(3, cellW + 2), Math.max(3, cellH + 2)));
  }
  return geometry;
}

/**
 * Strokes a mark (`path` strokes it) in its inks: in high-contrast themes a wider solid line of
 * the `under` tone first, so the mark stands out from whatever fill it crosses (palette.ts markInks).
 */
function strokeMark(ctx: CanvasRenderingContext2D, inks: MarkInks, width: number, path: (c: CanvasRenderingContext2D) => void, dash: number[] = []): void {
  if (inks.under) {
    ctx.strokeStyle = css(inks.under);
    ctx.lineWidth = width + 2;
    ctx.setLineDash([]);
    path(ctx);
  }
  ctx.strokeStyle = css(inks.over);
  ctx.lineWidth = width;
  ctx.setLineDash(dash);
  path(ctx);
  ctx.setLineDash([]);
}

/** One strip of cells (3-D: the slices of the first axis, aggregated when long), the shown slice outlined. */
export function drawStrip(ctx: CanvasRenderingContext2D, layer: AxisLayer, current: number, p: Palette, width: number, height: number): void {
  const n = layer.states.length;
  const cellW = width / n;
  for (let t = 0; t < n; t++) {
    const s = layer.states[t];
    ctx.fillStyle = css(fill(p, s & QUERY ? 'query' : s & ATTENDED ? 'attended' : 'empty'));
    ctx.fillRect(t * cellW, 0, Math.ceil(cellW), height);
  }
  if (cellW >= 4) {
    ctx.strokeStyle = css(p.line, p.highContrast ? 0.9 : 0.45);
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let t = 1; t < n; t++) {
      const x = Math.round(t * cellW) + 0.5;
      ctx.moveTo(x, 0);
      ctx.lineTo(x, height);
    }
    ctx.stroke();
  }
  ctx.strokeStyle = css(p.foreground);
  ctx.lineWidth = 2;
  ctx.strokeRect(Math.floor(current / layer.factor) * cellW + 1, 1, Math.max(2, cellW - 2), height - 2);
}


let pairPixelsOf: { map?: PairMap; palette?: Palette } = {};

/**
 * The whole tile-pair map, with the selected row outlined. A cell of one pair is its kind's
 * colour; a block of pairs is the kind most of its visited pairs have, fainter when fewer of its
 * pairs are visited (model/pairMap.ts pairCellShade).
 */
export function drawPairMap(ctx: CanvasRenderingContext2D, map: PairMap, selectedRow: number, p: Palette, width: number, height: number): void {
  const buf = buffer('pairs');
  // The map changes with the config or theme only; hovering just moves the outline.
  if (pairPixelsOf.map !== map || pairPixelsOf.palette !== p) {
    const px = buf.pixels(map.cols, map.rows);
    const sizes = blockSizes(map);
    for (let r = 0; r < map.rows; r++) {
      for (let c = 0; c < map.cols; c++) {
        const i = r * map.cols + c;
        const shade = pairCellShade(map.full[i], map.partial[i], sizes.rows[r] * sizes.cols[c]);
        px[i] = packed(shade.state === 'empty' ? p.background : mix(p.background, fill(p, shade.state), shade.strength));
      }
    }
    pairPixelsOf = { map, palette: p };
  }
  buf.blit(ctx, 0, 0, width, height);
  const row = selectedRow;
  const cellH = height / map.rows;
  strokeMark(ctx, p.marks, 2, (c) => c.strokeRect(1, row * cellH, width - 2, Math.max(2, cellH)));
}

/** The 1-D attention matrix, the query's row outlined and tile boundaries where they fit. */
export function drawMatrix(ctx: CanvasRenderingContext2D, m: AttentionMatrix, query: number, tq: number, tkv: number, contiguous: boolean, p: Palette, width: number, height: number): void {
  const buf = buffer('matrix');
  const px = buf.pixels(m.cols, m.rows);
  const on = packed(fill(p, 'attended'));
  const off = packed(p.background);
  for (let i = 0; i < m.rows * m.cols; i++) px[i] = m.cells[i] ? on : off;
  buf.blit(ctx, 0, 0, width, height);
  const cellW = width / m.cols;
  const cellH = height / m.rows;
  if (contiguous && (tkv / m.colFactor) * cellW >= 6 && (tq / m.rowFactor) * cellH >= 6) {
    ctx.strokeStyle = css(p.line, p.highContrast ? 0.9 : 0.4);
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let k = tkv; k < m.n; k += tkv) {
      const x = Math.round((k / m.colFactor) * cellW) + 0.5;
      ctx.moveTo(x, 0);
      ctx.lineTo(x, height);
    }
    for (let q = tq; q < m.n; q += tq) {
      const y = Math.round((q / m.rowFactor) * cellH) + 0.5;
      ctx.moveTo(0, y);
      ctx.lineTo(width, y);
    }
    ctx.stroke();
  }
  const row = Math.floor(query / m.rowFactor);
  strokeMark(ctx, p.marks, 2, (c) => c.strokeRect(1, row * cellH, width - 2, Math.max(2, cellH)));
}
