// Colours from VS Code's theme variables, so light, dark and high-contrast themes all read well,
// and the lookup table that turns a cell code (layers.ts) into a pixel in one array read.

import { ATTENDED, CODE_COUNT, DILATION_GROUP, FULL, IN_Q_TILE, KIND_SHIFT, PARTIAL, QUERY, STRIDE_GROUP } from '../model/layers';

export type Rgb = readonly [number, number, number];

export interface Palette {
  readonly background: Rgb;
  readonly foreground: Rgb;
  readonly line: Rgb;
  readonly attended: Rgb;
  readonly strideGroup: Rgb;
  readonly dilationGroup: Rgb;
  readonly query: Rgb;
  readonly full: Rgb;
  readonly partial: Rgb;
  /** High-contrast themes: draw outlines and stronger fills. */
  readonly highContrast: boolean;
}

const FALLBACK: Record<string, Rgb> = {
  '--vscode-editor-background': [30, 30, 30],
  '--vscode-editor-foreground': [212, 212, 212],
  '--vscode-editorLineNumber-foreground': [133, 133, 133],
  '--vscode-charts-blue': [55, 148, 255],
  '--vscode-charts-orange': [209, 134, 22],
  '--vscode-charts-purple': [179, 128, 255],
  '--vscode-charts-red': [241, 76, 76],
  '--vscode-charts-green': [137, 209, 133],
  '--vscode-charts-yellow': [204, 167, 0],
};

/** Reads the theme's colours (CSS variables VS Code sets on the page). */
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
  const palette: Palette = {
    background: read('--vscode-editor-background'),
    foreground: read('--vscode-editor-foreground'),
    line: read('--vscode-editorLineNumber-foreground'),
    attended: read('--vscode-charts-blue'),
    strideGroup: read('--vscode-charts-orange'),
    dilationGroup: read('--vscode-charts-purple'),
    query: read('--vscode-charts-red'),
    full: read('--vscode-charts-green'),
    partial: read('--vscode-charts-yellow'),
    highContrast: document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light'),
  };
  probe.remove();
  return palette;
}

function parseRgb(text: string): Rgb | undefined {
  const m = /rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

export function css(c: Rgb, alpha = 1): string {
  return alpha >= 1 ? `rgb(${c.map(Math.round).join(', ')})` : `rgba(${c.map(Math.round).join(', ')}, ${alpha})`;
}

/** RGBA packed for a little-endian Uint32Array view of ImageData. */
export function packed(c: Rgb): number {
  return ((255 << 24) | (Math.round(c[2]) << 16) | (Math.round(c[1]) << 8) | Math.round(c[0])) >>> 0;
}

export interface LutOptions {
  /** Tint the query's dilation group (only meaningful when some axis is dilated). */
  readonly showDilation: boolean;
  /** Tint keys by the kind of their KV tile against the query's Q tile. */
  readonly showTiles: boolean;
}

/**
 * Pixel per cell code. Layers, bottom to top: the KV tile's kind, the dilation group, attended
 * keys, the stride group, the query; cells of the query's Q tile are shaded toward the query
 * colour so the tile reads as one block.
 */
export function cellLut(p: Palette, options: LutOptions): Uint32Array {
  const lut = new Uint32Array(CODE_COUNT);
  const tint = p.highContrast ? 0.45 : 0.28;
  for (let code = 0; code < CODE_COUNT; code++) {
    const kind = (code >> KIND_SHIFT) & 3;
    let c: Rgb = p.background;
    if (options.showTiles && kind === FULL) c = mix(c, p.full, tint);
    else if (options.showTiles && kind === PARTIAL) c = mix(c, p.partial, tint);
    if (options.showDilation && code & DILATION_GROUP) c = mix(c, p.dilationGroup, 0.3);
    if (code & ATTENDED) c = mix(c, p.attended, 0.85);
    if (code & STRIDE_GROUP) c = mix(c, p.strideGroup, 0.9);
    if (code & QUERY) c = p.query;
    else if (options.showTiles && code & IN_Q_TILE) c = mix(c, p.query, 0.25);
    lut[code] = packed(c);
  }
  return lut;
}
