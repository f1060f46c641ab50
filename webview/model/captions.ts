// The pictures' captions in plain words: what a row, a column and a square of each picture are,
// what a square stands for when it is a block, and what to do with the picture. Pure text, no DOM.

import { formatTuple } from '../../extension/core/problem';
import type { Simulation } from '../../extension/core/simulator';
import type { AttentionMatrix } from './matrix';
import type { PairMap } from './pairMap';
import type { GridPicture } from './preview';

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** The token grid (1-D: the sequence) for the selected query; `slice` and `frames` in 3-D. */
export function gridCaption(inputSize: readonly number[], pic: GridPicture, query: readonly number[], slice: number): string {
  const r = inputSize.length;
  let what: string;
  if (r === 1) what = `${count(inputSize[0], 'token')} in order, left to right.`;
  else if (r === 2) what = `${inputSize[0]} × ${inputSize[1]} tokens: a row is one position along the first axis, a column one along the second.`;
  else what = `Slice ${slice} of ${inputSize[0]} along the first axis: ${inputSize[1]} × ${inputSize[2]} tokens, a row is one position along the second axis, a column one along the third.`;
  const factor = r === 1 ? `${pic.cols.factor}` : `${pic.rows.factor} × ${pic.cols.factor}`;
  const block = pic.rows.factor > 1 || pic.cols.factor > 1 ? ` Each square is a block of ${factor} tokens, coloured by what any token in it is.` : '';
  return `${what}${block} The query is (${query.join(', ')}). Hover to preview another query, click to select it.`;
}

/** The whole tile-pair map: what its rows, columns and squares are, and how much of it is computed. */
export function pairsCaption(map: PairMap, sim: Simulation): string {
  const order = map.qTileGrid.length > 1 ? `, both numbered row by row through the ${formatTuple(map.qTileGrid)} tile grid` : '';
  const axes = `Rows: ${count(map.qTiles, 'Q tile')} (${formatTuple(sim.qTile)} queries each); columns: ${count(map.kvTiles, 'KV tile')} (${formatTuple(sim.kvTile)} keys each)${order}.`;
  const square =
    map.rowFactor > 1 || map.colFactor > 1
      ? ` Each square is a block of ${formatTuple(map.qFactors)} Q tiles × ${formatTuple(map.kvFactors)} KV tiles (up to ${(map.rowFactor * map.colFactor).toLocaleString('en-US')} pairs), in the kind most of its computed pairs have.`
      : ' Each square is one Q tile with one KV tile.';
  const total = ` ${sim.visited.toLocaleString('en-US')} of ${sim.total.toLocaleString('en-US')} pairs computed, ${sim.partial.toLocaleString('en-US')} with masking.`;
  return `${axes}${square}${total} Click a row to select its Q tile.`;
}

/** The 1-D attention matrix. */
export function matrixCaption(m: AttentionMatrix): string {
  const what = `Row i is query i, column j is key j, of ${count(m.n, 'token')}: a square is coloured when the query attends the key.`;
  const block = m.rowFactor > 1 || m.colFactor > 1 ? ` Each square is a block of ${m.rowFactor} queries × ${m.colFactor} keys, coloured when any of them attends any key of it.` : '';
  return `${what}${block} Click a row to select its query.`;
}

/** The slice strip of a 3-D layout. */
export function stripLabel(frames: number): string {
  return `The ${count(frames, 'slice')} along the first axis: coloured where the query attends keys; click one to show it.`;
}
