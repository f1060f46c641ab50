// Window math along one axis: GNA-SPEC §2 (stride groups, border clamping, odd/even windows,
// causal) and §3 (dilation groups). Everything else (mask, tiles, simulator) is built on these.

import { Axis } from './problem';

/** A closed interval of coordinates `[start, end]`. */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

/** Keys left and right of the centre: `left + right + 1 = k`, one more on the left when k is even. */
export function windowSides(k: number): { left: number; right: number } {
  const left = Math.floor(k / 2);
  return { left, right: left + (k % 2) - 1 };
}

/**
 * The keys attended by query `q` on an axis of length `n` without dilation (group coordinates
 * when dilated). Non-causal: the stride group's centre query, clamped so the window never leaves
 * the axis. Causal: keys up to `q`, no further back than `k - 1` from the group's last query.
 */
export function windowOf(q: number, n: number, k: number, s: number, causal: boolean): Interval {
  return { start: windowStart(q, n, k, s, causal), end: windowEnd(q, n, k, s, causal) };
}

/** First key of `windowOf` (allocation-free, for the per-tile sweeps). */
export function windowStart(q: number, n: number, k: number, s: number, causal: boolean): number {
  if (causal) return Math.max(0, Math.min(Math.floor(q / s) * s + s - 1, n - 1) - k + 1);
  const left = Math.floor(k / 2);
  const right = left + (k % 2) - 1;
  const leader = Math.min(Math.floor(q / s) * s + Math.floor(s / 2), n - 1);
  return Math.min(Math.max(leader, left), n - 1 - right) - left;
}

/** Last key of `windowOf`. */
export function windowEnd(q: number, n: number, k: number, s: number, causal: boolean): number {
  return causal ? q : windowStart(q, n, k, s, false) + k - 1;
}

/** Number of members of dilation group `g` on an axis of length `n` split into `d` groups. */
export function groupLength(n: number, d: number, g: number): number {
  return Math.floor(n / d) + (g < n % d ? 1 : 0);
}

/** Dilation group and in-group coordinate of axis coordinate `x`. */
export function toGroup(x: number, d: number): { group: number; index: number } {
  return { group: x % d, index: Math.floor(x / d) };
}

/**
 * The keys attended by query coordinate `x` on one axis, in axis coordinates:
 * `first, first + step, …, last` (step = dilation).
 */
export function axisNeighborhood(x: number, axis: Axis): { first: number; last: number; step: number } {
  const { group, index } = toGroup(x, axis.d);
  const w = windowOf(index, groupLength(axis.n, axis.d, group), axis.k, axis.s, axis.causal);
  return { first: group + w.start * axis.d, last: group + w.end * axis.d, step: axis.d };
}

/** Whether query coordinate `q` attends key coordinate `kv` on this axis. */
export function axisAttends(q: number, kv: number, axis: Axis): boolean {
  if (q % axis.d !== kv % axis.d) return false;
  const nb = axisNeighborhood(q, axis);
  return kv >= nb.first && kv <= nb.last;
}

/** Sum over all queries of the number of keys each attends on this axis. */
export function axisAttendedPairs(axis: Axis): number {
  if (!axis.causal) return axis.n * axis.k;
  let total = 0;
  for (let g = 0; g < axis.d; g++) {
    const len = groupLength(axis.n, axis.d, g);
    for (let q = 0; q < len; q++) {
      const w = windowOf(q, len, axis.k, axis.s, true);
      total += w.end - w.start + 1;
    }
  }
  return total;
}
