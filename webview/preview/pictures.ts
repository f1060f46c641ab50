// The pictures and their interactions: the token grid (1-D: the sequence), the slice strip and
// slider of 3-D layouts, the whole tile-pair map and the 1-D attention matrix. Hovering a query
// previews it, clicking (or Enter / arrow keys on the focused grid) selects it.

import { axisQTileOf, axisTileRun } from '../../extension/core/groups';
import { GroupToggles, gridStateTable, NO_GROUPS, statesShown } from '../model/gridStates';
import { ATTENDED, STRIDE_GROUP } from '../model/layers';
import type { PictureState } from '../model/palette';
import { gridCaption, matrixCaption, pairsCaption, stripLabel } from '../model/captions';
import { drawnShades, firstQTileOfRow, PairMap, pairCellShade, pairsInCell, rowOfQTile, tileRangesOfCell } from '../model/pairMap';
import { fitCells } from '../model/pixelFit';
import { coordinateOfCell, firstQueryOfQTile, GridPicture, PreviewModel, Selection } from '../model/preview';
import type { GridDims, Viewport } from '../model/viewport';
import { clear, el, setText } from './dom';
import { drawGrid, drawMatrix, drawPairMap, drawStrip, GridGeometry, GridOverlay, prepare, prepareDevice } from './draw';
import { Legend, LegendMark } from './legend';
import { cellLut, mix, Palette } from './theme';
import { GridZoom } from './zoom';

export interface PictureEvents {
  /** A query under the pointer (undefined when the pointer leaves). */
  hover(query: readonly number[] | undefined): void;
  select(selection: Selection): void;
  /** Something only the pictures hold changed (groups shown, zoom): draw again. */
  redraw(): void;
  /** Open the preview as an editor panel (from the side bar). */
  openPanel(): void;
}

interface CheckElement extends HTMLElement {
  checked: boolean;
}

const Q_TILE_MARK: LegendMark = { id: 'q-tile', label: 'its Q tile', detail: 'the queries computed together with this one (dashed outline)', style: 'dashed' };

export interface DrawStats {
  readonly attendedCells: number;
  readonly strideGroupCells: number;
  readonly drawMs: number;
}

/** Widest picture, in CSS pixels. */
export const MAX_WIDTH = 760;

/** Fewest device pixels a side of a tile-pair map square gets (smaller squares blur into texture). */
export const PAIR_CELL_PIXELS = 3;

export class Pictures {
  readonly root: HTMLElement;
  private readonly gridLegend = new Legend('grid-legend', 'Legend of the token grid');
  private readonly pairsLegend = new Legend('pairs-legend', 'Legend of the tile-pair map');
  private readonly groupTools: HTMLElement;
  private readonly strideToggle: CheckElement;
  private readonly dilationToggle: CheckElement;
  /** Groups asked for; only those the config has are drawn. */
  private asked: GroupToggles = NO_GROUPS;
  private shown: GroupToggles = NO_GROUPS;
  private lut: Uint32Array = new Uint32Array(0);
  private stateTable: readonly PictureState[] = gridStateTable(NO_GROUPS);
  private palette?: Palette;
  private readonly zoom: GridZoom;
  private readonly sliceBox: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly sliceOutput: HTMLOutputElement;
  private readonly strip: HTMLCanvasElement;
  readonly grid: HTMLCanvasElement;
  private readonly gridCaption: HTMLElement;
  private readonly queryNumbers: HTMLElement;
  private readonly hoverInfo: HTMLElement;
  readonly pairs: HTMLCanvasElement;
  private readonly pairsFigure: HTMLElement;
  private readonly pairsCaption: HTMLElement;
  readonly matrix: HTMLCanvasElement;
  private readonly matrixFigure: HTMLElement;
  private readonly matrixCaption: HTMLElement;
  private model?: PreviewModel;
  private selection?: Selection;
  private picture?: GridPicture;
  private geometry?: GridGeometry;

  constructor(private readonly events: PictureEvents, options: { inPanel: boolean }) {
    this.strideToggle = el('vscode-checkbox', { id: 'show-stride-group', title: 'Colour the queries that share this query’s window' }, 'Stride group') as CheckElement;
    this.dilationToggle = el('vscode-checkbox', { id: 'show-dilation-group', title: 'Colour the tokens of this query’s dilation group' }, 'Dilation group') as CheckElement;
    this.groupTools = el('div', { class: 'group-tools', role: 'group', 'aria-label': 'Groups to show on the grid' }, el('span', { class: 'group-label' }, 'Show'), this.strideToggle, this.dilationToggle);
    this.slider = el('input', { type: 'range', id: 'slice', min: '0', max: '0', step: '1', 'aria-label': 'Slice along the first axis' });
    this.sliceOutput = el('output', { for: 'slice', id: 'slice-value' });
    this.strip = el('canvas', { id: 'strip', 'aria-hidden': 'true' });
    this.sliceBox = el('div', { class: 'slice', hidden: true }, el('label', { for: 'slice' }, 'Slice (first axis)'), this.slider, this.sliceOutput, this.strip);
    this.grid = el('canvas', {
      id: 'grid',
      tabindex: '0',
      role: 'img',
      'aria-label': 'Token grid. Arrow keys move the query, Shift moves 8 at a time, Page Up and Page Down change the slice; + and − zoom, 0 shows the whole layout, drag to pan.',
    });
    this.zoom = new GridZoom(this.grid, { changed: () => this.events.redraw(), openPanel: () => this.events.openPanel() }, options);
    this.gridCaption = el('figcaption', { id: 'grid-caption' });
    this.queryNumbers = el('dl', { id: 'query-numbers', class: 'numbers', 'aria-label': 'Selected query' });
    this.hoverInfo = el('p', { id: 'hover-info', class: 'hover-info', 'aria-live': 'polite' });
    this.pairs = el('canvas', { id: 'pairs', role: 'img', 'aria-label': 'Tile-pair map: Q tiles down, KV tiles across' });
    this.pairsCaption = el('figcaption', { id: 'pairs-caption' });
    this.pairsFigure = el('figure', {}, el('h3', {}, 'Tile pairs'), this.pairs, this.pairsLegend.root, this.pairsCaption);
    this.matrix = el('canvas', { id: 'matrix', role: 'img', 'aria-label': 'Attention matrix: queries down, keys across' });
    this.matrixCaption = el('figcaption', { id: 'matrix-caption' });
    this.matrixFigure = el('figure', { hidden: true }, el('h3', {}, 'Attention matrix'), this.matrix, this.matrixCaption);
    this.root = el(
      'section',
      { class: 'pictures', 'aria-label': 'Mask preview' },
      el('div', { class: 'picture-tools' }, this.groupTools, this.zoom.root),
      this.gridLegend.root,
      this.sliceBox,
      el('figure', {}, this.grid, this.gridCaption),
      this.hoverInfo,
      this.queryNumbers,
      this.pairsFigure,
      this.matrixFigure,
    );
    this.wire();
  }

  private wire(): void {
    const onToggle = () => {
      this.asked = { strideGroup: this.strideToggle.checked, dilationGroup: this.dilationToggle.checked };
      this.updateGroups();
      this.events.redraw();
    };
    this.strideToggle.addEventListener('change', onToggle);
    this.dilationToggle.addEventListener('change', onToggle);
    this.grid.addEventListener('pointermove', (e) => {
      if (!this.zoom.dragging) this.events.hover(this.queryAt(e));
    });
    this.grid.addEventListener('pointerleave', () => this.events.hover(undefined));
    this.grid.addEventListener('click', (e) => {
      if (this.zoom.takeSuppressedClick()) return;
      const query = this.queryAt(e);
      if (query && this.selection) this.events.select({ query, slice: this.selection.slice });
      this.grid.focus();
    });
    this.grid.addEventListener('keydown', (e) => this.onKey(e));
    this.slider.addEventListener('input', () => {
      if (this.selection) this.events.select({ ...this.selection, slice: Number(this.slider.value) });
    });
    this.strip.addEventListener('click', (e) => {
      if (!this.model || !this.selection) return;
      const n = this.model.axes[0].n;
      const t = Math.min(n - 1, Math.max(0, Math.floor((e.offsetX / this.strip.clientWidth) * n)));
      this.events.select({ ...this.selection, slice: t });
    });
    this.pairs.addEventListener('pointermove', (e) => setText(this.hoverInfo, this.describePair(e)));
    this.pairs.addEventListener('click', (e) => {
      const map = this.model?.pairMap;
      if (!map || !this.model) return;
      const row = Math.min(map.rows - 1, Math.floor((e.offsetY / this.pairs.clientHeight) * map.rows));
      const query = firstQueryOfQTile(this.model, firstQTileOfRow(map, row));
      this.events.select({ query, slice: query.length === 3 ? query[0] : 0 });
    });
    this.matrix.addEventListener('click', (e) => {
      const m = this.model?.matrix;
      if (!m) return;
      const row = Math.floor((e.offsetY / this.matrix.clientHeight) * m.rows);
      this.events.select({ query: [Math.min(m.n - 1, row * m.rowFactor)], slice: 0 });
    });
  }

  /** The query under a pointer event on the grid. */
  private queryAt(e: MouseEvent): number[] | undefined {
    const pic = this.picture;
    const g = this.geometry;
    const sel = this.selection;
    if (!pic || !g || !sel) return undefined;
    const col = Math.min(g.cols - 1, Math.max(0, Math.floor(e.offsetX / g.cellW)));
    const row = Math.min(g.rows - 1, Math.max(0, Math.floor(e.offsetY / g.cellH)));
    const query = [...sel.query];
    query[pic.colAxis] = coordinateOfCell(pic.cols, col);
    if (pic.rowAxis !== undefined) query[pic.rowAxis] = coordinateOfCell(pic.rows, row);
    if (query.length === 3) query[0] = sel.slice;
    return query;
  }

  private onKey(e: KeyboardEvent): void {
    const pic = this.picture;
    const sel = this.selection;
    const model = this.model;
    if (!pic || !sel || !model) return;
    if (this.zoom.onKey(e, gridPosition(pic.rowAxis, pic.colAxis, sel.query))) {
      e.preventDefault();
      return;
    }
    const step = e.shiftKey ? 8 : 1;
    const moves: Record<string, [number | undefined, number]> = {
      ArrowLeft: [pic.colAxis, -step],
      ArrowRight: [pic.colAxis, step],
      ArrowUp: [pic.rowAxis, -step],
      ArrowDown: [pic.rowAxis, step],
    };
    const query = [...sel.query];
    let slice = sel.slice;
    const move = moves[e.key];
    if (move && move[0] !== undefined) {
      const axis = move[0];
      query[axis] = Math.min(model.axes[axis].n - 1, Math.max(0, query[axis] + move[1]));
    } else if (query.length === 3 && (e.key === 'PageUp' || e.key === 'PageDown')) {
      slice = Math.min(model.axes[0].n - 1, Math.max(0, slice + (e.key === 'PageUp' ? -1 : 1)));
      query[0] = slice;
    } else {
      return;
    }
    if (query.length === 3) query[0] = slice;
    e.preventDefault();
    this.events.select({ query, slice });
  }

  private describePair(e: MouseEvent): string {
    const map = this.model?.pairMap;
    if (!map) return '';
    const row = Math.min(map.rows - 1, Math.floor((e.offsetY / this.pairs.clientHeight) * map.rows));
    const col = Math.min(map.cols - 1, Math.floor((e.offsetX / this.pairs.clientWidth) * map.cols));
    const i = row * map.cols + col;
    const full = map.full[i];
    const partial = map.partial[i];
    const tiles = (cell: number, factors: readonly number[], cells: readonly number[], grid: readonly number[]) =>
      `(${tileRangesOfCell(cell, factors, cells, grid)
        .map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}–${hi}`))
        .join(', ')})`;
    const q = tiles(row, map.qFactors, map.qCells, map.qTileGrid);
    const kv = tiles(col, map.kvFactors, map.kvCells, map.kvTileGrid);
    if (map.rowFactor === 1 && map.colFactor === 1) {
      const kind = full ? 'computed whole (full)' : partial ? 'computed and masked (partial)' : 'skipped (empty)';
      return `Q tile ${q} × KV tile ${kv}: ${kind}`;
    }
    const pairs = pairsInCell(map, row, col);
    return `Q tiles ${q} × KV tiles ${kv}: ${full} full, ${partial} partial, ${pairs - full - partial} skipped of ${pairs} pairs`;
  }

  setModel(model: PreviewModel | undefined, palette: Palette): void {
    this.model = model;
    this.palette = palette;
    this.root.classList.toggle('empty', !model);
    if (!model) return;
    this.updateGroups();
    const r = model.axes.length;
    this.sliceBox.hidden = r !== 3;
    this.slider.max = String(model.axes[0].n - 1);
    this.matrixFigure.hidden = r !== 1;
    this.grid.classList.toggle('sequence', r === 1);
    const map = model.pairMap;
    const blocks = map !== undefined && (map.rowFactor > 1 || map.colFactor > 1);
    // The swatch runs from the faintest to the strongest shade of the kind the map draws most.
    const shades = map && blocks ? drawnShades(map) : undefined;
    const faint: LegendMark[] =
      shades
        ? [
            {
              id: 'fewer-computed',
              label: 'fainter: fewer computed',
              detail: 'a block where fewer of its tile pairs are computed is drawn fainter',
              style: 'fill',
              colour: mix(palette.background, palette.states[shades.state], shades.faintest),
              colourTo: mix(palette.background, palette.states[shades.state], shades.strongest),
            },
          ]
        : [];
    this.pairsLegend.show(map ? pairStates(map) : new Set(), palette, faint);
    setText(this.pairsCaption, model.pairMap ? pairsCaption(model.pairMap, model.simulation) : (model.pairMapSkipped ?? ''));
    setText(this.matrixCaption, model.matrix ? matrixCaption(model.matrix) : (model.matrixSkipped ?? ''));
    this.strip.setAttribute('aria-label', stripLabel(model.axes[0].n));
  }

  /** Which group toggles apply (a stride or dilation above 1), and the lookup table for what is shown. */
  private updateGroups(): void {
    const model = this.model;
    const strided = model !== undefined && model.problem.stride.some((x) => x > 1);
    const dilated = model !== undefined && model.problem.dilation.some((x) => x > 1);
    this.strideToggle.hidden = !strided;
    this.dilationToggle.hidden = !dilated;
    this.groupTools.hidden = !strided && !dilated;
    this.shown = { strideGroup: strided && this.asked.strideGroup, dilationGroup: dilated && this.asked.dilationGroup };
    this.stateTable = gridStateTable(this.shown);
    if (this.palette) this.lut = cellLut(this.palette, this.shown);
  }

  /** The part of the grid to draw for the committed selection (the whole layout unless zoomed). */
  gridView(model: PreviewModel, selection: Selection): Viewport {
    const r = model.axes.length;
    const dims: GridDims = r === 1 ? [1, model.axes[0].n] : [model.axes[r - 2].n, model.axes[r - 1].n];
    return this.zoom.viewFor(dims, gridPosition(r === 1 ? undefined : r - 2, r - 1, selection.query));
  }

  /** Draws everything for a selection; returns what the grid shows. */
  draw(picture: GridPicture, selection: Selection, palette: Palette, width: number): DrawStats {
    const started = performance.now();
    const model = this.model!;
    this.picture = picture;
    this.selection = selection;
    const w = Math.max(120, Math.min(MAX_WIDTH, width));
    const r = model.axes.length;
    const rowsN = picture.rowAxis === undefined ? 1 : model.axes[picture.rowAxis].n;
    const colsN = model.axes[picture.colAxis].n;
    const gridH = r === 1 ? 40 : Math.max(60, Math.min(w * 1.25, (w * rowsN) / colsN));
    const ctx = prepare(this.grid, w, gridH);
    const overlay = this.overlay(model, picture, selection);
    this.geometry = drawGrid(ctx, picture, this.lut, palette, w, gridH, overlay);
    this.zoom.setCellFactors(picture.rows.factor, picture.cols.factor);
    this.gridLegend.show(statesShown(picture.codes, this.stateTable), palette, overlay.qBox ? [Q_TILE_MARK] : []);

    if (picture.sliceStrip) {
      this.slider.value = String(selection.slice);
      setText(this.sliceOutput, `${selection.slice} of ${model.axes[0].n}`);
      drawStrip(prepare(this.strip, w, 18), picture.sliceStrip, selection.slice, palette, w, 18);
    }
    if (model.pairMap) {
      const map = model.pairMap;
      // A whole number of device pixels per square, so no row or column of squares is drawn wider than another.
      const ratio = window.devicePixelRatio || 1;
      const fit = fitCells(map.cols, map.rows, Math.floor(w * ratio), Math.floor(w * 1.25 * ratio), Math.round(60 * ratio));
      this.pairs.hidden = false;
      drawPairMap(prepareDevice(this.pairs, fit.width, fit.height), map, rowOfQTile(map, picture.qTileIndex), palette, fit.width / ratio, fit.height / ratio);
    } else {
      this.pairs.hidden = true;
    }
    if (model.matrix) {
      const q = selection.query[0];
      const t = model.tilings[0];
      const ratio = window.devicePixelRatio || 1;
      const m = model.matrix;
      const fit = fitCells(m.cols, m.rows, Math.floor(w * ratio), Math.floor(w * ratio), Math.round(60 * ratio));
      drawMatrix(prepareDevice(this.matrix, fit.width, fit.height), m, q, t.tq, t.tkv, model.axes[0].d === 1, palette, fit.width / ratio, fit.height / ratio);
    }
    this.showQuery(picture, selection);
    let attendedCells = 0;
    let strideGroupCells = 0;
    for (const code of picture.codes) {
      if (code & ATTENDED) attendedCells++;
      if (code & STRIDE_GROUP) strideGroupCells++;
    }
    return { attendedCells, strideGroupCells, drawMs: performance.now() - started };
  }

  private overlay(model: PreviewModel, pic: GridPicture, sel: Selection): GridOverlay {
    const rowAxis = pic.rowAxis;
    const colAxis = pic.colAxis;
    const t = model.tilings;
    const contiguous: [boolean, boolean] = [rowAxis === undefined || model.axes[rowAxis].d === 1, model.axes[colAxis].d === 1];
    const kvTile: [number, number] = [rowAxis === undefined ? 1 : t[rowAxis].tkv, t[colAxis].tkv];
    const q = sel.query;
    const inSlice = q.length !== 3 || q[0] === sel.slice;
    const queryCell: [number, number] | undefined = inSlice ? [rowAxis === undefined ? 0 : q[rowAxis], q[colAxis]] : undefined;
    const qTileOn = (axis: number) => axisTileRun(t[axis], model.axes[axis].n, axisQTileOf(t[axis], q[axis]), 'q');
    let qBox: [number, number, number, number] | undefined;
    if (contiguous[0] && contiguous[1]) {
      const cols = qTileOn(colAxis);
      const rows = rowAxis === undefined ? { first: 0, last: 0 } : qTileOn(rowAxis);
      const frames = q.length === 3 ? qTileOn(0) : undefined;
      const sliceInTile = !frames || (sel.slice >= frames.first && sel.slice <= frames.last && (sel.slice - frames.first) % frames.step === 0);
      if (sliceInTile) qBox = [rows.first, rows.last, cols.first, cols.last];
    }
    return { kvTile, contiguous, ...(queryCell ? { queryCell } : {}), ...(qBox ? { qBox } : {}) };
  }

  private showQuery(pic: GridPicture, sel: Selection): void {
    clear(this.queryNumbers);
    for (const row of pic.numbers) {
      this.queryNumbers.append(el('dt', {}, row.label), el('dd', { id: `query-${row.id}`, title: row.detail }, row.value));
    }
    setText(this.gridCaption, gridCaption(this.model!.problem.inputSize, pic, sel.query, sel.slice));
  }
}

/** The states the pair map's cells are drawn in (model/pairMap.ts pairCellShade). */
function pairStates(map: PairMap): Set<PictureState> {
  const states = new Set<PictureState>();
  for (let i = 0; i < map.full.length; i++) states.add(pairCellShade(map.full[i], map.partial[i], 1).state);
  return states;
}

/** A token's (row, col) on the grid (row 0 for a 1-D sequence). */
function gridPosition(rowAxis: number | undefined, colAxis: number, query: readonly number[]): [number, number] {
  return [rowAxis === undefined ? 0 : query[rowAxis], query[colAxis]];
}
