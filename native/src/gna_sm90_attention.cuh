// gna_sm90_attention.cuh: the Hopper fused GNA forward (sm_90a): TMA loads, wgmma, warp
// specialisation, persistent CTAs. Head dims 32, 64, 128 and 256 (one build each, Config<D>, with
// the tiles of the simulator's Hopper presets: gna_hopper_tiles.h), fp16/bf16 operands, fp32
// accumulation. The text below describes head dim 128; Config<D> says what changes elsewhere.
//
// Work item = 128 query rows of one Q tile of one (batch, head): a Q tile of 128·c tokens is c
// items. Each item walks exactly the KV tile box [kv_lo, kv_hi] per axis that gna::qtile_range
// gives (the simulator's count), one KV tile of 128 tokens per step.
//
// A CTA has three warpgroups. Warpgroup 0 is the producer: one thread issues the TMA loads of
// Q (once per item, two buffers, so the next item's Q arrives during this one) and of K and V
// (two pipeline stages each) and waits only on "slot empty" barriers. Warpgroups 1 and 2 are
// consumers, 64 query rows each: S = Q·Kᵀ (wgmma, both operands in shared memory), mask
// (partial KV tiles only), online softmax in fp32 with exp2 and the scale folded into one FFMA,
// P converted to 16-bit in registers, O += P·V (wgmma, A from registers, V read N-major
// straight from its TMA layout). The two consumer warpgroups run
// their GEMMs and softmax out of step, which keeps the tensor cores busy: warpgroup 1 starts
// each item once warpgroup 0's first S has landed (PERF-NOTES v13).
//
// Tiles reach shared memory one of two ways (the same smem image either way: 128 token rows of
// 256 bytes, stored as two 64-column halves of 128 rows × 128 bytes, 128-byte swizzle):
//  - direct: from the caller's [batch, n0, n1, n2, heads, D] tensor with a 5-D tensor map
//    (D, heads, n2, n1, batch·n0): a multi-dimensional tile is one TMA box, so no token
//    permutation pass exists at all. Out-of-range coordinates read zeros (or, along n0 only,
//    the next batch's first rows, which the mask never lets through; this mode is chosen only
//    when that cannot happen, see gna_sm90.cu).
//  - permuted: from token-permuted [batch·heads, padded tokens, D] buffers (gna_permute.cuh),
//    for what a box cannot express (dilation).
//
// The mask of a partial tile: per axis, a key attends a query iff its offset inside the KV tile
// lies in the query's window shifted to the tile; the three per-axis tests run at once on
// packed 10-bit lanes (see mask_words).
#ifndef GNA_SM90_ATTENTION_CUH
#define GNA_SM90_ATTENTION_CUH

#include <cuda.h>
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <stdint.h>

#include "gna_hopper_tiles.h"
#include "gna_math.h"
#include "gna_sm90.cuh"

namespace gna {
namespace sm90 {

constexpr int kThreads = 384;    // producer warpgroup + 2 consumer warpgroups
constexpr int kWalkBytes = 80;   // sizeof(WalkSummary)

// One build of the kernel: head dim D with the tiles of its Hopper presets (Q tile tokens = the
// rows of a work item, KV tile tokens = the keys of a step). Head dim 128 is the kernel of
// PERF-NOTES v13, whose machine code these constants reproduce byte for byte.
//  - 128 and 256: an item is 128 query rows, 64 per consumer warpgroup, both on one walk.
//  - 32 and 64 (64-token Q tiles): "split": each consumer warpgroup runs its own stream of
//    64-row items with its own producer thread, Q buffers, K/V stages and barriers, as two
//    independent pipelines sharing the SM (two halves of everything below).
//  - Tiles are stored as column chunks of 128-byte rows with the 128-byte swizzle (64 columns),
//    or at head dim 32 one chunk of 64-byte rows with the 64-byte swizzle.
//  - Stages and Q buffers are what fits in 227 KB: head dim 256 has one Q buffer (64 KB) and two
//    64-key stages; 32 has four stages.
template <int D>
struct Config {
  static_assert(gna_hopper_tokens_agree(D), "every Hopper preset of a head dim has the same tokens");
  static constexpr int kDim = D;
  static constexpr int kRows = gna_hopper_tile_tokens(D, false);  // query rows per work item
  static constexpr int kKeys = gna_hopper_tile_tokens(D, true);   // keys per step: one KV tile
  static_assert((kRows == 128 || kRows == 64) && (kKeys == 128 || kKeys == 64), "tile tokens the kernel has code for");
  static constexpr bool kSplit = kRows == 64;
  static constexpr int kHalves = kSplit ? 2 : 1;
  static constexpr int kStages = D == 32 ? 4 : 2;         // K and V pipeline depth
  static constexpr int kQBuffers = D == 256 ? 1 : 2;     // Q of this item and of the next
  static constexpr int kRowBytes = D >= 64 ? 128 : 2 * D;  // one swizzled row of a column chunk
  static constexpr int kBoxCols = kRowBytes / 2;           // head-dim columns per chunk (TMA box)
  static constexpr int kChunks = D / kBoxCols;
  static constexpr int kKPerRow = kRowBytes / 32;          // k-steps of 16 columns per chunk row
  static constexpr int kQChunkBytes = kRows * kRowBytes;
  static constexpr int kQTileBytes = kChunks * kQChunkBytes;
  static constexpr int kKvChunkBytes = kKeys * kRowBytes;
  static constexpr int kKvTileBytes = kChunks * kKvChunkBytes;
  static constexpr int kEmptyArrivals = kSplit ? 4 : 8;   // consumer warps on one K or V stage
  static constexpr int kQEmptyArrivals = kSplit ? 1 : 2;  // consumer warpgroups on one Q buffer
  // Shared memory, from a 1024-byte aligned base.
  static constexpr int kOffQ = 0;
  static constexpr int kOffK = kOffQ + kHalves * kQBuffers * kQTileBytes;
  static constexpr int kOffV = kOffK + kHalves * kStages * kKvTileBytes;
  static constexpr int kOffBar = kOffV + kHalves * kStages * kKvTileBytes;
  static constexpr int kBarsPerHalf = 2 * kQBuffers + 4 * kStages;  // q_full[], q_empty[], k_full[], k_empty[], v_full[], v_empty[]
  static constexpr int kOffWalk = kOffBar + 8 * kHalves * kBarsPerHalf;  // per consumer warpgroup, 2 items: WalkSummary
  static constexpr int kOffKeys = kOffWalk + 4 * kWalkBytes;  // 2 × kKeys packed key offsets
  static constexpr int kOffOdo = kOffKeys + 2 * kKeys * 4;    // per consumer thread: its walk odometer (int2)
  static constexpr int kOffOut = kOffOdo + 256 * 8;           // per consumer warpgroup, 2 items: output box coordinates (int4)
  static constexpr int kSmemBytes = kOffOut + 4 * 16 + 1024;  // + alignment slack
  static_assert(kSmemBytes <= 227 * 1024, "shared memory of one CTA");
};

// The shared-memory matrix descriptor of a build's swizzle (128-byte, or 64-byte at head dim 32).
template <typename C>
__device__ __forceinline__ uint64_t desc(uint32_t addr, uint32_t lbo, uint32_t sbo) {
  if constexpr (C::kRowBytes == 128) {
    return desc_sw128(addr, lbo, sbo);
  } else {
    return desc_sw64(addr, lbo, sbo);
  }
}

// Work items of this CTA (of consumer warpgroup / producer thread `half` in split builds).
template <typename C>
__device__ __forceinline__ int first_item(int half) {
  if constexpr (C::kSplit) {
    return (int)blockIdx.x * 2 + half;
  } else {
    return blockIdx.x;
  }
}
template <typename C>
__device__ __forceinline__ int item_stride() {
  if constexpr (C::kSplit) {
    return (int)gridDim.x * 2;
  } else {
    return gridDim.x;
  }
}

// Packed 10-bit lanes (axis 0 in bits 0-9, axis 1 in 10-19, axis 2 in 20-29); bit 9 of each lane
// is its guard bit.
constexpr uint32_t kGuards = (1u << 9) | (1u << 19) | (1u << 29);
constexpr uint32_t kLaneOnes = 1u | (1u << 10) | (1u << 20);

struct Params {
  CUtensorMap map_q, map_k, map_v, map_o;  // 64-byte aligned members first
  // The output box is half a Q chunk (one consumer warpgroup's 64 rows): warpgroup cw's box
  // starts cw · o_extent further along tensor-map coordinate o_axis (of the four after head dim).
  int o_axis, o_extent;
  Axis ax[GNA_MAX_RANK];
  int tq[GNA_MAX_RANK], tkv[GNA_MAX_RANK];
  int q_grid[GNA_MAX_RANK], kv_grid[GNA_MAX_RANK];
  int tq_tokens;
  int q_chunks;            // tq_tokens / 128
  int q_tiles;             // Q tiles per (batch, head)
  int heads;
  int work;                // batch · heads · q_tiles · q_chunks (< 2^31, checked on the host)
  long long q_padded;      // permuted mode: rows per (batch, head)
  int direct;
  float scale_log2;        // softmax scale · log2(e)
  // The launch's fixed divisors (FastDiv): items per (batch, head), chunks per Q tile, heads, the
  // Q grid's and the Q and KV tiles' two inner extents.
  FastDiv div_bh_items, div_chunks, div_heads, div_q_grid1, div_q_grid2, div_tq1, div_tq2, div_tkv1, div_tkv2;
  // Per axis, computed on the host (gna_sm90.cu) so that no thread divides at an item's start:
  // the KV tiles of every Q tile (qtile_range), and the window [lo, hi] of every padded query
  // position (tile · tq + offset; lo > hi for a padded query).
  const QTileRange* ranges[GNA_MAX_RANK];
  const int2* windows[GNA_MAX_RANK];
  unsigned long long* counts;  // debug: {visited, full} of batch 0, head 0; may be null
  unsigned long long* trace;   // diagnosis: per CTA kTraceSlots timestamps (see Trace); may be null
  // The output tensor (direct: the caller's [batch, n0, n1, n2, heads, D]; permuted: the
  // [batch·heads, q_padded, D] buffer), for the variant that stores O from registers (kVariantBoundary).
  // Last, so that the fields the measured kernel reads keep their parameter offsets.
  void* o;
};

// Kernel variants, built beside the measured kernel (variant 0) so that one GPU run times both
// (GNA_SM90_VARIANT=N in the GPU scripts, the launch option `variant`; PERF-NOTES "Issue 18:
// variants prepared without a GPU (session 10)"). Bit flags; only the split builds (head dims
// 32 and 64) have them, every other build runs variant 0 whatever is asked.
//  - kVariantBoundary: a shorter item boundary. The next item's setup (table loads, walk summary,
//    the output rows' addresses) runs beside this item's first S instead of beside its last PV
//    (a 64-row PV is too short to hide the loads); O goes from registers straight to global
//    memory (no normalise into the Q buffer, proxy fence, warpgroup barrier, TMA store, nor the
//    bulk-read wait before the next item's first S); the Q buffer goes back to the producer as
//    soon as the item's last S has landed (one arrival per consumer warp, like the K/V stages).
//  - kVariantStagger: the two pipelines of a split build out of step. They start together and walk
//    items of the same length, so their item boundaries (Q, last PV, epilogue, first S) fall at the
//    same time and leave the SM idle together; consumer warpgroup 1 now starts its first item once
//    warpgroup 0's first step (S and softmax) is done, one step later, and nothing pulls them back
//    into step. Once per kernel, with v13b's named barrier (id 3, 256 threads), which the split
//    builds do not otherwise use.
constexpr int kVariantBoundary = 1;
constexpr int kVariantStagger = 2;
constexpr int kVariants = 4;  // variants 0 .. kVariants - 1 (bit flags) exist for the split builds

// A timeline of each CTA (the trace launch option, gna_sm90.cu; read by native/bench/trace.py): SM clock
// cycles (clock64) of events of consumer warpgroup 0's first thread, so that the fixed costs of
// a launch and of an item boundary are measured rather than fitted. Slot 0: %globaltimer (ns) at
// entry, slot 1: clock64 at entry, slot 2: clock64 at exit, slot 3: %globaltimer at exit; items
// 0..kTraceItems-1 of the CTA at 8 + 64·item: +0 Q ready, +1 first S landed, +2 step 0's softmax
// done, +2+s step s done (s < kTraceSteps), +60 output normalised into shared memory, +61 the
// warpgroup synchronised, +62 last PV landed, +63 stored.
constexpr int kTraceSlots = 8 + 64 * 4;
constexpr int kTraceItems = 4;
constexpr int kTraceSteps = 58;

#ifndef GNA_CUDA_EMU_H
__device__ __forceinline__ unsigned long long clock_now() {
  unsigned long long t;
  asm volatile("mov.u64 %0, %%clock64;" : "=l"(t)::"memory");
  return t;
}

__device__ __forceinline__ unsigned long long global_ns() {
  unsigned long long t;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t)::"memory");
  return t;
}
#else  // the CPU emulation: a counter
inline unsigned long long clock_now() { return emu::hopper::clock(); }
inline unsigned long long global_ns() { return emu::hopper::clock(); }
#endif

// Records event `slot` of item `item` (slot < 64) for this CTA, if tracing and in range.
__device__ __forceinline__ void trace_item(const Params& p, int item, int slot) {
  if (p.trace != nullptr && item < kTraceItems) p.trace[blockIdx.x * kTraceSlots + 8 + 64 * item + slot] = clock_now();
}

// The mbarrier arrays (8 bytes each): q_full + 8·buffer, k_full + 8·stage, and so on.
struct Bars {
  uint32_t q_full, q_empty, k_full, k_empty, v_full, v_empty;
};

template <typename C>
__device__ __forceinline__ Bars bars_at(uint32_t base, int half) {
  Bars b;
  b.q_full = base + C::kOffBar + 8 * C::kBarsPerHalf * half;
  b.q_empty = b.q_full + 8 * C::kQBuffers;
  b.k_full = b.q_empty + 8 * C::kQBuffers;
  b.k_empty = b.k_full + 8 * C::kStages;
  b.v_full = b.k_empty + 8 * C::kStages;
  b.v_empty = b.v_full + 8 * C::kStages;
  return b;
}

struct Item {
  int bh, q_tile, chunk;
  int qa[GNA_MAX_RANK];
};

__device__ __forceinline__ Item decode(const Params& p, int w) {
  Item it;
  it.bh = div_by(w, p.div_bh_items);
  const int r = w - it.bh * (int)p.div_bh_items.d;
  it.q_tile = div_by(r, p.div_chunks);
  it.chunk = r - it.q_tile * p.q_chunks;
  split3(it.q_tile, p.div_q_grid2, p.div_q_grid1, it.qa);
  return it;
}

// The KV tiles one item walks: a box, row-major; c0 · c1 · c2 steps. A walk along one axis
// (c1 = c2 = 1) starts at slice rot0 and wraps, chosen so that step s visits the tile whose index
// is ≡ s (mod c0): CTAs that start together then ask for the same few tiles at each step rather
// than each for a different cold one (1-D +2%). Box walks keep row-major order: their concurrent
// neighbours already share tiles step by step, and rotating them cost stride-1 2-D/3-D 1.5-2.5%
// (PERF-NOTES v13). The sum is order-independent; only its rounding moves.
struct Walk {
  QTileRange r[GNA_MAX_RANK];
  int c0, c1, c2, steps, rot0;
};

__device__ __forceinline__ Walk walk_of(const Params& p, const Item& it) {
  Walk w;
#pragma unroll
  for (int i = 0; i < GNA_MAX_RANK; ++i) w.r[i] = p.ranges[i][it.qa[i]];
  w.c0 = w.r[0].kv_hi - w.r[0].kv_lo + 1;
  w.c1 = w.r[1].kv_hi - w.r[1].kv_lo + 1;
  w.c2 = w.r[2].kv_hi - w.r[2].kv_lo + 1;
  w.steps = w.c0 * w.c1 * w.c2;
  w.rot0 = w.c1 * w.c2 == 1 ? (w.c0 - w.r[0].kv_lo % w.c0) % w.c0 : 0;  // kv_lo >= 0
  return w;
}

__device__ __forceinline__ void kv_tile_of(const Walk& w, int step, int (&kb)[GNA_MAX_RANK]) {
  kb[2] = w.r[2].kv_lo + step % w.c2;
  kb[1] = w.r[1].kv_lo + (step / w.c2) % w.c1;
  const int t0 = step / (w.c2 * w.c1) + w.rot0;
  kb[0] = w.r[0].kv_lo + (t0 < w.c0 ? t0 : t0 - w.c0);
}

// A 4×4 transpose across the four threads of an mma quad (lanes 4g + t): thread t holds w[b], its
// two columns (2t, 2t+1) of 8-column block b; it returns block t whole, its words in column order
// (v.x from lane 4g, ..., v.w from lane 4g + 3). Two butterfly rounds of two shuffles each: with
// partner t^1 each thread keeps the two blocks of its own parity and trades the other two, then with
// partner t^2 it keeps the pair of the block it ends with and trades the other pair. All 32 lanes
// must call it (full-mask shuffles).
__device__ __forceinline__ uint4 quad_transpose(const uint32_t (&w)[4], int t) {
  const bool odd = (t & 1) != 0, high = (t & 2) != 0;
  // Round 1: blocks b0 = t&1 and b1 = 2 + (t&1) stay; the partner sends its words of them.
  const uint32_t got0 = __shfl_xor_sync(0xffffffffu, odd ? w[0] : w[1], 1);
  const uint32_t got1 = __shfl_xor_sync(0xffffffffu, odd ? w[2] : w[3], 1);
  const uint32_t keep0 = odd ? w[1] : w[0], keep1 = odd ? w[3] : w[2];
  // Each block's pair in lane order (the even lane's word first).
  const uint32_t lo0 = odd ? got0 : keep0, hi0 = odd ? keep0 : got0;
  const uint32_t lo1 = odd ? got1 : keep1, hi1 = odd ? keep1 : got1;
  // Round 2: block t is b0 for t < 2, b1 otherwise; the partner t^2 wants the other one.
  const uint32_t r_lo = __shfl_xor_sync(0xffffffffu, high ? lo0 : lo1, 2);
  const uint32_t r_hi = __shfl_xor_sync(0xffffffffu, high ? hi0 : hi1, 2);
  const uint32_t k_lo = high ? lo1 : lo0, k_hi = high ? hi1 : hi0;
  return high ? make_uint4(r_lo, r_hi, k_lo, k_hi) : make_uint4(k_lo, k_hi, r_lo, r_hi);
}

__device__ __forceinline__ int clamp_lane(int v) { return v < 0 ? 0 : (v > 256 ? 256 : v); }

// What a consumer needs of an item's walk at every step, kept in shared memory (one copy per
// consumer warpgroup and item parity) instead of registers.
struct WalkSummary {
  int kv_lo[GNA_MAX_RANK], full_lo[GNA_MAX_RANK], full_hi[GNA_MAX_RANK], group_start[GNA_MAX_RANK];
  int c0, c1, c2, rot0;
  int all_full;  // every KV tile of the walk runs unmasked (dense; strided configs): no per-step work
  int pad[3];
};
static_assert(sizeof(WalkSummary) == kWalkBytes, "kWalkBytes");

__device__ __forceinline__ WalkSummary summary_of(const Walk& w) {
  WalkSummary ws;
#pragma unroll
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    ws.kv_lo[i] = w.r[i].kv_lo;
    ws.full_lo[i] = w.r[i].full_lo;
    ws.full_hi[i] = w.r[i].full_hi;
    ws.group_start[i] = w.r[i].kv_group_start;
  }
  ws.c0 = w.c0;
  ws.c1 = w.c1;
  ws.c2 = w.c2;
  ws.rot0 = w.rot0;
  ws.all_full = 1;
#pragma unroll
  for (int i = 0; i < GNA_MAX_RANK; ++i) ws.all_full &= w.r[i].full_lo == w.r[i].kv_lo && w.r[i].full_hi == w.r[i].kv_hi;
  ws.pad[0] = ws.pad[1] = ws.pad[2] = 0;
  return ws;
}

// The KV tile of a walk at odometer position (t0, t12 = t1 << 16 | t2): x = 1 if it runs
// unmasked, y/z/w = the group coordinate of its first key on axes 0/1/2. An odometer, because
// three integer divisions per step cost 12% of throughput (PERF-NOTES v5).
__device__ __forceinline__ int4 step_meta(const WalkSummary& ws, const int (&tkv)[GNA_MAX_RANK], int t0, uint32_t t12) {
  const int kb[GNA_MAX_RANK] = {ws.kv_lo[0] + t0, ws.kv_lo[1] + (int)(t12 >> 16), ws.kv_lo[2] + (int)(t12 & 0xffffu)};
  bool full = true;
#pragma unroll
  for (int i = 0; i < GNA_MAX_RANK; ++i) full = full && kb[i] >= ws.full_lo[i] && kb[i] <= ws.full_hi[i];
  return make_int4(full ? 1 : 0, (kb[0] - ws.group_start[0]) * tkv[0], (kb[1] - ws.group_start[1]) * tkv[1],
                   (kb[2] - ws.group_start[2]) * tkv[2]);
}

// Advances the odometer by one KV tile (axis 2 fastest; c1, c2 < 2^16, checked on the host;
// axis 0 wraps: a one-axis walk starts at slice rot0, see Walk).
__device__ __forceinline__ void step_next(const WalkSummary& ws, int& t0, uint32_t& t12) {
  if ((int)(t12 & 0xffffu) + 1 < ws.c2) {
    t12 += 1;
  } else {
    t12 = (t12 & 0xffff0000u) + 0x10000u;
    if ((int)(t12 >> 16) >= ws.c1) {
      t12 = 0;
      t0 = t0 + 1 < ws.c0 ? t0 + 1 : 0;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Producer: one thread.

// The tensor-map coordinates (after the head-dim one) of an item's query rows.
template <typename C>
__device__ __forceinline__ void q_coords(const Params& p, const Item& it, int (&c)[4]) {
  if (p.direct) {
    const int b = div_by(it.bh, p.div_heads);
    int o[3];
    split3(it.chunk * C::kRows, p.div_tq2, p.div_tq1, o);
    c[0] = it.bh - b * p.heads;
    c[1] = it.qa[2] * p.tq[2] + o[2];
    c[2] = it.qa[1] * p.tq[1] + o[1];
    c[3] = b * p.ax[0].n + it.qa[0] * p.tq[0] + o[0];
  } else {
    c[0] = it.q_tile * p.tq_tokens + it.chunk * C::kRows;
    c[1] = it.bh;
    c[2] = c[3] = 0;
  }
}

// The tensor-map coordinates (after the head-dim one) of KV tile kb of (batch·head) bh.
template <typename C>
__device__ __forceinline__ void kv_coords(const Params& p, int bh, const int (&kb)[GNA_MAX_RANK], int (&c)[4]) {
  if (p.direct) {
    const int b = div_by(bh, p.div_heads);
    c[0] = bh - b * p.heads;
    c[1] = kb[2] * p.tkv[2];
    c[2] = kb[1] * p.tkv[1];
    c[3] = b * p.ax[0].n + kb[0] * p.tkv[0];
  } else {
    c[0] = ((kb[0] * p.kv_grid[1] + kb[1]) * p.kv_grid[2] + kb[2]) * C::kKeys;
    c[1] = bh;
    c[2] = c[3] = 0;
  }
}

// `half`: which pipeline this thread feeds in a split build (0 otherwise).
template <typename C>
__device__ __forceinline__ void produce(const Params& p, uint32_t base, int half) {
  const Bars bars = bars_at<C>(base, half);
  tma_prefetch_map(&p.map_q);
  tma_prefetch_map(&p.map_k);
  tma_prefetch_map(&p.map_v);
  uint32_t step = 0;
  int local = 0;  // items of this CTA so far: Q buffer local % 2, used for the (local / 2)-th time
  for (int w = first_item<C>(half); w < p.work; w += item_stride<C>(), ++local) {
    const Item it = decode(p, w);
    const bool count = p.counts != nullptr && it.bh == 0 && it.chunk == 0;

    // Q first (before the walk's table loads, which only the K/V coordinates need): a buffer
    // comes back once the TMA has read the output of the item before last out of it.
    const int qb = local & (C::kQBuffers - 1);
    const uint32_t q_full = bars.q_full + 8 * qb;
    bar_wait(bars.q_empty + 8 * qb, ((local >> (C::kQBuffers - 1)) & 1) ^ 1);
    bar_arrive_expect(q_full, C::kQTileBytes);
    int q[4];
    q_coords<C>(p, it, q);
    // Everything before this line may overlap the previous kernel's tail (PDL); Q, K and V may be
    // its outputs, and O may be its input.
    if (local == 0) grid_dependency_wait();
    const uint32_t q_buf = base + C::kOffQ + (half * C::kQBuffers + qb) * C::kQTileBytes;
    for (int ch = 0; ch < C::kChunks; ++ch) {
      tma_load_5d(q_buf + ch * C::kQChunkBytes, &p.map_q, q_full, ch * C::kBoxCols, q[0], q[1], q[2], q[3]);
    }
    const Walk wk = walk_of(p, it);

    for (int s = 0; s < wk.steps; ++s, ++step) {
      int kb[GNA_MAX_RANK], c[4];
      kv_tile_of(wk, s, kb);
      kv_coords<C>(p, it.bh, kb, c);
      const int stage = step % C::kStages;
      const uint32_t parity = (step / C::kStages) & 1;
      bar_wait(bars.k_empty + 8 * stage, parity ^ 1);
      if (count) {  // debug: the tile pairs walked, and the unmasked ones, of batch 0 head 0
        bool full = true;
#pragma unroll
        for (int i = 0; i < GNA_MAX_RANK; ++i) full = full && kb[i] >= wk.r[i].full_lo && kb[i] <= wk.r[i].full_hi;
        atomicAdd(p.counts, 1ull);
        if (full) atomicAdd(p.counts + 1, 1ull);
      }
      const uint32_t k_full = bars.k_full + 8 * stage, v_full = bars.v_full + 8 * stage;
      const int slot = half * C::kStages + stage;
      bar_arrive_expect(k_full, C::kKvTileBytes);
      for (int ch = 0; ch < C::kChunks; ++ch)
        tma_load_5d(base + C::kOffK + slot * C::kKvTileBytes + ch * C::kKvChunkBytes, &p.map_k, k_full, ch * C::kBoxCols, c[0], c[1],
                    c[2], c[3]);
      bar_wait(bars.v_empty + 8 * stage, parity ^ 1);
      bar_arrive_expect(v_full, C::kKvTileBytes);
      for (int ch = 0; ch < C::kChunks; ++ch)
        tma_load_5d(base + C::kOffV + slot * C::kKvTileBytes + ch * C::kKvChunkBytes, &p.map_v, v_full, ch * C::kBoxCols, c[0], c[1],
                    c[2], c[3]);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Consumers: 2 warpgroups × 128 threads.

// What one consumer thread keeps of an item between its setup and its epilogue.
struct ItemState {
  int steps;
  int lo[2][GNA_MAX_RANK], hi[2][GNA_MAX_RANK];  // windows of the thread's two query rows
};

// kVariantBoundary's item state: also where each of the thread's two rows starts in the output
// (elements from its base; -1 for a row outside the tensor, which the TMA store would have clipped).
struct ItemStateOut : ItemState {
  long long out[2];
};
template <bool kBoundary>
struct StateOf {
  using T = ItemState;
};
template <>
struct StateOf<true> {
  using T = ItemStateOut;
};

template <typename C, typename E, int V = 0>
__device__ __forceinline__ void consume(const Params& p, uint32_t base, const uint32_t* key_words, WalkSummary* walks,
                                        uint2* odometers, int4* outs) {
  using M = Mma<E>;
  constexpr bool kBoundary = (V & kVariantBoundary) != 0;
  constexpr bool kStagger = (V & kVariantStagger) != 0;
  static_assert(V == 0 || C::kSplit, "the variants are built for the split builds (head dims 32 and 64) only");
  // The pipeline of this warpgroup: its own in a split build, the CTA's otherwise. Broadcast from
  // lane 0 so that ptxas knows it is warp-uniform: item loops whose bounds it takes for per-thread
  // values put the wgmmas on a divergent path, which it serialises (C7520).
  const int half = C::kSplit ? __shfl_sync(0xffffffffu, (int)(threadIdx.x / 128) - 1, 0) : 0;
  const Bars bars = bars_at<C>(base, half);
  const uint32_t k_full = bars.k_full, k_empty = bars.k_empty, v_full = bars.v_full, v_empty = bars.v_empty;

  const int cw = threadIdx.x / 128 - 1;  // consumer warpgroup 0 or 1
  const int t128 = threadIdx.x % 128;
  const int warp = t128 / 32, lane = t128 % 32;
  const int g = lane / 4, tig = lane % 4;
  const bool arriver = lane == 0;  // one arrival per consumer warp on the "empty" barriers
  const bool tracer = threadIdx.x == 128;

  // Item setup: table loads and a few multiplications. One thread of the warpgroup publishes
  // the walk; two copies by item parity, so that this write never meets a slower thread still
  // reading the previous item's copy.
  auto setup = [&](int w, int parity, ItemState& st) {
    const Item it = decode(p, w);
    const Walk wk = walk_of(p, it);
    if (t128 == 0) {
      walks[cw * 2 + parity] = summary_of(wk);
      // The output box's tensor-map coordinates, here rather than in the epilogue, where these
      // divisions held up the warpgroup's next item (PERF-NOTES v11).
      int c[4];
      q_coords<C>(p, it, c);
#pragma unroll
      for (int i = 0; i < 4; ++i) c[i] += i == p.o_axis ? cw * p.o_extent : 0;
      outs[cw * 2 + parity] = make_int4(c[0], c[1], c[2], c[3]);
    }
    st.steps = wk.steps;
#pragma unroll
    for (int r = 0; r < 2; ++r) {
      const int row = it.chunk * C::kRows + (C::kSplit ? 0 : cw * 64) + warp * 16 + g + 8 * r;  // row inside the Q tile
      int off[GNA_MAX_RANK];
      split3(row, p.div_tq2, p.div_tq1, off);
#pragma unroll
      for (int i = 0; i < GNA_MAX_RANK; ++i) {
        const int2 win = p.windows[i][it.qa[i] * p.tq[i] + off[i]];
        st.lo[r][i] = win.x;
        st.hi[r][i] = win.y;
      }
    }
    consumers_sync_wg(cw);
  };

  // kVariantBoundary: the next item's setup, run beside this item's first S. It has no barrier
  // of its own; these invariants make the walk summary it writes safe (per consumer warpgroup):
  //  (1) the slot it writes (the next item's parity) was last read by the previous item, and every
  //      thread has passed that item's last-PV barrier (last_pv) before this item's first S;
  //  (2) the next item reads the slot only after this item's last-PV barrier, which thread 0 reaches
  //      after writing it (bar.sync orders shared memory among its threads).
  // The windows and output rows go to `st` (registers), the summary to shared memory.
  auto setup_early = [&](int w, int parity, ItemStateOut& st) {
    const Item it = decode(p, w);
    const Walk wk = walk_of(p, it);
    if (t128 == 0) walks[cw * 2 + parity] = summary_of(wk);
    st.steps = wk.steps;
    const int b = p.direct ? div_by(it.bh, p.div_heads) : 0;
    const int h = it.bh - b * p.heads;
#pragma unroll
    for (int r = 0; r < 2; ++r) {
      const int row = it.chunk * C::kRows + warp * 16 + g + 8 * r;  // row inside the Q tile (split: one warpgroup's item)
      int off[GNA_MAX_RANK];
      split3(row, p.div_tq2, p.div_tq1, off);
      bool inside = true;
      int x[GNA_MAX_RANK];
#pragma unroll
      for (int i = 0; i < GNA_MAX_RANK; ++i) {
        const int2 win = p.windows[i][it.qa[i] * p.tq[i] + off[i]];
        st.lo[r][i] = win.x;
        st.hi[r][i] = win.y;
        x[i] = it.qa[i] * p.tq[i] + off[i];
        inside = inside && x[i] < p.ax[i].n;
      }
      if (p.direct) {  // [batch, n0, n1, n2, heads, D]
        const long long token = (((long long)b * p.ax[0].n + x[0]) * p.ax[1].n + x[1]) * p.ax[2].n + x[2];
        st.out[r] = inside ? (token * p.heads + h) * C::kDim : -1;
      } else {  // [batch·heads, q_padded, D], rows in tile order
        const long long prow = (long long)it.q_tile * p.tq_tokens + row;
        st.out[r] = prow < p.q_padded ? ((long long)it.bh * p.q_padded + prow) * C::kDim : -1;
      }
    }
  };

  uint32_t step = 0, q_phase = 0;  // q_phase: items of this CTA so far; Q buffer q_phase % 2
  int stored_qb = -1;  // the Q buffer whose output rows this warpgroup's TMA store may still read
  typename StateOf<kBoundary>::T cur, nxt;  // nxt: kBoundary only, the next item's (set at this item's first S)
  if (first_item<C>(half) < p.work) {
    if constexpr (kBoundary) {
      setup_early(first_item<C>(half), 0, cur);
      consumers_sync_wg(cw);  // the first item's summary, as (2) above
    } else {
      setup(first_item<C>(half), 0, cur);
    }
  }
  for (int w = first_item<C>(half); w < p.work; w += item_stride<C>()) {
    const WalkSummary* ws = walks + cw * 2 + (q_phase & 1);
    const int steps = cur.steps;

    float o[C::kDim / 2];
#pragma unroll
    for (int i = 0; i < C::kDim / 2; ++i) o[i] = 0.f;
    float row_max[2] = {-INFINITY, -INFINITY};  // raw scores
    float row_sum[2] = {0.f, 0.f};              // this thread's share; reduced over the quad at the end
    // S accumulators: the first k-step of each S = Q·Kᵀ overwrites them (accumulate = 0); zeroed
    // once so that no instruction ever reads an undefined register.
    float sc[C::kKeys / 2];
#pragma unroll
    for (int i = 0; i < C::kKeys / 2; ++i) sc[i] = 0.f;
    // P of one step as the A fragments of PV, double-buffered: the wgmma of step s−1 reads one
    // (asynchronously) while the softmax of step s writes the other. Two named arrays and a loop
    // unrolled by two, so no register copy ever joins them (a copy makes ptxas share their
    // registers and serialise the wgmmas).
    uint32_t pa[C::kKeys / 16][4], pb[C::kKeys / 16][4];

    // This item's Q buffer (the producer fills the other with the next item's meanwhile), and
    // this warpgroup's 64 rows of each half of it.
    const int qb = q_phase & (C::kQBuffers - 1);
    const uint32_t q_full = bars.q_full + 8 * qb;
    const uint32_t q_base = [&] {
      if constexpr (C::kSplit) {
        return base + C::kOffQ + (half * C::kQBuffers + qb) * C::kQTileBytes;
      } else {
        return base + C::kOffQ + qb * C::kQTileBytes + cw * 64 * C::kRowBytes;
      }
    }();
    bar_wait(q_full, (q_phase >> (C::kQBuffers - 1)) & 1);
    if (tracer) trace_item(p, q_phase, 0);

    // The K and V tiles of pipeline stage `stage` (of this warpgroup's pipeline in a split build).
    auto k_at = [&](int stage) -> uint32_t {
      if constexpr (C::kSplit) {
        return base + C::kOffK + (half * C::kStages + stage) * C::kKvTileBytes;
      } else {
        return base + C::kOffK + stage * C::kKvTileBytes;
      }
    };
    auto v_at = [&](int stage) -> uint32_t {
      if constexpr (C::kSplit) {
        return base + C::kOffV + (half * C::kStages + stage) * C::kKvTileBytes;
      } else {
        return base + C::kOffV + stage * C::kKvTileBytes;
      }
    };
    // Issues S = Q·Kᵀ of KV tile `stage`: 8 k-steps of 16 over the head dim, 4 per 64-column half.
    auto issue_s = [&](int stage) {
      const uint64_t dq = desc<C>(q_base, 16, 8 * C::kRowBytes);
      const uint64_t dk = desc<C>(k_at(stage), 16, 8 * C::kRowBytes);
#pragma unroll
      for (int kk = 0; kk < C::kDim / 16; ++kk) {
        const uint64_t off = (uint64_t)((((kk / C::kKPerRow) * C::kQChunkBytes + (kk % C::kKPerRow) * 32)) >> 4);
        const uint64_t off_k = (uint64_t)((((kk / C::kKPerRow) * C::kKvChunkBytes + (kk % C::kKPerRow) * 32)) >> 4);
        if constexpr (C::kKeys == 128) {
          M::ss(sc, dq + off, dk + off_k, kk > 0);
        } else {
          MmaN<E, C::kKeys>::ss(sc, dq + off, dk + off_k, kk > 0);
        }
      }
      wgmma_commit();
    };
    // Issues O += P·V of V tile `stage`: 8 k-steps of 16 keys; V is N-major (head dim
    // contiguous): the two 64-column halves 16 KB apart (leading byte offset), 8-key groups
    // 1024 bytes apart (stride byte offset).
    // Head dim 256: two m64n128 per k-step, on the head-dim columns 0-127 and 128-255 (V's
    // chunks 2 and 3 are 2 · kKvChunkBytes further). Head dims 32 and 64: m64n32 / m64n64.
    auto issue_pv = [&](int stage, const uint32_t (&pf)[C::kKeys / 16][4]) {
      const uint64_t d0 = desc<C>(v_at(stage), C::kKvChunkBytes, 8 * C::kRowBytes);
#pragma unroll
      for (int kk = 0; kk < C::kKeys / 16; ++kk) {
        const uint64_t dv = d0 + (uint64_t)((kk * 16 * C::kRowBytes) >> 4);
        if constexpr (C::kDim == 128) {
          M::rs(o, pf[kk], dv, 1);
        } else if constexpr (C::kDim == 256) {
          M::rs(*reinterpret_cast<float(*)[64]>(&o[0]), pf[kk], dv, 1);
          M::rs(*reinterpret_cast<float(*)[64]>(&o[64]), pf[kk], dv + (uint64_t)((2 * C::kKvChunkBytes) >> 4), 1);
        } else {
          MmaN<E, C::kDim>::rs(o, pf[kk], dv, 1);
        }
      }
      wgmma_commit();
    };
    // Mask (partial tiles only) and online softmax of sc for the KV tile described by m: new
    // running maxima, the factor alpha that rescales what O and the sums hold, and
    // P = exp2(S·scale·log2e − shift) into pn (the accumulator layout of two 8-column blocks is
    // the A layout of one k-step).
    auto softmax = [&](const int4 m, float (&alpha)[2], uint32_t (&pn)[C::kKeys / 16][4]) {
      if (!m.x) {
        // Per row: the window shifted into this KV tile, clamped and packed; per key: its packed
        // offsets with guard bits (key_words[c]) and offsets + 1 (key_words[kKeys + c]).
        uint32_t lo_w[2], hi_w[2];
#pragma unroll
        for (int r = 0; r < 2; ++r) {
          uint32_t a = 0, b = 0;
#pragma unroll
          for (int i = 0; i < GNA_MAX_RANK; ++i) {
            const int kbase = i == 0 ? m.y : (i == 1 ? m.z : m.w);
            a |= (uint32_t)clamp_lane(cur.lo[r][i] - kbase) << (10 * i);
            b |= (uint32_t)clamp_lane(cur.hi[r][i] - kbase + 1) << (10 * i);
          }
          lo_w[r] = a;
          hi_w[r] = b | kGuards;
        }
#pragma unroll
        for (int j = 0; j < C::kKeys / 8; ++j) {
#pragma unroll
          for (int e = 0; e < 2; ++e) {
            const int c = j * 8 + tig * 2 + e;
            const uint32_t kw = key_words[c], kw1 = key_words[C::kKeys + c];
#pragma unroll
            for (int r = 0; r < 2; ++r) {
              // A lane's guard bit survives in x iff offset >= lo, in y iff offset <= hi.
              const uint32_t x = kw - lo_w[r];
              const uint32_t y = hi_w[r] - kw1;
              if ((x & y & kGuards) != kGuards) sc[j * 4 + r * 2 + e] = -INFINITY;
            }
          }
        }
      }
      float mx[2] = {row_max[0], row_max[1]};
#pragma unroll
      for (int j = 0; j < C::kKeys / 8; ++j) {
        mx[0] = fmaxf(mx[0], fmaxf(sc[4 * j], sc[4 * j + 1]));
        mx[1] = fmaxf(mx[1], fmaxf(sc[4 * j + 2], sc[4 * j + 3]));
      }
      float shift[2];
#pragma unroll
      for (int r = 0; r < 2; ++r) {
        mx[r] = fmaxf(mx[r], __shfl_xor_sync(0xffffffffu, mx[r], 1));
        mx[r] = fmaxf(mx[r], __shfl_xor_sync(0xffffffffu, mx[r], 2));
        shift[r] = mx[r] == -INFINITY ? 0.f : mx[r] * p.scale_log2;  // nothing attended yet: stay at 0
        alpha[r] = ex2(row_max[r] * p.scale_log2 - shift[r]);
        row_max[r] = mx[r];
        row_sum[r] *= alpha[r];
      }
#pragma unroll
      for (int kk = 0; kk < C::kKeys / 16; ++kk) {
        float e[8];
#pragma unroll
        for (int x = 0; x < 8; ++x) e[x] = ex2(fmaf(sc[8 * kk + x], p.scale_log2, -shift[(x >> 1) & 1]));
        row_sum[0] += (e[0] + e[1]) + (e[4] + e[5]);
        row_sum[1] += (e[2] + e[3]) + (e[6] + e[7]);
        pn[kk][0] = M::pack(e[0], e[1]);
        pn[kk][1] = M::pack(e[2], e[3]);
        pn[kk][2] = M::pack(e[4], e[5]);
        pn[kk][3] = M::pack(e[6], e[7]);
      }
    };

    // Software pipeline, one KV tile a step: S of step s and PV of step s−1 run on the tensor
    // cores while this warpgroup masks and exponentiates S of step s; O is rescaled once PV of
    // step s−1 has landed. Step 0 (no PV before it) is peeled off so that the loop body has one
    // shape, which lets ptxas keep the wgmmas asynchronous.
    int prev_stage = step % C::kStages;
    // Odometer over the walk's box (walks with partial tiles only), in this thread's own
    // shared-memory slot rather than in registers (there are none to spare).
    uint2* odo = odometers + (threadIdx.x - 128);
    *odo = make_uint2((uint32_t)ws->rot0, 0);
    auto meta_next = [&]() {
      if (ws->all_full) return make_int4(1, 0, 0, 0);
      const uint2 at = *odo;
      int t0 = (int)at.x;
      uint32_t t12 = at.y;
      const int4 m = step_meta(*ws, p.tkv, t0, t12);
      step_next(*ws, t0, t12);
      *odo = make_uint2((uint32_t)t0, t12);
      return m;
    };
    if constexpr (kStagger) {
      // Exactly once per kernel on each side, whatever the first items' walks: warpgroup 1 waits here
      // (before its first item's first S) iff it has an item; warpgroup 0 arrives below (after its
      // first item's step 0) iff warpgroup 1 has one. 128 arrivals + 128 waiters = the barrier's 256.
      if (half == 1 && q_phase == 0) stagger_wait(0);  // half: cw, warp-uniform to ptxas (C7520 otherwise)
    }
    if (steps > 0) {
      if (!C::kSplit && cw == 1) stagger_wait(q_phase & 1);  // split: the warpgroups' items differ
      bar_wait(k_full + 8 * prev_stage, (step / C::kStages) & 1);
      wgmma_fence();
      issue_s(prev_stage);
      const int4 m = meta_next();  // while the tensor cores work
      if constexpr (kBoundary) {
        const int next_w = w + item_stride<C>();
        if (next_w < p.work) setup_early(next_w, (q_phase & 1) ^ 1, nxt);  // its loads' latency under this S
      } else if (t128 == 0 && stored_qb >= 0) {  // the previous item's output has left its Q buffer
        bulk_wait_read();
        bar_arrive(bars.q_empty + 8 * stored_qb);
        stored_qb = -1;
      }
      wgmma_wait<0>();
      fence_regs(sc);
      if (!C::kSplit && cw == 0) stagger_signal(q_phase & 1);
      if (tracer) trace_item(p, q_phase, 1);
      if (arriver) bar_arrive(k_empty + 8 * prev_stage);
      float alpha[2];
      softmax(m, alpha, pa);  // O and the sums are still 0: nothing to rescale
      if (tracer) trace_item(p, q_phase, 2);
      ++step;
    }
    if constexpr (kStagger) {
      if (half == 0 && q_phase == 0 && first_item<C>(1) < p.work) stagger_signal(0);
    }
    // Step s >= 1: P of step s−1 is in `pin`, P of step s goes to `pout`.
    auto body = [&](int s, uint32_t (&pin)[C::kKeys / 16][4], uint32_t (&pout)[C::kKeys / 16][4]) {
      const int stage = step % C::kStages;
      bar_wait(k_full + 8 * stage, (step / C::kStages) & 1);
      wgmma_fence();
      issue_s(stage);
      bar_wait(v_full + 8 * prev_stage, ((step - 1) / C::kStages) & 1);
      issue_pv(prev_stage, pin);
      const int4 m = meta_next();  // while the tensor cores work
      wgmma_wait<1>();  // S of this step has landed; PV of the previous one may still run
      fence_regs(sc);
      if (arriver) bar_arrive(k_empty + 8 * stage);
      float alpha[2];
      softmax(m, alpha, pout);
      wgmma_wait<0>();
      fence_regs(o);
      fence_regs(pin);
      if (arriver) bar_arrive(v_empty + 8 * prev_stage);
#pragma unroll
      for (int j = 0; j < C::kDim / 8; ++j) {
        o[4 * j] *= alpha[0];
        o[4 * j + 1] *= alpha[0];
        o[4 * j + 2] *= alpha[1];
        o[4 * j + 3] *= alpha[1];
      }
      if (tracer && s < kTraceSteps) trace_item(p, q_phase, 2 + s);
      prev_stage = stage;
      ++step;
    };
    for (int s = 1; s < steps; s += 2) {
      body(s, pa, pb);
      if (s + 1 < steps) body(s + 1, pb, pa);
    }

    // PV of the last step (its P is in pa after an even number of loop steps, else in pb); the
    // next item's setup runs while it is on the tensor cores.
    const int next = w + item_stride<C>();
    auto last_pv = [&](uint32_t (&pf)[C::kKeys / 16][4]) {
      bar_wait(v_full + 8 * prev_stage, ((step - 1) / C::kStages) & 1);
      wgmma_fence();
      issue_pv(prev_stage, pf);
      if constexpr (kBoundary) {
        // This warp's last S has landed (its wait came before): Q is read no more, and the buffer
        // goes back now (q_empty counts one arrival per consumer warp in this variant). Then the
        // barrier that invariants (1) and (2) of setup_early rest on: every thread is past its
        // last read of this item's walk summary, and thread 0 past its write of the next one's.
        if (arriver) bar_arrive(bars.q_empty + 8 * qb);
        consumers_sync_wg(cw);
      } else {
        if (next < p.work) setup(next, (q_phase & 1) ^ 1, cur);
      }
      wgmma_wait<0>();
      fence_regs(o);
      fence_regs(pf);
      if (tracer) trace_item(p, q_phase, 62);
      if (arriver) bar_arrive(v_empty + 8 * prev_stage);
    };
    if (steps > 0) {
      if ((steps - 1) % 2 == 0) {
        last_pv(pa);
      } else {
        last_pv(pb);
      }
    } else {  // never happens: every query attends a key
      if constexpr (kBoundary) {  // as step 0 and last_pv would have done
        if (next < p.work) setup_early(next, (q_phase & 1) ^ 1, nxt);
        if (arriver) bar_arrive(bars.q_empty + 8 * qb);
        consumers_sync_wg(cw);
      } else {
        if (next < p.work) setup(next, (q_phase & 1) ^ 1, cur);
      }
    }

    // The epilogue. Normalise into this warpgroup's 64 rows of the item's Q buffer (its last S has
    // run), laid out as the TMA writes them (128-byte swizzle: 16-byte chunk c of row r at
    // c ^ (r % 8)), and store them with one TMA box per 64-column half: the stores leave in the
    // background while the next item starts (a thread's own global stores here took 1.7 µs of each
    // item boundary, PERF-NOTES v9, with their address divisions; kVariantBoundary computes the
    // addresses at setup). The buffer goes back to the producer once the TMA has read it.
#pragma unroll
    for (int r = 0; r < 2; ++r) row_sum[r] = quad_sum(row_sum[r]);
    if constexpr (kBoundary) {
      // O from registers: per row and group of four 8-column blocks, the quad's words are
      // transposed so that each thread writes one whole block (16 bytes, one st.global.v4): a
      // quarter of the store instructions (and of the L1 transactions, 8 rows each) that a thread's
      // own two columns per block would take. Every lane shuffles; rows outside the tensor are
      // then not written.
#pragma unroll
      for (int r = 0; r < 2; ++r) {
        const float inv = row_sum[r] > 0.f ? 1.f / row_sum[r] : 0.f;
#pragma unroll
        for (int k = 0; k < C::kDim / 32; ++k) {
          uint32_t w[4];
#pragma unroll
          for (int b = 0; b < 4; ++b) w[b] = M::pack(o[4 * (4 * k + b) + 2 * r] * inv, o[4 * (4 * k + b) + 2 * r + 1] * inv);
          const uint4 v = quad_transpose(w, tig);
          if (cur.out[r] >= 0) *reinterpret_cast<uint4*>(static_cast<E*>(p.o) + cur.out[r] + (4 * k + tig) * 8) = v;
        }
      }
      if (tracer) trace_item(p, q_phase, 63);
      cur = nxt;
    } else {
#pragma unroll
      for (int r = 0; r < 2; ++r) {
        const float inv = row_sum[r] > 0.f ? 1.f / row_sum[r] : 0.f;  // 0: a padded query, outside the tensor
        const int row = warp * 16 + g + 8 * r;
#pragma unroll
        for (int j = 0; j < C::kDim / 8; ++j) {
          uint32_t at;
          if constexpr (C::kRowBytes == 128) {
            at = q_base + (j >> 3) * C::kQChunkBytes + row * 128 + ((((j & 7) ^ (row & 7))) << 4) + tig * 4;
          } else {  // 64-byte swizzle: 16-byte chunk c of row r at c ^ ((r / 2) % 4)
            at = q_base + row * 64 + ((((j & 3) ^ ((row >> 1) & 3))) << 4) + tig * 4;
          }
          st_shared_u32(at, M::pack(o[4 * j + 2 * r] * inv, o[4 * j + 2 * r + 1] * inv));
        }
      }
      if (tracer) trace_item(p, q_phase, 60);
      fence_async_smem();
      consumers_sync_wg(cw);
      if (tracer) trace_item(p, q_phase, 61);
      if (t128 == 0) {
        const int4 c = outs[cw * 2 + (q_phase & 1)];
        for (int ch = 0; ch < C::kChunks; ++ch) tma_store_5d(&p.map_o, q_base + ch * C::kQChunkBytes, ch * C::kBoxCols, c.x, c.y, c.z, c.w);
        bulk_commit();
        if constexpr (C::kQBuffers == 1) {
          // One Q buffer (head dim 256): the next item's Q goes into this one, so it is released
          // here, once the TMA has read the output, not at the next item's first step (which waits
          // for that Q).
          bulk_wait_read();
          bar_arrive(bars.q_empty + 8 * qb);
        } else {
          stored_qb = qb;
        }
      }
      if (tracer) trace_item(p, q_phase, 63);
    }
    ++q_phase;
  }
  if (!kBoundary && t128 == 0) bulk_wait();  // shared memory must outlive the last stores' reads
  if (tracer && p.trace != nullptr) {
    p.trace[blockIdx.x * kTraceSlots + 2] = clock_now();
    p.trace[blockIdx.x * kTraceSlots + 3] = global_ns();
  }
}

template <typename C, typename E, int V = 0>
__device__ __forceinline__ void kernel_body(const Params& p) {
  extern __shared__ unsigned char smem_raw[];
  const uint32_t raw = smem_addr(smem_raw);
  const uint32_t base = (raw + 1023) & ~1023u;
  uint32_t* key_words = reinterpret_cast<uint32_t*>(smem_raw + (base - raw) + C::kOffKeys);
  WalkSummary* walks = reinterpret_cast<WalkSummary*>(smem_raw + (base - raw) + C::kOffWalk);
  uint2* odometers = reinterpret_cast<uint2*>(smem_raw + (base - raw) + C::kOffOdo);
  int4* outs = reinterpret_cast<int4*>(smem_raw + (base - raw) + C::kOffOut);

  if (threadIdx.x == 0 && p.trace != nullptr) {
    p.trace[blockIdx.x * kTraceSlots] = global_ns();
    p.trace[blockIdx.x * kTraceSlots + 1] = clock_now();
  }
  if (threadIdx.x == 0) {
#pragma unroll
    for (int h = 0; h < C::kHalves; ++h) {
      const Bars bars = bars_at<C>(base, h);
      for (int q = 0; q < C::kQBuffers; ++q) {
        bar_init(bars.q_full + 8 * q, 1);                       // the producer's arrival + TMA bytes
        // Each warpgroup's output store; kVariantBoundary: each consumer warp once past its last S.
        bar_init(bars.q_empty + 8 * q, (V & kVariantBoundary) ? 4 : C::kQEmptyArrivals);
      }
      for (int s = 0; s < C::kStages; ++s) {
        bar_init(bars.k_full + 8 * s, 1);
        bar_init(bars.k_empty + 8 * s, C::kEmptyArrivals);
        bar_init(bars.v_full + 8 * s, 1);
        bar_init(bars.v_empty + 8 * s, C::kEmptyArrivals);
      }
    }
    bar_init_fence();
    // All of this grid's CTAs are resident (one per SM, grid <= SMs) and none of the next
    // kernel's fits beside one, so the next kernel may be placed as soon as SMs free up.
    allow_dependent_launch();
  }
  // Packed per-axis offsets of each key of a KV tile (row-major inside the tile), and the same
  // plus one in every lane; the first with its guard bits set (see the mask test).
  if (threadIdx.x < C::kKeys) {
    const int c = threadIdx.x;
    int o[3];
    split3(c, p.div_tkv2, p.div_tkv1, o);
    const uint32_t packed = (uint32_t)o[0] | ((uint32_t)o[1] << 10) | ((uint32_t)o[2] << 20);
    key_words[c] = packed | kGuards;
    key_words[C::kKeys + c] = packed + kLaneOnes;
  }
  __syncthreads();

  if (threadIdx.x < 128) {
    if constexpr (C::kSplit) {
      setmaxnreg_dec56();
      // One thread in each of two warps, so that the two pipelines' producers run apart.
      if (threadIdx.x % 32 == 0 && threadIdx.x < 64) produce<C>(p, base, (int)threadIdx.x / 32);
    } else {
      setmaxnreg_dec24();
      if (threadIdx.x == 0) produce<C>(p, base, 0);
    }
  } else {
    if constexpr (C::kSplit) {
      setmaxnreg_inc224();
    } else {
      setmaxnreg_inc240();
    }
    consume<C, E, V>(p, base, key_words, walks, odometers, outs);
  }
}

// Head dim 128 keeps its kernel's name (and machine code); the other head dims are
// gna_sm90_kernel_d<D, E>.
template <typename E>
__global__ void __launch_bounds__(kThreads, 1) gna_sm90_kernel(const __grid_constant__ Params p) {
  kernel_body<Config<128>, E>(p);
}

template <int D, typename E>
__global__ void __launch_bounds__(kThreads, 1) gna_sm90_kernel_d(const __grid_constant__ Params p) {
  kernel_body<Config<D>, E>(p);
}

// Variant V (kVariantBoundary, ...) of a split build, for same-run A/B against gna_sm90_kernel_d.
template <int D, typename E, int V>
__global__ void __launch_bounds__(kThreads, 1) gna_sm90_kernel_v(const __grid_constant__ Params p) {
  kernel_body<Config<D>, E, V>(p);
}

}  // namespace sm90
}  // namespace gna

#endif  // GNA_SM90_ATTENTION_CUH
