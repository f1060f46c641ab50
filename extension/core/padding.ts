// Padding from box tiles (GNA-SPEC §5): an axis that is not a multiple of its tile size is padded
// up; padded queries are computed and discarded, padded keys are computed and masked. Used by the
// linter's padding-waste rule. Dilation groups are tiled one by one, so each group is padded.

import { GnaProblem } from './problem';
import { groupLength } from './window';

export interface AxisPadding {
  readonly axis: number;
  /** Tokens on the axis, and after padding every dilation group to the tile size. */
  readonly length: number;
  readonly padded: number;
}

/** Per-axis padded lengths for one tile shape (one entry per axis). */
export function axisPadding(problem: GnaProblem, tile: readonly number[]): AxisPadding[] {
  return problem.inputSize.map((n, axis) => {
    const d = problem.dilation[axis];
    const t = tile[axis];
    let padded = 0;
    for (let g = 0; g < Math.min(d, n); g++) padded += Math.ceil(groupLength(n, d, g) / t) * t;
    return { axis, length: n, padded };
  });
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
