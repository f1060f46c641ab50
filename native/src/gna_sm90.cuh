// gna_sm90.cuh: Hopper (sm_90a) building blocks of the fused GNA forward in gna_sm90_attention.cuh:
// mbarriers, TMA tensor loads (cp.async.bulk.tensor), warpgroup MMA (wgmma) with shared-memory
// descriptors, register reallocation. Written from the PTX ISA; compiled only for sm_90a
// (gna_sm90.cu, its own nvcc rule in binding.gyp).
#ifndef GNA_SM90_CUH
#define GNA_SM90_CUH

#include <cuda.h>  // CUtensorMap (a 128-byte opaque struct; no driver library is linked)
#include <stdint.h>
#ifdef GNA_CUDA_EMU_H
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "gna_half.h"
#include "hopper_emu.h"  // native/emu: the emulated Hopper that the primitives' CPU twins call
#endif

namespace gna {
namespace sm90 {

#ifndef GNA_CUDA_EMU_H
__device__ __forceinline__ uint32_t smem_addr(const void* p) { return static_cast<uint32_t>(__cvta_generic_to_shared(p)); }
#else
inline uint32_t smem_addr(const void* p) { return emu::hopper::smem_addr(p); }
#endif

// Division by a number fixed for the whole launch: a multiply-high, an add and a shift with a
// magic number made on the host (the round-up method of Granlund and Montgomery). An item's
// decoding and its Q coordinates were a dozen dependent divisions, ~1 µs of the producer's start
// before its first load (PERF-NOTES v13). Exact for 0 <= n < 2^31 and 1 <= d < 2^31 (checked
// at compile time below); the add cannot wrap because the high product is below n.
struct FastDiv {
  uint32_t d, mul, shift;
};

__host__ __device__ constexpr FastDiv fast_div(uint32_t d) {
  uint32_t s = 0;
  while ((uint64_t{1} << s) < d) ++s;
  return FastDiv{d, (uint32_t)(((uint64_t{1} << 32) * ((uint64_t{1} << s) - d)) / d + 1), s};
}

__host__ __device__ constexpr int div_by(int n, FastDiv f) {
  const uint32_t u = (uint32_t)n;
  return (int)(((uint32_t)(((uint64_t)u * f.mul) >> 32) + u) >> f.shift);
}

// Splits a row-major index over (·, e1, e2) into its three coordinates, two divisions.
__host__ __device__ constexpr void split3(int x, FastDiv e2, FastDiv e1, int (&o)[3]) {
  const int x1 = div_by(x, e2);
  o[2] = x - x1 * (int)e2.d;
  o[0] = div_by(x1, e1);
  o[1] = x1 - o[0] * (int)e1.d;
}

namespace check {
constexpr bool exact_near_multiples(uint32_t d) {
  const FastDiv f = fast_div(d);
  const uint32_t top = 0x7fffffffu, qmax = top / d;
  const uint32_t qs[6] = {0, 1, 2, qmax / 2, qmax > 0 ? qmax - 1 : 0, qmax};
  for (uint32_t q : qs) {
    for (int e = -1; e <= 1; ++e) {
      const int64_t n = (int64_t)q * d + e;
      if (n >= 0 && n <= top && div_by((int)n, f) != (int)(n / d)) return false;
    }
  }
  return div_by((int)top, f) == (int)(top / d);
}
constexpr bool fast_div_exact() {
  for (uint32_t d = 1; d <= 128; ++d) {
    const FastDiv f = fast_div(d);
    for (int n = 0; n < 512; ++n)
      if (div_by(n, f) != n / (int)d) return false;
  }
  for (uint32_t d = 1; d <= 4096; ++d)
    if (!exact_near_multiples(d)) return false;
  for (uint32_t s = 12; s <= 30; ++s)
    if (!exact_near_multiples((1u << s) - 1) || !exact_near_multiples(1u << s) || !exact_near_multiples((1u << s) + 1)) return false;
  const uint32_t odd[5] = {1000003u, 16777259u, 123456789u, 1073741827u, 2147483647u};
  for (uint32_t d : odd)
    if (!exact_near_multiples(d)) return false;
  return true;
}
static_assert(fast_div_exact(), "FastDiv must divide exactly");
}  // namespace check

// ---- mbarriers (shared-memory transaction barriers) ----
// (Each primitive from here to ex2 has its CPU-emulated twin at the end: native/emu/README.md.)
#ifndef GNA_CUDA_EMU_H

__device__ __forceinline__ void bar_init(uint32_t bar, uint32_t arrivals) {
  asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;" ::"r"(bar), "r"(arrivals) : "memory");
}

// Makes the barrier inits visible to the TMA unit (the async proxy) before any copy uses them.
__device__ __forceinline__ void bar_init_fence() {
  asm volatile("fence.mbarrier_init.release.cluster;\nfence.proxy.async.shared::cta;" ::: "memory");
}

// One arrival that also announces `bytes` of TMA traffic the phase must wait for.
__device__ __forceinline__ void bar_arrive_expect(uint32_t bar, uint32_t bytes) {
  asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;" ::"r"(bar), "r"(bytes) : "memory");
}

__device__ __forceinline__ void bar_arrive(uint32_t bar) {
  asm volatile("mbarrier.arrive.shared::cta.b64 _, [%0];" ::"r"(bar) : "memory");
}

// Waits until the phase of parity `parity` has completed. A fresh barrier counts its phase
// "before 0" (parity 1) as completed, so a producer's first wait on an empty slot passes.
__device__ __forceinline__ void bar_wait(uint32_t bar, uint32_t parity) {
  uint32_t done = 0;
  do {
    asm volatile(
        "{\n.reg .pred p;\nmbarrier.try_wait.parity.shared::cta.b64 p, [%1], %2;\nselp.u32 %0, 1, 0, p;\n}\n"
        : "=r"(done)
        : "r"(bar), "r"(parity)
        : "memory");
  } while (!done);
}

// ---- programmatic dependent launch ----
// With the PDL launch attribute (gna_sm90.cu), this grid's CTAs may start while the previous
// kernel in the stream is still finishing; this waits until that kernel has completed and its
// writes are visible. Without the attribute it returns at once.
__device__ __forceinline__ void grid_dependency_wait() { asm volatile("griddepcontrol.wait;" ::: "memory"); }
// Lets the next kernel in the stream, if launched with PDL, place its CTAs as this grid's leave.
__device__ __forceinline__ void allow_dependent_launch() { asm volatile("griddepcontrol.launch_dependents;" ::: "memory"); }

// ---- TMA ----

__device__ __forceinline__ void tma_prefetch_map(const CUtensorMap* map) {
  asm volatile("prefetch.tensormap [%0];" ::"l"(reinterpret_cast<uint64_t>(map)) : "memory");
}

// One box of a 5-D tensor map into shared memory; completion is counted on `bar` in bytes.
__device__ __forceinline__ void tma_load_5d(uint32_t dst, const CUtensorMap* map, uint32_t bar, int c0, int c1, int c2,
                                            int c3, int c4) {
  asm volatile(
      "cp.async.bulk.tensor.5d.shared::cluster.global.tile.mbarrier::complete_tx::bytes [%0], [%1, {%3, %4, %5, %6, %7}], "
      "[%2];" ::"r"(dst),
      "l"(reinterpret_cast<uint64_t>(map)), "r"(bar), "r"(c0), "r"(c1), "r"(c2), "r"(c3), "r"(c4)
      : "memory");
}

// One box of a 5-D tensor map from shared memory to global (bulk async group of this thread).
__device__ __forceinline__ void tma_store_5d(const CUtensorMap* map, uint32_t src, int c0, int c1, int c2, int c3, int c4) {
  asm volatile("cp.async.bulk.tensor.5d.global.shared::cta.tile.bulk_group [%0, {%2, %3, %4, %5, %6}], [%1];" ::"l"(
                   reinterpret_cast<uint64_t>(map)),
               "r"(src), "r"(c0), "r"(c1), "r"(c2), "r"(c3), "r"(c4)
               : "memory");
}
__device__ __forceinline__ void bulk_commit() { asm volatile("cp.async.bulk.commit_group;" ::: "memory"); }
// Until this thread's bulk stores have read their shared memory (it may then be overwritten).
__device__ __forceinline__ void bulk_wait_read() { asm volatile("cp.async.bulk.wait_group.read 0;" ::: "memory"); }
// Until this thread's bulk stores are complete.
__device__ __forceinline__ void bulk_wait() { asm volatile("cp.async.bulk.wait_group 0;" ::: "memory"); }
__device__ __forceinline__ void st_shared_u32(uint32_t addr, uint32_t v) {
  asm volatile("st.shared.b32 [%0], %1;" ::"r"(addr), "r"(v) : "memory");
}
// Makes this thread's shared-memory writes visible to the TMA unit (the async proxy).
__device__ __forceinline__ void fence_async_smem() { asm volatile("fence.proxy.async.shared::cta;" ::: "memory"); }

#endif  // GNA_CUDA_EMU_H

// ---- warpgroup MMA ----

// Shared-memory matrix descriptor, 128-byte swizzle: start address, leading and stride byte
// offsets (PTX ISA "matrix descriptor"). The swizzle pattern repeats every 1024 bytes; every
// tile here starts on a 1024-byte boundary, so the base offset field stays 0.
__device__ __forceinline__ uint64_t desc_sw128(uint32_t addr, uint32_t lbo, uint32_t sbo) {
  return (uint64_t)((addr & 0x3FFFF) >> 4) | ((uint64_t)(lbo >> 4) << 16) | ((uint64_t)(sbo >> 4) << 32) | (1ull << 62);
}

// The same with a 64-byte swizzle (rows of 64 bytes: head dim 32); its pattern repeats every 512 bytes.
__device__ __forceinline__ uint64_t desc_sw64(uint32_t addr, uint32_t lbo, uint32_t sbo) {
  return (uint64_t)((addr & 0x3FFFF) >> 4) | ((uint64_t)(lbo >> 4) << 16) | ((uint64_t)(sbo >> 4) << 32) | (2ull << 62);
}

#ifndef GNA_CUDA_EMU_H
__device__ __forceinline__ void wgmma_fence() { asm volatile("wgmma.fence.sync.aligned;" ::: "memory"); }
__device__ __forceinline__ void wgmma_commit() { asm volatile("wgmma.commit_group.sync.aligned;" ::: "memory"); }
template <int N>
__device__ __forceinline__ void wgmma_wait() {
  asm volatile("wgmma.wait_group.sync.aligned %0;" ::"n"(N) : "memory");
}

// After wgmma_wait: ties later uses of the accumulators to this point, so the compiler cannot
// move a read of them above the wait (the wgmma asm statements alone do not say when the
// asynchronous writes land).
template <int N>
__device__ __forceinline__ void fence_regs(float (&r)[N]) {
#pragma unroll
  for (int i = 0; i < N; ++i) asm volatile("" : "+f"(r[i])::"memory");
}

// The same for the A fragments of an asynchronous wgmma: keeps them live (and their registers
// unshared) until after the wait, since the compiler thinks the wgmma read them at issue.
template <int N, int M>
__device__ __forceinline__ void fence_regs(uint32_t (&r)[N][M]) {
#pragma unroll
  for (int i = 0; i < N; ++i) {
#pragma unroll
    for (int j = 0; j < M; ++j) asm volatile("" : "+r"(r[i][j])::"memory");
  }
}

__device__ __forceinline__ void setmaxnreg_dec24() { asm volatile("setmaxnreg.dec.sync.aligned.u32 24;"); }
__device__ __forceinline__ void setmaxnreg_inc240() { asm volatile("setmaxnreg.inc.sync.aligned.u32 240;"); }
// The split builds' budget (two producer threads, each with its own pipeline state; the consumers'
// O is a quarter or half of head dim 128's): 56 / 224, no spills (40 / 232 spilled 12 bytes).
__device__ __forceinline__ void setmaxnreg_dec56() { asm volatile("setmaxnreg.dec.sync.aligned.u32 56;"); }
__device__ __forceinline__ void setmaxnreg_inc224() { asm volatile("setmaxnreg.inc.sync.aligned.u32 224;"); }

// Barrier among the 128 threads of consumer warpgroup `cw` (named barriers 1 and 2; 0 is
// __syncthreads).
__device__ __forceinline__ void consumers_sync_wg(int cw) { asm volatile("bar.sync %0, 128;" ::"r"(cw + 1) : "memory"); }

// The two consumer warpgroups out of step from an item's first step on: warpgroup 0 signals once
// its first S has landed (named barrier 3 or 4 by item parity, so that a signal for the next item
// can never complete this item's barrier), and warpgroup 1 waits for it before issuing its own,
// so that one warpgroup's softmax runs beside the other's GEMMs (PERF-NOTES v13).
__device__ __forceinline__ void stagger_signal(int parity) { asm volatile("bar.arrive %0, 256;" ::"r"(3 + parity) : "memory"); }
__device__ __forceinline__ void stagger_wait(int parity) { asm volatile("bar.sync %0, 256;" ::"r"(3 + parity) : "memory"); }

// wgmma m64n128k16 with fp32 accumulators, D(64x128) += A(64x16) * B(16x128), for one 16-bit
// input type (Mma below): a thread's 64 accumulators are the asm operands %0..%63, read and written.
#define GNA_WGMMA_D "{%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15, %16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31, %32, %33, %34, %35, %36, %37, %38, %39, %40, %41, %42, %43, %44, %45, %46, %47, %48, %49, %50, %51, %52, %53, %54, %55, %56, %57, %58, %59, %60, %61, %62, %63}, "
#define GNA_WGMMA_D_OPERANDS \
  "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3]), "+f"(d[4]), "+f"(d[5]), "+f"(d[6]), "+f"(d[7]), \
  "+f"(d[8]), "+f"(d[9]), "+f"(d[10]), "+f"(d[11]), "+f"(d[12]), "+f"(d[13]), "+f"(d[14]), "+f"(d[15]), \
  "+f"(d[16]), "+f"(d[17]), "+f"(d[18]), "+f"(d[19]), "+f"(d[20]), "+f"(d[21]), "+f"(d[22]), "+f"(d[23]), \
  "+f"(d[24]), "+f"(d[25]), "+f"(d[26]), "+f"(d[27]), "+f"(d[28]), "+f"(d[29]), "+f"(d[30]), "+f"(d[31]), \
  "+f"(d[32]), "+f"(d[33]), "+f"(d[34]), "+f"(d[35]), "+f"(d[36]), "+f"(d[37]), "+f"(d[38]), "+f"(d[39]), \
  "+f"(d[40]), "+f"(d[41]), "+f"(d[42]), "+f"(d[43]), "+f"(d[44]), "+f"(d[45]), "+f"(d[46]), "+f"(d[47]), \
  "+f"(d[48]), "+f"(d[49]), "+f"(d[50]), "+f"(d[51]), "+f"(d[52]), "+f"(d[53]), "+f"(d[54]), "+f"(d[55]), \
  "+f"(d[56]), "+f"(d[57]), "+f"(d[58]), "+f"(d[59]), "+f"(d[60]), "+f"(d[61]), "+f"(d[62]), "+f"(d[63])
// Element-type dispatch of the two MMAs and of the fp32 -> 16-bit pair conversion: Mma<E> for
// TYPE, E's name in PTX. ss: A and B from shared memory, both K-major; rs: A from registers, B
// from shared memory MN-major (the V tile as stored).
template <typename E>
struct Mma;

#define GNA_SM90_MMA(E, TYPE) \
  template <> \
  struct Mma<E> { \
    static __device__ __forceinline__ void ss(float(&d)[64], uint64_t desc_a, uint64_t desc_b, int accumulate) { \
      asm volatile("{\n.reg .pred p;\nsetp.ne.b32 p, %66, 0;\n" \
                   "wgmma.mma_async.sync.aligned.m64n128k16.f32." TYPE "." TYPE " " GNA_WGMMA_D \
                   "%64, %65, p, 1, 1, 0, 0;\n}\n" \
                   : GNA_WGMMA_D_OPERANDS \
                   : "l"(desc_a), "l"(desc_b), "r"(accumulate)); \
    } \
    static __device__ __forceinline__ void rs(float(&d)[64], const uint32_t(&a)[4], uint64_t desc_b, int accumulate) { \
      asm volatile("{\n.reg .pred p;\nsetp.ne.b32 p, %69, 0;\n" \
                   "wgmma.mma_async.sync.aligned.m64n128k16.f32." TYPE "." TYPE " " GNA_WGMMA_D \
                   "{%64, %65, %66, %67}, %68, p, 1, 1, 1;\n}\n" \
                   : GNA_WGMMA_D_OPERANDS \
                   : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "l"(desc_b), "r"(accumulate)); \
    } \
    static __device__ __forceinline__ uint32_t pack(float lo, float hi) { \
      uint32_t r; \
      asm("cvt.rn." TYPE "x2.f32 %0, %1, %2;" : "=r"(r) : "f"(hi), "f"(lo)); \
      return r; \
    } \
  };

GNA_SM90_MMA(__nv_bfloat16, "bf16")
GNA_SM90_MMA(__half, "f16")
#undef GNA_SM90_MMA
#undef GNA_WGMMA_D_OPERANDS
#undef GNA_WGMMA_D

// wgmma m64nNk16 for the head dims whose tiles need N = 64 (S over the 64-key tiles of head dim
// 256; PV at head dim 64) or N = 32 (PV at head dim 32): MmaN<E, N>, beside Mma<E> (N = 128, whose
// code the head-dim-128 kernel keeps byte for byte). The same operand conventions as Mma<E>.
template <typename E, int N>
struct MmaN;

// The accumulator lists: N / 2 registers, the 64-wide one extending the 32-wide one.
#define GNA_WGMMA_D32_REGS "%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15"
#define GNA_WGMMA_D32 "{" GNA_WGMMA_D32_REGS "}, "
#define GNA_WGMMA_D64 "{" GNA_WGMMA_D32_REGS ", %16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31}, "
#define GNA_WGMMA_D32_OPERANDS \
  "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3]), "+f"(d[4]), "+f"(d[5]), "+f"(d[6]), "+f"(d[7]), \
  "+f"(d[8]), "+f"(d[9]), "+f"(d[10]), "+f"(d[11]), "+f"(d[12]), "+f"(d[13]), "+f"(d[14]), "+f"(d[15])
#define GNA_WGMMA_D64_OPERANDS \
  GNA_WGMMA_D32_OPERANDS, "+f"(d[16]), "+f"(d[17]), "+f"(d[18]), "+f"(d[19]), "+f"(d[20]), "+f"(d[21]), "+f"(d[22]), \
  "+f"(d[23]), "+f"(d[24]), "+f"(d[25]), "+f"(d[26]), "+f"(d[27]), "+f"(d[28]), "+f"(d[29]), "+f"(d[30]), "+f"(d[31])
// The operands after the accumulators: ss (A, B descriptors; accumulate), rs (A registers, B; accumulate).
#define GNA_WGMMA_SS32 "%16, %17, p, 1, 1, 0, 0;\n}\n"
#define GNA_WGMMA_SS32_ACC "%18"
#define GNA_WGMMA_RS32 "{%16, %17, %18, %19}, %20, p, 1, 1, 1;\n}\n"
#define GNA_WGMMA_RS32_ACC "%21"
#define GNA_WGMMA_SS64 "%32, %33, p, 1, 1, 0, 0;\n}\n"
#define GNA_WGMMA_SS64_ACC "%34"
#define GNA_WGMMA_RS64 "{%32, %33, %34, %35}, %36, p, 1, 1, 1;\n}\n"
#define GNA_WGMMA_RS64_ACC "%37"
#define GNA_SM90_MMA_N(E, TYPE, N) \
  template <> \
  struct MmaN<E, N> { \
    static __device__ __forceinline__ void ss(float(&d)[N / 2], uint64_t desc_a, uint64_t desc_b, int accumulate) { \
      asm volatile("{\n.reg .pred p;\nsetp.ne.b32 p, " GNA_WGMMA_SS##N##_ACC ", 0;\n" \
                   "wgmma.mma_async.sync.aligned.m64n" #N "k16.f32." TYPE "." TYPE " " GNA_WGMMA_D##N GNA_WGMMA_SS##N \
                   : GNA_WGMMA_D##N##_OPERANDS \
                   : "l"(desc_a), "l"(desc_b), "r"(accumulate)); \
    } \
    static __device__ __forceinline__ void rs(float(&d)[N / 2], const uint32_t(&a)[4], uint64_t desc_b, int accumulate) { \
      asm volatile("{\n.reg .pred p;\nsetp.ne.b32 p, " GNA_WGMMA_RS##N##_ACC ", 0;\n" \
                   "wgmma.mma_async.sync.aligned.m64n" #N "k16.f32." TYPE "." TYPE " " GNA_WGMMA_D##N GNA_WGMMA_RS##N \
                   : GNA_WGMMA_D##N##_OPERANDS \
                   : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "l"(desc_b), "r"(accumulate)); \
    } \
  };

GNA_SM90_MMA_N(__nv_bfloat16, "bf16", 64)
GNA_SM90_MMA_N(__half, "f16", 64)
GNA_SM90_MMA_N(__nv_bfloat16, "bf16", 32)
GNA_SM90_MMA_N(__half, "f16", 32)
#undef GNA_SM90_MMA_N
#undef GNA_WGMMA_D32_REGS
#undef GNA_WGMMA_D32
#undef GNA_WGMMA_D64
#undef GNA_WGMMA_D32_OPERANDS
#undef GNA_WGMMA_D64_OPERANDS
#undef GNA_WGMMA_SS32
#undef GNA_WGMMA_SS32_ACC
#undef GNA_WGMMA_RS32
#undef GNA_WGMMA_RS32_ACC
#undef GNA_WGMMA_SS64
#undef GNA_WGMMA_SS64_ACC
#undef GNA_WGMMA_RS64
#undef GNA_WGMMA_RS64_ACC

__device__ __forceinline__ float ex2(float x) {
  float y;
  asm("ex2.approx.ftz.f32 %0, %1;" : "=f"(y) : "f"(x));
  return y;
}

#else  // GNA_CUDA_EMU_H
// The CPU emulation's twins of the primitives above (native/emu/hopper_emu.h, which says from which
// PTX ISA section each takes its semantics): the same names and operands, each the emulated
// instruction its asm issues. A primitive added above needs its twin here.
inline void bar_init(uint32_t bar, uint32_t arrivals) { emu::hopper::mbar_init(bar, arrivals); }
inline void bar_init_fence() { emu::hopper::fence_proxy_async(); }
inline void bar_arrive_expect(uint32_t bar, uint32_t bytes) { emu::hopper::mbar_arrive_expect_tx(bar, bytes); }
inline void bar_arrive(uint32_t bar) { emu::hopper::mbar_arrive(bar); }
inline void bar_wait(uint32_t bar, uint32_t parity) { emu::hopper::mbar_wait_parity(bar, parity); }
inline void grid_dependency_wait() {}  // launches run one after another
inline void allow_dependent_launch() {}
inline void tma_prefetch_map(const CUtensorMap* map) { emu::hopper::tensor_map(map); }
inline void tma_load_5d(uint32_t dst, const CUtensorMap* map, uint32_t bar, int c0, int c1, int c2, int c3, int c4) {
  emu::hopper::tma_load(dst, map, bar, {c0, c1, c2, c3, c4});
}
inline void tma_store_5d(const CUtensorMap* map, uint32_t src, int c0, int c1, int c2, int c3, int c4) {
  emu::hopper::tma_store(map, src, {c0, c1, c2, c3, c4});
}
inline void bulk_commit() { emu::hopper::bulk_commit(); }
inline void bulk_wait_read() { emu::hopper::bulk_wait(0); }
inline void bulk_wait() { emu::hopper::bulk_wait(0); }
inline void st_shared_u32(uint32_t addr, uint32_t v) { emu::hopper::st_shared(addr, &v, 4); }
inline void fence_async_smem() { emu::hopper::fence_proxy_async(); }
inline void wgmma_fence() {}
inline void wgmma_commit() { emu::hopper::wgmma_commit(); }
template <int N>
inline void wgmma_wait() {
  emu::hopper::wgmma_wait(N);
}
template <int N>
inline void fence_regs(float (&)[N]) {}
template <int N, int M>
inline void fence_regs(uint32_t (&)[N][M]) {}
inline void setmaxnreg_dec24() {}  // register budgets are not emulated
inline void setmaxnreg_inc240() {}
inline void setmaxnreg_dec56() {}
inline void setmaxnreg_inc224() {}
inline void consumers_sync_wg(int cw) { emu::hopper::bar_sync(cw + 1, 128); }
inline void stagger_signal(int parity) { emu::hopper::bar_arrive(3 + parity, 256); }
inline void stagger_wait(int parity) { emu::hopper::bar_sync(3 + parity, 256); }

// A 16-bit input type's decoding and its cvt.rn.{f16x2,bf16x2}.f32 (round to nearest even; the
// first source, `hi`, in the upper half).
template <typename E>
struct EmuElem;
template <>
struct EmuElem<__half> {
  static float value(uint16_t x) { return half_bits_to_float(x); }
  static uint16_t bits(float f) { return float_to_half_bits(f); }
};
template <>
struct EmuElem<__nv_bfloat16> {
  static float value(uint16_t x) { return bf16_bits_to_float(x); }
  static uint16_t bits(float f) { return float_to_bf16_bits(f); }
};

// The asm's immediates: ss "p, 1, 1, 0, 0" (scale-d = accumulate != 0, scale-a = scale-b = 1,
// tnspA = tnspB = 0: both K-major); rs "p, 1, 1, 1" (tnspB = 1: B MN-major).
template <typename E, int N>
struct MmaN {
  static void ss(float (&d)[N / 2], uint64_t desc_a, uint64_t desc_b, int accumulate) {
    emu::hopper::wgmma<N>(d, nullptr, desc_a, desc_b, accumulate != 0, 1, 1, false, false, EmuElem<E>::value);
  }
  static void rs(float (&d)[N / 2], const uint32_t (&a)[4], uint64_t desc_b, int accumulate) {
    emu::hopper::wgmma<N>(d, a, 0, desc_b, accumulate != 0, 1, 1, false, true, EmuElem<E>::value);
  }
};
template <typename E>
struct Mma : MmaN<E, 128> {
  static uint32_t pack(float lo, float hi) { return (uint32_t)EmuElem<E>::bits(lo) | ((uint32_t)EmuElem<E>::bits(hi) << 16); }
};

inline float ex2(float x) { return emu::hopper::ex2(x); }
#endif  // GNA_CUDA_EMU_H

}  // namespace sm90
}  // namespace gna

#endif  // GNA_SM90_CUH
