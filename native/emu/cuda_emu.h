// cuda_emu.h: just enough of CUDA to run the project's kernels on the CPU, for checking them where
// there is no GPU (native/emu/README.md). Include it before any kernel header, with
// native/emu/include on the include path ahead of the CUDA toolkit's.
//
// A block's threads are fibers on one OS thread, switched only where CUDA makes threads wait for
// each other (__syncthreads, and inside each warp-collective operation), so a kernel runs with its
// threads interleaved at exactly the points the hardware may interleave them; a block whose threads
// cannot all reach a barrier is reported and aborted (a deadlock on the GPU). Warp-collective
// operations (shuffles, mma.sync m16n8k16, ldmatrix) gather the 32 lanes' registers and compute what the PTX
// ISA specifies for them, so fragment layouts are checked, not assumed: the forward kernel, which
// has passed its GPU checks, runs through the same emulation and must match the reference too.
// Atomics are plain read-modify-writes (one OS thread). Blocks run one after another.
#ifndef GNA_CUDA_EMU_H
#define GNA_CUDA_EMU_H

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#include <cmath>
#include <functional>
#include <memory>
#include <vector>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__
#define __align__(n) __attribute__((aligned(n)))
#define __restrict__
#define __grid_constant__

struct dim3 {
  unsigned x, y, z;
  constexpr dim3(unsigned x_ = 1, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};
struct uint4 {
  unsigned x, y, z, w;
};
inline uint4 make_uint4(unsigned x, unsigned y, unsigned z, unsigned w) { return uint4{x, y, z, w}; }
struct float2 {
  float x, y;
};
inline float2 make_float2(float x, float y) { return float2{x, y}; }
struct int2 {
  int x, y;
};
struct uint2 {
  unsigned x, y;
};
inline uint2 make_uint2(unsigned x, unsigned y) { return uint2{x, y}; }
struct alignas(16) int4 {
  int x, y, z, w;
};
inline int4 make_int4(int x, int y, int z, int w) { return int4{x, y, z, w}; }

// The running fiber's coordinates (set by the scheduler before it resumes a fiber).
inline dim3 threadIdx, blockIdx, blockDim, gridDim;

namespace gna {
extern unsigned char smem_raw[];  // every kernel's `extern __shared__` buffer (blocks run one at a time)
}  // namespace gna

namespace emu {

struct Fiber {
  ucontext_t start;
  jmp_buf resume;
  std::unique_ptr<char[]> stack;
  bool started = false, done = false;
};

// A barrier: threads arrive and wait until `count` have arrived (bar.sync / bar.arrive, PTX ISA
// "Parallel Synchronization and Communication Instructions: bar, barrier": a barrier completes once
// the number of threads its count names have arrived, counted per thread from sm_70 on).
struct Barrier {
  int arrived = 0;
  unsigned generation = 0;
};

struct Scheduler {
  static constexpr size_t kStack = 1 << 18;
  std::vector<Fiber> fibers;
  int current = 0;
  jmp_buf back;  // the scheduler's own context
  std::function<void()> body;
  Barrier named[16];  // the CTA's named barriers (PTX bar.sync / bar.arrive ids 0-15); 0 is __syncthreads
  Barrier warps[32];
  unsigned long long progress = 0;  // arrivals (and passed waits) so far: a round without any is a deadlock
  // Optional hooks of a program's emulated hardware (hopper_emu.h): before each block runs (fresh
  // per-CTA state), and after each scheduling round (asynchronous copies landing).
  std::function<void()> block_start, round_end;
  float shuffle[32][32];
  struct Mma {
    uint32_t a[32][4], b[32][2];
  } mma[32];
  const uint16_t* rows[32][32];  // ldmatrix's row addresses, per warp and lane
};

inline Scheduler& sched() {
  static Scheduler s;
  return s;
}

inline void yield() {
  Scheduler& s = sched();
  if (!_setjmp(s.fibers[(size_t)s.current].resume)) _longjmp(s.back, 1);
}

inline void trampoline() {
  Scheduler& s = sched();
  s.body();
  s.fibers[(size_t)s.current].done = true;
  _longjmp(s.back, 1);
}

// One arrival at `b`; with `wait`, blocks until the barrier completes (bar.sync), without it goes
// on (bar.arrive).
inline void arrive(Barrier& b, int count, bool wait = true) {
  Scheduler& s = sched();
  ++s.progress;
  const unsigned gen = b.generation;
  if (++b.arrived == count) {
    b.arrived = 0;
    ++b.generation;
    return;
  }
  while (wait && b.generation == gen) yield();
}

inline Barrier& my_warp() { return sched().warps[threadIdx.x / 32]; }

// Runs kernel() as every thread of every block of `grid` × `block` (x and y).
inline void launch(dim3 grid, dim3 block, std::function<void()> kernel) {
  Scheduler& s = sched();
  const int n = (int)block.x;
  gridDim = grid;
  blockDim = block;
  s.body = std::move(kernel);
  if (s.fibers.size() < (size_t)n) s.fibers.resize((size_t)n);
  for (unsigned by = 0; by < grid.y; ++by) {
    for (unsigned bx = 0; bx < grid.x; ++bx) {
      blockIdx = dim3{bx, by, 0};
      for (Barrier& b : s.named) b = Barrier{};
      for (Barrier& w : s.warps) w = Barrier{};
      if (s.block_start) s.block_start();
      for (int i = 0; i < n; ++i) {
        Fiber& f = s.fibers[(size_t)i];
        if (!f.stack) f.stack.reset(new char[Scheduler::kStack]);
        getcontext(&f.start);
        f.start.uc_stack.ss_sp = f.stack.get();
        f.start.uc_stack.ss_size = Scheduler::kStack;
        f.start.uc_link = nullptr;
        makecontext(&f.start, trampoline, 0);
        f.started = f.done = false;
      }
      int alive = n;
      while (alive > 0) {
        const unsigned long long before = s.progress;
        const int alive_before = alive;
        for (int i = 0; i < n; ++i) {
          Fiber& f = s.fibers[(size_t)i];
          if (f.done) continue;
          s.current = i;
          threadIdx = dim3{(unsigned)i, 0, 0};
          if (!_setjmp(s.back)) {
            if (!f.started) {
              f.started = true;
              setcontext(&f.start);
            }
            _longjmp(f.resume, 1);
          }
          if (f.done) --alive;
        }
        if (s.round_end) s.round_end();
        if (alive > 0 && alive == alive_before && s.progress == before) {
          fprintf(stderr, "emulation: block (%u, %u) deadlocks: %d threads wait at a barrier the others never reach\n", bx, by, alive);
          abort();
        }
      }
    }
  }
}

// mma.sync.aligned.m16n8k16.row.col.f32 with 16-bit inputs decoded by to_float: D = A·B + C for the
// warp, each lane holding the fragments the PTX ISA assigns it (groupID g = lane / 4, threadID in
// group t = lane % 4): A a0 = (row g, cols 2t, 2t+1), a1 = row g + 8, a2 = cols + 8, a3 = both;
// B b0 = (rows 2t, 2t+1, col g), b1 = rows + 8; C/D c0, c1 = (row g, cols 2t, 2t+1), c2, c3 = row g + 8.
template <float (*to_float)(uint16_t)>
inline void mma_m16n8k16(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
  Scheduler& s = sched();
  const int lane = threadIdx.x % 32;
  Scheduler::Mma& m = s.mma[threadIdx.x / 32];
  for (int r = 0; r < 4; ++r) m.a[lane][r] = a[r];
  m.b[lane][0] = b0;
  m.b[lane][1] = b1;
  arrive(my_warp(), 32);
  auto half = [](uint32_t x, int k) { return (uint16_t)(k % 2 ? x >> 16 : x & 0xffffu); };
  const int g = lane / 4, t = lane % 4;
  float out[4];
  for (int e = 0; e < 4; ++e) {
    const int row = g + 8 * (e / 2), col = 2 * t + (e & 1);
    float acc = d[e];
    for (int k = 0; k < 16; ++k) {
      const float x = to_float(half(m.a[(row % 8) * 4 + (k % 8) / 2][(row >= 8 ? 1 : 0) + (k >= 8 ? 2 : 0)], k));
      const float y = to_float(half(m.b[col * 4 + (k % 8) / 2][k >= 8 ? 1 : 0], k));
      acc += x * y;
    }
    out[e] = acc;
  }
  arrive(my_warp(), 32);  // every lane has read the fragments before any lane's next mma writes them
  for (int e = 0; e < 4; ++e) d[e] = out[e];
}

// ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16: lanes 8i .. 8i + 7 give the addresses of matrix
// i's eight rows of eight 16-bit values; lane L receives, in r[i], matrix i's elements at (row
// 2·(L % 4), column L / 4) and (row 2·(L % 4) + 1, column L / 4), the first in the low half.
inline void ldmatrix_x4_trans(uint32_t (&r)[4], uint32_t addr) {
  Scheduler& s = sched();
  const int lane = threadIdx.x % 32;
  const uint16_t** rows = s.rows[threadIdx.x / 32];
  rows[lane] = reinterpret_cast<const uint16_t*>(gna::smem_raw + addr);
  arrive(my_warp(), 32);
  uint32_t out[4];
  for (int i = 0; i < 4; ++i) {
    const int r0 = 8 * i + 2 * (lane % 4), col = lane / 4;
    out[i] = (uint32_t)rows[r0][col] | ((uint32_t)rows[r0 + 1][col] << 16);
  }
  arrive(my_warp(), 32);
  for (int i = 0; i < 4; ++i) r[i] = out[i];
}

}  // namespace emu

// A shared-memory address: the offset into the one buffer every kernel's `extern __shared__` array
// is (gna::smem_raw, defined by the program that runs the kernels).
inline unsigned long long __cvta_generic_to_shared(const void* p) {
  return (unsigned long long)(static_cast<const unsigned char*>(p) - gna::smem_raw);
}

inline void __syncthreads() { emu::arrive(emu::sched().named[0], (int)blockDim.x); }

namespace emu {
// A warp shuffle of a 32-bit value, bit for bit (a packed pair of 16-bit values stays exact; a
// conversion through float would round it): every lane publishes v, then reads lane source(lane)'s.
template <typename T, typename Source>
inline T shuffle(T v, Source source) {
  static_assert(sizeof(T) == 4, "32-bit shuffles");
  Scheduler& s = sched();
  const int w = threadIdx.x / 32, lane = threadIdx.x % 32;
  memcpy(&s.shuffle[w][lane], &v, 4);
  arrive(my_warp(), 32);
  T r;
  memcpy(&r, &s.shuffle[w][source(lane) % 32], 4);
  arrive(my_warp(), 32);
  return r;
}
}  // namespace emu

// Every lane reads lane (lane ^ mask)'s.
template <typename T>
inline T __shfl_xor_sync(unsigned, T v, int mask) {
  return emu::shuffle(v, [mask](int lane) { return lane ^ mask; });
}

// Every lane reads lane `src`'s (all 32 lanes take part here).
template <typename T>
inline T __shfl_sync(unsigned, T v, int src) {
  return emu::shuffle(v, [src](int) { return src; });
}

inline float atomicAdd(float* p, float v) {
  const float old = *p;
  *p = old + v;
  return old;
}

// sm_90's vector reduction (CUDA's atomicAdd on float2, global memory): each half as a float add.
inline float2 atomicAdd(float2* p, float2 v) {
  const float2 old = *p;
  p->x = old.x + v.x;
  p->y = old.y + v.y;
  return old;
}

inline unsigned long long atomicAdd(unsigned long long* p, unsigned long long v) {
  const unsigned long long old = *p;
  *p = old + v;
  return old;
}

namespace gna {
// gna_math.h defines it for nvcc only; the emulation's, from its shuffle.
inline float quad_sum(float x) {
  x += __shfl_xor_sync(0xffffffffu, x, 1);
  return x + __shfl_xor_sync(0xffffffffu, x, 2);
}
}  // namespace gna

#endif  // GNA_CUDA_EMU_H
