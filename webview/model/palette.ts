// The one definition of the preview's colours: what each state a picture draws is called, what
// the legend says about it, and its colour in each kind of VS Code theme. The colours started from
// the Okabe–Ito colour-blind-safe set and were moved (within CIEDE2000 12 of it) until every two
// states that can share a picture differ by the thresholds below, for normal vision and under
// simulated deuteranopia, protanopia and tritanopia; test/unit/webview/palette.test.ts checks it.
// Pure: the page (preview/theme.ts) reads the theme kind and background and looks colours up here.

import { hexToRgb, Rgb } from './colour';

/** VS Code's theme kinds, from the body class `vscode-light`, `vscode-dark`, `vscode-high-contrast`, `vscode-high-contrast-light`. */
export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
export const THEME_KINDS: readonly ThemeKind[] = ['light', 'dark', 'high-contrast', 'high-contrast-light'];

/**
 * Every state a picture can fill a cell with. `empty` is the picture's background (the theme's
 * editor background): nothing attended and nothing computed there.
 */
export type PictureState =
  | 'query'
  | 'strideGroup'
  | 'dilationGroup'
  | 'attended'
  | 'attendedPartial'
  | 'masked'
  | 'empty'
  | 'pairFull'
  | 'pairPartial';

/** Fill colours of a theme kind; `empty` is not here (it is the background). */
export type StateColours = Record<Exclude<PictureState, 'empty'>, Rgb>;

/** The ink of each state, per theme kind. Pair-map kinds share the grid's: full = attended, partial = masked. */
const INKS: Record<ThemeKind, Record<'query' | 'strideGroup' | 'dilationGroup' | 'attended' | 'attendedPartial' | 'masked', string>> = {
  dark: { query: '#ff7a23', attended: '#9ddbff', attendedPartial: '#4466e9', masked: '#7c5e01', strideGroup: '#ca8aa5', dilationGroup: '#017f69' },
  light: { query: '#d82d00', attended: '#055182', attendedPartial: '#1ba7ff', masked: '#adc501', strideGroup: '#977a98', dilationGroup: '#1c8c63' },
  'high-contrast': { query: '#ff320a', attended: '#a5dcff', attendedPartial: '#3852b4', masked: '#f5ea37', strideGroup: '#c674a5', dilationGroup: '#0ea06d' },
  'high-contrast-light': { query: '#a55b26', attended: '#034db0', attendedPartial: '#00a6ff', masked: '#bdaf00', strideGroup: '#870145', dilationGroup: '#32947c' },
};

export function stateColours(kind: ThemeKind): StateColours {
  const ink = INKS[kind];
  const c = (name: keyof typeof ink) => hexToRgb(ink[name]);
  return {
    query: c('query'),
    strideGroup: c('strideGroup'),
    dilationGroup: c('dilationGroup'),
    attended: c('attended'),
    attendedPartial: c('attendedPartial'),
    masked: c('masked'),
    pairFull: c('attended'),
    pairPartial: c('masked'),
  };
}

/** Backgrounds the colours are checked against: the built-in themes of each kind and common dark ones. */
export const REFERENCE_BACKGROUNDS: Record<ThemeKind, readonly string[]> = {
  dark: ['#1f1f1f', '#1e1e1e', '#252526', '#282a36'],
  light: ['#ffffff', '#f3f3f3', '#f8f8f8'],
  'high-contrast': ['#000000'],
  'high-contrast-light': ['#ffffff'],
};

/**
 * The inks of the marks drawn over the grid (the query's Q tile, dashed; the query cell's ring):
 * `over` on top, and in high-contrast themes a solid `under` of the background beneath it, so
 * that wherever a dash or the ring crosses a fill, one of the two tones stands out from it (the
 * query colour alone nearly vanishes on the masked fill of high-contrast light). `query` is the
 * mark's ink in the other themes, where the query colour differs enough from every fill.
 */
export interface MarkInks {
  readonly over: Rgb;
  readonly under?: Rgb;
}

export function markInks(kind: ThemeKind, background: Rgb, foreground: Rgb, query: Rgb): MarkInks {
  return kind === 'high-contrast' || kind === 'high-contrast-light' ? { over: foreground, under: background } : { over: query };
}

/**
 * Smallest WCAG contrast, in high-contrast themes, between a mark and any fill it crosses, by one
 * of its tones (3: WCAG's minimum for graphical objects).
 */
export const MIN_MARK_CONTRAST = 3;

/** Editor text colours of the built-in themes of each kind (the high-contrast marks are drawn in them). */
export const REFERENCE_FOREGROUNDS: Record<ThemeKind, readonly string[]> = {
  dark: ['#cccccc', '#d4d4d4'],
  light: ['#3b3b3b', '#000000'],
  'high-contrast': ['#ffffff'],
  'high-contrast-light': ['#292929', '#000000'],
};

/** The picture a state is drawn in, so the legend and the checks know which states meet. */
export type PictureName = 'grid' | 'pairs' | 'strip' | 'matrix';

export const PICTURE_STATES: Record<PictureName, readonly PictureState[]> = {
  grid: ['query', 'strideGroup', 'dilationGroup', 'attended', 'attendedPartial', 'masked', 'empty'],
  pairs: ['pairFull', 'pairPartial', 'empty'],
  strip: ['query', 'attended', 'empty'],
  matrix: ['attended', 'empty'],
};

/**
 * Smallest differences the palette keeps (CIEDE2000) between two states of one picture, and
 * between a state and the background. 10 and more reads as another colour at a glance; the
 * dichromacy simulations lose a colour axis, so their bar is lower.
 */
export const MIN_DIFFERENCE = { normal: 25, deuteranopia: 15, protanopia: 15, tritanopia: 10 } as const;

/** Smallest WCAG contrast of a filled state against the background (high-contrast themes ask more). */
export const MIN_CONTRAST: Record<ThemeKind, number> = { dark: 1.8, light: 1.5, 'high-contrast': 3, 'high-contrast-light': 2 };

/** The order legends list states in. */
export const LEGEND_ORDER: readonly PictureState[] = ['query', 'strideGroup', 'attended', 'attendedPartial', 'dilationGroup', 'masked', 'pairFull', 'pairPartial', 'empty'];

/** What the legend says of each state: a short label and a sentence for its tooltip. */
export const STATE_TEXT: Record<PictureState, { readonly label: string; readonly detail: string }> = {
  query: { label: 'query', detail: 'the selected query token' },
  strideGroup: { label: 'stride group', detail: 'queries that share this query’s window (stride)' },
  dilationGroup: { label: 'dilation group', detail: 'tokens of this query’s dilation group it does not attend: attention stays inside the group' },
  attended: { label: 'attended, tile full', detail: 'keys the query attends, in KV tiles its Q tile attends completely (no masking)' },
  attendedPartial: { label: 'attended, tile partial', detail: 'keys the query attends, in KV tiles that need per-element masking' },
  masked: { label: 'computed, masked', detail: 'keys not attended, in KV tiles the kernel still computes and masks' },
  empty: { label: 'empty', detail: 'not attended, and its KV tile is skipped' },
  pairFull: { label: 'full pairs', detail: 'tile pairs computed without masking' },
  pairPartial: { label: 'partial pairs', detail: 'tile pairs computed with per-element masking' },
};

/** The theme kind from the classes VS Code puts on <body> (high-contrast light also carries `vscode-high-contrast`). */
export function themeKindOf(classes: readonly string[]): ThemeKind {
  if (classes.includes('vscode-high-contrast-light')) return 'high-contrast-light';
  if (classes.includes('vscode-high-contrast')) return 'high-contrast';
  if (classes.includes('vscode-light')) return 'light';
  return 'dark';
}
