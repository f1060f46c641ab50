// The report's chart on a canvas, in the theme's colours (VS Code's --vscode-charts-* variables):
// grouped bars for one run or a comparison, lines with markers for a sweep (measured vs
// simulated and the tile-pair bound). Crisp on high-DPI screens; redrawn when the page resizes.

import { ChartSpec, niceScale, SeriesRole } from './model';

type Colours = Record<SeriesRole | 'text' | 'grid' | 'background', string>;

const FALLBACK: Colours = {
  measured: '#3794ff',
  measuredWithPermute: '#75beff',
  simulated: '#d18616',
  tilePair: '#89d185',
  flop: '#b180d7',
  trainingMeasured: '#f14c4c',
  trainingSimulated: '#cccccc',
  text: '#cccccc',
  grid: '#858585',
  background: '#1e1e1e',
};

const VARIABLES: Record<keyof Colours, string> = {
  measured: '--vscode-charts-blue',
  measuredWithPermute: '--vscode-charts-purple',
  simulated: '--vscode-charts-orange',
  tilePair: '--vscode-charts-green',
  flop: '--vscode-charts-yellow',
  trainingMeasured: '--vscode-charts-red',
  trainingSimulated: '--vscode-charts-foreground',
  text: '--vscode-editor-foreground',
  grid: '--vscode-editorLineNumber-foreground',
  background: '--vscode-editor-background',
};

export function readColours(): Colours {
  const style = getComputedStyle(document.documentElement);
  const out = { ...FALLBACK };
  for (const key of Object.keys(VARIABLES) as (keyof Colours)[]) {
    const value = style.getPropertyValue(VARIABLES[key]).trim();
    if (value) out[key] = value;
  }
  return out;
}

/** The colour of a series, for the legend swatches. */
export function seriesColour(role: SeriesRole, colours: Colours = readColours()): string {
  return colours[role];
}

export function drawChart(canvas: HTMLCanvasElement, spec: ChartSpec, cssWidth: number, cssHeight: number): void {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(cssWidth * ratio));
  canvas.height = Math.max(1, Math.round(cssHeight * ratio));
  canvas.style.width = `${cssWidth}px`;
  canvas.style.height = `${cssHeight}px`;
  const g = canvas.getContext('2d');
  if (!g) return;
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  const colours = readColours();
  g.clearRect(0, 0, cssWidth, cssHeight);
  if (spec.kind === 'none' || spec.series.length === 0) return;

  const font = getComputedStyle(document.body).fontFamily || 'sans-serif';
  g.font = `12px ${font}`;
  // NaN marks a value nothing measured: no bar, no point, not in the scale.
  const max = Math.max(...spec.series.flatMap((s) => s.values).filter(Number.isFinite));
  const { top, step } = niceScale(max);
  const left = 48;
  const right = 12;
  const plotTop = 12;
  const bottom = 40;
  const w = Math.max(10, cssWidth - left - right);
  const h = Math.max(10, cssHeight - plotTop - bottom);
  const y = (v: number): number => plotTop + h - (v / top) * h;

  // Grid and y ticks.
  g.strokeStyle = colours.grid;
  g.fillStyle = colours.text;
  g.globalAlpha = 0.35;
  g.lineWidth = 1;
  for (let v = 0; v <= top + step / 2; v += step) {
    g.beginPath();
    g.moveTo(left, Math.round(y(v)) + 0.5);
    g.lineTo(left + w, Math.round(y(v)) + 0.5);
    g.stroke();
  }
  g.globalAlpha = 1;
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  for (let v = 0; v <= top + step / 2; v += step) g.fillText(`${+v.toFixed(2)}×`, left - 6, y(v));

  const groups = spec.labels.length;
  const slot = w / groups;
  g.textAlign = 'center';
  g.textBaseline = 'top';
  for (let i = 0; i < groups; i++) {
    const label = spec.labels[i];
    g.fillText(fit(g, label, slot - 4), left + slot * (i + 0.5), plotTop + h + 6);
    if (spec.baseIndex === i) g.fillText('(this config)', left + slot * (i + 0.5), plotTop + h + 20);
  }

  if (spec.kind === 'bars') {
    const n = spec.series.length;
    const barW = Math.max(4, Math.min(48, (slot * 0.8) / n));
    for (let i = 0; i < groups; i++) {
      const start = left + slot * (i + 0.5) - (barW * n) / 2;
      spec.series.forEach((s, j) => {
        const v = s.values[i];
        if (!Number.isFinite(v)) return;
        const x = start + j * barW;
        g.fillStyle = colours[s.role];
        g.fillRect(x + 1, y(v), barW - 2, plotTop + h - y(v));
        g.fillStyle = colours.text;
        g.textBaseline = 'bottom';
        if (barW >= 26) g.fillText(v >= 10 ? v.toFixed(1) : v.toFixed(2), x + barW / 2, y(v) - 2);
      });
    }
    return;
  }

  // Series: one line per series, a marker per point; the bound dashed. Drawn last to first so
  // that the first (measured) stays on top where lines meet.
  [...spec.series].reverse().forEach((s) => {
    g.strokeStyle = colours[s.role];
    g.fillStyle = colours[s.role];
    g.lineWidth = 2;
    g.setLineDash(s.role === 'tilePair' ? [5, 4] : []);
    g.beginPath();
    let drawing = false;
    s.values.forEach((v, i) => {
      const x = left + slot * (i + 0.5);
      if (!Number.isFinite(v)) drawing = false;
      else if (!drawing) {
        g.moveTo(x, y(v));
        drawing = true;
      } else g.lineTo(x, y(v));
    });
    g.stroke();
    g.setLineDash([]);
    s.values.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      const x = left + slot * (i + 0.5);
      g.beginPath();
      if (s.role === 'measured' || s.role === 'trainingMeasured') g.arc(x, y(v), 4, 0, Math.PI * 2);
      else g.rect(x - 3.5, y(v) - 3.5, 7, 7);
      g.fill();
    });
  });
}

/** The label shortened with an ellipsis to fit `width` pixels. */
function fit(g: CanvasRenderingContext2D, text: string, width: number): string {
  if (g.measureText(text).width <= width) return text;
  let t = text;
  while (t.length > 1 && g.measureText(`${t}…`).width > width) t = t.slice(0, -1);
  return `${t}…`;
}
