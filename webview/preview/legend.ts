// A picture's legend: one entry per state the picture shows now (empty included), in one fixed
// order, with the swatch in the palette's colour and the label and tooltip of model/palette.ts.
// Outline marks (the query's Q tile) are listed when drawn.

import { LEGEND_ORDER, PictureState, STATE_TEXT } from '../model/palette';
import { clear, el } from './dom';
import { css, fill, Palette, Rgb } from './theme';

export interface LegendMark {
  readonly id: string;
  readonly label: string;
  readonly detail: string;
  /** `dashed`: a dashed outline in the mark inks (palette.ts markInks); `fill`: a swatch of `colour`. */
  readonly style: 'dashed' | 'fill';
  readonly colour?: Rgb;
  /** A `fill` swatch that runs from `colour` to this one (left to right). */
  readonly colourTo?: Rgb;
}

export class Legend {
  readonly root: HTMLElement;
  private shown = '';

  constructor(id: string, label: string) {
    this.root = el('ul', { id, class: 'legend', 'aria-label': label });
  }

  /** Lists `states` (and marks); the DOM is rebuilt only when what is listed changes. */
  show(states: ReadonlySet<PictureState>, p: Palette, marks: readonly LegendMark[] = []): void {
    const listed = LEGEND_ORDER.filter((s) => states.has(s));
    // A mark's colours are in the key: a new map may draw its fainter blocks in another shade.
    const markKey = marks.map((m) => `${m.id}:${m.colour ? css(m.colour) : ''}:${m.colourTo ? css(m.colourTo) : ''}`).join(',');
    const key = `${p.kind}|${css(p.background)}|${listed.join(',')}|${markKey}`;
    if (key === this.shown) return;
    this.shown = key;
    clear(this.root);
    for (const state of listed) {
      const swatch = el('span', { class: state === 'empty' ? 'swatch empty' : 'swatch', 'aria-hidden': 'true' });
      swatch.style.backgroundColor = css(fill(p, state));
      const text = STATE_TEXT[state];
      this.root.append(el('li', { class: 'legend-item', 'data-state': state, title: text.detail }, swatch, text.label));
    }
    for (const mark of marks) {
      const swatch = el('span', { class: `swatch ${mark.style}`, 'aria-hidden': 'true' });
      // The swatch of the dashed Q tile outline in the inks the grid draws it in.
      if (mark.style === 'dashed') {
        swatch.style.borderColor = css(p.marks.over);
        if (p.marks.under) swatch.style.backgroundColor = css(p.marks.under);
      }
      else if (mark.colour && mark.colourTo) swatch.style.backgroundImage = `linear-gradient(to right, ${css(mark.colour)}, ${css(mark.colourTo)})`;
      else if (mark.colour) swatch.style.backgroundColor = css(mark.colour);
      this.root.append(el('li', { class: 'legend-item', 'data-state': mark.id, title: mark.detail }, swatch, mark.label));
    }
  }
}
