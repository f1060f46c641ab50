// The config of a linted call as the preview page takes it: every axis spelled out, with tiles.
// Pure (no `vscode`), tested in plain Node.

import { defaultTiles } from '../core/presets';
import { UNKNOWN } from '../core/validate';
import type { CallReport } from '../lint/types';
import type { PreviewConfigMessage } from '../../webview/protocol/preview';

/**
 * The call's config with every axis spelled out, tiles from the linter (or the family's default);
 * a sentence instead when a value is not known, so the page keeps its free config.
 */
export function configOfCall(call: CallReport, family: Parameters<typeof defaultTiles>[0], headDim: number): PreviewConfigMessage | string {
  const raw = call.raw;
  const rank = call.rank;
  const unknown: string[] = [];
  const spell = <T>(name: string, value: unknown, fallback: T | undefined, isT: (v: unknown) => v is T): T[] | undefined => {
    if (value === undefined) {
      if (fallback === undefined) unknown.push(name);
      return fallback === undefined ? undefined : new Array<T>(rank).fill(fallback);
    }
    const list = Array.isArray(value) ? value : new Array(rank).fill(value);
    if (list.some((v) => v === UNKNOWN || !isT(v))) {
      unknown.push(name);
      return undefined;
    }
    return list as T[];
  };
  const isNumber = (v: unknown): v is number => typeof v === 'number';
  const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
  const inputSize = spell('input_size (add a `# gna: input_size=…` annotation)', raw.inputSize, undefined, isNumber);
  const windowSize = spell('kernel_size', raw.windowSize, undefined, isNumber);
  const stride = spell('stride', raw.stride, 1, isNumber);
  const dilation = spell('dilation', raw.dilation, 1, isNumber);
  const causal = spell('is_causal', raw.causal, false, isBoolean);
  if (!inputSize || !windowSize || !stride || !dilation || !causal) return `It uses values GNA cannot follow: ${unknown.join(', ')}. Showing the free config.`;
  const tiles = call.tiles ?? defaultTiles(family, rank, headDim) ?? { q: new Array(rank).fill(8), kv: new Array(rank).fill(8) };
  // Values of the wrong length are kept as written: the page's checks report them in NATTEN's words.
  return { inputSize, windowSize, stride, dilation, causal, qTile: [...tiles.q], kvTile: [...tiles.kv] };
}
