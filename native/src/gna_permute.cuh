// gna_permute.cuh: token permutation for multi-dimensional tiling (GNA-SPEC §5), on the GPU.
//
// A tensor [batch, n_1, n_2, n_3, heads, D] becomes [batch*heads, padded tokens, D] where the
// padded tokens are ordered tile by tile (row-major over the tile grid, row-major inside a
// tile). Along each axis, coordinates are first grouped by dilation group and each group is
// padded up to a multiple of the tile: the host precomputes, per axis, the map between a padded
// position and an axis coordinate (-1 for padding). Padding is written as zeros.
#ifndef GNA_PERMUTE_CUH
#define GNA_PERMUTE_CUH

#include <stdint.h>

#include "gna_native.h"

namespace gna {

struct PermuteMap {
  int n[GNA_MAX_RANK];            // layout extents (1 past the rank)
  int tile[GNA_MAX_RANK];         // tile extents
  int grid[GNA_MAX_RANK];         // tiles per axis
  const int* to_coord[GNA_MAX_RANK];  // padded position -> coordinate or -1 (grid*tile entries)
  const int* to_pos[GNA_MAX_RANK];    // coordinate -> padded position (n entries)
  long long tokens;               // n_1 n_2 n_3
  long long tile_tokens;          // tile_1 tile_2 tile_3
  long long padded;               // grid_1 grid_2 grid_3 * tile_tokens
};

// dst[bh, p, :] = src[b, coord(p), h, :] or zeros; one thread per 16-byte vector.
__global__ void gna_permute_in(uint16_t* __restrict__ dst, const uint16_t* __restrict__ src, const PermuteMap m,
                               int heads, int head_dim, long long vectors) {
  const int vecs = head_dim / 8;
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < vectors; i += (long long)gridDim.x * blockDim.x) {
    const int c = (int)(i % vecs) * 8;
    const long long row = i / vecs;
    const long long p = row % m.padded;
    const long long bh = row / m.padded;
    const long long tile = p / m.tile_tokens;
    const int local = (int)(p % m.tile_tokens);
    const int a[3] = {(int)(tile / ((long long)m.grid[1] * m.grid[2])), (int)((tile / m.grid[2]) % m.grid[1]),
                      (int)(tile % m.grid[2])};
    const int l[3] = {local / (m.tile[1] * m.tile[2]), (local / m.tile[2]) % m.tile[1], local % m.tile[2]};
    long long token = 0;
    bool pad = false;
#pragma unroll
    for (int ax = 0; ax < 3; ++ax) {
      const int x = m.to_coord[ax][a[ax] * m.tile[ax] + l[ax]];
      pad = pad || x < 0;
      token = token * m.n[ax] + (x < 0 ? 0 : x);
    }
    uint4 val = make_uint4(0, 0, 0, 0);
    if (!pad) {
      const long long b = bh / heads, h = bh % heads;
      val = *reinterpret_cast<const uint4*>(src + ((b * m.tokens + token) * heads + h) * head_dim + c);
    }
    *reinterpret_cast<uint4*>(dst + row * head_dim + c) = val;
  }
}

// dst[b, x, h, :] = src[bh, pos(x), :]: the permuted output back to the caller's layout.
__global__ void gna_permute_out(uint16_t* __restrict__ dst, const uint16_t* __restrict__ src, const PermuteMap m,
                                int heads, int head_dim, long long vectors) {
  const int vecs = head_dim / 8;
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < vectors; i += (long long)gridDim.x * blockDim.x) {
    const int c = (int)(i % vecs) * 8;
    const long long row = i / vecs;  // ((b * tokens + token) * heads + h)
    const long long h = row % heads;
    const long long bt = row / heads;
    const long long token = bt % m.tokens;
    const long long b = bt / m.tokens;
    const int x[3] = {(int)(token / ((long long)m.n[1] * m.n[2])), (int)((token / m.n[2]) % m.n[1]),
                      (int)(token % m.n[2])};
    long long tile = 0, local = 0;
#pragma unroll
    for (int ax = 0; ax < 3; ++ax) {
      const int pos = m.to_pos[ax][x[ax]];
      tile = tile * m.grid[ax] + pos / m.tile[ax];
      local = local * m.tile[ax] + pos % m.tile[ax];
    }
    const long long p = tile * m.tile_tokens + local;
    *reinterpret_cast<uint4*>(dst + row * head_dim + c) =
        *reinterpret_cast<const uint4*>(src + ((b * heads + h) * m.padded + p) * head_dim + c);
  }
}

}  // namespace gna

#endif  // GNA_PERMUTE_CUH
