// The groups a query belongs to along one axis, and which tile holds a coordinate: what the
// previews highlight around a selected query (GNA-SPEC §2 stride groups, §3 dilation groups,
// §5 tiles). Results are arithmetic progressions in axis coordinates, like `axisNeighborhood`.

import { Axis } from './problem';
import { AxisTiling } from './tiling';
import { groupLength, toGroup } from './window';

/** Coordinates `first, first + step, …, last` on one axis. */
export interface AxisRun {
  readonly first: number;
  readonly last: number;
  readonly step: number;
}

/**
 * The queries of `x`'s stride group: the same dilation group and the same run of `s` group
 * coordinates (the last run of a group may be shorter). Non-causal, they share one window.
 */
export function axisStrideGroup(x: number, axis: Axis): AxisRun {
  const { group, index } = toGroup(x, axis.d);
  const len = groupLength(axis.n, axis.d, group);
  const start = Math.floor(index / axis.s) * axis.s;
  const end = Math.min(start + axis.s - 1, len - 1);
  return { first: group + start * axis.d, last: group + end * axis.d, step: axis.d };
}

/** Every coordinate of `x`'s dilation group: the only ones it can attend on this axis. */
export function axisDilationGroup(x: number, axis: Axis): AxisRun {
  const group = x % axis.d;
  const len = groupLength(axis.n, axis.d, group);
  return { first: group, last: group + (len - 1) * axis.d, step: axis.d };
}

/** Dilation groups of an axis tiling (tileAxis keeps one start per group, plus the end). */
function groupsOf(t: AxisTiling): number {
  return t.qGroupStart.length - 1;
}

/** Global Q tile index (as in tiling.ts: dilation group first) of axis coordinate `x`. */
export function axisQTileOf(t: AxisTiling, x: number): number {
  const d = groupsOf(t);
  return t.qGroupStart[x % d] + Math.floor(Math.floor(x / d) / t.tq);
}

/** Global KV tile index of axis coordinate `x`. */
export function axisKvTileOf(t: AxisTiling, x: number): number {
  const d = groupsOf(t);
  return t.kvGroupStart[x % d] + Math.floor(Math.floor(x / d) / t.tkv);
}

/** The real (unpadded) coordinates of a Q or KV tile, from its global index. */
export function axisTileRun(t: AxisTiling, n: number, tile: number, side: 'q' | 'kv'): AxisRun {
  const starts = side === 'q' ? t.qGroupStart : t.kvGroupStart;
  const size = side === 'q' ? t.tq : t.tkv;
  const d = groupsOf(t);
  let g = 0;
  while (g + 1 < d && starts[g + 1] <= tile) g++;
  const firstIndex = (tile - starts[g]) * size;
  const lastIndex = Math.min(firstIndex + size - 1, groupLength(n, d, g) - 1);
  return { first: g + firstIndex * d, last: g + lastIndex * d, step: d };
}

/** Number of coordinates in a run. */
export function runLength(run: AxisRun): number {
  return run.last < run.first ? 0 : Math.floor((run.last - run.first) / run.step) + 1;
}
