// Zoom and pan of the token grid: the buttons (zoom out, zoom in, whole layout, and in the side
// bar "Open large", the editor panel), Ctrl/⌘ + wheel about the pointer, drag to pan, and the
// keys + - 0 on the focused grid. The geometry is model/viewport.ts; this holds the state and the DOM.

import { CellFactors, dragInTokens, fitTo, GridDims, isWhole, keepInView, maxZoom, panBy, tokenAt, Viewport, viewText, wholeView, zoomAbout, ZOOM_STEP } from '../model/viewport';
import { el, setText } from './dom';

export interface ZoomEvents {
  /** The view changed: draw again. */
  changed(): void;
  openPanel(): void;
}

interface ToggleElement extends HTMLElement {
  disabled: boolean;
}

/** Pointer travel (CSS px) before a press counts as a drag rather than a click. */
const DRAG_THRESHOLD = 4;

export class GridZoom {
  readonly root: HTMLElement;
  private readonly zoomIn: ToggleElement;
  private readonly zoomOut: ToggleElement;
  private readonly reset: ToggleElement;
  private readonly level: HTMLOutputElement;
  private dims: GridDims = [1, 1];
  private view: Viewport = wholeView([1, 1]);
  /** The selected token (row, col) last kept in view: a new selection is brought into view once. */
  private followed = '';
  private selected: readonly [number, number] = [0, 0];
  private drag?: { x: number; y: number; view: Viewport; moved: boolean };
  private suppressClick = false;
  /** Tokens per drawn cell, from the last picture (pointer positions map to tokens through them). */
  private factors: CellFactors = [1, 1];

  constructor(private readonly canvas: HTMLCanvasElement, private readonly events: ZoomEvents, options: { inPanel: boolean }) {
    const button = (id: string, label: string, text: string) => el('vscode-button', { id, appearance: 'secondary', 'aria-label': label, title: label }, text) as ToggleElement;
    this.zoomOut = button('zoom-out', 'Zoom out (−)', '−');
    this.zoomIn = button('zoom-in', 'Zoom in (+; Ctrl + wheel over the grid)', '+');
    this.reset = button('zoom-reset', 'Show the whole layout (0)', 'Whole layout');
    this.level = el('output', { id: 'zoom-level', 'aria-live': 'polite' });
    this.root = el('div', { class: 'zoom-tools', role: 'group', 'aria-label': 'Zoom' }, this.zoomOut, this.zoomIn, this.reset);
    if (!options.inPanel) {
      const large = el('vscode-button', { id: 'open-large', appearance: 'secondary', title: 'Open this preview as a large editor panel beside the code' }, 'Open large');
      large.addEventListener('click', () => this.events.openPanel());
      this.root.append(large);
    }
    this.root.append(this.level);
    this.zoomIn.addEventListener('click', () => this.zoomBy(ZOOM_STEP));
    this.zoomOut.addEventListener('click', () => this.zoomBy(1 / ZOOM_STEP));
    this.reset.addEventListener('click', () => this.set(wholeView(this.dims)));
    this.wirePointer();
  }

  /**
   * The view of a grid of `dims` (a new layout keeps the zoom, fitted), bringing the selected
   * token (row, col) into view when it is newly selected.
   */
  viewFor(dims: GridDims, selected: readonly [number, number]): Viewport {
    if (dims[0] !== this.dims[0] || dims[1] !== this.dims[1]) {
      this.dims = dims;
      this.view = fitTo(this.view, dims);
    }
    this.selected = selected;
    const key = `${dims.join('×')}:${selected.join(',')}`;
    if (key !== this.followed) {
      this.followed = key;
      this.view = keepInView(this.view, dims, selected[0], selected[1]);
    }
    this.showState();
    return this.view;
  }

  /** Tokens per display cell of the picture just drawn. */
  setCellFactors(rows: number, cols: number): void {
    this.factors = [rows, cols];
  }

  /** True while the pointer drags the view (hover previews pause). */
  get dragging(): boolean {
    return this.drag?.moved ?? false;
  }

  /** True once after a drag ended: the click that follows it selects nothing. */
  takeSuppressedClick(): boolean {
    const was = this.suppressClick;
    this.suppressClick = false;
    return was;
  }

  /** The zoom keys on the focused grid; true when the key was one. */
  onKey(e: KeyboardEvent, selected: readonly [number, number]): boolean {
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    this.selected = selected;
    if (e.key === '+' || e.key === '=') this.zoomBy(ZOOM_STEP);
    else if (e.key === '-' || e.key === '_') this.zoomBy(1 / ZOOM_STEP);
    else if (e.key === '0') this.set(wholeView(this.dims));
    else return false;
    return true;
  }

  /** Zooms about `anchor`, else the selected token when it is in view, else the view's centre. */
  private zoomBy(factor: number, anchor?: readonly [number, number]): void {
    const v = this.view;
    const [row, col] = this.selected;
    const inView = row >= v.rows.first && row < v.rows.first + v.rows.count && col >= v.cols.first && col < v.cols.first + v.cols.count;
    const about: readonly [number, number] = anchor ?? (inView ? [row + 0.5, col + 0.5] : [v.rows.first + v.rows.count / 2, v.cols.first + v.cols.count / 2]);
    this.set(zoomAbout(v, this.dims, factor, about));
  }

  private set(view: Viewport): void {
    this.view = view;
    this.showState();
    this.events.changed();
  }

  private showState(): void {
    const whole = isWhole(this.view, this.dims);
    this.zoomOut.disabled = whole;
    this.reset.disabled = whole;
    this.zoomIn.disabled = this.view.zoom >= maxZoom(this.dims);
    setText(this.level, viewText(this.view, this.dims));
  }

  private wirePointer(): void {
    const c = this.canvas;
    c.addEventListener(
      'wheel',
      (e) => {
        if (!e.ctrlKey && !e.metaKey) return;
        e.preventDefault();
        const at = tokenAt(this.view, c.clientWidth, c.clientHeight, e.offsetX, e.offsetY, this.factors);
        this.set(zoomAbout(this.view, this.dims, e.deltaY < 0 ? 1.25 : 0.8, at));
      },
      { passive: false },
    );
    c.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || isWhole(this.view, this.dims)) return;
      this.drag = { x: e.clientX, y: e.clientY, view: this.view, moved: false };
      c.setPointerCapture(e.pointerId);
    });
    c.addEventListener('pointermove', (e) => {
      const d = this.drag;
      if (!d) return;
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      if (!d.moved && Math.abs(dx) + Math.abs(dy) < DRAG_THRESHOLD) return;
      d.moved = true;
      const [rows, cols] = dragInTokens(d.view, c.clientWidth, c.clientHeight, dx, dy, this.factors);
      const next = panBy(d.view, this.dims, Math.round(rows), Math.round(cols));
      if (next.rows.first !== this.view.rows.first || next.cols.first !== this.view.cols.first) this.set(next);
    });
    const end = () => {
      if (this.drag?.moved) this.suppressClick = true;
      this.drag = undefined;
    };
    c.addEventListener('pointerup', end);
    c.addEventListener('pointercancel', end);
  }
}
