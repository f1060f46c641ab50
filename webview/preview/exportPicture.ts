// "Export PNG": the visible pictures stacked into one image under a title line that names the
// config, at the canvases' device resolution. The host writes the bytes where the user chooses.

import { css, Palette } from './theme';

export interface ExportPart {
  readonly title: string;
  readonly canvas: HTMLCanvasElement;
}

/** The PNG as base64 (no data-URL prefix). */
export function composePng(title: string, parts: readonly ExportPart[], p: Palette): string {
  const ratio = window.devicePixelRatio || 1;
  const pad = Math.round(12 * ratio);
  const line = Math.round(18 * ratio);
  const shown = parts.filter((part) => part.canvas.width > 1 && !part.canvas.hidden && part.canvas.isConnected && part.canvas.offsetParent !== null);
  const width = Math.max(Math.round(320 * ratio), ...shown.map((part) => part.canvas.width)) + 2 * pad;
  let height = pad + line;
  for (const part of shown) height += line + part.canvas.height + pad;
  const out = document.createElement('canvas');
  out.width = width;
  out.height = height + pad;
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('Cannot create a canvas to export the picture.');
  ctx.fillStyle = css(p.background);
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = css(p.foreground);
  ctx.textBaseline = 'top';
  ctx.font = `${Math.round(13 * ratio)}px sans-serif`;
  let y = pad;
  ctx.fillText(title, pad, y);
  y += line;
  for (const part of shown) {
    ctx.fillText(part.title, pad, y);
    y += line;
    ctx.drawImage(part.canvas, pad, y);
    y += part.canvas.height + pad;
  }
  return out.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}
