// gna_backward.cuh: the fused GNA backward (issue 21), portable: mma.sync m16n8k16 with fp16/bf16
// operands and fp32 accumulation, FlashAttention-2's equations on GNA's tile walk.
//
// Inputs are token-permuted as for the forward (gna_permute.cuh): Q, O, dO, the log-sum-exp and
// the row sums D in Q-tile order, K, V, dK, dV in KV-tile order. Three kernels per backward:
//  1. gna_backward_rows: D = rowsum(dO ∘ O) per query row (fp32), and dQ's fp32 accumulator zeroed;
//  2. gna_backward_kernel, KV-parallel: one CTA of 4 warps owns kBwdKeys = 64 keys of one KV tile
//     (a larger tile spreads over several CTAs), keeps dK and dV in registers and walks the Q tiles
//     whose KV range holds its tile (the inverse of gna::qtile_range, tabulated on the host from
//     that same function), 64 query rows at a time:
//        Sᵀ = K·Qᵀ, Pᵀ = exp2(scale·log2e·Sᵀ − lse·log2e) (the GNA mask only on partial pairs),
//        dV += Pᵀ·dO, dPᵀ = V·dOᵀ, dSᵀ = Pᵀ∘(dPᵀ − D), dK += dSᵀ·Q, dQ += dS·K;
//     dQ's rows belong to other CTAs too, so each step adds its 64 × D block into the fp32
//     accumulator with atomics (FlashAttention-2's scheme: five matrix products per tile pair
//     against seven for a separate Q-parallel dQ kernel that recomputes S and dP);
//  3. gna_backward_dq: the accumulator times the softmax scale, rounded to the input type.
// Each warp owns 16 keys, so the accumulator layout of Sᵀ (keys as rows) is the A operand of the
// dV and dK products without a trip through shared memory; only dS goes through shared memory,
// transposed, as the A operand of dQ's product. Those three products read their B operand (dO, Q,
// K: row-major, reduced along their rows) with ldmatrix.trans. native/emu runs all of this on a
// CPU emulation of CUDA (test/unit/native/backwardEmulation.test.ts).
#ifndef GNA_BACKWARD_CUH
#define GNA_BACKWARD_CUH

#include <algorithm>
#include <vector>

#include "gna_attention.cuh"

namespace gna {

constexpr int kBwdKeys = 64;  // keys per CTA: 4 warps of 16
constexpr int kBwdRows = 64;  // query rows per step
constexpr int kDsStride = kBwdRows + kPad;
constexpr float kLog2e = 1.4426950408889634f;

struct BackwardParams {
  const uint16_t* q;     // [batch*heads, q_padded, D]
  const uint16_t* k;     // [batch*heads, kv_padded, D]
  const uint16_t* v;
  const uint16_t* o;     // [batch*heads, q_padded, D]: the forward's output
  const uint16_t* dout;  // [batch*heads, q_padded, D]
  const float* lse;      // [batch*heads, q_padded]: natural log-sum-exp of the scaled scores
  float* drow;           // [batch*heads, q_padded]: rowsum(dO ∘ O)
  float* dq_acc;         // [batch*heads, q_padded, D]: dQ / scale, fp32
  uint16_t* dq;          // [batch*heads, q_padded, D]
  uint16_t* dk;          // [batch*heads, kv_padded, D]
  uint16_t* dv;
  long long q_padded, kv_padded;
  long long q_rows;      // batch*heads*q_padded
  Axis ax[GNA_MAX_RANK];
  int tq[GNA_MAX_RANK], tkv[GNA_MAX_RANK];
  int q_grid[GNA_MAX_RANK], kv_grid[GNA_MAX_RANK];
  int tq_tokens, tkv_tokens;
  int q_chunks;          // ceil(tq_tokens / kBwdRows)
  int kv_chunks;         // ceil(tkv_tokens / kBwdKeys)
  float scale, scale_log2;
  // Per axis: gna::qtile_range of every Q tile, and per KV tile the first and last Q tile whose
  // range holds it (first > last: no query attends it).
  const QTileRange* ranges[GNA_MAX_RANK];
  const int* inverse[GNA_MAX_RANK];
  unsigned long long* counts;  // debug: {visited, full} pairs of batch 0, head 0, first key chunk; may be null
};

// Host: the backward kernel's tables. Per axis, qtile_range of every Q tile (the forward's walk),
// then for every KV tile the first and last Q tile whose range holds it (1, 0 when none does).
// Window starts and ends never decrease along a dilation group, so those Q tiles form an interval;
// the kernel still skips any Q tile of the interval whose range misses its KV tile, so each pair it
// visits is one the forward visits.
inline std::vector<int> backward_tables(const AttentionParams& a, size_t offsets[2 * GNA_MAX_RANK]) {
  std::vector<int> all;
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    offsets[2 * i] = all.size();
    std::vector<int> first((size_t)a.kv_grid[i], a.q_grid[i]), last((size_t)a.kv_grid[i], -1);
    for (int qt = 0; qt < a.q_grid[i]; ++qt) {
      const QTileRange r = qtile_range(a.ax[i], a.tq[i], a.tkv[i], qt);
      const int* f = reinterpret_cast<const int*>(&r);
      all.insert(all.end(), f, f + sizeof r / sizeof(int));
      for (int b = std::max(r.kv_lo, 0); b <= std::min(r.kv_hi, a.kv_grid[i] - 1); ++b) {
        first[(size_t)b] = std::min(first[(size_t)b], qt);
        last[(size_t)b] = std::max(last[(size_t)b], qt);
      }
    }
    offsets[2 * i + 1] = all.size();
    for (int b = 0; b < a.kv_grid[i]; ++b) {
      all.push_back(last[(size_t)b] < 0 ? 1 : first[(size_t)b]);
      all.push_back(last[(size_t)b] < 0 ? 0 : last[(size_t)b]);
    }
  }
  return all;
}

// Host: the backward's parameters but its tensors, from the forward's geometry; `tables` is where
// backward_tables() lies (on the device), `offsets` as it gave them.
inline BackwardParams backward_geometry(const AttentionParams& a, long long batch_heads, double scale, const int* tables,
                                        const size_t offsets[2 * GNA_MAX_RANK]) {
  BackwardParams bp{};
  bp.q_padded = a.q_padded;
  bp.kv_padded = a.kv_padded;
  bp.q_rows = batch_heads * a.q_padded;
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    bp.ax[i] = a.ax[i];
    bp.tq[i] = a.tq[i];
    bp.tkv[i] = a.tkv[i];
    bp.q_grid[i] = a.q_grid[i];
    bp.kv_grid[i] = a.kv_grid[i];
    bp.ranges[i] = reinterpret_cast<const QTileRange*>(tables + offsets[2 * i]);
    bp.inverse[i] = tables + offsets[2 * i + 1];
  }
  bp.tq_tokens = a.tq_tokens;
  bp.tkv_tokens = a.tkv_tokens;
  bp.q_chunks = ceil_div(a.tq_tokens, kBwdRows);
  bp.kv_chunks = ceil_div(a.tkv_tokens, kBwdKeys);
  bp.scale = (float)scale;
  bp.scale_log2 = a.scale_log2;
  return bp;
}

inline size_t backward_smem_bytes(int head_dim) {
  return (size_t)(2 * kBwdKeys + 2 * kBwdRows) * (head_dim + kPad) * sizeof(uint16_t) +
         (size_t)kBwdKeys * kDsStride * sizeof(uint16_t) + 2 * kBwdRows * sizeof(float) + (2 * kBwdRows + kBwdKeys) * GNA_MAX_RANK * sizeof(int);
}

template <typename Elem>
__device__ __forceinline__ float to_float(uint16_t x);
template <>
__device__ __forceinline__ float to_float<__half>(uint16_t x) { return __half2float(__ushort_as_half(x)); }
template <>
__device__ __forceinline__ float to_float<__nv_bfloat16>(uint16_t x) { return __bfloat162float(__ushort_as_bfloat16(x)); }

// D = rowsum(dO ∘ O) per query row, one warp a row; the row's dQ accumulator zeroed.
template <int D, typename Elem>
__global__ void __launch_bounds__(256) gna_backward_rows(const BackwardParams p) {
  const int lane = threadIdx.x % 32;
  const long long warps = (long long)gridDim.x * (blockDim.x / 32);
  for (long long row = (long long)blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32; row < p.q_rows; row += warps) {
    float sum = 0.f;
#pragma unroll
    for (int c = lane; c < D; c += 32) {
      sum += to_float<Elem>(p.dout[row * D + c]) * to_float<Elem>(p.o[row * D + c]);
      p.dq_acc[row * D + c] = 0.f;
    }
#pragma unroll
    for (int m = 16; m > 0; m /= 2) sum += __shfl_xor_sync(0xffffffffu, sum, m);
    if (lane == 0) p.drow[row] = sum;
  }
}

// dQ = scale · accumulator, rounded to the input type; one thread a pair of elements.
template <typename Elem>
__global__ void gna_backward_dq(const BackwardParams p, long long pairs) {
  using Op = MmaOp<Elem>;
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < pairs; i += (long long)gridDim.x * blockDim.x) {
    const float2 x = reinterpret_cast<const float2*>(p.dq_acc)[i];
    reinterpret_cast<uint32_t*>(p.dq)[i] = Op::pack(x.x * p.scale, x.y * p.scale);
  }
}

// The A fragment (16 rows × 16 columns, row-major) at `base` = &tile[row 16w + g][col 16kk + 2·tig].
__device__ __forceinline__ void load_a(uint32_t (&a)[4], const uint16_t* base, int stride) {
  a[0] = ld_u32(base);
  a[1] = ld_u32(base + 8 * stride);
  a[2] = ld_u32(base + 8);
  a[3] = ld_u32(base + 8 * stride + 8);
}

// ldmatrix, per element type so that the CPU emulation (native/emu) can supply its own.
template <typename Elem>
struct Ldsm {
  // Four 8 × 8 matrices of 16-bit values, transposed: lanes 8i .. 8i + 7 give the shared-memory
  // addresses of matrix i's eight rows (16 bytes each, 16-byte aligned); lane L receives matrix i's
  // elements (row 2·(L % 4), column L / 4) and (row 2·(L % 4) + 1, column L / 4) in r[i], low half
  // first: the B operand of mma.m16n8k16 for B = the stored matrix, k its rows.
  static __device__ __forceinline__ void x4_trans(uint32_t (&r)[4], uint32_t addr) {
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(addr));
  }
};

// This lane's row address (shared space) for Ldsm::x4_trans over the 16 × 16 block at the top left
// of a row-major tile M at `m` (rows: the k dimension): matrices (rows 0-7, cols 0-7), (rows 8-15,
// cols 0-7), (rows 0-7, cols 8-15), (rows 8-15, cols 8-15), i.e. B fragments b0, b1 of n-tile 0,
// then of n-tile 1. Other blocks are at constant byte offsets from it.
__device__ __forceinline__ uint32_t ldsm_row(const uint16_t* m, int stride) {
  const int lane = threadIdx.x % 32;
  return (uint32_t)__cvta_generic_to_shared(m + (lane % 16) * stride + (lane / 16) * 8);
}

// acc[j] += A · M[:, 8j .. 8j + 7] for every j, M a row-major 16 × D tile in shared memory (16 =
// the k dimension) whose ldsm_row is `row`, its B operands by ldmatrix.trans two n-tiles at a time.
template <int D, typename Elem>
__device__ __forceinline__ void mma_rows_b(float (&acc)[D / 8][4], const uint32_t (&a)[4], uint32_t row) {
#pragma unroll
  for (int j = 0; j < D / 8; j += 2) {
    uint32_t b[4];
    Ldsm<Elem>::x4_trans(b, row + j * 8 * sizeof(uint16_t));
    MmaOp<Elem>::run(acc[j], a, b[0], b[1]);
    MmaOp<Elem>::run(acc[j + 1], a, b[2], b[3]);
  }
}

// acc = A · Bᵀ for this warp's 16 rows of A (`a_rows` = &A[16w + g][2·tig]) and the 64 rows of B,
// both row-major D wide in shared memory: 16 × 64, reduced over D.
template <int D, typename Op>
__device__ __forceinline__ void mma_rows_rows_t(float (&acc)[kBwdRows / 8][4], const uint16_t* a_rows, const uint16_t* b, int stride) {
  const int lane = threadIdx.x % 32, g = lane / 4, tig = lane % 4;
#pragma unroll
  for (int nt = 0; nt < kBwdRows / 8; ++nt) acc[nt][0] = acc[nt][1] = acc[nt][2] = acc[nt][3] = 0.f;
#pragma unroll
  for (int kk = 0; kk < D / 16; ++kk) {
    uint32_t a[4];
    load_a(a, a_rows + kk * 16, stride);
#pragma unroll
    for (int nt = 0; nt < kBwdRows / 8; ++nt) {
      const uint16_t* br = b + (nt * 8 + g) * stride + kk * 16 + tig * 2;
      Op::run(acc[nt], a, ld_u32(br), ld_u32(br + 8));
    }
  }
}

// Packs a 16 × 64 fp32 accumulator (8 n-tiles) into the A fragments of four 16-wide k-steps.
template <typename Op>
__device__ __forceinline__ void to_a_fragments(uint32_t (&f)[kBwdRows / 16][4], const float (&x)[kBwdRows / 8][4]) {
#pragma unroll
  for (int kk = 0; kk < kBwdRows / 16; ++kk) {
    f[kk][0] = Op::pack(x[2 * kk][0], x[2 * kk][1]);
    f[kk][1] = Op::pack(x[2 * kk][2], x[2 * kk][3]);
    f[kk][2] = Op::pack(x[2 * kk + 1][0], x[2 * kk + 1][1]);
    f[kk][3] = Op::pack(x[2 * kk + 1][2], x[2 * kk + 1][3]);
  }
}

template <int D, typename Elem>
__global__ void __launch_bounds__(kThreads, 1) gna_backward_kernel(const BackwardParams p) {
  using Op = MmaOp<Elem>;
  constexpr int kStride = D + kPad;
  constexpr int kSteps = kBwdRows / 8;  // n-tiles of Sᵀ
  extern __shared__ __align__(16) unsigned char smem_raw[];
  uint16_t* sK = reinterpret_cast<uint16_t*>(smem_raw);
  uint16_t* sV = sK + kBwdKeys * kStride;
  uint16_t* sQ = sV + kBwdKeys * kStride;
  uint16_t* sdO = sQ + kBwdRows * kStride;
  uint16_t* sdS = sdO + kBwdRows * kStride;  // [query][key]
  float* sLse = reinterpret_cast<float*>(sdS + kBwdKeys * kDsStride);  // lse·log2e per row
  float* sDr = sLse + kBwdRows;
  int* sWin = reinterpret_cast<int*>(sDr + kBwdRows);  // [axis][row] window start, then end
  int* sKey = sWin + 2 * GNA_MAX_RANK * kBwdRows;       // [axis][key] key coordinates

  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  const int g = lane / 4, tig = lane % 4;
  const int kv_tile = blockIdx.x / p.kv_chunks;
  const int chunk = blockIdx.x % p.kv_chunks;
  const long long bh = blockIdx.y;
  int kb[GNA_MAX_RANK];
  kb[2] = kv_tile % p.kv_grid[2];
  kb[1] = (kv_tile / p.kv_grid[2]) % p.kv_grid[1];
  kb[0] = kv_tile / (p.kv_grid[2] * p.kv_grid[1]);
  int qlo[GNA_MAX_RANK], qhi[GNA_MAX_RANK];
#pragma unroll
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    qlo[i] = p.inverse[i][2 * kb[i]];
    qhi[i] = p.inverse[i][2 * kb[i] + 1];
  }

  const int kv_valid = imin(kBwdKeys, p.tkv_tokens - chunk * kBwdKeys);
  const long long kv_row0 = bh * p.kv_padded + (long long)kv_tile * p.tkv_tokens + chunk * kBwdKeys;
  load_rows<D>(sK, p.k + kv_row0 * D, kBwdKeys, kv_valid);
  load_rows<D>(sV, p.v + kv_row0 * D, kBwdKeys, kv_valid);

  // Group coordinates of the CTA's keys, per axis (the mask reads them); a key past the tile gets
  // one no window reaches. The walk's first barrier publishes them.
  if (threadIdx.x < kBwdKeys) {
    const int c = chunk * kBwdKeys + threadIdx.x;
    int off[GNA_MAX_RANK];
    off[2] = c % p.tkv[2];
    off[1] = (c / p.tkv[2]) % p.tkv[1];
    off[0] = c / (p.tkv[2] * p.tkv[1]);
#pragma unroll
    for (int i = 0; i < GNA_MAX_RANK; ++i) {
      // The KV tile's group starts at ranges[].kv_group_start of any Q tile that visits it.
      const int start = qlo[i] <= qhi[i] ? p.ranges[i][qlo[i]].kv_group_start : kb[i];
      sKey[i * kBwdKeys + threadIdx.x] = c < p.tkv_tokens ? (kb[i] - start) * p.tkv[i] + off[i] : kFar;
    }
  }

  float dk[D / 8][4], dv[D / 8][4];
#pragma unroll
  for (int j = 0; j < D / 8; ++j) {
#pragma unroll
    for (int e = 0; e < 4; ++e) dk[j][e] = dv[j][e] = 0.f;
  }
  const bool count = p.counts != nullptr && bh == 0 && chunk == 0 && threadIdx.x == 0;
  const uint16_t* sKw = sK + (warp * 16 + g) * kStride + tig * 2;  // this warp's A rows of K and V
  const uint16_t* sVw = sV + (warp * 16 + g) * kStride + tig * 2;
  const uint32_t sQ_row = ldsm_row(sQ, kStride), sdO_row = ldsm_row(sdO, kStride), sK_row = ldsm_row(sK, kStride);

  for (int a0 = qlo[0]; a0 <= qhi[0]; ++a0) {
    for (int a1 = qlo[1]; a1 <= qhi[1]; ++a1) {
      for (int a2 = qlo[2]; a2 <= qhi[2]; ++a2) {
        const int qa[GNA_MAX_RANK] = {a0, a1, a2};
        QTileRange r[GNA_MAX_RANK];
        bool visits = true, full = true;
#pragma unroll
        for (int i = 0; i < GNA_MAX_RANK; ++i) {
          r[i] = p.ranges[i][qa[i]];
          visits = visits && kb[i] >= r[i].kv_lo && kb[i] <= r[i].kv_hi;
          full = full && kb[i] >= r[i].full_lo && kb[i] <= r[i].full_hi;
        }
        if (!visits) continue;  // the tables bound an interval; each pair is the forward's own
        if (count) {
          atomicAdd(p.counts, 1ull);
          if (full) atomicAdd(p.counts + 1, 1ull);
        }
        const long long q_tile = ((long long)a0 * p.q_grid[1] + a1) * p.q_grid[2] + a2;

        for (int qc = 0; qc < p.q_chunks; ++qc) {
          const int q_valid = imin(kBwdRows, p.tq_tokens - qc * kBwdRows);
          const bool masked = !full || q_valid < kBwdRows || kv_valid < kBwdKeys;
          const long long q_row0 = bh * p.q_padded + q_tile * p.tq_tokens + qc * kBwdRows;
          __syncthreads();  // the previous step's readers are done with sQ, sdO, sdS, sLse, sDr, sWin
          load_rows<D>(sQ, p.q + q_row0 * D, kBwdRows, q_valid);
          load_rows<D>(sdO, p.dout + q_row0 * D, kBwdRows, q_valid);
          if (threadIdx.x < kBwdRows) {
            const int t = threadIdx.x;
            sLse[t] = t < q_valid ? p.lse[q_row0 + t] * kLog2e : 0.f;
            sDr[t] = t < q_valid ? p.drow[q_row0 + t] : 0.f;
          } else if (masked) {
            // The window of each query row, as the forward computes it; an inactive row (past the
            // tile, or a padded query) gets an empty one.
            const int t = threadIdx.x - kBwdRows;
            const int row = qc * kBwdRows + t;
            int off[GNA_MAX_RANK];
            off[2] = row % p.tq[2];
            off[1] = (row / p.tq[2]) % p.tq[1];
            off[0] = row / (p.tq[2] * p.tq[1]);
            bool active = t < q_valid;
            Interval w[GNA_MAX_RANK];
#pragma unroll
            for (int i = 0; i < GNA_MAX_RANK; ++i) {
              const int x = r[i].first_query + off[i];
              if (x >= r[i].len) active = false;
              w[i] = window_of(imin(x, r[i].len - 1), r[i].len, p.ax[i].k, p.ax[i].s, p.ax[i].causal);
            }
#pragma unroll
            for (int i = 0; i < GNA_MAX_RANK; ++i) {
              sWin[(2 * i) * kBwdRows + t] = active ? w[i].start : kFar;
              sWin[(2 * i + 1) * kBwdRows + t] = active ? w[i].end : -kFar;
            }
          }
          __syncthreads();

          // Sᵀ = K·Qᵀ: this warp's 16 keys × 64 queries.
          float s[kSteps][4];
          mma_rows_rows_t<D, Op>(s, sKw, sQ, kStride);

          // Pᵀ = exp2(S·scale·log2e − lse·log2e), zero outside the window.
#pragma unroll
          for (int nt = 0; nt < kSteps; ++nt) {
#pragma unroll
            for (int e = 0; e < 4; ++e) {
              const int col = nt * 8 + tig * 2 + (e & 1);
              float x = s[nt][e] * p.scale_log2 - sLse[col];
              if (masked) {
                bool attends = true;
#pragma unroll
                for (int i = 0; i < GNA_MAX_RANK; ++i) {
                  const int kc = sKey[i * kBwdKeys + warp * 16 + g + 8 * (e / 2)];
                  attends = attends && kc >= sWin[(2 * i) * kBwdRows + col] && kc <= sWin[(2 * i + 1) * kBwdRows + col];
                }
                if (!attends) x = -INFINITY;
              }
              s[nt][e] = exp2f(x);
            }
          }

          // dV += Pᵀ·dO.
          {
            uint32_t pf[kBwdRows / 16][4];
            to_a_fragments<Op>(pf, s);
#pragma unroll
            for (int kk = 0; kk < kBwdRows / 16; ++kk) mma_rows_b<D, Elem>(dv, pf[kk], sdO_row + kk * 16 * kStride * 2);
          }

          // dPᵀ = V·dOᵀ, then dSᵀ = Pᵀ ∘ (dPᵀ − D), kept in s.
          {
            float dp[kSteps][4];
            mma_rows_rows_t<D, Op>(dp, sVw, sdO, kStride);
#pragma unroll
            for (int nt = 0; nt < kSteps; ++nt) {
#pragma unroll
              for (int e = 0; e < 4; ++e) s[nt][e] *= dp[nt][e] - sDr[nt * 8 + tig * 2 + (e & 1)];
            }
          }

          // dK += dSᵀ·Q; dSᵀ to shared memory transposed, for dQ.
          {
            uint32_t df[kBwdRows / 16][4];
            to_a_fragments<Op>(df, s);
#pragma unroll
            for (int kk = 0; kk < kBwdRows / 16; ++kk) {
              mma_rows_b<D, Elem>(dk, df[kk], sQ_row + kk * 16 * kStride * 2);
              // df[kk][x]: keys g (x even) or g + 8 (x odd), queries 16kk + 2tig (+8 for x >= 2), two each.
#pragma unroll
              for (int x = 0; x < 4; ++x) {
                const int kcol = warp * 16 + g + 8 * (x & 1);
                const int qrow = kk * 16 + tig * 2 + 8 * (x >> 1);
                sdS[qrow * kDsStride + kcol] = (uint16_t)(df[kk][x] & 0xffffu);
                sdS[(qrow + 1) * kDsStride + kcol] = (uint16_t)(df[kk][x] >> 16);
              }
            }
          }
          __syncthreads();  // every warp's dS is in shared memory

          // dQ += dS·K for this warp's 16 query rows, straight into the fp32 accumulator.
          {
            uint32_t af[kBwdKeys / 16][4];
#pragma unroll
            for (int kk = 0; kk < kBwdKeys / 16; ++kk) load_a(af[kk], sdS + (warp * 16 + g) * kDsStride + kk * 16 + tig * 2, kDsStride);
            const int row = warp * 16 + g;
            float* acc_row = p.dq_acc + (q_row0 + row) * D + tig * 2;
#pragma unroll
            for (int j = 0; j < D / 8; j += 2) {
              float d[2][4] = {};
#pragma unroll
              for (int kk = 0; kk < kBwdKeys / 16; ++kk) {
                uint32_t b[4];
                Ldsm<Elem>::x4_trans(b, sK_row + (kk * 16 * kStride + j * 8) * 2);
                Op::run(d[0], af[kk], b[0], b[1]);
                Op::run(d[1], af[kk], b[2], b[3]);
              }
#pragma unroll
              for (int h = 0; h < 2; ++h) {
                if (row < q_valid) {
                  atomicAdd(acc_row + (j + h) * 8, d[h][0]);
                  atomicAdd(acc_row + (j + h) * 8 + 1, d[h][1]);
                }
                if (row + 8 < q_valid) {
                  atomicAdd(acc_row + 8 * D + (j + h) * 8, d[h][2]);
                  atomicAdd(acc_row + 8 * D + (j + h) * 8 + 1, d[h][3]);
                }
              }
            }
          }
        }
      }
    }
  }

  // dK (times the softmax scale) and dV of this CTA's keys; rows past the tile are not written.
#pragma unroll
  for (int h = 0; h < 2; ++h) {
    const int row = warp * 16 + g + 8 * h;
    if (row >= kv_valid) continue;
    const long long at = (kv_row0 + row) * D + tig * 2;
#pragma unroll
    for (int j = 0; j < D / 8; ++j) {
      *reinterpret_cast<uint32_t*>(p.dk + at + j * 8) = Op::pack(dk[j][2 * h] * p.scale, dk[j][2 * h + 1] * p.scale);
      *reinterpret_cast<uint32_t*>(p.dv + at + j * 8) = Op::pack(dv[j][2 * h], dv[j][2 * h + 1]);
    }
  }
}

}  // namespace gna

#endif  // GNA_BACKWARD_CUH
