// gna_attention.cuh: the fused GNA forward kernel (FlashAttention-style online softmax,
// tensor-core mma.sync m16n8k16 with fp16/bf16 operands and fp32 accumulation).
//
// Inputs are token-permuted (gna_permute.cuh): per (batch, head), Q tiles of Tq tokens and KV
// tiles of Tkv tokens are contiguous, tiles in row-major order over the tile grid, tokens
// row-major inside a tile, dilation groups tiled one after another, padding zero-filled.
//
// One CTA takes BM = 64 rows of one Q tile (a tile of more tokens spreads over several CTAs)
// and walks exactly the KV tiles of the per-axis ranges [kv_lo, kv_hi] that the simulator
// counts (gna::qtile_range, same formulas as extension/core/tiling.ts), BN = 64 keys at a time.
// KV tiles inside every axis's full range are computed without any masking; the rest are
// masked per element from the per-axis windows of each query (padding masks itself: windows
// never reach past a group's last coordinate).
#ifndef GNA_ATTENTION_CUH
#define GNA_ATTENTION_CUH

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <stdint.h>

#include "gna_math.h"

namespace gna {

constexpr int kBlockM = 64;   // query rows per CTA: 4 warps of 16
constexpr int kBlockN = 64;   // keys per inner step
constexpr int kWarps = 4;
constexpr int kThreads = kWarps * 32;
constexpr int kPad = 8;       // 16 bytes of padding per shared-memory row: no bank conflicts on fragment loads
constexpr int kFar = 1 << 30; // a coordinate no window reaches

struct AttentionParams {
  const uint16_t* q;  // [batch*heads, q_padded, D]
  const uint16_t* k;  // [batch*heads, kv_padded, D]
  const uint16_t* v;
  uint16_t* o;        // [batch*heads, q_padded, D]
  long long q_padded, kv_padded;
  Axis ax[GNA_MAX_RANK];
  int tq[GNA_MAX_RANK], tkv[GNA_MAX_RANK];
  int q_grid[GNA_MAX_RANK], kv_grid[GNA_MAX_RANK];
  int tq_tokens, tkv_tokens;
  int q_chunks;       // ceil(tq_tokens / kBlockM)
  float scale_log2;   // softmax scale * log2(e): exponentials are exp2
  unsigned long long* counts;  // debug: {visited, full} pairs of batch 0, head 0; may be null
  // [batch*heads, q_padded]: each row's natural log-sum-exp of its scaled scores, written by the
  // SaveLse build only (the backward's input); last, so the fields above keep their offsets.
  float* lse;
};

inline size_t attention_smem_bytes(int head_dim) {
  return (size_t)(kBlockM + 2 * kBlockN) * (head_dim + kPad) * sizeof(uint16_t) + 3 * kBlockN * sizeof(int);
}

template <typename Elem>
struct MmaOp;

// D(16x8, f32) += A(16x16) * B(16x8) for one 16-bit input type (TYPE: "f16" or "bf16").
#define GNA_MMA_M16N8K16(TYPE)                                                                                      \
  asm volatile("mma.sync.aligned.m16n8k16.row.col.f32." TYPE "." TYPE ".f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, " \
               "{%0,%1,%2,%3};\n"                                                                                    \
               : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])                                                     \
               : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1))

template <>
struct MmaOp<__half> {
  static __device__ __forceinline__ void run(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) { GNA_MMA_M16N8K16("f16"); }
  static __device__ __forceinline__ uint32_t pack(float lo, float hi) {
    return (uint32_t)__half_as_ushort(__float2half_rn(lo)) | ((uint32_t)__half_as_ushort(__float2half_rn(hi)) << 16);
  }
};

template <>
struct MmaOp<__nv_bfloat16> {
  static __device__ __forceinline__ void run(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) { GNA_MMA_M16N8K16("bf16"); }
  static __device__ __forceinline__ uint32_t pack(float lo, float hi) {
    return (uint32_t)__bfloat16_as_ushort(__float2bfloat16_rn(lo)) |
           ((uint32_t)__bfloat16_as_ushort(__float2bfloat16_rn(hi)) << 16);
  }
};
#undef GNA_MMA_M16N8K16

// Copies `rows` rows of D 16-bit values from global memory into padded shared rows; rows past
// `valid` are zero-filled (a zero V row times a zero probability can never make a NaN).
template <int D>
__device__ __forceinline__ void load_rows(uint16_t* dst, const uint16_t* src, int rows, int valid) {
  constexpr int kVecs = D / 8;  // 16-byte vectors per row
  for (int i = threadIdx.x; i < rows * kVecs; i += kThreads) {
    const int r = i / kVecs, c = (i % kVecs) * 8;
    uint4 val = make_uint4(0, 0, 0, 0);
    if (r < valid) val = *reinterpret_cast<const uint4*>(src + (long long)r * D + c);
    *reinterpret_cast<uint4*>(dst + r * (D + kPad) + c) = val;
  }
}

__device__ __forceinline__ uint32_t ld_u32(const uint16_t* p) { return *reinterpret_cast<const uint32_t*>(p); }

// Per axis, the KV tiles Q tile `q_tile` (row-major over the tile grid) visits, for either portable
// kernel's parameters.
__device__ __forceinline__ void qtile_ranges(const AttentionParams& p, int q_tile, QTileRange (&range)[GNA_MAX_RANK]) {
  int qa[GNA_MAX_RANK];
  qa[2] = q_tile % p.q_grid[2];
  qa[1] = (q_tile / p.q_grid[2]) % p.q_grid[1];
  qa[0] = q_tile / (p.q_grid[2] * p.q_grid[1]);
#pragma unroll
  for (int i = 0; i < GNA_MAX_RANK; ++i) range[i] = qtile_range(p.ax[i], p.tq[i], p.tkv[i], qa[i]);
}

// SaveLse (the fused backward's forward, gna_backward.cuh) also writes each row's log-sum-exp, and
// zeros (output and lse) for padded queries, which attend nothing: the backward reads every row.
template <int D, typename Elem, bool SaveLse = false>
__global__ void __launch_bounds__(kThreads, SaveLse ? 1 : 0) gna_forward_kernel(const AttentionParams p) {
  using Op = MmaOp<Elem>;
  constexpr int kStride = D + kPad;
  extern __shared__ __align__(16) unsigned char smem_raw[];
  uint16_t* sQ = reinterpret_cast<uint16_t*>(smem_raw);
  uint16_t* sK = sQ + kBlockM * kStride;
  uint16_t* sV = sK + kBlockN * kStride;
  int* sKey = reinterpret_cast<int*>(sV + kBlockN * kStride);  // [3][kBlockN] key coordinates

  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  const int g = lane / 4, tig = lane % 4;
  const int q_tile = blockIdx.x / p.q_chunks;
  const int chunk = blockIdx.x % p.q_chunks;
  const long long bh = blockIdx.y;

  QTileRange range[GNA_MAX_RANK];
  qtile_ranges(p, q_tile, range);

  // Per-axis window bounds (group coordinates) of this thread's two rows; an inactive row
  // (past the tile, or a padded query) gets an empty window and is never stored.
  int lo[2][GNA_MAX_RANK], hi[2][GNA_MAX_RANK];
  const int row0 = chunk * kBlockM + warp * 16 + g;
#pragma unroll
  for (int r = 0; r < 2; ++r) {
    const int row = row0 + 8 * r;
    int off[GNA_MAX_RANK];
    off[2] = row % p.tq[2];
    off[1] = (row / p.tq[2]) % p.tq[1];
    off[0] = row / (p.tq[2] * p.tq[1]);
    bool active = row < p.tq_tokens;
#pragma unroll
    for (int i = 0; i < GNA_MAX_RANK; ++i) {
      const int x = range[i].first_query + off[i];
      if (x >= range[i].len) active = false;
      const Interval w = window_of(imin(x, range[i].len - 1), range[i].len, p.ax[i].k, p.ax[i].s, p.ax[i].causal);
      lo[r][i] = w.start;
      hi[r][i] = w.end;
    }
    if (!active) {
#pragma unroll
      for (int i = 0; i < GNA_MAX_RANK; ++i) {
        lo[r][i] = kFar;
        hi[r][i] = -kFar;
      }
    }
  }

  // Q rows of this chunk: shared memory, then A fragments in registers for the whole walk.
  const int q_rows = imin(kBlockM, p.tq_tokens - chunk * kBlockM);
  load_rows<D>(sQ, p.q + (bh * p.q_padded + (long long)q_tile * p.tq_tokens + chunk * kBlockM) * D, kBlockM, q_rows);
  __syncthreads();
  uint32_t qf[D / 16][4];
#pragma unroll
  for (int kk = 0; kk < D / 16; ++kk) {
    const uint16_t* base = sQ + (warp * 16 + g) * kStride + kk * 16 + tig * 2;
    qf[kk][0] = ld_u32(base);
    qf[kk][1] = ld_u32(base + 8 * kStride);
    qf[kk][2] = ld_u32(base + 8);
    qf[kk][3] = ld_u32(base + 8 * kStride + 8);
  }

  float acc[D / 8][4];
#pragma unroll
  for (int j = 0; j < D / 8; ++j) acc[j][0] = acc[j][1] = acc[j][2] = acc[j][3] = 0.f;
  float row_max[2] = {-INFINITY, -INFINITY};
  float row_sum[2] = {0.f, 0.f};
  const bool count = p.counts != nullptr && bh == 0 && chunk == 0 && threadIdx.x == 0;

  for (int b0 = range[0].kv_lo; b0 <= range[0].kv_hi; ++b0) {
    for (int b1 = range[1].kv_lo; b1 <= range[1].kv_hi; ++b1) {
      for (int b2 = range[2].kv_lo; b2 <= range[2].kv_hi; ++b2) {
        const int kb[GNA_MAX_RANK] = {b0, b1, b2};
        bool full = true;
        int base[GNA_MAX_RANK];  // group coordinate of the KV tile's first key, per axis
#pragma unroll
        for (int i = 0; i < GNA_MAX_RANK; ++i) {
          full = full && kb[i] >= range[i].full_lo && kb[i] <= range[i].full_hi;
          base[i] = (kb[i] - range[i].kv_group_start) * p.tkv[i];
        }
        if (count) {
          atomicAdd(p.counts, 1ull);
          if (full) atomicAdd(p.counts + 1, 1ull);
        }
        const long long kv_tile = ((long long)b0 * p.kv_grid[1] + b1) * p.kv_grid[2] + b2;
        const long long kv_row0 = bh * p.kv_padded + kv_tile * p.tkv_tokens;

        for (int c0 = 0; c0 < p.tkv_tokens; c0 += kBlockN) {
          const int valid = imin(kBlockN, p.tkv_tokens - c0);
          const bool masked = !full || valid < kBlockN;
          __syncthreads();  // the previous step's readers are done with sK, sV, sKey
          load_rows<D>(sK, p.k + (kv_row0 + c0) * D, kBlockN, valid);
          load_rows<D>(sV, p.v + (kv_row0 + c0) * D, kBlockN, valid);
          if (masked && threadIdx.x < kBlockN) {
            const int c = c0 + threadIdx.x;
            if (c < p.tkv_tokens) {
              sKey[2 * kBlockN + threadIdx.x] = base[2] + c % p.tkv[2];
              sKey[kBlockN + threadIdx.x] = base[1] + (c / p.tkv[2]) % p.tkv[1];
              sKey[threadIdx.x] = base[0] + c / (p.tkv[2] * p.tkv[1]);
            } else {
              sKey[threadIdx.x] = sKey[kBlockN + threadIdx.x] = sKey[2 * kBlockN + threadIdx.x] = kFar;
            }
          }
          __syncthreads();

          // S = Q K^T for this warp's 16 rows and kBlockN keys.
          float s[kBlockN / 8][4];
#pragma unroll
          for (int nt = 0; nt < kBlockN / 8; ++nt) {
            s[nt][0] = s[nt][1] = s[nt][2] = s[nt][3] = 0.f;
            const uint16_t* kr = sK + (nt * 8 + g) * kStride + tig * 2;
#pragma unroll
            for (int kk = 0; kk < D / 16; ++kk) Op::run(s[nt], qf[kk], ld_u32(kr + kk * 16), ld_u32(kr + kk * 16 + 8));
          }

          if (masked) {
#pragma unroll
            for (int nt = 0; nt < kBlockN / 8; ++nt) {
#pragma unroll
              for (int e = 0; e < 4; ++e) {
                const int r = e / 2;
                const int col = nt * 8 + tig * 2 + (e & 1);
                bool attends = true;
#pragma unroll
                for (int i = 0; i < GNA_MAX_RANK; ++i) {
                  const int key = sKey[i * kBlockN + col];
                  attends = attends && key >= lo[r][i] && key <= hi[r][i];
                }
                if (!attends) s[nt][e] = -INFINITY;
              }
            }
          }

          // Online softmax: new running maxima (a row's 4 threads share one), rescale the past.
          float step_max[2] = {-INFINITY, -INFINITY};
#pragma unroll
          for (int nt = 0; nt < kBlockN / 8; ++nt) {
#pragma unroll
            for (int e = 0; e < 4; ++e) {
              s[nt][e] *= p.scale_log2;
              step_max[e / 2] = fmaxf(step_max[e / 2], s[nt][e]);
            }
          }
          float shift[2], alpha[2];
#pragma unroll
          for (int r = 0; r < 2; ++r) {
            step_max[r] = fmaxf(step_max[r], __shfl_xor_sync(0xffffffffu, step_max[r], 1));
            step_max[r] = fmaxf(step_max[r], __shfl_xor_sync(0xffffffffu, step_max[r], 2));
            const float m = fmaxf(row_max[r], step_max[r]);
            shift[r] = m == -INFINITY ? 0.f : m;  // a row with nothing attended yet stays at zero
            alpha[r] = exp2f(row_max[r] - shift[r]);
            row_max[r] = m;
            row_sum[r] *= alpha[r];
          }
#pragma unroll
          for (int j = 0; j < D / 8; ++j) {
            acc[j][0] *= alpha[0];
            acc[j][1] *= alpha[0];
            acc[j][2] *= alpha[1];
            acc[j][3] *= alpha[1];
          }

          // P = exp2(S - max) as A fragments (the accumulator layout of two n-tiles is the A
          // layout of one k-step), then O += P V.
          uint32_t pf[kBlockN / 16][4];
#pragma unroll
          for (int kk = 0; kk < kBlockN / 16; ++kk) {
            float e[8];
#pragma unroll
            for (int h = 0; h < 2; ++h) {
#pragma unroll
              for (int x = 0; x < 4; ++x) e[h * 4 + x] = exp2f(s[2 * kk + h][x] - shift[x / 2]);
            }
            row_sum[0] += e[0] + e[1] + e[4] + e[5];
            row_sum[1] += e[2] + e[3] + e[6] + e[7];
            pf[kk][0] = Op::pack(e[0], e[1]);
            pf[kk][1] = Op::pack(e[2], e[3]);
            pf[kk][2] = Op::pack(e[4], e[5]);
            pf[kk][3] = Op::pack(e[6], e[7]);
          }
#pragma unroll
          for (int j = 0; j < D / 8; ++j) {
#pragma unroll
            for (int kk = 0; kk < kBlockN / 16; ++kk) {
              const uint16_t* vc = sV + (kk * 16 + tig * 2) * kStride + j * 8 + g;
              const uint32_t vb0 = (uint32_t)vc[0] | ((uint32_t)vc[kStride] << 16);
              const uint32_t vb1 = (uint32_t)vc[8 * kStride] | ((uint32_t)vc[9 * kStride] << 16);
              Op::run(acc[j], pf[kk], vb0, vb1);
            }
          }
        }
      }
    }
  }

  // Normalise and store; rows past the tile and padded queries (sum 0) are not written.
#pragma unroll
  for (int r = 0; r < 2; ++r) row_sum[r] = quad_sum(row_sum[r]);
#pragma unroll
  for (int r = 0; r < 2; ++r) {
    const int row = row0 + 8 * r;
    if constexpr (SaveLse) {
      if (row < p.tq_tokens) {
        const long long at = bh * p.q_padded + (long long)q_tile * p.tq_tokens + row;
        const bool any = row_sum[r] > 0.f;
        if (tig == 0) p.lse[at] = any ? (row_max[r] + log2f(row_sum[r])) * 0.6931471805599453f : 0.f;
        if (!any) {
#pragma unroll
          for (int j = 0; j < D / 8; ++j) *reinterpret_cast<uint32_t*>(p.o + at * D + tig * 2 + j * 8) = 0u;
        }
      }
    }
    if (row >= p.tq_tokens || !(row_sum[r] > 0.f)) continue;
    const float inv = 1.f / row_sum[r];
    uint16_t* out = p.o + (bh * p.q_padded + (long long)q_tile * p.tq_tokens + row) * D + tig * 2;
#pragma unroll
    for (int j = 0; j < D / 8; ++j) {
      *reinterpret_cast<uint32_t*>(out + j * 8) = Op::pack(acc[j][2 * r] * inv, acc[j][2 * r + 1] * inv);
    }
  }
}

}  // namespace gna

#endif  // GNA_ATTENTION_CUH
