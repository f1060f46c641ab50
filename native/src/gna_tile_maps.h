// gna_tile_maps.h: the host's maps between the caller's layout and the kernels' tile order (one
// tiling, Q or KV, per axis: padded position <-> axis coordinate), which the token permutation
// kernels read (gna_permute.cuh). Host only; gna_cuda.cu and the CPU emulation of the kernels
// (native/emu) build them the same way, and the portable forward's tile geometry from them.
#ifndef GNA_TILE_MAPS_H
#define GNA_TILE_MAPS_H

#include <vector>

#include "gna_attention.cuh"
#include "gna_math.h"
#include "gna_permute.cuh"

namespace gna {

// Host-side maps of one tiling (Q or KV) per axis: padded position <-> axis coordinate.
struct AxisMaps {
  std::vector<int> to_coord[GNA_MAX_RANK];
  std::vector<int> to_pos[GNA_MAX_RANK];
};

inline AxisMaps build_maps(const Axis ax[GNA_MAX_RANK], const int tile[GNA_MAX_RANK], PermuteMap* m) {
  AxisMaps maps;
  m->tokens = 1;
  m->tile_tokens = 1;
  long long grid_tokens = 1;
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    const GroupTiling gt = group_tiling(ax[i].n, ax[i].d, tile[i]);
    const int grid = axis_tiles(gt);
    m->n[i] = ax[i].n;
    m->tile[i] = tile[i];
    m->grid[i] = grid;
    maps.to_coord[i].assign((size_t)grid * tile[i], -1);
    maps.to_pos[i].assign((size_t)ax[i].n, 0);
    for (int g = 0; g < ax[i].d; ++g) {
      const int len = group_length(ax[i].n, ax[i].d, g);
      const int start = group_tile_start(gt, g) * tile[i];
      for (int j = 0; j < len; ++j) {
        maps.to_coord[i][(size_t)(start + j)] = g + j * ax[i].d;
        maps.to_pos[i][(size_t)(g + j * ax[i].d)] = start + j;
      }
    }
    m->tokens *= ax[i].n;
    m->tile_tokens *= tile[i];
    grid_tokens *= grid;
  }
  m->padded = grid_tokens * m->tile_tokens;
  return maps;
}

// The portable forward's parameters but its pointers: axes, tiles and tile grids, tokens per tile,
// 64-row chunks per Q tile, the softmax scale in log2 units.
inline AttentionParams attention_geometry(const Axis ax[GNA_MAX_RANK], const int tq[GNA_MAX_RANK], const int tkv[GNA_MAX_RANK],
                                          const PermuteMap& qmap, const PermuteMap& kvmap, double scale) {
  AttentionParams a{};
  a.q_padded = qmap.padded;
  a.kv_padded = kvmap.padded;
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    a.ax[i] = ax[i];
    a.tq[i] = tq[i];
    a.tkv[i] = tkv[i];
    a.q_grid[i] = qmap.grid[i];
    a.kv_grid[i] = kvmap.grid[i];
  }
  a.tq_tokens = (int)qmap.tile_tokens;
  a.tkv_tokens = (int)kvmap.tile_tokens;
  a.q_chunks = ceil_div(a.tq_tokens, kBlockM);
  a.scale_log2 = (float)(scale * 1.4426950408889634);
  return a;
}

// Rows in tile order, [batch*heads, padded], to the caller's [batch, *layout, heads] (a log-sum-exp).
inline void rows_to_layout(const PermuteMap& m, const AxisMaps& maps, long long batch, long long heads, const float* tiled, float* out) {
  for (long long b = 0; b < batch; ++b) {
    for (long long token = 0; token < m.tokens; ++token) {
      const int x[GNA_MAX_RANK] = {(int)(token / ((long long)m.n[1] * m.n[2])), (int)((token / m.n[2]) % m.n[1]), (int)(token % m.n[2])};
      long long tile = 0, local = 0;
      for (int i = 0; i < GNA_MAX_RANK; ++i) {
        const int pos = maps.to_pos[i][(size_t)x[i]];
        tile = tile * m.grid[i] + pos / m.tile[i];
        local = local * m.tile[i] + pos % m.tile[i];
      }
      for (long long h = 0; h < heads; ++h) out[(b * m.tokens + token) * heads + h] = tiled[(b * heads + h) * m.padded + tile * m.tile_tokens + local];
    }
  }
}

}  // namespace gna

#endif  // GNA_TILE_MAPS_H
