// Padding from box tiles (GNA-SPEC §5), as NATTEN's token permutation does it: an axis of length
// n with tile t and dilation d is padded up to a multiple of t·d, so every dilation group holds
// the same ceil(n/(t·d)) tiles, the shorter groups' last tile possibly all padding
// (SHI-Labs/NATTEN src/natten/token_permute.py `maybe_pad`, tile × dilation; since 0.21
// src/natten/token_permute/frontend.py `token_layout_post_dilation = ceil(ceil(n/t)/d)·t`).
// Padded queries are computed and discarded, padded keys computed and masked. The simulator
// counts the kernel's Q tiles with it; the linter's padding-waste rule its share of tokens.

import { GnaProblem } from './problem';

/** Tiles along one axis of NATTEN's token-permuted layout, over all dilation groups. */
export function layoutTiles(n: number, d: number, t: number): number {
  return d * Math.ceil(n / (t * d));
}

/** Whether NATTEN pads this axis for tile `t`: n is not a multiple of t·d. */
export function axisIsPadded(n: number, d: number, t: number): boolean {
  return n % (t * d) !== 0;
}

export interface AxisPadding {
  readonly axis: number;
  /** Tokens on the axis, and in NATTEN's padded layout (every dilation group padded alike). */
  readonly length: number;
  readonly padded: number;
}

/** Per-axis padded lengths for one tile shape (one entry per axis). */
export function axisPadding(problem: GnaProblem, tile: readonly number[]): AxisPadding[] {
  return problem.inputSize.map((n, axis) => ({ axis, length: n, padded: layoutTiles(n, problem.dilation[axis], tile[axis]) * tile[axis] }));
}

/** Share of the tiled token grid that is padding: `1 - N / Π padded_i`. */
export function paddingShare(problem: GnaProblem, tile: readonly number[]): number {
  let real = 1;
  let padded = 1;
  for (const a of axisPadding(problem, tile)) {
    real *= a.length;
    padded *= a.padded;
  }
  return 1 - real / padded;
}
