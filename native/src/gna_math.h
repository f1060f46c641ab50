// gna_math.h: the window and tile math of GNA-SPEC §2-5, shared by the CPU reference, the
// debug ABI and the CUDA kernel (host and device). Same formulas as extension/core/window.ts
// and extension/core/tiling.ts; a test compares the two on random problems.
#ifndef GNA_MATH_H
#define GNA_MATH_H

#include "gna_native.h"

#if defined(__CUDACC__)
#define GNA_HD __host__ __device__ __forceinline__
#else
#define GNA_HD inline
#endif

namespace gna {

// One axis. Axes past the problem's rank are padded with n = k = s = d = 1, which attends the
// single coordinate 0, so every loop can run over three axes.
struct Axis {
  int n, k, s, d, causal;
};

struct Interval {
  int start, end;
};

GNA_HD int ceil_div(int a, int b) { return (a + b - 1) / b; }

#if defined(__CUDACC__)
// The sum of a value over the four threads of an mma quad (lanes that differ in their two low
// bits): a row's softmax denominator in both kernels' epilogues.
__device__ __forceinline__ float quad_sum(float x) {
  x += __shfl_xor_sync(0xffffffffu, x, 1);
  return x + __shfl_xor_sync(0xffffffffu, x, 2);
}
#endif
GNA_HD int imin(int a, int b) { return a < b ? a : b; }
GNA_HD int imax(int a, int b) { return a > b ? a : b; }

// Keys attended by group coordinate q on an axis of length n (GNA-SPEC §2).
GNA_HD Interval window_of(int q, int n, int k, int s, int causal) {
  if (causal) {
    const int leader = imin((q / s) * s + s - 1, n - 1);
    return Interval{imax(0, leader - k + 1), q};
  }
  const int left = k / 2;
  const int right = left + (k % 2) - 1;
  const int leader = imin((q / s) * s + s / 2, n - 1);
  const int centre = imin(imax(leader, left), n - 1 - right);
  return Interval{centre - left, centre + right};
}

// Members of dilation group g (GNA-SPEC §3).
GNA_HD int group_length(int n, int d, int g) { return n / d + (g < n % d ? 1 : 0); }

// Tiles of size t over one axis, each dilation group tiled on its own. Groups g < n % d have
// one more member, so there are two tile counts per group: c_long for those, c_short after.
struct GroupTiling {
  int longs;   // groups with n / d + 1 members
  int c_long;  // tiles per such group
  int c_short; // tiles per other group
  int d;
};

GNA_HD GroupTiling group_tiling(int n, int d, int t) {
  const int base = n / d;
  return GroupTiling{n % d, ceil_div(base + 1, t), ceil_div(base, t), d};
}

GNA_HD int group_tile_start(const GroupTiling& gt, int g) {
  return g < gt.longs ? g * gt.c_long : gt.longs * gt.c_long + (g - gt.longs) * gt.c_short;
}

GNA_HD int axis_tiles(const GroupTiling& gt) { return group_tile_start(gt, gt.d); }

// Dilation group of global tile a, and a's index inside its group.
GNA_HD void group_of_tile(const GroupTiling& gt, int a, int* g, int* idx) {
  const int in_longs = gt.longs * gt.c_long;
  if (a < in_longs || gt.c_short == 0) {
    *g = a / gt.c_long;
    *idx = a % gt.c_long;
  } else {
    *g = gt.longs + (a - in_longs) / gt.c_short;
    *idx = (a - in_longs) % gt.c_short;
  }
}

// What Q tile a of one axis needs: its group, the group coordinate of its first query, the
// visited KV tiles [kv_lo, kv_hi] and the full ones [full_lo, full_hi] (empty when
// full_hi < full_lo), all as global KV tile indices. Mirrors tileAxis() in tiling.ts.
struct QTileRange {
  int group, len, first_query, kv_group_start;
  int kv_lo, kv_hi, full_lo, full_hi;
};

GNA_HD QTileRange qtile_range(const Axis& ax, int tq, int tkv, int a) {
  const GroupTiling gq = group_tiling(ax.n, ax.d, tq);
  const GroupTiling gkv = group_tiling(ax.n, ax.d, tkv);
  int g, idx;
  group_of_tile(gq, a, &g, &idx);
  const int len = group_length(ax.n, ax.d, g);
  const int kv_base = group_tile_start(gkv, g);
  const int f = idx * tq;
  const int l = imin(f + tq - 1, len - 1);
  const Interval first = window_of(f, len, ax.k, ax.s, ax.causal);
  const Interval last = window_of(l, len, ax.k, ax.s, ax.causal);
  QTileRange r;
  r.group = g;
  r.len = len;
  r.first_query = f;
  r.kv_group_start = kv_base;
  r.kv_lo = kv_base + first.start / tkv;
  r.kv_hi = kv_base + ceil_div(last.end + 1, tkv) - 1;
  // Full KV tiles lie inside [start(l), end(f)], hold no padding, and the Q tile is unpadded.
  const int lo = ceil_div(last.start, tkv);
  const int hi = (imin(first.end, len - 1) + 1) / tkv - 1;
  const bool q_padded = f + tq > len;
  if (!q_padded && last.start <= first.end && hi >= lo) {
    r.full_lo = kv_base + lo;
    r.full_hi = kv_base + hi;
  } else {
    r.full_lo = 0;
    r.full_hi = -1;
  }
  return r;
}

// The problem's axes padded to three.
inline void axes_of(const gna_problem& p, Axis out[GNA_MAX_RANK]) {
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    if (i < p.rank) {
      out[i] = Axis{p.input_size[i], p.window[i], p.stride[i], p.dilation[i], p.causal[i] ? 1 : 0};
    } else {
      out[i] = Axis{1, 1, 1, 1, 0};
    }
  }
}

}  // namespace gna

#endif  // GNA_MATH_H
