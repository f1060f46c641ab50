// The attention matrix of a 1-D layout (queries × keys), at display resolution: a cell is set
// when some query of its row block attends some key of its column block. Within a dilation
// group, window starts and ends never decrease and consecutive windows overlap or touch (s <= k),
// so the keys of a block's queries of one group form one interval of group coordinates; only
// those intervals are walked, never the N×N mask.

import type { Axis } from '../../extension/core/problem';
import { groupLength, windowOf } from '../../extension/core/window';
import { aggregationFactor } from './layers';

export interface AttentionMatrix {
  readonly n: number;
  readonly rows: number;
  readonly cols: number;
  readonly rowFactor: number;
  readonly colFactor: number;
  /** 1 where the block holds an attended pair, row-major. */
  readonly cells: Uint8Array;
}

/** Beyond this many (row block, dilation group) intervals the matrix is skipped rather than stall the view. */
export const MAX_MATRIX_WORK = 4_000_000;

export function matrixWork(axis: Axis, maxRows: number): number {
  const rowFactor = aggregationFactor(axis.n, maxRows);
  return Math.ceil(axis.n / rowFactor) * Math.min(axis.d, rowFactor);
}

export function buildAttentionMatrix(axis: Axis, maxRows: number, maxCols: number): AttentionMatrix {
  const { n, d } = axis;
  const rowFactor = aggregationFactor(n, maxRows);
  const colFactor = aggregationFactor(n, maxCols);
  const rows = Math.ceil(n / rowFactor);
  const cols = Math.ceil(n / colFactor);
  const cells = new Uint8Array(rows * cols);
  for (let row = 0; row < rows; row++) {
    const q0 = row * rowFactor;
    const q1 = Math.min(n - 1, q0 + rowFactor - 1);
    const groups = Math.min(d, q1 - q0 + 1);
    for (let j = 0; j < groups; j++) {
      const x = q0 + j;
      const g = x % d;
      const len = groupLength(n, d, g);
      const firstIndex = Math.floor(x / d);
      const lastIndex = Math.floor((q1 - g) / d);
      const lo = windowOf(firstIndex, len, axis.k, axis.s, axis.causal).start;
      const hi = windowOf(lastIndex, len, axis.k, axis.s, axis.causal).end;
      markProgression(cells, row * cols, colFactor, g + lo * d, g + hi * d, d);
    }
  }
  return { n, rows, cols, rowFactor, colFactor, cells };
}

/** Sets the cells of one row that hold a key `first, first + step, …, last`. */
function markProgression(cells: Uint8Array, base: number, factor: number, first: number, last: number, step: number): void {
  const c0 = Math.floor(first / factor);
  const c1 = Math.floor(last / factor);
  for (let c = c0; c <= c1; c++) {
    // The end cells hold `first` and `last`; any cell between is a whole block, and a block at
    // least `step` wide always holds a key of the progression.
    if (factor >= step) {
      cells[base + c] = 1;
      continue;
    }
    const lo = Math.max(first, c * factor);
    const firstKey = first + Math.ceil((lo - first) / step) * step;
    if (firstKey <= Math.min(last, c * factor + factor - 1)) cells[base + c] = 1;
  }
}
