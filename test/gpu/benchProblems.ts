// The problems of the side-by-side benchmark as test/gpu/bench.ts times them, and the named sets:
// issue 18's (native/bench/issue18.json) and issue 23's (issue23.json), read here and by
// native/bench/peers.py --set NAME.
import { readFileSync } from 'fs';
import { join } from 'path';
import { BenchDtype, GnaProblem, TileShape } from '../../extension/core';

export interface BenchConfig {
  readonly label: string;
  readonly window: number[];
  readonly stride: number[];
  readonly dilation?: number[];
  readonly causal?: boolean[];
}

export interface BenchProblem {
  readonly name: string;
  readonly layout: number[];
  readonly heads: number;
  readonly tiles: TileShape;
  readonly configs: readonly BenchConfig[];
  /** Default 1, 128, bfloat16 (the GNA-SPEC §8 problems). */
  readonly batch?: number;
  readonly headDim?: number;
  readonly dtype?: BenchDtype;
  /** peers.py: FlexAttention's token permutation (a 128-token tile), or null: row-major order. */
  readonly peerTile?: number[] | null;
}

/** A problem of a named set: every field given. */
export type SetProblem = BenchProblem & Required<Pick<BenchProblem, 'batch' | 'headDim' | 'dtype' | 'peerTile'>>;

/** A named problem set (`issue18`, `issue23`) from `dir` (the repo's native/bench, or the carry folder beside bench.js). */
export function setProblems(dir: string, set: string): SetProblem[] {
  return (JSON.parse(readFileSync(join(dir, `${set}.json`), 'utf8')) as { problems: SetProblem[] }).problems;
}

export const problemOf = (bp: BenchProblem, c: BenchConfig): GnaProblem => ({
  inputSize: bp.layout,
  windowSize: c.window,
  stride: c.stride,
  dilation: c.dilation ?? bp.layout.map(() => 1),
  causal: c.causal ?? bp.layout.map(() => false),
});
