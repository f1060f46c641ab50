// The page's colours: the theme kind from VS Code's body class picks the state colours of
// model/palette.ts (one definition for every picture), and the theme's CSS variables give the
// background, text and line colours. Also the lookup table that turns a cell code (layers.ts)
// into a pixel in one array read.

import { mix, Rgb } from '../model/colour';
import { GroupToggles, gridStateTable } from '../model/gridStates';
import { CODE_COUNT } from '../model/layers';
import { MarkInks, markInks, PictureState, StateColours, stateColours, ThemeKind, themeKindOf } from '../model/palette';

export { mix, Rgb };

export interface Palette {
  readonly kind: ThemeKind;
  readonly background: Rgb;
  readonly foreground: Rgb;
  readonly line: Rgb;
  readonly states: StateColours;
  /** The inks of the Q tile outline and the selected row (model/palette.ts markInks). */
  readonly marks: MarkInks;
  /** High-contrast themes: draw outlines stronger. */
  readonly highContrast: boolean;
}

const FALLBACK: Record<string, Rgb> = {
  '--vscode-editor-background': [30, 30, 30],
  '--vscode-editor-foreground': [212, 212, 212],
  '--vscode-editorLineNumber-foreground': [133, 133, 133],
};

/** Reads the theme: its kind from <body>'s class, its background and text from the CSS variables VS Code sets. */
export function readPalette(): Palette {
  const style = getComputedStyle(document.documentElement);
  const probe = document.createElement('span');
  document.body.appendChild(probe);
  const read = (name: string): Rgb => {
    const value = style.getPropertyValue(name).trim();
    if (!value) return FALLBACK[name];
    probe.style.color = '';
    probe.style.color = value;
    return parseRgb(getComputedStyle(probe).color) ?? FALLBACK[name];
  };
  const kind = themeKindOf([...document.body.classList]);
  const background = read('--vscode-editor-background');
  const foreground = read('--vscode-editor-foreground');
  const states = stateColours(kind);
  const palette: Palette = {
    kind,
    background,
    foreground,
    line: read('--vscode-editorLineNumber-foreground'),
    states,
    marks: markInks(kind, background, foreground, states.query),
    highContrast: kind === 'high-contrast' || kind === 'high-contrast-light',
  };
  probe.remove();
  return palette;
}

function parseRgb(text: string): Rgb | undefined {
  const m = /rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** The fill of a state; `empty` is the background. */
export function fill(p: Palette, state: PictureState): Rgb {
  return state === 'empty' ? p.background : p.states[state];
}

export function css(c: Rgb, alpha = 1): string {
  return alpha >= 1 ? `rgb(${c.map(Math.round).join(', ')})` : `rgba(${c.map(Math.round).join(', ')}, ${alpha})`;
}

/** RGBA packed for a little-endian Uint32Array view of ImageData. */
export function packed(c: Rgb): number {
  return ((255 << 24) | (Math.round(c[2]) << 16) | (Math.round(c[1]) << 8) | Math.round(c[0])) >>> 0;
}

/** Pixel per cell code: the fill of the cell's one state (model/gridStates.ts). */
export function cellLut(p: Palette, show: GroupToggles): Uint32Array {
  const lut = new Uint32Array(CODE_COUNT);
  const table = gridStateTable(show);
  for (let code = 0; code < CODE_COUNT; code++) lut[code] = packed(fill(p, table[code]));
  return lut;
}
