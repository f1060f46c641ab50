// The config of a linted call as the preview page takes it: every axis spelled out, with tiles.
// Pure (no `vscode`), tested in plain Node.

import { defaultTiles } from '../core/presets';
import { axisValues } from '../lint/edits';
import type { CallReport } from '../lint/types';
import type { PreviewConfigMessage } from '../../webview/protocol/preview';

/**
 * The call's config with every axis spelled out, tiles from the linter (or the family's default);
 * a sentence instead when a value is not known, so the page keeps its free config.
 */
export function configOfCall(call: CallReport, family: Parameters<typeof defaultTiles>[0], headDim: number): PreviewConfigMessage | string {
  const unknown: string[] = [];
  const spell = <T extends number | boolean>(name: string, param: Parameters<typeof axisValues>[1]): T[] | undefined => {
    const values = axisValues(call, param);
    if (!values) unknown.push(name);
    return values as T[] | undefined;
  };
  const inputSize = spell<number>('input_size (add a `# gna: input_size=…` annotation)', 'input_size');
  const windowSize = spell<number>('kernel_size', 'kernel_size');
  const stride = spell<number>('stride', 'stride');
  const dilation = spell<number>('dilation', 'dilation');
  const causal = spell<boolean>('is_causal', 'is_causal');
  if (!inputSize || !windowSize || !stride || !dilation || !causal) return `It uses values GNA cannot follow: ${unknown.join(', ')}. Showing the free config.`;
  const tiles = call.tiles ?? defaultTiles(family, call.rank, headDim) ?? { q: new Array(call.rank).fill(8), kv: new Array(call.rank).fill(8) };
  // Values of the wrong length are kept as written: the page's checks report them in NATTEN's words.
  return { inputSize, windowSize, stride, dilation, causal, qTile: [...tiles.q], kvTile: [...tiles.kv] };
}
