// gna_sm90_backward.cuh: the Hopper (sm_90a) fused GNA backward (issue 21): the portable
// backward's work decomposition and walk (gna_backward.cuh) with its matrix products on wgmma and
// its tiles brought by TMA, double-buffered. Head dims 32, 64, 128; fp16/bf16; fp32 accumulation.
//
// One CTA = one warpgroup (128 threads) owning kBwdKeys = 64 keys of one KV tile (a larger tile
// spreads over several CTAs), K and V resident in shared memory, dK and dV in registers for the
// whole walk. It visits the Q tiles whose KV range holds its tile (the inverse of
// gna::qtile_range, the same host tables as the portable backward), kBwdRows = 64 query rows a
// step. Per step (warp w owns keys 16w .. 16w + 15, as the wgmma accumulator rows):
//     Sᵀ  = K·Qᵀ                  SS m64n64, K and Q K-major (their rows as stored)
//     dPᵀ = V·dOᵀ                 SS m64n64, likewise
//     Pᵀ  = exp2(Sᵀ·scale·log2e − lse·log2e), masked on partial pairs as the portable backward
//     dV += Pᵀ·dO                 RS m64nD: Pᵀ's accumulator layout is the A fragment layout;
//                                 dO read MN-major (head dim contiguous), as the forward's V
//     dSᵀ = Pᵀ ∘ (dPᵀ − Δ)
//     dK += dSᵀ·Q                 RS m64nD, Q read MN-major
//     dQ  = dS·K                  SS m64nD, A = dSᵀ stored [key][query] (128-byte swizzle) read
//                                 MN-major, B = K read MN-major; added into the fp32 accumulator
//                                 by float2 atomics (dQ's rows belong to other CTAs too)
// Δ = rowsum(dO ∘ O), the zeroed dQ accumulator and its final conversion are the portable
// backward's kernels (gna_backward_rows, gna_backward_dq), launched around this one.
//
// Loads: once a step's Sᵀ and dPᵀ are issued, one thread issues the TMA boxes of the next step's Q
// and dO into the other buffer (free since the barrier that ends the previous step's reads), and
// every thread computes the next step's per-row data (lse, Δ, windows) into the other half of a
// double buffer, so both overlap this step's products. Boxes of 64 rows may run past the Q tile (or the
// KV tile) into the next tile's rows; those rows are masked exactly as the portable backward
// masks its zero-filled ones (empty windows, keys at kFar), their probabilities are 0 and they
// contribute nothing; rows past the tensor read zeros.
//
// What this first structure leaves out (PERF-NOTES "Issue 21: the Hopper backward"): a producer
// warp and two consumer warpgroups (128 keys a CTA, one dQ reduction per 128 keys instead of two),
// dQ reduced through shared memory with a TMA reduce-add instead of atomics per element pair, and
// overlap between one step's element-wise work and the next step's products.
#ifndef GNA_SM90_BACKWARD_CUH
#define GNA_SM90_BACKWARD_CUH

#include <cuda.h>
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <stdint.h>

#include "gna_backward.cuh"
#include "gna_sm90.cuh"
#include "gna_sm90_attention.cuh"  // desc<C>: the descriptor of a build's swizzle

namespace gna {
namespace sm90 {

// The smem image of one head dim's build. Tiles are 64 rows (keys or queries) × D, stored as the
// TMA writes them: column chunks of 64 rows × 128 bytes with the 128-byte swizzle, or at head dim
// 32 one chunk of 64-byte rows with the 64-byte swizzle (the forward's Config<D> convention).
template <int D>
struct BwdConfig {
  static_assert(D == 32 || D == 64 || D == 128, "the Hopper backward has builds for head dims 32, 64, 128");
  static constexpr int kDim = D;
  static constexpr int kRowBytes = D >= 64 ? 128 : 2 * D;
  static constexpr int kBoxCols = kRowBytes / 2;    // head-dim columns per chunk (TMA box)
  static constexpr int kChunks = D / kBoxCols;
  static constexpr int kKPerRow = kRowBytes / 32;   // k-steps of 16 columns per chunk row
  static constexpr int kChunkBytes = 64 * kRowBytes;
  static constexpr int kTileBytes = kChunks * kChunkBytes;  // 64 × D × 2
  static constexpr int kDsBytes = 64 * 128;                 // dSᵀ: 64 keys × 64 queries, 128-byte swizzle
  // Shared memory, from a 1024-byte aligned base: K, V, Q[2], dO[2], dSᵀ, then the barriers and
  // the per-row data.
  static constexpr int kOffK = 0;
  static constexpr int kOffV = kOffK + kTileBytes;
  static constexpr int kOffQ = kOffV + kTileBytes;
  static constexpr int kOffDo = kOffQ + 2 * kTileBytes;
  static constexpr int kOffDs = kOffDo + 2 * kTileBytes;
  static constexpr int kOffBar = kOffDs + kDsBytes;       // kv_full, full[2]
  static constexpr int kOffLse = kOffBar + 64;            // [2][64] lse·log2e
  static constexpr int kOffDr = kOffLse + 2 * 64 * 4;     // [2][64] Δ
  static constexpr int kOffWin = kOffDr + 2 * 64 * 4;     // [2][axis][start, end][64]
  static constexpr int kOffKey = kOffWin + 2 * 2 * GNA_MAX_RANK * 64 * 4;  // [axis][64] key coordinates
  static constexpr int kSmemBytes = kOffKey + GNA_MAX_RANK * 64 * 4 + 1024;  // + alignment slack
  static_assert(kBwdKeys == 64 && kBwdRows == 64, "the wgmma tiles are 64 keys × 64 query rows");
  static_assert(kSmemBytes <= 113 * 1024, "two CTAs per SM");
};

// The TMA tensor maps of the permuted (tile-order) tensors, then the portable backward's
// parameters, which this kernel reads as that one does.
struct BwdParams {
  CUtensorMap map_q, map_k, map_v, map_do;
  BackwardParams b;
};

// wgmma m64nNk16 with both operands from shared memory, both MN-major ("transposed": A's M and B's
// N contiguous): dQ = dS·K with A = dSᵀ as stored and B = K as stored. Per element type so that a
// CPU emulation can supply its own (as Ldsm in gna_backward.cuh).
#ifndef GNA_CUDA_EMU_H
template <typename E, int N>
struct MmaTT;

#define GNA_BWD_D16 "%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15"
#define GNA_BWD_D32 GNA_BWD_D16 ", %16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31"
#define GNA_BWD_D64                                                                                                      \
  GNA_BWD_D32 ", %32, %33, %34, %35, %36, %37, %38, %39, %40, %41, %42, %43, %44, %45, %46, %47, %48, %49, %50, %51, %52, " \
              "%53, %54, %55, %56, %57, %58, %59, %60, %61, %62, %63"
#define GNA_BWD_O16                                                                                                      \
  "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3]), "+f"(d[4]), "+f"(d[5]), "+f"(d[6]), "+f"(d[7]), "+f"(d[8]), "+f"(d[9]), \
      "+f"(d[10]), "+f"(d[11]), "+f"(d[12]), "+f"(d[13]), "+f"(d[14]), "+f"(d[15])
#define GNA_BWD_O32                                                                                                     \
  GNA_BWD_O16, "+f"(d[16]), "+f"(d[17]), "+f"(d[18]), "+f"(d[19]), "+f"(d[20]), "+f"(d[21]), "+f"(d[22]), "+f"(d[23]), \
      "+f"(d[24]), "+f"(d[25]), "+f"(d[26]), "+f"(d[27]), "+f"(d[28]), "+f"(d[29]), "+f"(d[30]), "+f"(d[31])
#define GNA_BWD_O64                                                                                                     \
  GNA_BWD_O32, "+f"(d[32]), "+f"(d[33]), "+f"(d[34]), "+f"(d[35]), "+f"(d[36]), "+f"(d[37]), "+f"(d[38]), "+f"(d[39]), \
      "+f"(d[40]), "+f"(d[41]), "+f"(d[42]), "+f"(d[43]), "+f"(d[44]), "+f"(d[45]), "+f"(d[46]), "+f"(d[47]),          \
      "+f"(d[48]), "+f"(d[49]), "+f"(d[50]), "+f"(d[51]), "+f"(d[52]), "+f"(d[53]), "+f"(d[54]), "+f"(d[55]),          \
      "+f"(d[56]), "+f"(d[57]), "+f"(d[58]), "+f"(d[59]), "+f"(d[60]), "+f"(d[61]), "+f"(d[62]), "+f"(d[63])
// REGS: the accumulator count N / 2; A, B, ACC: the asm operand numbers after them.
#define GNA_BWD_MMA_TT(E, TYPE, N, REGS, A, B, ACC)                                                                 \
  template <>                                                                                                       \
  struct MmaTT<E, N> {                                                                                              \
    static __device__ __forceinline__ void ss(float (&d)[REGS], uint64_t desc_a, uint64_t desc_b, int accumulate) { \
      asm volatile("{\n.reg .pred p;\nsetp.ne.b32 p, %" #ACC ", 0;\n"                                              \
                   "wgmma.mma_async.sync.aligned.m64n" #N "k16.f32." TYPE "." TYPE " {" GNA_BWD_D##REGS "}, %" #A  \
                   ", %" #B ", p, 1, 1, 1, 1;\n}\n"                                                                 \
                   : GNA_BWD_O##REGS                                                                                \
                   : "l"(desc_a), "l"(desc_b), "r"(accumulate));                                                    \
    }                                                                                                               \
  };

GNA_BWD_MMA_TT(__nv_bfloat16, "bf16", 128, 64, 64, 65, 66)
GNA_BWD_MMA_TT(__half, "f16", 128, 64, 64, 65, 66)
GNA_BWD_MMA_TT(__nv_bfloat16, "bf16", 64, 32, 32, 33, 34)
GNA_BWD_MMA_TT(__half, "f16", 64, 32, 32, 33, 34)
GNA_BWD_MMA_TT(__nv_bfloat16, "bf16", 32, 16, 16, 17, 18)
GNA_BWD_MMA_TT(__half, "f16", 32, 16, 16, 17, 18)
#undef GNA_BWD_MMA_TT
#undef GNA_BWD_O64
#undef GNA_BWD_O32
#undef GNA_BWD_O16
#undef GNA_BWD_D64
#undef GNA_BWD_D32
#undef GNA_BWD_D16
#else  // the CPU emulation's twin (gna_sm90.cuh's convention): the same instruction, emulated
template <typename E, int N>
struct MmaTT {
  static void ss(float (&d)[N / 2], uint64_t desc_a, uint64_t desc_b, int accumulate) {
    emu::hopper::wgmma<N>(d, nullptr, desc_a, desc_b, accumulate != 0, 1, 1, true, true, EmuElem<E>::value);
  }
};
#endif  // GNA_CUDA_EMU_H

// RS wgmma m64nDk16 (A from registers, B MN-major from shared memory) at head dim D.
template <typename E, int D>
__device__ __forceinline__ void rs_d(float (&d)[D / 2], const uint32_t (&a)[4], uint64_t desc_b) {
  if constexpr (D == 128) {
    Mma<E>::rs(d, a, desc_b, 1);
  } else {
    MmaN<E, D>::rs(d, a, desc_b, 1);
  }
}

// One step of a CTA's walk: a Q tile (per-axis coordinates) and a 64-row chunk of it.
struct BwdStep {
  int a[GNA_MAX_RANK];
  int qc;
};

__device__ __forceinline__ bool bwd_visits(const BackwardParams& p, const int (&kb)[GNA_MAX_RANK], const int (&a)[GNA_MAX_RANK]) {
  bool v = true;
#pragma unroll
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    const QTileRange& r = p.ranges[i][a[i]];
    v = v && kb[i] >= r.kv_lo && kb[i] <= r.kv_hi;
  }
  return v;
}

// Advances to the next step: the next chunk of the Q tile, else the first chunk of the next Q tile
// of the box [qlo, qhi] (row-major) whose range holds kb. False at the end of the walk. The
// portable backward's loop order, so that the pairs and their order are the same.
__device__ __forceinline__ bool bwd_advance(const BackwardParams& p, const int (&kb)[GNA_MAX_RANK], const int (&qlo)[GNA_MAX_RANK],
                                            const int (&qhi)[GNA_MAX_RANK], BwdStep& s) {
  if (s.qc + 1 < p.q_chunks) {
    ++s.qc;
    return true;
  }
  s.qc = 0;
  while (true) {
    if (++s.a[2] > qhi[2]) {
      s.a[2] = qlo[2];
      if (++s.a[1] > qhi[1]) {
        s.a[1] = qlo[1];
        if (++s.a[0] > qhi[0]) return false;
      }
    }
    if (bwd_visits(p, kb, s.a)) return true;
  }
}

// The first tile row of a step (within its (batch, head)) and its valid rows.
__device__ __forceinline__ long long bwd_row0(const BackwardParams& p, const BwdStep& s) {
  const long long q_tile = ((long long)s.a[0] * p.q_grid[1] + s.a[1]) * p.q_grid[2] + s.a[2];
  return q_tile * p.tq_tokens + s.qc * kBwdRows;
}

// Whether every pair of the step's Q tile with kb is unmasked, and the step is whole.
__device__ __forceinline__ bool bwd_masked(const BackwardParams& p, const int (&kb)[GNA_MAX_RANK], const BwdStep& s, int kv_valid) {
  bool full = true;
#pragma unroll
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    const QTileRange& r = p.ranges[i][s.a[i]];
    full = full && kb[i] >= r.full_lo && kb[i] <= r.full_hi;
  }
  const int q_valid = imin(kBwdRows, p.tq_tokens - s.qc * kBwdRows);
  return !full || q_valid < kBwdRows || kv_valid < kBwdKeys;
}

// The per-row data of a step into one half of the double buffer: lse·log2e and Δ (threads 0-63),
// and on masked steps each row's window per axis (threads 64-127). This and the keys' coordinates
// below repeat the portable backward's code on purpose: folding them into functions both kernels
// call changed the GPU-checked portable kernel's d128 machine code (tried; PERF-NOTES), so they
// stay inline there until that kernel is checked again.
__device__ __forceinline__ void bwd_rows_data(const BackwardParams& p, long long bh, const BwdStep& s, bool masked, float* lse,
                                              float* dr, int* win) {
  const long long q_row0 = bh * p.q_padded + bwd_row0(p, s);
  const int q_valid = imin(kBwdRows, p.tq_tokens - s.qc * kBwdRows);
  if (threadIdx.x < kBwdRows) {
    const int t = threadIdx.x;
    lse[t] = t < q_valid ? p.lse[q_row0 + t] * kLog2e : 0.f;
    dr[t] = t < q_valid ? p.drow[q_row0 + t] : 0.f;
  } else if (masked) {
    const int t = threadIdx.x - kBwdRows;
    const int row = s.qc * kBwdRows + t;
    int off[GNA_MAX_RANK];
    off[2] = row % p.tq[2];
    off[1] = (row / p.tq[2]) % p.tq[1];
    off[0] = row / (p.tq[2] * p.tq[1]);
    bool active = t < q_valid;
    Interval w[GNA_MAX_RANK];
#pragma unroll
    for (int i = 0; i < GNA_MAX_RANK; ++i) {
      const QTileRange& r = p.ranges[i][s.a[i]];
      const int x = r.first_query + off[i];
      if (x >= r.len) active = false;
      w[i] = window_of(imin(x, r.len - 1), r.len, p.ax[i].k, p.ax[i].s, p.ax[i].causal);
    }
#pragma unroll
    for (int i = 0; i < GNA_MAX_RANK; ++i) {
      win[(2 * i) * kBwdRows + t] = active ? w[i].start : kFar;
      win[(2 * i + 1) * kBwdRows + t] = active ? w[i].end : -kFar;
    }
  }
}

template <typename C, typename E>
__device__ __forceinline__ void backward_body(const BwdParams& bp) {
  const BackwardParams& p = bp.b;
  constexpr int D = C::kDim;
  extern __shared__ unsigned char smem_raw[];
  const uint32_t raw = smem_addr(smem_raw);
  const uint32_t base = (raw + 1023) & ~1023u;
  unsigned char* gen = smem_raw + (base - raw);  // the same base, generic address
  float* sLse = reinterpret_cast<float*>(gen + C::kOffLse);
  float* sDr = reinterpret_cast<float*>(gen + C::kOffDr);
  int* sWin = reinterpret_cast<int*>(gen + C::kOffWin);
  int* sKey = reinterpret_cast<int*>(gen + C::kOffKey);
  const uint32_t kv_full = base + C::kOffBar, full0 = base + C::kOffBar + 8;

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
  bool any = true;
#pragma unroll
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    qlo[i] = p.inverse[i][2 * kb[i]];
    qhi[i] = p.inverse[i][2 * kb[i] + 1];
    any = any && qlo[i] <= qhi[i];
  }
  const int kv_valid = imin(kBwdKeys, p.tkv_tokens - chunk * kBwdKeys);
  const long long kv_row0 = bh * p.kv_padded + (long long)kv_tile * p.tkv_tokens + chunk * kBwdKeys;
  const int kv_tma_row = kv_tile * p.tkv_tokens + chunk * kBwdKeys;  // tensor-map row within (batch, head)

  // The walk's first step: the first Q tile of the box whose range holds kb.
  BwdStep cur;
  bool have = false;
  if (any) {
    cur.a[0] = qlo[0];
    cur.a[1] = qlo[1];
    cur.a[2] = qlo[2] - 1;  // bwd_advance's first move lands on qlo[2] <= qhi[2]
    cur.qc = p.q_chunks - 1;
    have = bwd_advance(p, kb, qlo, qhi, cur);
  }

  // Keys' group coordinates per axis (the mask reads them); a key past the tile gets one no window
  // reaches. The first barrier below publishes them.
  if (threadIdx.x < kBwdKeys) {
    const int c = chunk * kBwdKeys + threadIdx.x;
    int off[GNA_MAX_RANK];
    off[2] = c % p.tkv[2];
    off[1] = (c / p.tkv[2]) % p.tkv[1];
    off[0] = c / (p.tkv[2] * p.tkv[1]);
#pragma unroll
    for (int i = 0; i < GNA_MAX_RANK; ++i) {
      const int start = qlo[i] <= qhi[i] ? p.ranges[i][qlo[i]].kv_group_start : kb[i];
      sKey[i * kBwdKeys + threadIdx.x] = c < p.tkv_tokens ? (kb[i] - start) * p.tkv[i] + off[i] : kFar;
    }
  }

  // Step `it`'s Q and dO into buffer it % 2, counted on full[it % 2] (one arrival + the bytes).
  auto load_step = [&](const BwdStep& s, int buf) {
    const uint32_t bar = full0 + 8 * buf;
    bar_arrive_expect(bar, 2 * C::kTileBytes);
    const int row = (int)bwd_row0(p, s);
    for (int ch = 0; ch < C::kChunks; ++ch) {
      tma_load_5d(base + C::kOffQ + buf * C::kTileBytes + ch * C::kChunkBytes, &bp.map_q, bar, ch * C::kBoxCols, row, (int)bh, 0, 0);
      tma_load_5d(base + C::kOffDo + buf * C::kTileBytes + ch * C::kChunkBytes, &bp.map_do, bar, ch * C::kBoxCols, row, (int)bh, 0, 0);
    }
  };
  if (threadIdx.x == 0) {
    bar_init(kv_full, 1);
    bar_init(full0, 1);
    bar_init(full0 + 8, 1);
    bar_init_fence();
    tma_prefetch_map(&bp.map_q);
    tma_prefetch_map(&bp.map_do);
    if (have) {  // a CTA with no step loads nothing (and leaves no copy in flight)
      bar_arrive_expect(kv_full, 2 * C::kTileBytes);
      for (int ch = 0; ch < C::kChunks; ++ch) {
        tma_load_5d(base + C::kOffK + ch * C::kChunkBytes, &bp.map_k, kv_full, ch * C::kBoxCols, kv_tma_row, (int)bh, 0, 0);
        tma_load_5d(base + C::kOffV + ch * C::kChunkBytes, &bp.map_v, kv_full, ch * C::kBoxCols, kv_tma_row, (int)bh, 0, 0);
      }
      load_step(cur, 0);
    }
  }
  bool cur_masked = have && bwd_masked(p, kb, cur, kv_valid);
  if (have) bwd_rows_data(p, bh, cur, cur_masked, sLse, sDr, sWin);

  float dk[D / 2], dv[D / 2];
#pragma unroll
  for (int i = 0; i < D / 2; ++i) dk[i] = dv[i] = 0.f;
  const bool count = p.counts != nullptr && bh == 0 && chunk == 0 && threadIdx.x == 0;

  // Descriptors (the address field advanced per k-step): K and V as A of Sᵀ / dPᵀ (K-major), K as
  // B of dQ (MN-major: 64-column chunks kChunkBytes apart, 8-row groups 8 rows apart).
  const uint32_t sbo = 8 * C::kRowBytes;
  for (int it = 0; have; ++it) {
    const int buf = it & 1;
    __syncthreads();  // step it−1 is done with buffer buf ^ 1, dSᵀ and the rows data of buf ^ 1
    const float* lse = sLse + buf * kBwdRows;
    const float* dr = sDr + buf * kBwdRows;
    const int* win = sWin + buf * 2 * GNA_MAX_RANK * kBwdRows;
    const uint32_t q_at = base + C::kOffQ + buf * C::kTileBytes, do_at = base + C::kOffDo + buf * C::kTileBytes;
    const int q_valid = imin(kBwdRows, p.tq_tokens - cur.qc * kBwdRows);
    const long long q_row0 = bh * p.q_padded + bwd_row0(p, cur);

    if (it == 0) bar_wait(kv_full, 0);
    bar_wait(full0 + 8 * buf, (it >> 1) & 1);

    // Sᵀ = K·Qᵀ and dPᵀ = V·dOᵀ: two groups, over the head dim.
    float s[32], dp[32];
#pragma unroll
    for (int i = 0; i < 32; ++i) s[i] = dp[i] = 0.f;
    wgmma_fence();
#pragma unroll
    for (int kk = 0; kk < D / 16; ++kk) {
      const uint32_t off = (kk / C::kKPerRow) * C::kChunkBytes + (kk % C::kKPerRow) * 32;
      MmaN<E, 64>::ss(s, desc<C>(base + C::kOffK + off, 16, sbo), desc<C>(q_at + off, 16, sbo), kk > 0);
    }
    wgmma_commit();
#pragma unroll
    for (int kk = 0; kk < D / 16; ++kk) {
      const uint32_t off = (kk / C::kKPerRow) * C::kChunkBytes + (kk % C::kKPerRow) * 32;
      MmaN<E, 64>::ss(dp, desc<C>(base + C::kOffV + off, 16, sbo), desc<C>(do_at + off, 16, sbo), kk > 0);
    }
    wgmma_commit();

    // While the tensor cores run Sᵀ and dPᵀ: the next step (table reads), its Q and dO into the
    // other buffer (free since the top barrier), its per-row data (global loads) into the other
    // half of the double buffer.
    BwdStep nxt = cur;
    const bool more = bwd_advance(p, kb, qlo, qhi, nxt);
    const bool nxt_masked = more && bwd_masked(p, kb, nxt, kv_valid);
    if (more) {
      if (threadIdx.x == 0) load_step(nxt, buf ^ 1);
      bwd_rows_data(p, bh, nxt, nxt_masked, sLse + (buf ^ 1) * kBwdRows, sDr + (buf ^ 1) * kBwdRows,
                    sWin + (buf ^ 1) * 2 * GNA_MAX_RANK * kBwdRows);
    }
    if (count && cur.qc == 0) {
      bool full = true;
#pragma unroll
      for (int i = 0; i < GNA_MAX_RANK; ++i) {
        const QTileRange& r = p.ranges[i][cur.a[i]];
        full = full && kb[i] >= r.full_lo && kb[i] <= r.full_hi;
      }
      atomicAdd(p.counts, 1ull);
      if (full) atomicAdd(p.counts + 1, 1ull);
    }
    wgmma_wait<1>();
    fence_regs(s);

    // Pᵀ = exp2(S·scale·log2e − lse·log2e), zero outside the window; element 4j + 2r + e is key
    // 16·warp + g + 8r, query 8j + 2·tig + e.
#pragma unroll
    for (int j = 0; j < 8; ++j) {
#pragma unroll
      for (int e = 0; e < 4; ++e) {
        const int col = j * 8 + tig * 2 + (e & 1);
        float x = s[4 * j + e] * p.scale_log2 - lse[col];
        if (cur_masked) {
          bool attends = true;
#pragma unroll
          for (int i = 0; i < GNA_MAX_RANK; ++i) {
            const int kc = sKey[i * kBwdKeys + warp * 16 + g + 8 * (e / 2)];
            attends = attends && kc >= win[(2 * i) * kBwdRows + col] && kc <= win[(2 * i + 1) * kBwdRows + col];
          }
          if (!attends) x = -INFINITY;
        }
        s[4 * j + e] = exp2f(x);
      }
    }
    // Pᵀ as the A fragments of four 16-query k-steps (the accumulator layout of two 8-column blocks).
    uint32_t pf[4][4];
#pragma unroll
    for (int kk = 0; kk < 4; ++kk) {
#pragma unroll
      for (int x = 0; x < 4; ++x) pf[kk][x] = Mma<E>::pack(s[8 * kk + 2 * x], s[8 * kk + 2 * x + 1]);
    }
    // dV += Pᵀ·dO (dO MN-major: 16 query rows a k-step).
    wgmma_fence();
#pragma unroll
    for (int kk = 0; kk < 4; ++kk) rs_d<E, D>(dv, pf[kk], desc<C>(do_at + kk * 16 * C::kRowBytes, C::kChunkBytes, sbo));
    wgmma_commit();
    wgmma_wait<1>();  // dPᵀ has landed (dV may still run)
    fence_regs(dp);

    // dSᵀ = Pᵀ ∘ (dPᵀ − Δ), as A fragments; to shared memory [key][query] (128-byte swizzle:
    // 16-byte chunk c of row r at c ^ (r % 8)) for dQ.
    uint32_t df[4][4];
#pragma unroll
    for (int kk = 0; kk < 4; ++kk) {
#pragma unroll
      for (int x = 0; x < 4; ++x) {
        const int i0 = 8 * kk + 2 * x, col = 16 * kk + 8 * (x >> 1) + 2 * tig;
        df[kk][x] = Mma<E>::pack(s[i0] * (dp[i0] - dr[col]), s[i0 + 1] * (dp[i0 + 1] - dr[col + 1]));
        const int row = warp * 16 + g + 8 * (x & 1), chunk16 = 2 * kk + (x >> 1);
        st_shared_u32(base + C::kOffDs + row * 128 + ((chunk16 ^ (row & 7)) << 4) + tig * 4, df[kk][x]);
      }
    }
    fence_async_smem();  // the generic-proxy stores above, before wgmma (async proxy) reads them
    // dK += dSᵀ·Q (Q MN-major).
    wgmma_fence();
#pragma unroll
    for (int kk = 0; kk < 4; ++kk) rs_d<E, D>(dk, df[kk], desc<C>(q_at + kk * 16 * C::kRowBytes, C::kChunkBytes, sbo));
    wgmma_commit();
    __syncthreads();  // every warp's dSᵀ is in shared memory

    // dQ = dS·K for the step's 64 query rows, 16 keys a k-step: A = dSᵀ MN-major (one 64-query
    // chunk; 8-key groups 1024 bytes apart), B = K MN-major.
    float dq[D / 2];
#pragma unroll
    for (int i = 0; i < D / 2; ++i) dq[i] = 0.f;
    wgmma_fence();
#pragma unroll
    for (int kk = 0; kk < 4; ++kk) {
      MmaTT<E, D>::ss(dq, desc_sw128(base + C::kOffDs + kk * 16 * 128, C::kDsBytes, 1024),
                      desc<C>(base + C::kOffK + kk * 16 * C::kRowBytes, C::kChunkBytes, sbo), kk > 0);
    }
    wgmma_commit();
    wgmma_wait<0>();
    fence_regs(dq);
    fence_regs(dk);
    fence_regs(dv);
    fence_regs(pf);
    fence_regs(df);

    // dQ's rows of this step into the fp32 accumulator: element 4j + 2r + e is query row
    // 16·warp + g + 8r, column 8j + 2·tig + e; the pair e = 0, 1 is one 8-byte vector reduction
    // (sm_90's atomicAdd on float2), half the reductions of one float each.
#pragma unroll
    for (int r = 0; r < 2; ++r) {
      const int row = warp * 16 + g + 8 * r;
      if (row < q_valid) {
        float2* acc = reinterpret_cast<float2*>(p.dq_acc + (q_row0 + row) * D + tig * 2);
#pragma unroll
        for (int j = 0; j < D / 8; ++j) atomicAdd(acc + j * 4, make_float2(dq[4 * j + 2 * r], dq[4 * j + 2 * r + 1]));
      }
    }
    have = more;
    cur = nxt;
    cur_masked = nxt_masked;
  }

  // dK (times the softmax scale) and dV of this CTA's keys; rows past the tile are not written.
#pragma unroll
  for (int r = 0; r < 2; ++r) {
    const int row = warp * 16 + g + 8 * r;
    if (row >= kv_valid) continue;
    const long long at = (kv_row0 + row) * D + tig * 2;
#pragma unroll
    for (int j = 0; j < D / 8; ++j) {
      *reinterpret_cast<uint32_t*>(p.dk + at + j * 8) = Mma<E>::pack(dk[4 * j + 2 * r] * p.scale, dk[4 * j + 2 * r + 1] * p.scale);
      *reinterpret_cast<uint32_t*>(p.dv + at + j * 8) = Mma<E>::pack(dv[4 * j + 2 * r], dv[4 * j + 2 * r + 1]);
    }
  }
}

template <int D, typename E>
__global__ void __launch_bounds__(128, 1) gna_sm90_backward_kernel(const __grid_constant__ BwdParams p) {
  backward_body<BwdConfig<D>, E>(p);
}

}  // namespace sm90
}  // namespace gna

#endif  // GNA_SM90_BACKWARD_CUH
