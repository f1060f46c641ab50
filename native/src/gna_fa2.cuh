// gna_fa2.cuh: the FA2-class portable forward kernel (issue 23): mma.sync m16n8k16 with fp16/bf16
// operands and fp32 accumulation, as gna_attention.cuh, but built the way FlashAttention-2 is:
//  - K/V steps stream through a ring of kStages shared-memory stages with cp.async (the copy of
//    step j + kStages - 1 is in flight while step j computes; one barrier per step);
//  - every tensor-core operand comes from shared memory by ldmatrix (V transposed by
//    ldmatrix.trans), on an XOR-swizzled layout (no padding, no bank conflicts);
//  - each warp owns 16 query rows per m-tile (kMTiles of them), so each K/V fragment feeds
//    kMTiles MMAs; Q stays in registers where they allow (head dims 32, 64);
//  - P never leaves registers: the S accumulators of two n-tiles are the A operand of one PV k-step;
//  - online softmax in fp32 with ex2 and the scale folded into one FFMA.
//
// The work and the windows are the portable kernel's: inputs token-permuted (gna_permute.cuh),
// one CTA per (block of BM rows of one Q tile, batch·head), walking exactly the KV tile box
// [kv_lo, kv_hi] per axis of gna::qtile_range (gna_math.h, the simulator's formulas). KV tiles
// inside every axis's full range run mask-free; the others test each score's key against the
// row's window per axis (key coordinates from the step's index by multiply-shift division).
// Only the tile machinery below (Tile, load_rows_async, ldmatrix helpers) is meant to be shared
// with a backward kernel.
#ifndef GNA_FA2_CUH
#define GNA_FA2_CUH

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <stdint.h>

#include "gna_attention.cuh"  // AttentionParams, MmaOp
#include "gna_math.h"

namespace gna {
namespace fa2 {

constexpr int kWarps = 4;
constexpr int kThreads = kWarps * 32;

// One build per head dim: m-tiles of 16 rows per warp (BM = 64 * kMTiles query rows per CTA),
// keys per step, K/V stages, and whether Q's A fragments stay in registers for the whole walk.
// Shared memory (smem_bytes) stays within the 99 KB a block may have on sm_86 and sm_89; the
// registers of each build stay under 256 without spills (PERF-NOTES, issue 23; the variant below
// spills 8 bytes on sm_90).
// Variant V (kVariantWideStep) is a second build beside the default one, for same-run A/B (the
// launch option `variant`, GNA_SM90_VARIANT=1 in the GPU scripts): head dim 128 with 64-key steps,
// FA2's step, which halves the barriers and O rescales per key, in 2 stages so that two CTAs still
// share an sm_90 SM as the default build's do (101,472 bytes each); that is 96 bytes over sm_86/sm_89's
// 99 KB opt-in, so gna_fa2.cu runs it only where the device allows (sm_80: 163 KB, sm_90: 227 KB;
// PERF-NOTES, "Issue 23: the 64-key d128 variant").
constexpr int kVariantWideStep = 1;
template <int D, int V = 0>
struct Config {
  static_assert(D == 32 || D == 64 || D == 128 || D == 256, "head dims 32, 64, 128, 256");
  static_assert(V == 0 || (V == kVariantWideStep && D == 128), "the 64-key variant is a head-dim-128 build");
  static constexpr int kMTiles = D == 256 ? 1 : 2;
  static constexpr int kBlockN = D >= 128 && V == 0 ? 32 : 64;
  static constexpr int kStages = D == 256 || V != 0 ? 2 : 3;
  static constexpr bool kQInRegisters = D <= 64;
  // Softmax and P V one m-tile group at a time: 2 in the 64-key variant, whose S of both m-tiles
  // beside O would not fit the registers (V fragments are then read once per m-tile).
  static constexpr int kPvGroups = V == 0 ? 1 : kMTiles;
};

template <int D>
__host__ __device__ constexpr int block_m() {
  return 16 * kWarps * Config<D>::kMTiles;
}

// Q block, kStages K/V stages, six ints of window per query row, the Q tile's KV box.
template <int D, int V = 0>
constexpr size_t smem_bytes() {
  return (size_t)(block_m<D>() + 2 * Config<D, V>::kStages * Config<D, V>::kBlockN) * D * sizeof(uint16_t) +
         (size_t)block_m<D>() * 6 * sizeof(int) + GNA_MAX_RANK * sizeof(QTileRange);
}

// n / d as (umulhi(n, mul) + n) >> shift, exact for n < 2^31 (the host computes mul and shift).
struct FastDiv {
  uint32_t mul, shift;
};

inline FastDiv fast_div_for(uint32_t d) {
  uint32_t l = 0;
  while ((1ull << l) < d) ++l;
  const uint64_t mul = ((1ull << 32) * ((1ull << l) - d)) / d + 1;
  return FastDiv{(uint32_t)mul, l};
}

struct Fa2Params {
  AttentionParams a;    // a.q_chunks is unused: q_chunks below counts blocks of block_m<D>() rows
  int q_chunks;
  FastDiv div_kv2, div_kv1;  // by tkv[2] and tkv[1]: a key's coordinates from its index in its tile
  // Direct layout (no dilation): a.q, a.k, a.v, a.o are the caller's [batch, n0, n1, n2, heads, D]
  // tensors and each tile row is read from (written to) its token there; padding is zero-filled
  // (never written). Otherwise they are the token-permuted buffers (gna_permute.cuh).
  int direct;
  int heads;
  long long tokens;          // n0 n1 n2
  FastDiv div_q2, div_q1;    // by tq[2] and tq[1]
  FastDiv div_heads;
};

// Whether a problem's tiles can be read straight from the caller's layout: a tile is then a box
// of the layout (no dilation groups).
inline bool direct_layout_ok(const AttentionParams& a) { return a.ax[0].d == 1 && a.ax[1].d == 1 && a.ax[2].d == 1; }

// ---- tile machinery -------------------------------------------------------------------------

// A ROWS x D tile of 16-bit values in shared memory: 16-byte chunk c of row r sits at chunk
// r * D/8 + swizzle(r, c). The swizzle XORs the chunk's position inside its 128-byte line with
// the row, so that the 8 rows one ldmatrix phase reads (same logical chunk) hit 8 different
// 16-byte bank groups: rows of 64+ values XOR chunk bits 0-2 with r mod 8; rows of 32 values
// (two rows per line) XOR chunk bits 0-1 with (r / 2) mod 4. In bytes, for a tile at a multiple
// of 128 bytes: offset(r, c) = (r * rowbytes + swz(r) * 16) ^ ((c mod 8) * 16) + (c - c mod 8) * 16,
// so a fragment load is one per-lane base XOR an immediate plus an immediate (fragment()).
template <int D>
struct Tile {
  static constexpr int kChunks = D / 8;
  static constexpr int kRowBytes = D * 2;
  static GNA_HD int swz(int r) { return D >= 64 ? (r & 7) : ((r >> 1) & 3); }
  static GNA_HD int chunk(int r, int c) { return r * kChunks + (c & ~7) + ((c & 7) ^ swz(r)); }
  // A lane's part of a fragment address: its row r (row blocks of 8 aside) and its chunk bit h.
  static GNA_HD uint32_t lane_offset(int r, int h) { return r * kRowBytes + ((swz(r) ^ h) << 4); }
  // The fragment at compile-time row `row` (a multiple of 8) and even chunk `cc`, from a lane base.
  static GNA_HD uint32_t fragment(uint32_t lane_base, int row, int cc) {
    return (lane_base ^ ((cc & 7) << 4)) + (cc & ~7) * 16 + row * kRowBytes;
  }
};

#ifndef GNA_CUDA_EMU_H
__device__ __forceinline__ uint32_t smem_addr(const void* p) { return (uint32_t)__cvta_generic_to_shared(p); }

// 16 bytes global -> shared, bypassing L1; src_bytes 0 zero-fills (no global read).
__device__ __forceinline__ void cp_async16(void* dst, const void* src, int src_bytes) {
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(smem_addr(dst)), "l"(src), "r"(src_bytes));
}
__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::); }
template <int N>
__device__ __forceinline__ void cp_async_wait() {
  asm volatile("cp.async.wait_group %0;\n" ::"n"(N));
}

__device__ __forceinline__ void ldmatrix_x4(uint32_t (&r)[4], uint32_t addr) {
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];\n"
               : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
               : "r"(addr));
}
__device__ __forceinline__ void ldmatrix_x4_trans(uint32_t (&r)[4], uint32_t addr) {
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [%4];\n"
               : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
               : "r"(addr));
}

__device__ __forceinline__ float ex2(float x) {
  float y;
  asm("ex2.approx.ftz.f32 %0, %1;\n" : "=f"(y) : "f"(x));
  return y;
}

#else
// The CPU emulation (native/emu/cuda_emu.h): shared memory is the host array smem_raw (the kernel's
// extern buffer, defined by the emulation's driver), an address is an offset into it; copies land
// at once; ldmatrix gathers the warp's row addresses and hands each lane the elements the PTX ISA
// gives it (matrix i from lanes 8i..8i+7; lane l: row l/4, columns 2(l%4), +1; transposed: rows
// 2(l%4), +1 of column l/4).
extern unsigned char smem_raw[];
inline uint32_t smem_addr(const void* p) { return (uint32_t)(static_cast<const unsigned char*>(p) - smem_raw); }
inline void cp_async16(void* dst, const void* src, int src_bytes) {
  unsigned char* d = static_cast<unsigned char*>(dst);
  for (int i = 0; i < 16; ++i) d[i] = i < src_bytes ? static_cast<const unsigned char*>(src)[i] : 0;
}
inline void cp_async_commit() {}
template <int N>
inline void cp_async_wait() {}
inline uint32_t emu_rows[32][32];  // per warp: each lane's row address
template <bool kTrans>
inline void emu_ldmatrix(uint32_t (&r)[4], uint32_t addr) {
  const int w = threadIdx.x / 32, lane = threadIdx.x % 32;
  emu_rows[w][lane] = addr;
  emu::arrive(emu::my_warp(), 32);
  auto at = [&](int matrix, int row, int col) {
    uint16_t x;
    memcpy(&x, smem_raw + emu_rows[w][matrix * 8 + row] + 2 * col, 2);
    return (uint32_t)x;
  };
  for (int m = 0; m < 4; ++m) {
    const int g = lane / 4, t = lane % 4;
    r[m] = kTrans ? at(m, 2 * t, g) | (at(m, 2 * t + 1, g) << 16) : at(m, g, 2 * t) | (at(m, g, 2 * t + 1) << 16);
  }
  emu::arrive(emu::my_warp(), 32);
}
inline void ldmatrix_x4(uint32_t (&r)[4], uint32_t addr) { emu_ldmatrix<false>(r, addr); }
inline void ldmatrix_x4_trans(uint32_t (&r)[4], uint32_t addr) { emu_ldmatrix<true>(r, addr); }
inline float ex2(float x) { return exp2f(x); }
inline uint32_t __umulhi(uint32_t a, uint32_t b) { return (uint32_t)(((uint64_t)a * b) >> 32); }
inline void __trap() { abort(); }
#endif

// ROWS rows of D values into TILES swizzled tiles at once (K and V share their rows' places):
// row r of tile t comes from src[t] + row_offset(r), which is -1 for a row to zero-fill (past the
// tile's end, or padding: a zero V row times a zero probability is never NaN).
template <int D, int ROWS, int TILES, typename RowOffset>
__device__ __forceinline__ void load_rows_async(uint16_t* const (&dst)[TILES], const uint16_t* const (&src)[TILES], RowOffset row_offset) {
  constexpr int kChunks = D / 8;
  static_assert((ROWS * kChunks) % kThreads == 0, "whole rounds of 16-byte copies");
  // Rolled: unrolled, ptxas computed every round's addresses up front (spills at head dim 128).
#pragma unroll 1
  for (int it = 0; it < ROWS * kChunks / kThreads; ++it) {
    const int i = it * kThreads + threadIdx.x;
    const int r = i / kChunks, c = i % kChunks;
    const long long off = row_offset(r);
    const bool in = off >= 0;
#pragma unroll
    for (int t = 0; t < TILES; ++t) cp_async16(dst[t] + Tile<D>::chunk(r, c) * 8, src[t] + (in ? off + c * 8 : 0), in ? 16 : 0);
  }
}

// Lane bases (shared-memory byte addresses, tile base included) of the three fragment loads:
//  A of rows 16i..16i+15: matrices (rows 0-7, cols 0-7), (rows 8-15, 0-7), (rows 0-7, 8-15), (rows 8-15, 8-15);
//  B of S = Q K^T, n-tiles 2np, 2np+1 (K rows): {b0, b1} of n-tile 2np, then of 2np + 1;
//  B of O += P V, head-dim n-tiles 2jp, 2jp+1 (V read transposed): the same order.
template <int D>
__device__ __forceinline__ uint32_t a_lane_base(const uint16_t* tile, int lane) {
  return smem_addr(tile) + Tile<D>::lane_offset(lane & 15, lane >> 4);
}
template <int D>
__device__ __forceinline__ uint32_t k_lane_base(const uint16_t* tile, int lane) {
  return smem_addr(tile) + Tile<D>::lane_offset(((lane >> 4) << 3) + (lane & 7), (lane >> 3) & 1);
}
template <int D>
__device__ __forceinline__ uint32_t v_lane_base(const uint16_t* tile, int lane) {
  return smem_addr(tile) + Tile<D>::lane_offset((((lane >> 3) & 1) << 3) + (lane & 7), lane >> 4);
}

__device__ __forceinline__ uint32_t fast_div(uint32_t n, const FastDiv& f) { return (__umulhi(n, f.mul) + n) >> f.shift; }

// Direct layout: the element offset of the token at index c (row-major) of the tile at tile-grid
// coordinates (t0, t1, t2) of tiles `tile`, for the CTA's batch and head; -1 past the layout.
template <int D>
__device__ __forceinline__ long long direct_row(const Fa2Params& P, int t0, int t1, int t2, const int (&tile)[GNA_MAX_RANK], uint32_t c,
                                                const FastDiv& by2, const FastDiv& by1) {
  const AttentionParams& p = P.a;
  const uint32_t q = fast_div(c, by2), q1 = fast_div(q, by1);
  const int x2 = t2 * tile[2] + (int)(c - q * (uint32_t)tile[2]);
  const int x1 = t1 * tile[1] + (int)(q - q1 * (uint32_t)tile[1]);
  const int x0 = t0 * tile[0] + (int)q1;
  if (x0 >= p.ax[0].n || x1 >= p.ax[1].n || x2 >= p.ax[2].n) return -1;
  const uint32_t bh = blockIdx.y, b = fast_div(bh, P.div_heads);
  const long long token = ((long long)b * P.tokens + ((long long)x0 * p.ax[1].n + x1) * p.ax[2].n + x2);
  return (token * P.heads + (bh - b * (uint32_t)P.heads)) * D;
}


// ---- the forward kernel ---------------------------------------------------------------------

// The KV steps of one CTA's walk in order: KV tiles of the box row-major, kBlockN keys at a time.
// The box is read from shared memory (volatile: ptxas would otherwise keep all of it in registers
// for the whole walk, which the accumulators need).
struct Walk {
  int b0, b1, b2, c0;
  __device__ __forceinline__ void advance(const volatile QTileRange* range, int step_keys, int tile_tokens) {
    c0 += step_keys;
    if (c0 < tile_tokens) return;
    c0 = 0;
    if (++b2 <= range[2].kv_hi) return;
    b2 = range[2].kv_lo;
    if (++b1 <= range[1].kv_hi) return;
    b1 = range[1].kv_lo;
    ++b0;
  }
};

// The kernel's body, for build Config<D, V> (inlined into each kernel below).
template <int D, typename Elem, int V>
__device__ __forceinline__ void fa2_forward(const Fa2Params& P) {
  using C = Config<D, V>;
  using Op = MmaOp<Elem>;
  constexpr int MT = C::kMTiles, BN = C::kBlockN, ST = C::kStages, BM = block_m<D>();
  constexpr bool kQRegs = C::kQInRegisters;
  const AttentionParams& p = P.a;
  extern __shared__ __align__(128) unsigned char smem_raw[];
  uint16_t* sQ = reinterpret_cast<uint16_t*>(smem_raw);
  uint16_t* sKV = sQ + BM * D;  // stage s: K at sKV + 2s·BN·D, V right after it
  int* sWin = reinterpret_cast<int*>(sKV + ST * 2 * BN * D);  // per row: lo[3], hi - lo [3]
  volatile QTileRange* sRange = reinterpret_cast<QTileRange*>(sWin + BM * 6);  // this Q tile's box, per axis

  // fragment() XORs absolute addresses: tiles must start on 128-byte boundaries (the dynamic
  // shared memory of a kernel without static shared memory starts the CTA's window).
  if ((smem_addr(smem_raw) & 127u) != 0) __trap();
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  const int g = lane / 4, tig = lane % 4;
  const int q_tile = blockIdx.x / P.q_chunks;
  const int chunk = blockIdx.x % P.q_chunks;
  const long long bh = blockIdx.y;

  QTileRange range[GNA_MAX_RANK];
  qtile_ranges(p, q_tile, range);

  // Q rows of this block first (their copy overlaps the window set-up below).
  const int q_rows = imin(BM, p.tq_tokens - chunk * BM);
  const int qa2 = q_tile % p.q_grid[2], qa1 = (q_tile / p.q_grid[2]) % p.q_grid[1], qa0 = q_tile / (p.q_grid[2] * p.q_grid[1]);
  {
    uint16_t* const dst[1] = {sQ};
    if (P.direct) {
      const uint16_t* const src[1] = {p.q};
      load_rows_async<D, BM>(dst, src, [&](int r) {
        return r < q_rows ? direct_row<D>(P, qa0, qa1, qa2, p.tq, (uint32_t)(chunk * BM + r), P.div_q2, P.div_q1) : -1LL;
      });
    } else {
      const uint16_t* const src[1] = {p.q + (bh * p.q_padded + (long long)q_tile * p.tq_tokens + (long long)chunk * BM) * D};
      load_rows_async<D, BM>(dst, src, [&](int r) { return r < q_rows ? (long long)r * D : -1LL; });
    }
  }
  cp_async_commit();

  // The walk: every KV tile of the box, ceil(tkv_tokens / BN) steps each; a Walk past the box's
  // last tile along axis 0 is done.
  auto load_step = [&](int stage, const Walk& w) {
    const int valid = imin(BN, p.tkv_tokens - w.c0);
    uint16_t* const dst[2] = {sKV + stage * 2 * BN * D, sKV + stage * 2 * BN * D + BN * D};
    if (P.direct) {
      const uint16_t* const src[2] = {p.k, p.v};
      load_rows_async<D, BN>(dst, src, [&](int r) {
        return r < valid ? direct_row<D>(P, w.b0, w.b1, w.b2, p.tkv, (uint32_t)(w.c0 + r), P.div_kv2, P.div_kv1) : -1LL;
      });
    } else {
      const long long kv_tile = ((long long)w.b0 * p.kv_grid[1] + w.b1) * p.kv_grid[2] + w.b2;
      const long long row = (long long)blockIdx.y * p.kv_padded + kv_tile * p.tkv_tokens + w.c0;
      const uint16_t* const src[2] = {p.k + row * D, p.v + row * D};
      load_rows_async<D, BN>(dst, src, [&](int r) { return r < valid ? (long long)r * D : -1LL; });
    }
  };
  if (threadIdx.x == 0) {
#pragma unroll
    for (int i = 0; i < GNA_MAX_RANK; ++i) {
      sRange[i].kv_lo = range[i].kv_lo;
      sRange[i].kv_hi = range[i].kv_hi;
      sRange[i].full_lo = range[i].full_lo;
      sRange[i].full_hi = range[i].full_hi;
      sRange[i].kv_group_start = range[i].kv_group_start;
    }
  }
  __syncthreads();
  Walk loader{range[0].kv_lo, range[1].kv_lo, range[2].kv_lo, 0};
#pragma unroll
  for (int s = 0; s < ST - 1; ++s) {
    if (loader.b0 <= sRange[0].kv_hi) {
      load_step(s, loader);
      loader.advance(sRange, BN, p.tkv_tokens);
    }
    cp_async_commit();
  }

  // Per-axis window (group coordinates) of every row of the block, for masked steps: rows past
  // the Q tile and padded queries take the last query's window (never stored).
  if (threadIdx.x < BM) {
    const int row = chunk * BM + threadIdx.x;
    int off[GNA_MAX_RANK];
    off[2] = row % p.tq[2];
    off[1] = (row / p.tq[2]) % p.tq[1];
    off[0] = row / (p.tq[2] * p.tq[1]);
#pragma unroll
    for (int i = 0; i < GNA_MAX_RANK; ++i) {
      const int x = imin(range[i].first_query + off[i], range[i].len - 1);
      const Interval w = window_of(x, range[i].len, p.ax[i].k, p.ax[i].s, p.ax[i].causal);
      sWin[threadIdx.x * 6 + i] = w.start;
      sWin[threadIdx.x * 6 + 3 + i] = w.end - w.start;
    }
  }

  float acc[MT][D / 8][4];
#pragma unroll
  for (int mt = 0; mt < MT; ++mt) {
#pragma unroll
    for (int j = 0; j < D / 8; ++j) acc[mt][j][0] = acc[mt][j][1] = acc[mt][j][2] = acc[mt][j][3] = 0.f;
  }
  float row_max[MT][2], row_sum[MT][2];
#pragma unroll
  for (int mt = 0; mt < MT; ++mt) {
    row_max[mt][0] = row_max[mt][1] = -INFINITY;
    row_sum[mt][0] = row_sum[mt][1] = 0.f;
  }
  uint32_t qf[kQRegs ? MT : 1][kQRegs ? D / 16 : 1][4];
  const int warp_row0 = warp * MT * 16;
  const uint32_t q_base = a_lane_base<D>(sQ + warp_row0 * D, lane);
  // (the variant tests the block's place from blockIdx: one register fewer through the walk)
  const bool count = V == 0 ? p.counts != nullptr && bh == 0 && chunk == 0 && threadIdx.x == 0
                            : p.counts != nullptr && blockIdx.y == 0 && blockIdx.x % P.q_chunks == 0 && threadIdx.x == 0;
  const float scale = p.scale_log2;

  if constexpr (kQRegs) {
    cp_async_wait<ST - 1>();  // Q's copies (the K/V stages behind them may still fly)
    __syncthreads();
#pragma unroll
    for (int mt = 0; mt < MT; ++mt) {
#pragma unroll
      for (int kk = 0; kk < D / 16; ++kk) ldmatrix_x4(qf[mt][kk], Tile<D>::fragment(q_base, mt * 16, 2 * kk));
    }
  }
  Walk at{range[0].kv_lo, range[1].kv_lo, range[2].kv_lo, 0};
  int partial_axes = 0;  // bit i: the current KV tile is not full along axis i (its keys need axis i's test)

  for (int stage = 0; at.b0 <= sRange[0].kv_hi; stage = stage + 1 < ST ? stage + 1 : 0) {
    cp_async_wait<ST - 2>();  // this thread's copies of this step (and of Q) have landed
    __syncthreads();          // everyone's have; everyone is done with the previous step's stage
    if (loader.b0 <= sRange[0].kv_hi) {
      load_step(stage == 0 ? ST - 1 : stage - 1, loader);  // ST - 1 steps ahead
      loader.advance(sRange, BN, p.tkv_tokens);
    }
    cp_async_commit();
    if (at.c0 == 0) {
      const int kb[GNA_MAX_RANK] = {at.b0, at.b1, at.b2};
      partial_axes = 0;
#pragma unroll
      for (int i = 0; i < GNA_MAX_RANK; ++i) {
        if (kb[i] < sRange[i].full_lo || kb[i] > sRange[i].full_hi) partial_axes |= 1 << i;
      }
      if (count) {
        atomicAdd(p.counts, 1ull);
        if (partial_axes == 0) atomicAdd(p.counts + 1, 1ull);
      }
    }
    const int valid = imin(BN, p.tkv_tokens - at.c0);
    const uint16_t* sK = sKV + stage * 2 * BN * D;
    const uint32_t k_base = k_lane_base<D>(sK, lane), v_base = v_lane_base<D>(sK + BN * D, lane);

    // Partial steps: which of this thread's scores survive, as bits (nt * 4 + e * 2 + r), worked
    // out before S exists (fewer live registers). A KV tile inside an axis's full range passes
    // that axis for every row, so only the axes it is partial along are tested (padded axes never
    // are): each key's coordinate along the axis from its index in the tile (multiply-shift
    // division) against each row's window (sWin) as key - lo <= hi - lo unsigned. Keys past the
    // tile's end (zero-filled rows) are out.
    const bool masked = partial_axes != 0 || valid < BN;
    uint32_t keep[MT];
#pragma unroll
    for (int mt = 0; mt < MT; ++mt) keep[mt] = ~0u;
    if (valid < BN) {
#pragma unroll
      for (int nt = 0; nt < BN / 8; ++nt) {
#pragma unroll
        for (int e = 0; e < 2; ++e) {
          if (nt * 8 + tig * 2 + e >= valid) {
#pragma unroll
            for (int mt = 0; mt < MT; ++mt) keep[mt] &= ~(3u << (nt * 4 + e * 2));
          }
        }
      }
    }
#pragma unroll
    for (int i = 0; i < GNA_MAX_RANK; ++i) {
      if (((partial_axes >> i) & 1) == 0) continue;  // uniform
      const int kb = i == 0 ? at.b0 : (i == 1 ? at.b1 : at.b2);
      const int tile_extent = i == 0 ? p.tkv[0] : (i == 1 ? p.tkv[1] : p.tkv[2]);
      const int base = (kb - sRange[i].kv_group_start) * tile_extent;  // group coordinate of the tile's first key
      int lo[MT][2], width[MT][2];
#pragma unroll
      for (int mt = 0; mt < MT; ++mt) {
#pragma unroll
        for (int r = 0; r < 2; ++r) {
          const int* w = sWin + (warp_row0 + mt * 16 + g + 8 * r) * 6;
          lo[mt][r] = w[i];
          width[mt][r] = w[3 + i];
        }
      }
#pragma unroll
      for (int nt = 0; nt < BN / 8; ++nt) {
#pragma unroll
        for (int e = 0; e < 2; ++e) {
          // The key's coordinate along axis i: index c in the tile = (x0 * tkv1 + x1) * tkv2 + x2.
          const uint32_t c = (uint32_t)(at.c0 + nt * 8 + tig * 2 + e);
          const uint32_t t = fast_div(c, P.div_kv2);
          uint32_t x;
          if (i == 2) {
            x = c - t * (uint32_t)p.tkv[2];
          } else {
            const uint32_t t1 = fast_div(t, P.div_kv1);
            x = i == 1 ? t - t1 * (uint32_t)p.tkv[1] : t1;
          }
          const int key = base + (int)x;
#pragma unroll
          for (int mt = 0; mt < MT; ++mt) {
#pragma unroll
            for (int r = 0; r < 2; ++r) {
              if ((uint32_t)(key - lo[mt][r]) > (uint32_t)width[mt][r]) keep[mt] &= ~(1u << (nt * 4 + e * 2 + r));
            }
          }
        }
      }
    }

    // S = Q K^T: each K fragment feeds MT m-tiles.
    float s[MT][BN / 8][4];
#pragma unroll
    for (int mt = 0; mt < MT; ++mt) {
#pragma unroll
      for (int nt = 0; nt < BN / 8; ++nt) s[mt][nt][0] = s[mt][nt][1] = s[mt][nt][2] = s[mt][nt][3] = 0.f;
    }
    // With Q in shared memory the k-loop stays rolled: ptxas would otherwise hoist every
    // fragment load of the step at once and run out of registers.
#pragma unroll(kQRegs ? D / 16 : 1)
    for (int kk = 0; kk < D / 16; ++kk) {
      uint32_t a[MT][4];
#pragma unroll
      for (int mt = 0; mt < MT; ++mt) {
        if constexpr (kQRegs) {
#pragma unroll
          for (int x = 0; x < 4; ++x) a[mt][x] = qf[mt][kk][x];
        } else {
          ldmatrix_x4(a[mt], Tile<D>::fragment(q_base, mt * 16, 2 * kk));
        }
      }
#pragma unroll
      for (int np = 0; np < BN / 16; ++np) {
        uint32_t b[4];
        ldmatrix_x4(b, Tile<D>::fragment(k_base, np * 16, 2 * kk));
#pragma unroll
        for (int mt = 0; mt < MT; ++mt) {
          Op::run(s[mt][2 * np], a[mt], b[0], b[1]);
          Op::run(s[mt][2 * np + 1], a[mt], b[2], b[3]);
        }
      }
    }

    if (masked) {
#pragma unroll
      for (int mt = 0; mt < MT; ++mt) {
#pragma unroll
        for (int nt = 0; nt < BN / 8; ++nt) {
#pragma unroll
          for (int x = 0; x < 4; ++x) {
            if (!((keep[mt] >> (nt * 4 + (x & 1) * 2 + x / 2)) & 1u)) s[mt][nt][x] = -INFINITY;
          }
        }
      }
    }

    // Online softmax per row (a row's 4 threads share it): new maxima, rescale the past, P; then
    // O += P V. kPvGroups m-tile groups one after the other (Config): the default builds take all
    // m-tiles at once, so each V fragment feeds MT m-tiles.
    constexpr int MG = MT / C::kPvGroups;  // m-tiles per group
    uint32_t pf[MT][BN / 16][4];
#pragma unroll
    for (int grp = 0; grp < C::kPvGroups; ++grp) {
#pragma unroll
      for (int mt = grp * MG; mt < (grp + 1) * MG; ++mt) {
        float shift[2];
#pragma unroll
        for (int r = 0; r < 2; ++r) {
          float m = row_max[mt][r];
#pragma unroll
          for (int nt = 0; nt < BN / 8; ++nt) m = fmaxf(m, fmaxf(s[mt][nt][2 * r], s[mt][nt][2 * r + 1]));
          m = fmaxf(m, __shfl_xor_sync(0xffffffffu, m, 1));
          m = fmaxf(m, __shfl_xor_sync(0xffffffffu, m, 2));
          shift[r] = m == -INFINITY ? 0.f : m * scale;  // a row with nothing attended yet stays at zero
          const float alpha = ex2(row_max[mt][r] * scale - shift[r]);
          row_max[mt][r] = m;
          row_sum[mt][r] *= alpha;
#pragma unroll
          for (int jd = 0; jd < D / 8; ++jd) {
            acc[mt][jd][2 * r] *= alpha;
            acc[mt][jd][2 * r + 1] *= alpha;
          }
        }
#pragma unroll
        for (int kk = 0; kk < BN / 16; ++kk) {
          float e[8];
#pragma unroll
          for (int h = 0; h < 2; ++h) {
#pragma unroll
            for (int x = 0; x < 4; ++x) e[h * 4 + x] = ex2(fmaf(s[mt][2 * kk + h][x], scale, -shift[x / 2]));
          }
          row_sum[mt][0] += e[0] + e[1] + e[4] + e[5];
          row_sum[mt][1] += e[2] + e[3] + e[6] + e[7];
          pf[mt][kk][0] = Op::pack(e[0], e[1]);
          pf[mt][kk][1] = Op::pack(e[2], e[3]);
          pf[mt][kk][2] = Op::pack(e[4], e[5]);
          pf[mt][kk][3] = Op::pack(e[6], e[7]);
        }
      }
      // V fragment (kk, jp) i-th: key-major in the default builds, head-dim-major in the variant
      // (where ptxas then needs fewer registers).
#pragma unroll
      for (int i = 0; i < BN / 16 * (D / 16); ++i) {
        const int kk = C::kPvGroups == 1 ? i / (D / 16) : i % (BN / 16);
        const int jp = C::kPvGroups == 1 ? i % (D / 16) : i / (BN / 16);
        uint32_t b[4];
        ldmatrix_x4_trans(b, Tile<D>::fragment(v_base, kk * 16, 2 * jp));
#pragma unroll
        for (int mt = grp * MG; mt < (grp + 1) * MG; ++mt) {
          Op::run(acc[mt][2 * jp], pf[mt][kk], b[0], b[1]);
          Op::run(acc[mt][2 * jp + 1], pf[mt][kk], b[2], b[3]);
        }
      }
    }
    at.advance(sRange, BN, p.tkv_tokens);
  }
  cp_async_wait<0>();  // no copy may outlive the CTA (the trailing groups are empty)

  // Normalise and store rows of the Q tile: permuted, padded queries included (permute_out never
  // reads them); direct, only the layout's tokens. The block's place from blockIdx again rather
  // than kept live through the walk.
  const int o_tile = blockIdx.x / P.q_chunks;
  const int o_row0 = (blockIdx.x % P.q_chunks) * BM + warp_row0;
#pragma unroll
  for (int mt = 0; mt < MT; ++mt) {
#pragma unroll
    for (int r = 0; r < 2; ++r) {
      const float sum = quad_sum(row_sum[mt][r]);
      const int row = o_row0 + mt * 16 + g + 8 * r;
      if (row >= p.tq_tokens) continue;
      long long o_off;
      if (P.direct) {
        o_off = direct_row<D>(P, o_tile / (p.q_grid[2] * p.q_grid[1]), (o_tile / p.q_grid[2]) % p.q_grid[1], o_tile % p.q_grid[2], p.tq,
                              (uint32_t)row, P.div_q2, P.div_q1);
        if (o_off < 0) continue;
      } else {
        o_off = ((long long)blockIdx.y * p.q_padded + (long long)o_tile * p.tq_tokens + row) * D;
      }
      const float inv = sum > 0.f ? 1.f / sum : 0.f;
      uint16_t* out = p.o + o_off + tig * 2;
#pragma unroll
      for (int jd = 0; jd < D / 8; ++jd) {
        *reinterpret_cast<uint32_t*>(out + jd * 8) = Op::pack(acc[mt][jd][2 * r] * inv, acc[mt][jd][2 * r + 1] * inv);
      }
    }
  }
}

// The default builds, and variant V of those that have one (Config), apart so that adding a
// variant leaves the default builds' machine code as it was.
template <int D, typename Elem>
__global__ void __launch_bounds__(kThreads, 1) gna_fa2_kernel(const Fa2Params P) {
  fa2_forward<D, Elem, 0>(P);
}
template <int D, typename Elem, int V>
__global__ void __launch_bounds__(kThreads, 1) gna_fa2_kernel_v(const Fa2Params P) {
  fa2_forward<D, Elem, V>(P);
}

}  // namespace fa2
}  // namespace gna

#endif  // GNA_FA2_CUH
