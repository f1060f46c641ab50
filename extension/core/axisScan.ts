// Per-axis tile counts without walking every Q tile (issue 22: layouts up to 2^26 tokens, tiles
// down to 1). Along one dilation group the Q tiles fall into runs of equal behaviour:
// - non-causal tiles whose every query's window is pushed against the left (right) border all
//   need the same keys: one evaluation stands for the run;
// - in between, every window is its stride group's centred window, and shifting a tile by
//   L = lcm(T_q, s, T_kv) tokens shifts its keys by L, a whole number of KV tiles: the counts
//   repeat with a period of L / T_q tiles, so one period stands for all of them;
// - the rest (a tile across a border, causal tiles near the start, the last padded tile) is
//   evaluated one by one, at most about k / T_q of them.
// Groups of equal length behave alike, and an axis has at most two group lengths. Tested against
// the tile-by-tile walk of tiling.ts and against brute force.

import { WorkBudget } from './budget';
import { Axis } from './problem';
import { groupLength, windowEnd, windowStart } from './window';

/** One Q tile's KV tile ranges inside its group: visited [lo, hi], full [fullLo, fullHi] (empty when fullHi < fullLo). */
export interface TileRange {
  readonly lo: number;
  readonly hi: number;
  readonly fullLo: number;
  readonly fullHi: number;
}

export interface AxisTotals {
  /** Σ visited and Σ full KV tiles over the axis's Q tiles (all dilation groups). */
  readonly visited: number;
  readonly full: number;
  /** KV tiles the worst Q tile visits. */
  readonly worst: number;
  /** Q tiles holding real queries (each group tiled on its own). */
  readonly qTiles: number;
}

/** The KV tile ranges of Q tile `a` of a group of `len` tokens. */
export function groupTileRange(a: number, len: number, axis: Axis, tq: number, tkv: number): TileRange {
  const { k, s, causal } = axis;
  const f = a * tq;
  const l = Math.min(f + tq - 1, len - 1);
  const firstStart = windowStart(f, len, k, s, causal);
  const firstEnd = windowEnd(f, len, k, s, causal);
  const lastStart = windowStart(l, len, k, s, causal);
  const lastEnd = windowEnd(l, len, k, s, causal);
  // Full KV tiles lie inside [start(l), end(f)], hold no padding, and the Q tile is unpadded.
  const fullLo = Math.ceil(lastStart / tkv);
  const fullHi = Math.floor((firstEnd + 1) / tkv) - 1;
  const hasFull = f + tq <= len && lastStart <= firstEnd && fullHi >= fullLo;
  return {
    lo: Math.floor(firstStart / tkv),
    hi: Math.ceil((lastEnd + 1) / tkv) - 1,
    fullLo: hasFull ? fullLo : 0,
    fullHi: hasFull ? fullHi : -1,
  };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** lcm(a, b), or Infinity once it passes 2^52. */
function lcm(a: number, b: number): number {
  const m = (a / gcd(a, b)) * b;
  return m > 2 ** 52 ? Infinity : m;
}

/** First index in [lo, hi] where `pred` turns true (pred monotone false→true), hi + 1 if never. */
function firstTrue(lo: number, hi: number, pred: (a: number) => boolean): number {
  let a = lo;
  let b = hi + 1;
  while (a < b) {
    const m = Math.floor((a + b) / 2);
    if (pred(m)) b = m;
    else a = m + 1;
  }
  return a;
}

/**
 * Calls `visit(range, count, first)` for the Q tiles of one group: `count` tiles starting at tile
 * index `first` that share `range` (identical runs), or, with `periodic`, tiles whose ranges are
 * those of `range` shifted by whole periods (same counts, other positions). Returns the number of
 * tile evaluations it made; stops early (returning -1) when `budget` refuses the work.
 */
export function scanGroup(
  len: number,
  axis: Axis,
  tq: number,
  tkv: number,
  visit: (range: TileRange, count: number, first: number) => void,
  options: { readonly periodic?: boolean; readonly budget?: WorkBudget } = {},
): number {
  const { k, s, causal } = axis;
  const tiles = Math.ceil(len / tq);
  const complete = Math.floor(len / tq);
  const left = Math.floor(k / 2);
  const right = left + (k % 2) - 1;
  // Where each query's window leaves its regular (stride-group, unclamped) form.
  const raw = (q: number): number => Math.floor(q / s) * s + (causal ? s - 1 : Math.floor(s / 2));
  const leftClamped = (q: number): boolean => (causal ? raw(q) - k + 1 < 0 : raw(q) < left);
  const rightClamped = (q: number): boolean => (causal ? raw(q) > len - 1 : raw(q) > len - 1 - right);
  const last = (a: number): number => Math.min(a * tq + tq - 1, len - 1);
  let evaluations = 0;
  const spend = (n: number): boolean => {
    evaluations += n;
    return !options.budget || options.budget.trySpend(n);
  };
  const one = (a: number, count = 1): boolean => {
    if (!spend(1)) return false;
    visit(groupTileRange(a, len, axis, tq, tkv), count, a);
    return true;
  };
  const walk = (from: number, to: number): boolean => {
    if (to < from) return true;
    if (!spend(to - from + 1)) return false;
    for (let a = from; a <= to; a++) visit(groupTileRange(a, len, axis, tq, tkv), 1, a);
    return true;
  };

  // Regular tiles: complete, first query not clamped left, last query not clamped right.
  const regularFrom = firstTrue(0, complete - 1, (a) => !leftClamped(a * tq));
  const regularTo = firstTrue(0, complete - 1, (a) => rightClamped(last(a))) - 1;

  // Left of them: a run of identical tiles (non-causal, every query clamped left), then the rest.
  let a = 0;
  if (!causal) {
    const runEnd = firstTrue(0, complete - 1, (b) => !leftClamped(last(b))) - 1;
    if (runEnd >= 0) {
      if (!one(0, runEnd + 1)) return -1;
      a = runEnd + 1;
    }
  }
  if (regularFrom <= regularTo) {
    if (!walk(a, regularFrom - 1)) return -1;
    const count = regularTo - regularFrom + 1;
    const period = lcm(lcm(tq, s), tkv) / tq;
    if (!options.periodic || count <= 2 * period) {
      if (!walk(regularFrom, regularTo)) return -1;
    } else {
      const reps = Math.floor(count / period);
      if (!spend(period + (count - reps * period))) return -1;
      for (let j = 0; j < period; j++) visit(groupTileRange(regularFrom + j, len, axis, tq, tkv), reps, regularFrom + j);
      for (let j = 0; j < count - reps * period; j++) visit(groupTileRange(regularFrom + j, len, axis, tq, tkv), 1, regularFrom + reps * period + j);
    }
    a = regularTo + 1;
  }
  // Right of them: the rest, then a run of identical complete tiles (non-causal, every query
  // clamped right), then the last, padded tile.
  let runStart = complete;
  if (!causal) runStart = firstTrue(a, complete - 1, (b) => rightClamped(b * tq));
  if (!walk(a, runStart - 1)) return -1;
  if (runStart < complete && !one(runStart, complete - runStart)) return -1;
  if (!walk(complete, tiles - 1)) return -1;
  return evaluations;
}

/** The (length, number of groups) classes of an axis split into d dilation groups. */
export function groupClasses(n: number, d: number): { len: number; groups: number }[] {
  const long = n % d;
  return [
    ...(long > 0 ? [{ len: groupLength(n, d, 0), groups: long }] : []),
    ...(d - long > 0 ? [{ len: groupLength(n, d, d - 1), groups: d - long }] : []),
  ];
}

/**
 * Σ visited, Σ full, the worst Q tile and the real Q tiles of one axis, with work bounded by the
 * runs above (`undefined` when `budget` refuses it).
 */
export function axisTotals(axis: Axis, tq: number, tkv: number, budget?: WorkBudget): AxisTotals | undefined {
  let visited = 0;
  let full = 0;
  let worst = 0;
  let qTiles = 0;
  for (const { len, groups } of groupClasses(axis.n, axis.d)) {
    qTiles += groups * Math.ceil(len / tq);
    const done = scanGroup(
      len,
      axis,
      tq,
      tkv,
      (r, count) => {
        const v = r.hi - r.lo + 1;
        visited += v * count * groups;
        full += (r.fullHi - r.fullLo + 1) * count * groups;
        if (v > worst) worst = v;
      },
      { periodic: true, ...(budget ? { budget } : {}) },
    );
    if (done < 0) return undefined;
  }
  return { visited, full, worst, qTiles };
}
