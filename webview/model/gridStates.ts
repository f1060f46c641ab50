// What colour state a token-grid cell is drawn in, from its cell code (layers.ts), and which
// states a picture shows (for its legend). A cell shows one state, the first that holds of:
// the query; its stride group (when shown); an attended key, by its KV tile's kind (full or
// partial); its dilation group (when shown); a key computed and masked (its KV tile is partial);
// otherwise empty. Groups are drawn on demand only, so by default the window stays the picture.

import { ATTENDED, CODE_COUNT, codeKind, DILATION_GROUP, FULL, PARTIAL, QUERY, STRIDE_GROUP } from './layers';
import type { PictureState } from './palette';

/** Which groups the user asked to see. */
export interface GroupToggles {
  readonly strideGroup: boolean;
  readonly dilationGroup: boolean;
}

export const NO_GROUPS: GroupToggles = { strideGroup: false, dilationGroup: false };

export function gridState(code: number, show: GroupToggles): PictureState {
  if (code & QUERY) return 'query';
  if (show.strideGroup && code & STRIDE_GROUP) return 'strideGroup';
  if (code & ATTENDED) return codeKind(code) === FULL ? 'attended' : 'attendedPartial';
  if (show.dilationGroup && code & DILATION_GROUP) return 'dilationGroup';
  return codeKind(code) === PARTIAL ? 'masked' : 'empty';
}

/** The state of every cell code, for a lookup per cell. */
export function gridStateTable(show: GroupToggles): readonly PictureState[] {
  const table: PictureState[] = [];
  for (let code = 0; code < CODE_COUNT; code++) table.push(gridState(code, show));
  return table;
}

/** The states some cell of `codes` is drawn in. */
export function statesShown(codes: Uint8Array, table: readonly PictureState[]): Set<PictureState> {
  const seen = new Uint8Array(CODE_COUNT);
  for (let i = 0; i < codes.length; i++) seen[codes[i]] = 1;
  const shown = new Set<PictureState>();
  for (let code = 0; code < CODE_COUNT; code++) if (seen[code]) shown.add(table[code]);
  return shown;
}
