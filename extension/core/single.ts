// Single-dimensional tiling (GNA-SPEC §5): tokens flattened row-major, tiles are runs of T
// tokens. Counts no longer factorise by axis, so each Q tile is walked row by row: a row segment
// of queries (fixed leading coordinates, a range on the last axis) needs a box of keys per
// dilation group of the last axis, and the box's rows mark KV tiles. Work is
// O(Q tiles × rows of the neighbourhood), never the N×N mask.

import { axesOf, GnaProblem, product } from './problem';
import { rowMajorStrides, unflatten } from './mask';
import { axisNeighborhood, groupLength, toGroup, windowOf } from './window';

export interface SingleTilingCounts {
  readonly qTiles: number;
  readonly kvTiles: number;
  readonly visited: number;
  readonly full: number;
  readonly worst: number;
  /** KV tiles visited by each Q tile (for previews). */
  readonly visitedPerQTile: Int32Array;
  /** Q tiles visiting each KV tile (the backward pass's work per KV tile). */
  readonly visitsPerKvTile: Int32Array;
}

interface Box {
  /** Per axis: keys `first, first + step, …, last`. */
  first: number[];
  last: number[];
  step: number[];
}

/** Calls `visit(flatStart, flatEnd, step)` for each row of keys in a box (last-axis runs). */
function forEachRow(box: Box, strides: number[], visit: (lo: number, hi: number, step: number) => void): void {
  const r = box.first.length;
  const rec = (axis: number, base: number): void => {
    if (axis === r - 1) {
      visit(base + box.first[axis], base + box.last[axis], box.step[axis]);
      return;
    }
    for (let x = box.first[axis]; x <= box.last[axis]; x += box.step[axis]) rec(axis + 1, base + x * strides[axis]);
  };
  rec(0, 0);
}

/** Row segments (fixed leading coordinates, last-axis range) of the flattened run [lo, hi]. */
function forEachSegment(lo: number, hi: number, shape: readonly number[], visit: (lead: number[], x0: number, x1: number) => void): void {
  const rowLen = shape[shape.length - 1];
  let t = lo;
  while (t <= hi) {
    const coord = unflatten(t, shape);
    const x0 = coord[coord.length - 1];
    const x1 = Math.min(rowLen - 1, x0 + (hi - t));
    visit(coord.slice(0, -1), x0, x1);
    t += x1 - x0 + 1;
  }
}

/**
 * An upper estimate of tileSingle's work before it starts: per Q tile, its row segments, each
 * marking the KV tiles of every row of its neighbourhood box (one key at a time on a dilated
 * last axis).
 */
export function singleTilingWork(problem: GnaProblem, tq: number, tkv: number): number {
  const shape = problem.inputSize;
  const r = shape.length;
  const rowLen = shape[r - 1];
  const k = problem.windowSize;
  const d = problem.dilation[r - 1];
  const qTiles = Math.ceil(product(shape) / tq);
  const segments = Math.ceil(tq / rowLen) + 1;
  const rows = product(k.slice(0, -1)) * Math.min(d, tq);
  const span = (k[r - 1] + Math.min(tq, rowLen)) * d;
  const marks = d > 1 ? Math.ceil(span / d) : Math.ceil(span / tkv) + 1;
  return qTiles * segments * rows * marks;
}

export function tileSingle(problem: GnaProblem, tq: number, tkv: number): SingleTilingCounts {
  const shape = problem.inputSize;
  const axes = axesOf(problem);
  const r = shape.length;
  const lastAxis = axes[r - 1];
  const strides = rowMajorStrides(shape);
  const tokens = product(shape);
  const qTiles = Math.ceil(tokens / tq);
  const kvTiles = Math.ceil(tokens / tkv);
  const stamp = new Int32Array(kvTiles).fill(-1);
  const visitedPerQTile = new Int32Array(qTiles);
  const visitsPerKvTile = new Int32Array(kvTiles);
  let visited = 0;
  let full = 0;
  let worst = 0;

  for (let a = 0; a < qTiles; a++) {
    const qLo = a * tq;
    const qHi = Math.min(tokens - 1, qLo + tq - 1);
    const touched: number[] = [];
    const markTile = (b: number): void => {
      if (stamp[b] !== a) {
        stamp[b] = a;
        visitsPerKvTile[b]++;
        touched.push(b);
      }
    };
    const mark = (lo: number, hi: number, step: number): void => {
      if (step === 1) {
        for (let b = Math.floor(lo / tkv); b <= Math.floor(hi / tkv); b++) markTile(b);
      } else {
        for (let key = lo; key <= hi; key += step) markTile(Math.floor(key / tkv));
      }
    };

    // Intersection of every query's key set, per axis, to find the full KV tiles.
    const meetFirst = new Array<number>(r).fill(-Infinity);
    const meetLast = new Array<number>(r).fill(Infinity);
    const meetGroup = new Array<number>(r).fill(-1);
    let meetEmpty = false;
    const meet = (i: number, first: number, last: number, group: number): void => {
      if (meetGroup[i] === -1) meetGroup[i] = group;
      else if (meetGroup[i] !== group) meetEmpty = true;
      meetFirst[i] = Math.max(meetFirst[i], first);
      meetLast[i] = Math.min(meetLast[i], last);
    };

    forEachSegment(qLo, qHi, shape, (lead, x0, x1) => {
      const first: number[] = [];
      const last: number[] = [];
      const step: number[] = [];
      for (let i = 0; i < r - 1; i++) {
        const nb = axisNeighborhood(lead[i], axes[i]);
        first.push(nb.first);
        last.push(nb.last);
        step.push(nb.step);
        meet(i, nb.first, nb.last, lead[i] % axes[i].d);
      }
      // Queries x0..x1 on the last axis, split by dilation group.
      const d = lastAxis.d;
      for (let g = 0; g < d && x0 + g <= x1; g++) {
        const firstX = x0 + g;
        const { group, index: j0 } = toGroup(firstX, d);
        const j1 = toGroup(x1 - ((x1 - firstX) % d), d).index;
        const len = groupLength(lastAxis.n, d, group);
        const w0 = windowOf(j0, len, lastAxis.k, lastAxis.s, lastAxis.causal);
        const w1 = windowOf(j1, len, lastAxis.k, lastAxis.s, lastAxis.causal);
        const box: Box = {
          first: [...first, group + w0.start * d],
          last: [...last, group + w1.end * d],
          step: [...step, d],
        };
        forEachRow(box, strides, mark);
        meet(r - 1, group + w1.start * d, group + w0.end * d, group);
      }
    });

    const count = touched.length;
    visitedPerQTile[a] = count;
    visited += count;
    if (count > worst) worst = count;

    const qPadded = qHi - qLo + 1 < tq;
    if (qPadded || meetEmpty || meetFirst.some((f, i) => f > meetLast[i])) continue;
    for (const b of touched) {
      const kvLo = b * tkv;
      const kvHi = kvLo + tkv - 1;
      if (kvHi >= tokens) continue;
      let inside = true;
      forEachSegment(kvLo, kvHi, shape, (lead, x0, x1) => {
        if (!inside) return;
        for (let i = 0; i < r - 1; i++) {
          if (lead[i] < meetFirst[i] || lead[i] > meetLast[i] || lead[i] % axes[i].d !== meetGroup[i]) inside = false;
        }
        const d = lastAxis.d;
        if (x0 < meetFirst[r - 1] || x1 > meetLast[r - 1]) inside = false;
        else if (d > 1 && (x1 > x0 || x0 % d !== meetGroup[r - 1])) inside = false;
      });
      if (inside) full++;
    }
  }
  return { qTiles, kvTiles, visited, full, worst, visitedPerQTile, visitsPerKvTile };
}
