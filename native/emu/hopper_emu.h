// hopper_emu.h: the Hopper (sm_90a) hardware a kernel reaches through PTX, emulated on cuda_emu.h's
// fibers from the PTX ISA (8.x, section names below) and the CUDA driver API reference, never fitted
// to one kernel: mbarriers with transaction counts, TMA tensor copies through the emulated tensor
// maps of include/cuda.h, warpgroup MMA (wgmma) from shared-memory matrix descriptors and registers.
// A kernel header's emulated primitives (gna_sm90.cuh when it sees cuda_emu.h) are one-line calls of
// these. Shared-memory addresses are byte offsets into the buffer the driver attaches (attach()),
// which is 1024-byte aligned, so address bits are what the hardware's swizzles see.
//
// What is timed differently from the GPU, on purpose: a TMA load lands (data written, transaction
// bytes completed) at the end of the scheduling round it was issued in, so a thread that reads a
// tile without waiting on its mbarrier reads stale shared memory; a wgmma's result reaches the
// accumulator registers only at the wgmma.wait_group that retires its group, so reading them early
// reads the old values; a TMA store reads its shared memory only at the cp.async.bulk.wait_group
// that retires its bulk group (or never, if the kernel never waits: reported), so a buffer
// overwritten before that wait stores the new contents. Shared memory written with st.shared (the
// st_shared twin) and read by the async proxy (wgmma, TMA store) before the writer's
// fence.proxy.async is reported (PTX ISA "Memory Consistency Model: proxies": generic and async
// proxy accesses are ordered only through a proxy fence).
#ifndef GNA_HOPPER_EMU_H
#define GNA_HOPPER_EMU_H

#include <cuda.h>
#include <stdint.h>
#include <string.h>

#include <string>
#include <vector>

#include "cuda_emu.h"

namespace emu {
namespace hopper {

[[noreturn]] inline void fault(const std::string& what) {
  fprintf(stderr, "emulation: block (%u, %u) thread %u: %s\n", blockIdx.x, blockIdx.y, threadIdx.x, what.c_str());
  abort();
}

// ---- shared memory ----

struct State;
State& state();

// The kernel's shared memory: every address below is an offset into it.
struct Shared {
  unsigned char* base = nullptr;
  size_t bytes = 0;
};
inline Shared& shared() {
  static Shared s;
  return s;
}
inline unsigned char* smem(uint32_t addr, size_t n) {
  const Shared& s = shared();
  if ((size_t)addr + n > s.bytes) fault("shared-memory access at " + std::to_string(addr) + " + " + std::to_string(n) + " beyond the buffer");
  return s.base + addr;
}
inline uint32_t smem_addr(const void* p) { return (uint32_t)(static_cast<const unsigned char*>(p) - shared().base); }

// ---- mbarrier (PTX ISA "Parallel Synchronization and Communication Instructions: mbarrier") ----
// The object is 64 bits of shared memory; the emulation keeps its state there (so a copy or store
// that overwrites a barrier corrupts it, as on the GPU): pending arrivals (bits 0-19), expected
// arrivals (20-39), tx-count (40-60, signed), the current phase's parity (61), and 0b10 in bits
// 62-63 once initialised. A phase completes when its pending arrivals and its tx-count are both 0;
// the next phase then starts with the expected arrivals pending and tx-count 0.
struct Mbar {
  uint32_t pending, expected;
  int32_t tx;
  uint32_t parity;
};

inline Mbar mbar_load(uint32_t addr) {
  if (addr % 8 != 0) fault("mbarrier at " + std::to_string(addr) + " not 8-byte aligned");
  uint64_t v;
  memcpy(&v, smem(addr, 8), 8);
  if ((v >> 62) != 2) fault("mbarrier at " + std::to_string(addr) + " used before mbarrier.init (or overwritten)");
  Mbar m;
  m.pending = (uint32_t)(v & 0xfffff);
  m.expected = (uint32_t)((v >> 20) & 0xfffff);
  m.tx = (int32_t)((uint32_t)(v >> 40) & 0x1fffff);
  if (m.tx & 0x100000) m.tx -= 0x200000;
  m.parity = (uint32_t)((v >> 61) & 1);
  return m;
}

inline void mbar_store(uint32_t addr, Mbar m) {
  if (m.pending == 0 && m.tx == 0) {  // the phase completes
    m.parity ^= 1;
    m.pending = m.expected;
    ++sched().progress;
  }
  const uint64_t v = (uint64_t)m.pending | ((uint64_t)m.expected << 20) | ((uint64_t)((uint32_t)m.tx & 0x1fffff) << 40) | ((uint64_t)m.parity << 61) | (2ull << 62);
  memcpy(smem(addr, 8), &v, 8);
}

// mbarrier.init: phase 0, `count` expected and pending arrivals (1 .. 2^20 - 1), tx-count 0.
inline void mbar_init(uint32_t addr, uint32_t count) {
  if (count < 1 || count > 0xfffff) fault("mbarrier.init count out of range");
  const uint64_t v = (uint64_t)count | ((uint64_t)count << 20) | (2ull << 62);
  if (addr % 8 != 0) fault("mbarrier at " + std::to_string(addr) + " not 8-byte aligned");
  memcpy(smem(addr, 8), &v, 8);
}

// expect-tx: tx-count += bytes (its range is ±(2^20 - 1)).
inline void mbar_expect_tx(uint32_t addr, uint32_t bytes) {
  Mbar m = mbar_load(addr);
  m.tx += (int32_t)bytes;
  if (m.tx > 0xfffff) fault("mbarrier tx-count overflow");
  mbar_store(addr, m);
}

// complete-tx (what a TMA copy does on completion): tx-count -= bytes.
inline void mbar_complete_tx(uint32_t addr, uint32_t bytes) {
  Mbar m = mbar_load(addr);
  m.tx -= (int32_t)bytes;
  if (m.tx < -0xfffff) fault("mbarrier tx-count underflow");
  ++sched().progress;
  mbar_store(addr, m);
}

// mbarrier.arrive (arrive-on): one pending arrival fewer; an arrival beyond the pending count is an error.
inline void mbar_arrive(uint32_t addr) {
  Mbar m = mbar_load(addr);
  if (m.pending == 0) fault("mbarrier.arrive on a phase with no pending arrival");
  --m.pending;
  ++sched().progress;
  mbar_store(addr, m);
}

// mbarrier.arrive.expect_tx: the expect-tx operation, then arrive-on.
inline void mbar_arrive_expect_tx(uint32_t addr, uint32_t bytes) {
  mbar_expect_tx(addr, bytes);
  mbar_arrive(addr);
}

// mbarrier.try_wait.parity: true once the phase of parity `parity` has completed, i.e. when the
// current (incomplete) phase has the other parity: `parity` then names the immediately preceding one.
inline bool mbar_try_wait_parity(uint32_t addr, uint32_t parity) { return mbar_load(addr).parity != (parity & 1); }

// A wait loop over try_wait: the fiber yields until the phase completes (a wait that never can is
// the scheduler's deadlock report).
inline void mbar_wait_parity(uint32_t addr, uint32_t parity) {
  while (!mbar_try_wait_parity(addr, parity)) yield();
  ++sched().progress;
}

inline void queue_copy(std::function<void()> f);
inline void async_proxy_reads(uint32_t addr, uint32_t bytes, const char* what);
inline void async_proxy_writes(uint32_t addr, uint32_t bytes);

// ---- TMA (PTX ISA "cp.async.bulk.tensor"; CUDA Programming Guide "Asynchronous Data Copies using
// the Tensor Memory Accelerator", its swizzle patterns) ----

inline const TensorMapImage& tensor_map(const CUtensorMap* map) {
  const TensorMapImage* m = reinterpret_cast<const TensorMapImage*>(map);
  if (m->magic != TensorMapImage::kMagic) fault("a TMA operation on a tensor map cuTensorMapEncodeTiled did not encode");
  return *m;
}

// The swizzled shared-memory address of byte address `a` of a box laid out densely: the 16-byte chunk
// bits 4-6 (128B: 3 bits; 64B: 2; 32B: 1) XORed with bits 7-9 of the address, the pattern repeating
// every 1024 (128B), 512 (64B) or 256 (32B) bytes. The same function for TMA and wgmma descriptors.
inline uint32_t swizzle(uint32_t a, int span_bytes) {
  const uint32_t mask = span_bytes == 128 ? 7 : span_bytes == 64 ? 3 : span_bytes == 32 ? 1 : 0;
  return a ^ (((a >> 7) & mask) << 4);
}

// Visits every element of a box at coordinates c: fn(global byte pointer or null when out of bounds,
// its shared-memory address). Elements along dimension i: ceil(boxDim[i] / elementStrides[i]), at
// coordinates c[i] + j · elementStrides[i]; the box is packed densely in shared memory, dimension 0
// innermost, then swizzled.
template <typename F>
void for_box(const TensorMapImage& m, uint32_t smem_base, const int (&c)[5], F fn) {
  int n[5];
  for (int i = 0; i < 5; ++i) n[i] = (int)((m.box[i] + m.element_strides[i] - 1) / m.element_strides[i]);
  const int span = swizzle_bytes(m.swizzle);
  uint32_t offset = 0;
  for (int j4 = 0; j4 < n[4]; ++j4)
    for (int j3 = 0; j3 < n[3]; ++j3)
      for (int j2 = 0; j2 < n[2]; ++j2)
        for (int j1 = 0; j1 < n[1]; ++j1)
          for (int j0 = 0; j0 < n[0]; ++j0, offset += m.elem_bytes) {
            const int j[5] = {j0, j1, j2, j3, j4};
            const unsigned char* g = m.global;
            for (int i = 0; i < 5 && g; ++i) {
              const long long x = (long long)c[i] + (long long)j[i] * m.element_strides[i];
              if (x < 0 || x >= (long long)m.dims[i]) {
                g = nullptr;
              } else {
                g += x * m.strides[i];
              }
            }
            fn(g, swizzle(smem_base + offset, span));
          }
}

inline uint32_t box_bytes(const TensorMapImage& m) {
  uint32_t n = m.elem_bytes;
  for (int i = 0; i < 5; ++i) n *= (m.box[i] + m.element_strides[i] - 1) / m.element_strides[i];
  return n;
}

// cp.async.bulk.tensor.Nd.shared::cluster.global.tile.mbarrier::complete_tx::bytes: the box at
// coordinates c into shared memory at dst (128-byte aligned); out-of-bounds elements are zeros
// (NaN with the NaN fill); on completion, complete-tx of the box's bytes on the mbarrier. It
// completes at the end of this scheduling round (the header comment says why).
inline void tma_load(uint32_t dst, const CUtensorMap* map, uint32_t bar, const int (&c)[5]) {
  const TensorMapImage& m = tensor_map(map);
  if (dst % 128 != 0) fault("cp.async.bulk.tensor destination not 128-byte aligned");
  mbar_load(bar);  // a valid barrier
  smem(dst, box_bytes(m));
  const TensorMapImage copy = m;
  int at[5];
  memcpy(at, c, sizeof at);
  queue_copy([copy, at, dst, bar] {
    for_box(copy, dst, at, [&](const unsigned char* g, uint32_t s) {
      unsigned char* d = smem(s, copy.elem_bytes);
      async_proxy_writes(s, copy.elem_bytes);
      if (g) {
        memcpy(d, g, copy.elem_bytes);
      } else if (copy.oob_fill == CU_TENSOR_MAP_FLOAT_OOB_FILL_NAN_REQUEST_ZERO_FMA) {
        memset(d, 0xff, copy.elem_bytes);  // a NaN of every floating-point type
      } else {
        memset(d, 0, copy.elem_bytes);
      }
    });
    mbar_complete_tx(bar, box_bytes(copy));
  });
}

// cp.async.bulk.tensor.Nd.global.shared::cta.tile.bulk_group: the box in shared memory at src to
// coordinates c; out-of-bounds elements are not written. It joins this thread's current bulk group
// and reads shared memory when a wait_group retires that group (bulk_wait).
inline void queue_store(std::function<void()> f);
inline void tma_store(const CUtensorMap* map, uint32_t src, const int (&c)[5]) {
  const TensorMapImage m = tensor_map(map);
  if (src % 128 != 0) fault("cp.async.bulk.tensor source not 128-byte aligned");
  smem(src, box_bytes(m));
  int at[5];
  memcpy(at, c, sizeof at);
  queue_store([m, src, at] {
    for_box(m, src, at, [&](const unsigned char* g, uint32_t s) {
      async_proxy_reads(s, m.elem_bytes, "a TMA store");
      if (g) memcpy(const_cast<unsigned char*>(g), smem(s, m.elem_bytes), m.elem_bytes);
    });
  });
}

// ---- wgmma (PTX ISA "Asynchronous Warpgroup Level Matrix Multiply-Accumulate Instructions") ----

// The shared-memory matrix descriptor ("Matrix Descriptor Format"): start address (bits 0-13),
// leading dimension byte offset (16-29), stride dimension byte offset (32-45), all >> 4; matrix
// base offset (49-51); swizzle mode (62-63: 0 none, 1 128B, 2 64B, 3 32B).
struct Desc {
  uint32_t start, lbo, sbo, base_offset;
  int span;  // swizzle span in bytes, 0 for none
};
inline Desc decode_desc(uint64_t d) {
  Desc x;
  x.start = (uint32_t)(d & 0x3fff) << 4;
  x.lbo = (uint32_t)((d >> 16) & 0x3fff) << 4;
  x.sbo = (uint32_t)((d >> 32) & 0x3fff) << 4;
  x.base_offset = (uint32_t)((d >> 49) & 7);
  const int mode = (int)(d >> 62);
  x.span = mode == 1 ? 128 : mode == 2 ? 64 : mode == 3 ? 32 : 0;
  return x;
}

// The byte address of element (mn, k) of a 16-bit operand (mn: the M row of A or the N column of B;
// k < 16), from the canonical layouts of "Shared Memory Matrix Layout" (T = 8 elements = 16 bytes;
// W = the swizzle span; CuTe notation (shape):(stride) in elements):
//  K-major (transpose 0):  none  ((8,m),(T,2k)):((1T,SBO),(1,LBO))
//                          W     Swizzle o ((8,m),(T,2k)):((W/2,SBO),(1,T))  (LBO unused)
//  MN-major (transpose 1): none  ((T,1,m),(8,k)):((1,T,LBO),(1T,SBO))
//                          W     Swizzle o ((T,W/16,m),(8,k)):((1,T,LBO),(W/2,SBO))
// then the swizzle of the whole address (bits 4.. XOR bits 7..), as TMA writes it. The emulation
// takes base offset 0 only (tiles whose swizzle pattern starts at the start address).
inline uint32_t operand_addr(const Desc& d, bool mn_major, int mn, int k) {
  uint32_t off;
  if (!mn_major) {
    off = d.span == 0 ? (uint32_t)((mn % 8) * 16 + (mn / 8) * d.sbo + (k % 8) * 2 + (k / 8) * d.lbo)
                      : (uint32_t)((mn % 8) * d.span + (mn / 8) * d.sbo + k * 2);
  } else {
    const int per_row = d.span == 0 ? 8 : d.span / 2;  // MN elements contiguous before LBO
    off = (uint32_t)((mn % per_row) * 2 + (mn / per_row) * d.lbo + (k % 8) * (d.span == 0 ? 16 : d.span) + (k / 8) * d.sbo);
  }
  return swizzle(d.start + off, d.span);
}

// One warpgroup's operands of the wgmma being issued, gathered from its 128 threads.
struct WarpgroupMma {
  Barrier arrived;
  unsigned decoded = ~0u;  // the arrival generation whose operands are decoded
  uint64_t desc_a[128], desc_b[128];
  uint32_t a[128][4];
  int flags[128];
  float A[64][16], B[16][256];  // decoded operands (B as K × N)
};

// A wgmma whose result has not reached its thread's registers yet.
struct PendingMma {
  float* d;
  int n;
  int group;
  float value[128];
};

// A TMA store whose bulk group has not been waited for.
struct PendingStore {
  int group;
  std::function<void()> land;
};

struct State {
  WarpgroupMma wg[8];
  std::vector<PendingMma> pending[1024];
  int committed[1024];
  std::vector<std::function<void()>> copies;  // TMA loads in flight
  std::vector<PendingStore> stores[1024];
  int bulk_committed[1024];
  // Per 4-byte word of shared memory: 1 + the thread whose st.shared to it its fence.proxy.async
  // has not yet followed (0: none), and each thread's such words.
  std::vector<uint16_t> unfenced_by;
  std::vector<uint32_t> unfenced[1024];
};
inline State& state() {
  static State* s = new State();
  return *s;
}
inline void queue_copy(std::function<void()> f) { state().copies.push_back(std::move(f)); }
inline void queue_store(std::function<void()> f) {
  State& st = state();
  st.stores[threadIdx.x].push_back(PendingStore{st.bulk_committed[threadIdx.x], std::move(f)});
}

// cp.async.bulk.commit_group: this thread's bulk copies since the last commit form a group.
inline void bulk_commit() { ++state().bulk_committed[threadIdx.x]; }

// cp.async.bulk.wait_group{.read} N: until at most N of this thread's committed bulk groups are
// pending; the retired ones' stores read shared memory and write global memory now.
inline void bulk_wait(int n) {
  State& st = state();
  std::vector<PendingStore>& mine = st.stores[threadIdx.x];
  const int retire_below = st.bulk_committed[threadIdx.x] - n;
  std::vector<PendingStore> kept;
  for (PendingStore& p : mine) {
    if (p.group < retire_below) {
      p.land();
    } else {
      kept.push_back(std::move(p));
    }
  }
  mine.swap(kept);
}

// st.shared by this thread: the words it writes are the generic proxy's until its fence.proxy.async.
inline void st_shared(uint32_t addr, const void* v, uint32_t bytes) {
  State& st = state();
  memcpy(smem(addr, bytes), v, bytes);
  for (uint32_t w = addr / 4; w <= (addr + bytes - 1) / 4; ++w) {
    st.unfenced_by[w] = (uint16_t)(threadIdx.x + 1);
    st.unfenced[threadIdx.x].push_back(w);
  }
}

// fence.proxy.async: this thread's generic-proxy writes are ordered before later async-proxy accesses.
inline void fence_proxy_async() {
  State& st = state();
  for (uint32_t w : st.unfenced[threadIdx.x])
    if (st.unfenced_by[w] == threadIdx.x + 1) st.unfenced_by[w] = 0;
  st.unfenced[threadIdx.x].clear();
}

inline void async_proxy_reads(uint32_t addr, uint32_t bytes, const char* what) {
  const State& st = state();
  for (uint32_t w = addr / 4; w <= (addr + bytes - 1) / 4; ++w) {
    if (st.unfenced_by[w] != 0) {
      fault(std::string(what) + " reads shared memory at " + std::to_string(4 * w) + ", which thread " + std::to_string(st.unfenced_by[w] - 1) +
            " wrote with st.shared and has not yet ordered with fence.proxy.async");
    }
  }
}
inline void async_proxy_writes(uint32_t addr, uint32_t bytes) {
  State& st = state();
  for (uint32_t w = addr / 4; w <= (addr + bytes - 1) / 4; ++w) st.unfenced_by[w] = 0;
}

// The element conversion of a wgmma input type.
using ToFloat = float (*)(uint16_t);

// wgmma.mma_async.sync.aligned.m64nNk16.f32.{f16,bf16}: D (64 × N, f32) = A (64 × 16) · B (16 × N)
// (+ D if scale-d), A and B negated by scale-a / scale-b = -1. A from the descriptor desc_a
// (transposed = MN-major when tnsp_a) or, when a_regs is given, from registers in the layout of
// "Register Fragments: A" (warp w of the warpgroup holds rows 16w..16w+15; lane (g = lane / 4,
// t = lane % 4): a0 = (g, 2t..2t+1), a1 = (g + 8, 2t..), a2 = (g, 2t + 8..), a3 = (g + 8, 2t + 8..),
// the lower column in the low half); B from desc_b (MN-major when tnsp_b). D in "Register
// Fragments: D": d[4j + e] = (16w + g + 8·(e / 2), 8j + 2t + e % 2), j < N / 8. All 128 threads of
// the warpgroup take part (.sync.aligned) with the same descriptors and flags. The result lands in
// d at the wgmma.wait_group that retires this wgmma's group.
template <int N>
void wgmma(float (&d)[N / 2], const uint32_t* a_regs, uint64_t desc_a, uint64_t desc_b, bool scale_d, int scale_a, int scale_b, bool tnsp_a,
           bool tnsp_b, ToFloat to_float) {
  static_assert(N % 8 == 0 && N >= 8 && N <= 256, "wgmma N");
  State& st = state();
  const int t = threadIdx.x % 128;
  WarpgroupMma& w = st.wg[threadIdx.x / 128];
  w.desc_a[t] = a_regs ? 0 : desc_a;
  w.desc_b[t] = desc_b;
  w.flags[t] = (scale_d ? 1 : 0) | (scale_a < 0 ? 2 : 0) | (scale_b < 0 ? 4 : 0) | (tnsp_a ? 8 : 0) | (tnsp_b ? 16 : 0) | (a_regs ? 32 : 0) | (N << 8);
  if (a_regs) memcpy(w.a[t], a_regs, sizeof w.a[t]);
  arrive(w.arrived, 128);
  if (w.decoded != w.arrived.generation) {  // the first thread past the barrier decodes for all
    w.decoded = w.arrived.generation;
    for (int i = 1; i < 128; ++i) {
      if (w.desc_a[i] != w.desc_a[0] || w.desc_b[i] != w.desc_b[0] || w.flags[i] != w.flags[0]) {
        fault("wgmma with operands that differ between the warpgroup's threads (thread " + std::to_string(i) + ")");
      }
    }
    const int flags = w.flags[0];
    const float sa = flags & 2 ? -1.f : 1.f, sb = flags & 4 ? -1.f : 1.f;
    auto load = [&](const Desc& dd, bool mn_major, int mn, int k) {
      uint16_t x;
      const uint32_t at = operand_addr(dd, mn_major, mn, k);
      async_proxy_reads(at, 2, "a wgmma");
      memcpy(&x, smem(at, 2), 2);
      return to_float(x);
    };
    if (flags & 32) {
      for (int row = 0; row < 64; ++row) {
        for (int k = 0; k < 16; ++k) {
          const int g = row % 8, half = (row % 16) / 8, warp = row / 16;
          const int lane = g * 4 + (k % 8) / 2;
          const uint32_t reg = w.a[warp * 32 + lane][half + 2 * (k / 8)];
          w.A[row][k] = sa * to_float((uint16_t)(k % 2 ? reg >> 16 : reg & 0xffff));
        }
      }
    } else {
      const Desc da = decode_desc(w.desc_a[0]);
      if (da.base_offset != 0) fault("wgmma descriptor with a non-zero base offset (not emulated)");
      for (int row = 0; row < 64; ++row)
        for (int k = 0; k < 16; ++k) w.A[row][k] = sa * load(da, flags & 8, row, k);
    }
    const Desc db = decode_desc(w.desc_b[0]);
    if (db.base_offset != 0) fault("wgmma descriptor with a non-zero base offset (not emulated)");
    for (int k = 0; k < 16; ++k)
      for (int n = 0; n < N; ++n) w.B[k][n] = sb * load(db, flags & 16, n, k);
  }
  // This thread's accumulators: the input D is the newest pending result for these registers, if any.
  std::vector<PendingMma>& mine = st.pending[threadIdx.x];
  const float* in = d;
  for (auto p = mine.rbegin(); p != mine.rend(); ++p) {
    if (p->d == d) {
      in = p->value;
      break;
    }
  }
  PendingMma out;
  out.d = d;
  out.n = N / 2;
  out.group = st.committed[threadIdx.x];
  const int warp = t / 32, g = (t % 32) / 4, tq = t % 4;
  for (int j = 0; j < N / 8; ++j) {
    for (int e = 0; e < 4; ++e) {
      const int row = 16 * warp + g + 8 * (e / 2), col = 8 * j + 2 * tq + e % 2;
      float acc = scale_d ? in[4 * j + e] : 0.f;
      for (int k = 0; k < 16; ++k) acc += w.A[row][k] * w.B[k][col];
      out.value[4 * j + e] = acc;
    }
  }
  mine.push_back(out);
}

// wgmma.commit_group: the wgmmas issued since the last commit form a group.
inline void wgmma_commit() { ++state().committed[threadIdx.x]; }

// wgmma.wait_group N: until at most N of this thread's committed groups are pending; the results of
// the retired ones land in their registers, in issue order.
inline void wgmma_wait(int n) {
  State& st = state();
  std::vector<PendingMma>& mine = st.pending[threadIdx.x];
  const int retire_below = st.committed[threadIdx.x] - n;
  size_t kept = 0;
  for (size_t i = 0; i < mine.size(); ++i) {
    if (mine[i].group < retire_below) {
      memcpy(mine[i].d, mine[i].value, sizeof(float) * (size_t)mine[i].n);
    } else {
      mine[kept++] = mine[i];
    }
  }
  mine.resize(kept);
}

// ---- named barriers (PTX bar.sync / bar.arrive with an id and a thread count) ----
inline void bar_sync(int id, int count) {
  if (id < 0 || id >= 16 || count % 32 != 0) fault("bar.sync with id " + std::to_string(id) + ", count " + std::to_string(count));
  arrive(sched().named[id], count);
}
inline void bar_arrive(int id, int count) {
  if (id < 0 || id >= 16 || count % 32 != 0) fault("bar.arrive with id " + std::to_string(id) + ", count " + std::to_string(count));
  arrive(sched().named[id], count, false);
}

// A counter for clock64 / globaltimer: only ever read for traces.
inline unsigned long long clock() {
  static unsigned long long t = 0;
  return ++t;
}

// ex2.approx.ftz.f32: 2^x, subnormal inputs and results flushed to zero.
inline float ex2(float x) {
  if (std::fpclassify(x) == FP_SUBNORMAL) x = 0.f;
  const float y = exp2f(x);
  return std::fpclassify(y) == FP_SUBNORMAL ? 0.f : y;
}

// Attaches the kernel's shared-memory buffer (1024-byte aligned, `bytes` long) and installs the
// per-block reset (shared memory poisoned with 0xff, so a stale read gives NaN; no wgmma or copy
// left from the previous block) and the round-end landing of TMA loads.
inline void attach(unsigned char* buffer, size_t bytes) {
  if ((uintptr_t)buffer % 1024 != 0) fault("the shared-memory buffer must be 1024-byte aligned");
  shared().base = buffer;
  shared().bytes = bytes;
  Scheduler& s = sched();
  s.block_start = [] {
    State& st = state();
    for (int i = 0; i < 1024; ++i) {
      if (!st.pending[i].empty()) fault("a wgmma still pending when its thread exited");
      if (!st.stores[i].empty()) fault("a TMA store never waited for (cp.async.bulk.wait_group) when its thread exited");
      st.committed[i] = 0;
      st.bulk_committed[i] = 0;
      st.unfenced[i].clear();
    }
    st.unfenced_by.assign(shared().bytes / 4, 0);
    if (!st.copies.empty()) fault("a TMA load still in flight when its block exited");
    for (WarpgroupMma& w : st.wg) {
      w.arrived = Barrier{};
      w.decoded = ~0u;
    }
    memset(shared().base, 0xff, shared().bytes);
  };
  s.round_end = [] {
    State& st = state();
    std::vector<std::function<void()>> landing;
    landing.swap(st.copies);
    for (auto& f : landing) f();
  };
}

// After the last launch: what the last block left behind.
inline void check_idle() {
  State& st = state();
  for (int i = 0; i < 1024; ++i) {
    if (!st.pending[i].empty()) fault("a wgmma still pending when its thread exited");
    if (!st.stores[i].empty()) fault("a TMA store never waited for (cp.async.bulk.wait_group) when its thread exited");
  }
  if (!st.copies.empty()) fault("a TMA load still in flight at exit");
}

}  // namespace hopper
}  // namespace emu

#endif  // GNA_HOPPER_EMU_H
