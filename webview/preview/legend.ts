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
  /** `dashed`: a dashed outline in the query colour; `fill`: a swatch of `colour`. */
  readonly style: 'dashed' | 'fill';
  readonly colour?: Rgb;
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
    const key = `${p.kind}|${css(p.background)}|${listed.join(',')}|${marks.map((m) => m.id).join(',')}`;
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
      if (mark.style === 'dashed') swatch.style.borderColor = css(p.states.query);
      else if (mark.colour) swatch.style.backgroundColor = css(mark.colour);
      this.root.append(el('li', { class: 'legend-item', 'data-state': mark.id, title: mark.detail }, swatch, mark.label));
    }
  }
}
