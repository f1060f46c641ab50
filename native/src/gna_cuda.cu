// gna_cuda.cu: the CUDA half of the C ABI (compiled by nvcc only). Device queries, the forward
// pass for checks (host inputs in, host output back) and the benchmark (inputs generated on the
// GPU). One pass = the fused kernel, with the token permutation around it where the kernel
// cannot read tiles from the caller's layout itself:
//  - Hopper (compute capability 9.0), head dim 128, 128-token KV tiles, Q tiles of a multiple
//    of 128 tokens: the sm_90a kernel (gna_sm90.cu), loading each multi-dimensional tile as one
//    TMA box from [batch, *layout, heads, D] (no permutation), or from permuted buffers where
//    a box cannot express the tile (dilation);
//  - everything else: the portable mma.sync kernel (gna_attention.cuh) on permuted buffers;
//  - asked for (kernel 'portable-fa2', issue 23, until its GPU check passes): the FA2-class
//    portable kernel (gna_fa2.cu), on the caller's layout without dilation (no permutation),
//    else on the same permuted buffers.
// The request's launch options (gna_launch_options) may force the portable kernel or the permuted
// Hopper path, and set how the Hopper kernel is launched.
//
// Errors: every CUDA call is checked; failures travel as a C++ exception inside this file and
// leave it as a status code and message (RAII frees device memory on the way out).
#include <cuda_runtime.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <vector>

#include "gna_attention.cuh"
#include "gna_backward.cuh"
#include "gna_fa2.h"
#include "gna_half.h"
#include "gna_math.h"
#include "gna_native.h"
#include "gna_permute.cuh"
#include "gna_tile_maps.h"
#include "gna_sm90.h"
#include "gna_sm90_backward.h"

namespace {

struct Failure {
  int status;
  std::string message;
};

// Errors that mean "no usable GPU here" rather than "something broke".
bool is_no_device(cudaError_t e) {
  return e == cudaErrorNoDevice || e == cudaErrorInsufficientDriver || e == cudaErrorStubLibrary ||
         e == cudaErrorInitializationError || e == cudaErrorCompatNotSupportedOnDevice ||
         e == cudaErrorSystemDriverMismatch || e == cudaErrorSystemNotReady || e == cudaErrorDevicesUnavailable;
}

// Errors after which the context is unusable until the process restarts.
bool is_sticky(cudaError_t e) {
  return e == cudaErrorIllegalAddress || e == cudaErrorLaunchFailure || e == cudaErrorHardwareStackError ||
         e == cudaErrorIllegalInstruction || e == cudaErrorMisalignedAddress || e == cudaErrorInvalidAddressSpace ||
         e == cudaErrorInvalidPc || e == cudaErrorAssert || e == cudaErrorLaunchTimeout;
}

std::string format(const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return buf;
}

[[noreturn]] void throw_cuda(cudaError_t e, const char* what) {
  cudaGetLastError();  // clear this thread's non-sticky error state
  int status = GNA_ERR_CUDA;
  std::string prefix;
  if (e == cudaErrorMemoryAllocation) {
    status = GNA_ERR_OOM;
    prefix = "out of GPU memory: ";
  } else if (e == cudaErrorInvalidDevice) {
    status = GNA_ERR_INVALID;
    prefix = "invalid CUDA device index: ";
  } else if (is_no_device(e)) {
    status = GNA_ERR_NO_DEVICE;
    prefix = "no CUDA device: ";
  }
  std::string msg = prefix + format("%s: %s (%s=%d)", what, cudaGetErrorString(e), cudaGetErrorName(e), (int)e);
  if (is_sticky(e)) msg += "; the CUDA context of this process is now unusable: restart it (e.g. reload the window)";
  throw Failure{status, msg};
}

void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) throw_cuda(e, what);
}

template <typename F>
int guarded(char* err, size_t errlen, F&& body) {
  int status = GNA_OK;
  std::string msg;
  try {
    body();
  } catch (const Failure& f) {
    status = f.status;
    msg = f.message;
  } catch (const std::bad_alloc&) {
    status = GNA_ERR_OOM;
    msg = "out of host memory";
  } catch (const std::exception& e) {
    status = GNA_ERR_CUDA;
    msg = e.what();
  } catch (...) {
    status = GNA_ERR_CUDA;
    msg = "unknown failure in the CUDA core";
  }
  if (status != GNA_OK && err && errlen) snprintf(err, errlen, "%s", msg.c_str());
  return status;
}

class DeviceBuffer {
 public:
  DeviceBuffer(size_t bytes, const char* what) : bytes_(bytes) {
    if (bytes == 0) return;
    const cudaError_t e = cudaMalloc(&ptr_, bytes);
    if (e == cudaErrorMemoryAllocation) {
      cudaGetLastError();
      size_t free_b = 0, total_b = 0;
      cudaMemGetInfo(&free_b, &total_b);
      throw Failure{GNA_ERR_OOM, format("out of GPU memory: %s needs %.1f MiB, %.1f MiB of %.1f MiB are free", what,
                                        bytes / 1048576.0, free_b / 1048576.0, total_b / 1048576.0)};
    }
    check(e, what);
  }
  ~DeviceBuffer() {
    if (ptr_) cudaFree(ptr_);
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  template <typename T>
  T* as() const {
    return static_cast<T*>(ptr_);
  }
  size_t bytes() const { return bytes_; }

 private:
  void* ptr_ = nullptr;
  size_t bytes_;
};

class Stream {
 public:
  Stream() { check(cudaStreamCreateWithFlags(&s_, cudaStreamNonBlocking), "cudaStreamCreate"); }
  ~Stream() {
    if (s_) {
      cudaStreamSynchronize(s_);
      cudaStreamDestroy(s_);
    }
  }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  cudaStream_t get() const { return s_; }

 private:
  cudaStream_t s_ = nullptr;
};

class Event {
 public:
  Event() { check(cudaEventCreate(&e_), "cudaEventCreate"); }
  ~Event() {
    if (e_) cudaEventDestroy(e_);
  }
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  cudaEvent_t get() const { return e_; }

 private:
  cudaEvent_t e_ = nullptr;
};

float elapsed_ms(const Event& a, const Event& b) {
  float ms = 0.f;
  check(cudaEventElapsedTime(&ms, a.get(), b.get()), "cudaEventElapsedTime");
  return ms;
}

// Everything one pass needs, derived from the problem; device buffers are owned by the caller.
struct Plan {
  gna::PermuteMap qmap{}, kvmap{};
  gna::AxisMaps qmaps, kvmaps;
  gna::AttentionParams attn{};
  dim3 grid;
  int heads = 0, head_dim = 0, dtype = 0, batch = 0;
  long long batch_heads = 0;
  size_t map_ints = 0;
  gna::Sm90Args sm90{};
  gna_launch_options options{};         // how the kernel is chosen and launched
  gna::Sm90Path path = gna::kSm90None;  // set by choose_path() once the device is known
  gna::Sm90Launch launch;               // set by prepare() once the tensors exist
  std::vector<int> sm90_tables;         // per-axis tables of the Hopper path (choose_path())
  size_t sm90_offsets[2 * GNA_MAX_RANK] = {};
  bool fa2 = false;         // the FA2-class portable kernel runs (set by choose_path())
  bool fa2_direct = false;  // ... on the caller's layout (no permutation)
  int fa2_variant = 0;      // ... this variant of it (gna::fa2_variant_runs)
  bool permutes() const { return path != gna::kSm90Direct && !fa2_direct; }
  std::string kernel_name() const { return fa2 ? gna::fa2_name(head_dim, fa2_direct, fa2_variant) : gna::sm90_path_name(path, head_dim, gna::sm90_variant_runs(head_dim, options.variant)); }
};

Plan make_plan(const gna_problem& p, const gna_shape& s, const gna_run_options& run) {
  const gna_tiles& t = run.tiles;
  const int dtype = run.dtype;
  Plan plan;
  plan.options = run.launch;
  gna::Axis ax[GNA_MAX_RANK];
  gna::axes_of(p, ax);
  int tq[GNA_MAX_RANK], tkv[GNA_MAX_RANK];
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    tq[i] = i < p.rank ? t.q[i] : 1;
    tkv[i] = i < p.rank ? t.kv[i] : 1;
  }
  plan.qmaps = gna::build_maps(ax, tq, &plan.qmap);
  plan.kvmaps = gna::build_maps(ax, tkv, &plan.kvmap);
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    plan.map_ints += plan.qmaps.to_coord[i].size() + plan.qmaps.to_pos[i].size();
    plan.map_ints += plan.kvmaps.to_coord[i].size() + plan.kvmaps.to_pos[i].size();
  }
  plan.heads = s.heads;
  plan.batch = s.batch;
  plan.head_dim = s.head_dim;
  plan.dtype = dtype;
  plan.batch_heads = (long long)s.batch * s.heads;

  plan.attn = gna::attention_geometry(ax, tq, tkv, plan.qmap, plan.kvmap, s.scale);
  const gna::AttentionParams& a = plan.attn;
  const long long q_tiles = plan.qmap.padded / plan.qmap.tile_tokens;
  const long long grid_x = q_tiles * a.q_chunks;
  if (grid_x > 0x7fffffffLL) throw Failure{GNA_ERR_INVALID, "too many Q tiles for one launch"};
  if (plan.batch_heads > 65535) throw Failure{GNA_ERR_INVALID, format("batch * heads = %lld exceeds 65535", plan.batch_heads)};
  plan.grid = dim3((unsigned)grid_x, (unsigned)plan.batch_heads, 1);

  plan.sm90 = gna::sm90_args_of(a, s.batch, s.heads, s.head_dim, dtype == GNA_BF16);
  return plan;
}

// Picks the kernel for the current device (after cudaSetDevice).
void choose_path(Plan& plan, int device) {
  if (plan.options.kernel == GNA_KERNEL_FA2 || plan.options.kernel == GNA_KERNEL_FA2_PERMUTED) {
    // Asked for by name; where it cannot run, the first portable kernel does (and is named).
    plan.path = gna::kSm90None;
    plan.fa2 = gna::fa2_supports(plan.attn, plan.head_dim, device, nullptr);
    plan.fa2_direct = plan.fa2 && plan.options.kernel == GNA_KERNEL_FA2 && gna::fa2_direct(plan.attn);
    plan.fa2_variant = plan.fa2 ? gna::fa2_variant_runs(plan.head_dim, plan.options.variant, device) : 0;
    return;
  }
  plan.path = gna::sm90_choose(plan.sm90, device, plan.options.kernel, nullptr);
  if (plan.path != gna::kSm90None) plan.sm90_tables = gna::sm90_tables(plan.sm90, plan.sm90_offsets);
  if (plan.path == gna::kSm90None && plan.options.kernel == GNA_KERNEL_AUTO && gna::fa2_checked_on_gpu(plan.head_dim)) {
    plan.fa2 = gna::fa2_supports(plan.attn, plan.head_dim, device, nullptr);
    plan.fa2_direct = plan.fa2 && gna::fa2_direct(plan.attn);
  }
}

// Copies the maps to the device and points the permute maps at them.
void upload_maps(Plan& plan, const DeviceBuffer& buf, cudaStream_t stream) {
  std::vector<int> all;
  all.reserve(plan.map_ints);
  int* base = buf.as<int>();
  auto place = [&](const std::vector<int>& v) {
    const int* ptr = base + all.size();
    all.insert(all.end(), v.begin(), v.end());
    return ptr;
  };
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    plan.qmap.to_coord[i] = place(plan.qmaps.to_coord[i]);
    plan.qmap.to_pos[i] = place(plan.qmaps.to_pos[i]);
    plan.kvmap.to_coord[i] = place(plan.kvmaps.to_coord[i]);
    plan.kvmap.to_pos[i] = place(plan.kvmaps.to_pos[i]);
  }
  check(cudaMemcpyAsync(base, all.data(), all.size() * sizeof(int), cudaMemcpyHostToDevice, stream), "copy tile maps");
  check(cudaStreamSynchronize(stream), "copy tile maps");  // `all` dies with this scope
}

// Device tensors of one pass, all 16-bit; the tile-order buffers only where the kernel needs them.
struct Tensors {
  DeviceBuffer q, k, v, o;      // caller's layout
  DeviceBuffer qp, kp, vp, op;  // tile order
  DeviceBuffer maps;
  DeviceBuffer counts;
  DeviceBuffer tables;  // the Hopper path's per-axis tables
  Tensors(const Plan& plan, size_t elements)
      : q(elements * 2, "Q"),
        k(elements * 2, "K"),
        v(elements * 2, "V"),
        o(elements * 2, "the output"),
        qp(plan.permutes() ? (size_t)(plan.batch_heads * plan.qmap.padded * plan.head_dim) * 2 : 0, "permuted Q"),
        kp(plan.permutes() ? (size_t)(plan.batch_heads * plan.kvmap.padded * plan.head_dim) * 2 : 0, "permuted K"),
        vp(plan.permutes() ? (size_t)(plan.batch_heads * plan.kvmap.padded * plan.head_dim) * 2 : 0, "permuted V"),
        op(plan.permutes() ? (size_t)(plan.batch_heads * plan.qmap.padded * plan.head_dim) * 2 : 0, "permuted output"),
        maps(plan.map_ints * sizeof(int), "tile maps"),
        counts(2 * sizeof(unsigned long long), "tile counters"),
        tables(plan.sm90_tables.size() * sizeof(int), "tile tables") {}
};

unsigned blocks_for(long long work, int threads) {
  const long long b = (work + threads - 1) / threads;
  return (unsigned)std::min<long long>(std::max<long long>(b, 1), 1 << 20);
}

void permute_in(const Plan& plan, const Tensors& t, cudaStream_t s) {
  if (!plan.permutes()) return;
  const long long vectors = plan.batch_heads * plan.qmap.padded * (plan.head_dim / 8);
  const long long kv_vectors = plan.batch_heads * plan.kvmap.padded * (plan.head_dim / 8);
  gna::gna_permute_in<<<blocks_for(vectors, 256), 256, 0, s>>>(t.qp.as<uint16_t>(), t.q.as<uint16_t>(), plan.qmap,
                                                               plan.heads, plan.head_dim, vectors);
  gna::gna_permute_in<<<blocks_for(kv_vectors, 256), 256, 0, s>>>(t.kp.as<uint16_t>(), t.k.as<uint16_t>(), plan.kvmap,
                                                                  plan.heads, plan.head_dim, kv_vectors);
  gna::gna_permute_in<<<blocks_for(kv_vectors, 256), 256, 0, s>>>(t.vp.as<uint16_t>(), t.v.as<uint16_t>(), plan.kvmap,
                                                                  plan.heads, plan.head_dim, kv_vectors);
  check(cudaGetLastError(), "token permutation launch");
}

void permute_out(const Plan& plan, const Tensors& t, cudaStream_t s) {
  if (!plan.permutes()) return;
  const long long vectors = plan.batch_heads * plan.qmap.tokens * (plan.head_dim / 8);
  gna::gna_permute_out<<<blocks_for(vectors, 256), 256, 0, s>>>(t.o.as<uint16_t>(), t.op.as<uint16_t>(), plan.qmap,
                                                                plan.heads, plan.head_dim, vectors);
  check(cudaGetLastError(), "output permutation launch");
}

template <int D, typename E, bool SaveLse = false>
void launch_attention(const gna::AttentionParams& a, dim3 grid, cudaStream_t s) {
  const size_t smem = gna::attention_smem_bytes(D);
  check(cudaFuncSetAttribute(gna::gna_forward_kernel<D, E, SaveLse>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)smem),
        "cudaFuncSetAttribute(shared memory)");
  gna::gna_forward_kernel<D, E, SaveLse><<<grid, gna::kThreads, smem, s>>>(a);
  check(cudaGetLastError(), "fused attention kernel launch");
}

// The portable forward that also saves each row's log-sum-exp (the backward's forward), head dims
// 32, 64 and 128.
template <int D>
void launch_attention_lse(const gna::AttentionParams& a, bool bf16, dim3 grid, cudaStream_t s) {
  if (bf16) return launch_attention<D, __nv_bfloat16, true>(a, grid, s);
  launch_attention<D, __half, true>(a, grid, s);
}

// Host work of the Hopper path done once per pass set: its tensor maps point at `t` (at `q` and
// `o` instead of t.q and t.o where given: the direct path reading one pass's output as Q).
void prepare(Plan& plan, const Tensors& t, int device, const DeviceBuffer* q = nullptr, const DeviceBuffer* o = nullptr) {
  if (plan.path == gna::kSm90None) return;
  gna::Sm90Args h = plan.sm90;
  const bool direct = plan.path == gna::kSm90Direct;
  h.q = direct ? (q ? q : &t.q)->as<void>() : t.qp.as<void>();
  h.k = direct ? t.k.as<void>() : t.kp.as<void>();
  h.v = direct ? t.v.as<void>() : t.vp.as<void>();
  h.o = direct ? (o ? o : &t.o)->as<void>() : t.op.as<void>();
  check(cudaMemcpy(t.tables.as<void>(), plan.sm90_tables.data(), t.tables.bytes(), cudaMemcpyHostToDevice), "copy tile tables");
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    h.ranges[i] = reinterpret_cast<const gna::QTileRange*>(t.tables.as<int>() + plan.sm90_offsets[2 * i]);
    h.windows[i] = t.tables.as<int>() + plan.sm90_offsets[2 * i + 1];
  }
  std::string why;
  const cudaError_t e = gna::sm90_prepare(plan.path, h, device, plan.options, &plan.launch, &why);
  if (e != cudaSuccess) throw_cuda(e, why.c_str());
}

// One forward kernel launch; `lse` (the portable path only: the backward's plans) also saves
// each row's log-sum-exp there, in tile order.
void attention(const Plan& plan, const Tensors& t, bool count, cudaStream_t s, float* lse = nullptr) {
  if (plan.path != gna::kSm90None) {
    if (lse) throw Failure{GNA_ERR_UNSUPPORTED, "only the portable forward saves the log-sum-exp"};
    std::string why;
    const cudaError_t e = gna::sm90_run(plan.launch, count ? t.counts.as<unsigned long long>() : nullptr, s, &why);
    if (e != cudaSuccess) throw_cuda(e, why.c_str());
    return;
  }
  gna::AttentionParams a = plan.attn;
  a.q = t.qp.as<uint16_t>();
  a.k = t.kp.as<uint16_t>();
  a.v = t.vp.as<uint16_t>();
  a.o = t.op.as<uint16_t>();
  a.counts = count ? t.counts.as<unsigned long long>() : nullptr;
  const bool bf16 = plan.dtype == GNA_BF16;
  if (lse) {
    a.lse = lse;
    switch (plan.head_dim) {
      case 32:
        return launch_attention_lse<32>(a, bf16, plan.grid, s);
      case 64:
        return launch_attention_lse<64>(a, bf16, plan.grid, s);
      case 128:
        return launch_attention_lse<128>(a, bf16, plan.grid, s);
    }
    throw Failure{GNA_ERR_UNSUPPORTED, format("the fused backward supports head dims 32, 64 and 128, got %d", plan.head_dim)};
  }
  if (plan.fa2) {
    if (plan.fa2_direct) {
      a.q = t.q.as<uint16_t>();
      a.k = t.k.as<uint16_t>();
      a.v = t.v.as<uint16_t>();
      a.o = t.o.as<uint16_t>();
    }
    return check(gna::fa2_run(a, plan.head_dim, bf16, plan.batch, plan.heads, plan.fa2_direct, plan.fa2_variant, s), "portable FA2 kernel launch");
  }
  switch (plan.head_dim) {
    case 32:
      return bf16 ? launch_attention<32, __nv_bfloat16>(a, plan.grid, s) : launch_attention<32, __half>(a, plan.grid, s);
    case 64:
      return bf16 ? launch_attention<64, __nv_bfloat16>(a, plan.grid, s) : launch_attention<64, __half>(a, plan.grid, s);
    case 128:
      return bf16 ? launch_attention<128, __nv_bfloat16>(a, plan.grid, s)
                  : launch_attention<128, __half>(a, plan.grid, s);
    case 256:
      return bf16 ? launch_attention<256, __nv_bfloat16>(a, plan.grid, s)
                  : launch_attention<256, __half>(a, plan.grid, s);
  }
  throw Failure{GNA_ERR_INVALID, "unsupported head dim"};
}

int validate(const gna_run_options* o, const gna_problem* p, const gna_shape* s, char* err, size_t errlen) {
  int rc = gna_check_problem(p, s, err, errlen);
  if (rc != GNA_OK) return rc;
  rc = gna_check_tiles(p, &o->tiles, err, errlen);
  if (rc != GNA_OK) return rc;
  if (s->head_dim != 32 && s->head_dim != 64 && s->head_dim != 128 && s->head_dim != 256) {
    snprintf(err, errlen, "the CUDA kernel supports head dims 32, 64, 128 and 256, got %d", s->head_dim);
    return GNA_ERR_INVALID;
  }
  if (o->dtype != GNA_F16 && o->dtype != GNA_BF16) {
    snprintf(err, errlen, "the CUDA kernel takes float16 or bfloat16 inputs");
    return GNA_ERR_INVALID;
  }
  const gna_launch_options& l = o->launch;
  if (l.kernel < GNA_KERNEL_AUTO || l.kernel > GNA_KERNEL_FA2_PERMUTED || l.max_ctas < 0 || l.variant < 0 ||
      memchr(l.trace_path, 0, sizeof l.trace_path) == nullptr) {
    snprintf(err, errlen, "invalid launch options (kernel %d, max_ctas %d)", l.kernel, l.max_ctas);
    return GNA_ERR_INVALID;
  }
  return GNA_OK;
}

// splitmix64: a counter-based generator, so every element is independent of the launch shape.
__device__ __forceinline__ unsigned long long mix64(unsigned long long z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Uniform values in (-1, 1), never zero: an odd multiple of 2^-24 rounded to the 16-bit type.
template <typename E>
__global__ void gna_fill_random(uint16_t* dst, long long n, unsigned long long seed) {
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x) {
    const unsigned long long z = mix64(seed + (unsigned long long)i * 0x9e3779b97f4a7c15ull);
    const float v = (float)(2 * (long long)(z >> 40) + 1 - (1LL << 24)) * (1.0f / 16777216.0f);
    if constexpr (std::is_same<E, __half>::value) {
      dst[i] = __half_as_ushort(__float2half_rn(v));
    } else {
      dst[i] = __bfloat16_as_ushort(__float2bfloat16_rn(v));
    }
  }
}

void fill_random(uint16_t* dst, long long n, unsigned long long seed, int dtype, cudaStream_t s) {
  if (dtype == GNA_BF16) {
    gna_fill_random<__nv_bfloat16><<<blocks_for(n, 256), 256, 0, s>>>(dst, n, seed);
  } else {
    gna_fill_random<__half><<<blocks_for(n, 256), 256, 0, s>>>(dst, n, seed);
  }
  check(cudaGetLastError(), "random fill launch");
}

// Spins one warp for `ns` nanoseconds of GPU time (the benchmark's spacer before each timed run).
__global__ void gna_spin(unsigned long long ns) {
  unsigned long long t0, t;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t0));
  do {
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
  } while (t - t0 < ns);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// A benchmark's result: the medians over its repeats.
void store_medians(gna_bench_result* result, const std::vector<double>& attn, const std::vector<double>& perm,
                   const std::vector<double>& total) {
  result->attention_ms = median(attn);
  result->permute_ms = median(perm);
  result->total_ms = median(total);
  result->repeats = (int)attn.size();
}

// A benchmark's status: cancelled between repeats, or what the run returned.
int cancelled_or(int rc, bool cancelled, char* err, size_t errlen) {
  if (rc != GNA_OK || !cancelled) return rc;
  snprintf(err, errlen, "benchmark cancelled");
  return GNA_ERR_CANCELLED;
}

}  // namespace

extern "C" int gna_cuda_built(void) { return 1; }

extern "C" void gna_cuda_versions(int* rt, int* drv) {
  if (rt) {
    *rt = 0;
    cudaRuntimeGetVersion(rt);
  }
  if (drv) {
    *drv = 0;
    cudaDriverGetVersion(drv);  // 0 when libcuda.so.1 is absent
  }
  cudaGetLastError();
}

extern "C" int gna_cuda_device_count(int* count, char* err, size_t errlen) {
  *count = 0;
  return guarded(err, errlen, [&] {
    // Without libcuda.so.1 the static runtime reports cudaErrorInsufficientDriver, which reads as
    // "update your driver"; the driver version is 0 only when there is no driver at all.
    int drv = 0;
    cudaDriverGetVersion(&drv);
    cudaGetLastError();
    if (drv == 0) throw Failure{GNA_ERR_NO_DEVICE, "no NVIDIA driver: libcuda.so.1 was not found on this machine"};
    check(cudaGetDeviceCount(count), "cudaGetDeviceCount");
    if (*count == 0) throw Failure{GNA_ERR_NO_DEVICE, "no CUDA device: cudaGetDeviceCount returned 0"};
  });
}

extern "C" int gna_cuda_device_props(int device, gna_device_props* out, char* err, size_t errlen) {
  memset(out, 0, sizeof *out);
  return guarded(err, errlen, [&] {
    cudaDeviceProp p;
    check(cudaGetDeviceProperties(&p, device), "cudaGetDeviceProperties");
    snprintf(out->name, sizeof out->name, "%s", p.name);
    out->major = p.major;
    out->minor = p.minor;
    out->multiprocessors = p.multiProcessorCount;
    out->total_mem = p.totalGlobalMem;
  });
}

extern "C" int gna_cuda_forward(const gna_run_options* opts, const gna_problem* p, const gna_shape* shape,
                                const float* q, const float* k, const float* v, float* out,
                                gna_visit_counts* counts, char* err, size_t errlen) {
  const int rc = validate(opts, p, shape, err, errlen);
  if (rc != GNA_OK) return rc;
  if (opts->passes < 0 || opts->passes > 16) {
    snprintf(err, errlen, "passes must be between 1 and 16");
    return GNA_ERR_INVALID;
  }
  const int passes = opts->passes > 1 ? opts->passes : 1;
  return guarded(err, errlen, [&] {
    Plan plan = make_plan(*p, *shape, *opts);
    const size_t elements = (size_t)shape->batch * (size_t)plan.qmap.tokens * shape->heads * shape->head_dim;
    // Round on the host with the same code gna_quantize uses, so a reference sees these values.
    std::vector<uint16_t> hq(elements), hk(elements), hv(elements), ho(elements);
    const bool bf16 = opts->dtype == GNA_BF16;
    for (size_t i = 0; i < elements; ++i) {
      hq[i] = bf16 ? gna::float_to_bf16_bits(q[i]) : gna::float_to_half_bits(q[i]);
      hk[i] = bf16 ? gna::float_to_bf16_bits(k[i]) : gna::float_to_half_bits(k[i]);
      hv[i] = bf16 ? gna::float_to_bf16_bits(v[i]) : gna::float_to_half_bits(v[i]);
    }
    check(cudaSetDevice(opts->device), "cudaSetDevice");  // on this (worker) thread
    choose_path(plan, opts->device);
    Stream stream;
    const cudaStream_t s = stream.get();
    Tensors t(plan, elements);
    prepare(plan, t, opts->device);
    upload_maps(plan, t.maps, s);
    check(cudaMemcpyAsync(t.q.as<void>(), hq.data(), elements * 2, cudaMemcpyHostToDevice, s), "copy Q");
    check(cudaMemcpyAsync(t.k.as<void>(), hk.data(), elements * 2, cudaMemcpyHostToDevice, s), "copy K");
    check(cudaMemcpyAsync(t.v.as<void>(), hv.data(), elements * 2, cudaMemcpyHostToDevice, s), "copy V");
    // Poison: all-ones is NaN in both 16-bit formats, so an element nobody writes fails a check.
    check(cudaMemsetAsync(t.o.as<void>(), 0xff, t.o.bytes(), s), "poison output");
    if (plan.permutes()) check(cudaMemsetAsync(t.op.as<void>(), 0xff, t.op.bytes(), s), "poison permuted output");
    check(cudaMemsetAsync(t.counts.as<void>(), 0, t.counts.bytes(), s), "clear counters");
    // Passes after the first read the previous output as Q. The direct path launches them back to
    // back (nothing between the kernels, so each may start early: PDL) with Q and the output
    // buffers swapped on every other pass; the other paths copy the output over Q in between.
    const bool direct = plan.path == gna::kSm90Direct;
    Plan swapped = plan;
    if (direct && passes > 1) prepare(swapped, t, opts->device, &t.o, &t.q);
    for (int pass = 0; pass < passes; ++pass) {
      const bool count = counts != nullptr && pass == 0;
      if (direct) {
        attention(pass % 2 == 0 ? plan : swapped, t, count, s);
        continue;
      }
      if (pass > 0) check(cudaMemcpyAsync(t.q.as<void>(), t.o.as<void>(), elements * 2, cudaMemcpyDeviceToDevice, s), "output as Q");
      permute_in(plan, t, s);
      attention(plan, t, count, s);
      permute_out(plan, t, s);
    }
    const DeviceBuffer& result = direct && passes % 2 == 0 ? t.q : t.o;
    check(cudaMemcpyAsync(ho.data(), result.as<void>(), elements * 2, cudaMemcpyDeviceToHost, s), "copy output");
    unsigned long long c[2] = {0, 0};
    check(cudaMemcpyAsync(c, t.counts.as<void>(), sizeof c, cudaMemcpyDeviceToHost, s), "copy counters");
    check(cudaStreamSynchronize(s), "forward pass");  // kernel faults surface here
    for (size_t i = 0; i < elements; ++i) out[i] = bf16 ? gna::bf16_bits_to_float(ho[i]) : gna::half_bits_to_float(ho[i]);
    if (counts) {
      counts->visited = (long long)c[0];
      counts->full = (long long)c[1];
      snprintf(counts->kernel, sizeof counts->kernel, "%s", plan.kernel_name().c_str());
    }
  });
}

extern "C" int gna_cuda_benchmark(const gna_bench_options* opts, const gna_problem* p, const gna_shape* shape,
                                  gna_bench_result* result, char* err, size_t errlen) {
  memset(result, 0, sizeof *result);
  int rc = validate(&opts->run, p, shape, err, errlen);
  if (rc != GNA_OK) return rc;
  if (opts->repeats < 1 || opts->warmup < 0 || opts->chain < 0 || opts->chain > 1000) {
    snprintf(err, errlen, "repeats must be >= 1, warmup >= 0 and chain in 0..1000");
    return GNA_ERR_INVALID;
  }
  bool cancelled = false;
  rc = guarded(err, errlen, [&] {
    Plan plan = make_plan(*p, *shape, opts->run);
    const size_t elements = (size_t)shape->batch * (size_t)plan.qmap.tokens * shape->heads * shape->head_dim;
    check(cudaSetDevice(opts->run.device), "cudaSetDevice");
    choose_path(plan, opts->run.device);
    snprintf(result->counts.kernel, sizeof result->counts.kernel, "%s", plan.kernel_name().c_str());
    Stream stream;
    const cudaStream_t s = stream.get();
    Tensors t(plan, elements);
    prepare(plan, t, opts->run.device);
    upload_maps(plan, t.maps, s);
    fill_random(t.q.as<uint16_t>(), (long long)elements, opts->seed * 3 + 1, plan.dtype, s);
    fill_random(t.k.as<uint16_t>(), (long long)elements, opts->seed * 3 + 2, plan.dtype, s);
    fill_random(t.v.as<uint16_t>(), (long long)elements, opts->seed * 3 + 3, plan.dtype, s);
    check(cudaMemsetAsync(t.counts.as<void>(), 0, t.counts.bytes(), s), "clear counters");
    auto stop_requested = [&] { return opts->cancelled && opts->cancelled(opts->cancel_ctx); };

    // Warm-up: the first pass also counts the tile pairs the kernel visits.
    for (int i = 0; i < std::max(1, opts->warmup); ++i) {
      if (stop_requested()) {
        cancelled = true;
        return;
      }
      permute_in(plan, t, s);
      attention(plan, t, i == 0, s);
      permute_out(plan, t, s);
      check(cudaStreamSynchronize(s), "warm-up pass");
    }
    unsigned long long c[2] = {0, 0};
    check(cudaMemcpy(c, t.counts.as<void>(), sizeof c, cudaMemcpyDeviceToHost), "copy counters");
    result->counts.visited = (long long)c[0];
    result->counts.full = (long long)c[1];

    Event e0, e1, e2, e3;
    std::vector<double> attn, perm, total;
    // chain N > 1: N back-to-back passes per repeat (native/bench/run.sh --chain).
    const int chain = std::max(1, opts->chain);
    // The launch floor of this timing (test/gpu/bench.ts): an empty kernel of the attention kernel's shape.
    const bool empty = opts->empty_kernel != 0;
    if (empty && plan.path != gna::kSm90Direct) throw Failure{GNA_ERR_INVALID, "emptyKernel needs the Hopper direct path"};
    auto timed_pass = [&] {
      if (!empty) return attention(plan, t, false, s);
      std::string why;
      const cudaError_t e = gna::sm90_run_empty(plan.launch, s, &why);
      if (e != cudaSuccess) throw_cuda(e, why.c_str());
    };
    for (int r = 0; r < opts->repeats; ++r) {
      if (stop_requested()) {
        cancelled = true;
        return;
      }
      // Keep the GPU busy while this thread enqueues the timed launches, so that the events
      // time the GPU's work and not the host's launch latency (which matters for runs of tens
      // of microseconds).
      gna_spin<<<1, 32, 0, s>>>(100000);
      check(cudaGetLastError(), "spacer launch");
      if (chain > 1) {
        // Back-to-back passes between two events, per pass: the launch latency a lone call
        // shows is then hidden behind the previous pass, as in a model's forward pass.
        check(cudaEventRecord(e0.get(), s), "cudaEventRecord");
        for (int i = 0; i < chain; ++i) timed_pass();
        check(cudaEventRecord(e1.get(), s), "cudaEventRecord");
        for (int i = 0; i < chain && plan.permutes(); ++i) {
          permute_in(plan, t, s);
          attention(plan, t, false, s);
          permute_out(plan, t, s);
        }
        check(cudaEventRecord(e3.get(), s), "cudaEventRecord");
        check(cudaEventSynchronize(e3.get()), "timed pass");
        attn.push_back(elapsed_ms(e0, e1) / chain);
        total.push_back(plan.permutes() ? elapsed_ms(e1, e3) / chain : attn.back());
        perm.push_back(total.back() - attn.back());
        continue;
      }
      if (!plan.permutes()) {
        // Nothing around the kernel: two events only, since each extra pair of back-to-back
        // events costs ~1.5 µs of GPU time (3 µs on a 67 µs run; PERF-NOTES v7).
        check(cudaEventRecord(e0.get(), s), "cudaEventRecord");
        timed_pass();
        check(cudaEventRecord(e3.get(), s), "cudaEventRecord");
        check(cudaEventSynchronize(e3.get()), "timed pass");
        attn.push_back(elapsed_ms(e0, e3));
        perm.push_back(0.0);
        total.push_back(attn.back());
        continue;
      }
      check(cudaEventRecord(e0.get(), s), "cudaEventRecord");
      permute_in(plan, t, s);
      check(cudaEventRecord(e1.get(), s), "cudaEventRecord");
      attention(plan, t, false, s);
      check(cudaEventRecord(e2.get(), s), "cudaEventRecord");
      permute_out(plan, t, s);
      check(cudaEventRecord(e3.get(), s), "cudaEventRecord");
      check(cudaEventSynchronize(e3.get()), "timed pass");
      attn.push_back(elapsed_ms(e1, e2));
      perm.push_back(elapsed_ms(e0, e1) + elapsed_ms(e2, e3));
      total.push_back(elapsed_ms(e0, e3));
    }
    store_medians(result, attn, perm, total);
  });
  return cancelled_or(rc, cancelled, err, errlen);
}

// ---- The fused backward (issue 21): gna_backward.cuh's kernels on the portable forward's tiles,
// the main one replaced by the Hopper backward (gna_sm90_backward.cuh) where it is asked for ----

namespace {

constexpr const char* kBackwardKernel = "portable mma.sync backward";

// The backward runs at head dims 32, 64 and 128: the portable one on any GPU, the Hopper one where
// hopper_backward_wanted() and the device allow (make_backward).
int backward_unsupported(const gna_shape& s, char* err, size_t errlen) {
  if (s.head_dim != 32 && s.head_dim != 64 && s.head_dim != 128) {
    snprintf(err, errlen, "the fused backward supports head dims 32, 64 and 128, got %d", s.head_dim);
    return GNA_ERR_UNSUPPORTED;
  }
  return GNA_OK;
}

// The backward's own device tensors (the forward's are a Tensors of the same plan).
struct BackwardTensors {
  DeviceBuffer dout, dq, dk, dv;    // caller's layout, 16-bit
  DeviceBuffer dop, dqp, dkp, dvp;  // tile order, 16-bit
  DeviceBuffer lse, drow, dq_acc;   // tile order, fp32
  DeviceBuffer tables;              // backward_tables()
  BackwardTensors(const Plan& plan, size_t elements, size_t table_ints)
      : dout(elements * 2, "dO"),
        dq(elements * 2, "dQ"),
        dk(elements * 2, "dK"),
        dv(elements * 2, "dV"),
        dop((size_t)(plan.batch_heads * plan.qmap.padded * plan.head_dim) * 2, "permuted dO"),
        dqp((size_t)(plan.batch_heads * plan.qmap.padded * plan.head_dim) * 2, "permuted dQ"),
        dkp((size_t)(plan.batch_heads * plan.kvmap.padded * plan.head_dim) * 2, "permuted dK"),
        dvp((size_t)(plan.batch_heads * plan.kvmap.padded * plan.head_dim) * 2, "permuted dV"),
        lse((size_t)(plan.batch_heads * plan.qmap.padded) * sizeof(float), "log-sum-exp"),
        drow((size_t)(plan.batch_heads * plan.qmap.padded) * sizeof(float), "rowsum(dO*O)"),
        dq_acc((size_t)(plan.batch_heads * plan.qmap.padded * plan.head_dim) * sizeof(float), "dQ accumulator"),
        tables(table_ints * sizeof(int), "backward tile tables") {}
};

// Everything one backward needs; its tensors' buffers live as long as it.
struct Backward {
  Plan plan;
  size_t elements;
  Tensors t;
  BackwardTensors b;
  gna::BackwardParams params{};
  bool hopper = false;              // the Hopper backward's main kernel runs (launch)
  gna::Sm90BackwardLaunch launch;
  std::string kernel = kBackwardKernel;  // as results name it
  Backward(Plan plan_, size_t elements_, size_t table_ints)
      : plan(std::move(plan_)), elements(elements_), t(plan, elements), b(plan, elements, table_ints) {}
};

std::unique_ptr<Backward> make_backward(const gna_problem& p, const gna_shape& s, const gna_run_options& run, cudaStream_t stream) {
  Plan plan = make_plan(p, s, run);  // path stays kSm90None: the portable forward, on permuted buffers
  const size_t elements = (size_t)s.batch * (size_t)plan.qmap.tokens * s.heads * s.head_dim;
  size_t offsets[2 * GNA_MAX_RANK];
  const std::vector<int> tables = gna::backward_tables(plan.attn, offsets);
  std::unique_ptr<Backward> bw(new Backward(std::move(plan), elements, tables.size()));
  Plan& pl = bw->plan;
  upload_maps(pl, bw->t.maps, stream);
  check(cudaMemcpy(bw->b.tables.as<void>(), tables.data(), tables.size() * sizeof(int), cudaMemcpyHostToDevice), "copy backward tile tables");

  gna::BackwardParams& bp = bw->params;
  bp = gna::backward_geometry(pl.attn, pl.batch_heads, s.scale, bw->b.tables.as<int>(), offsets);
  bp.q = bw->t.qp.as<uint16_t>();
  bp.k = bw->t.kp.as<uint16_t>();
  bp.v = bw->t.vp.as<uint16_t>();
  bp.o = bw->t.op.as<uint16_t>();
  bp.dout = bw->b.dop.as<uint16_t>();
  bp.lse = bw->b.lse.as<float>();
  bp.drow = bw->b.drow.as<float>();
  bp.dq_acc = bw->b.dq_acc.as<float>();
  bp.dq = bw->b.dqp.as<uint16_t>();
  bp.dk = bw->b.dkp.as<uint16_t>();
  bp.dv = bw->b.dvp.as<uint16_t>();
  const long long grid_x = pl.kvmap.padded / pl.kvmap.tile_tokens * bp.kv_chunks;
  if (grid_x > 0x7fffffffLL) throw Failure{GNA_ERR_INVALID, "too many KV tiles for one launch"};
  bool required = false;
  if (gna::hopper_backward_wanted(s.head_dim, run.launch.kernel, &required, nullptr)) {
    std::string why;
    if (gna::sm90_backward_available(s.head_dim, run.device, &why)) {
      const cudaError_t e = gna::sm90_backward_prepare(bp, s.head_dim, pl.dtype == GNA_BF16, pl.batch_heads, (unsigned)grid_x, &bw->launch, &why);
      if (e != cudaSuccess) throw_cuda(e, why.c_str());
      bw->hopper = true;
      bw->kernel = gna::sm90_backward_name(s.head_dim);
    } else if (required) {
      throw Failure{GNA_ERR_UNSUPPORTED, "kernel 'hopper' asks for the Hopper backward: " + why};
    }
  }
  return bw;
}

template <int D, typename E>
void launch_backward(const gna::BackwardParams& bp, const Backward& bw, cudaStream_t s) {
  const Plan& plan = bw.plan;
  gna::gna_backward_rows<D, E><<<blocks_for(bp.q_rows, 8), 256, 0, s>>>(bp);
  if (bw.hopper) {
    std::string why;
    const cudaError_t e = gna::sm90_backward_run(bw.launch, bp.counts, s, &why);
    if (e != cudaSuccess) throw_cuda(e, why.c_str());
  } else {
    const size_t smem = gna::backward_smem_bytes(D);
    check(cudaFuncSetAttribute(gna::gna_backward_kernel<D, E>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)smem),
          "cudaFuncSetAttribute(shared memory)");
    const dim3 grid((unsigned)(plan.kvmap.padded / plan.kvmap.tile_tokens * bp.kv_chunks), (unsigned)plan.batch_heads, 1);
    gna::gna_backward_kernel<D, E><<<grid, gna::kThreads, smem, s>>>(bp);
  }
  const long long pairs = bp.q_rows * D / 2;
  gna::gna_backward_dq<E><<<blocks_for(pairs, 256), 256, 0, s>>>(bp, pairs);
  check(cudaGetLastError(), "fused backward launch");
}

// The backward's kernels (rows, main, dQ) on the tile-order tensors.
void backward_kernels(const Backward& bw, bool count, cudaStream_t s) {
  gna::BackwardParams bp = bw.params;
  bp.counts = count ? bw.t.counts.as<unsigned long long>() : nullptr;
  const bool bf16 = bw.plan.dtype == GNA_BF16;
  switch (bw.plan.head_dim) {
    case 32:
      return bf16 ? launch_backward<32, __nv_bfloat16>(bp, bw, s) : launch_backward<32, __half>(bp, bw, s);
    case 64:
      return bf16 ? launch_backward<64, __nv_bfloat16>(bp, bw, s) : launch_backward<64, __half>(bp, bw, s);
    case 128:
      return bf16 ? launch_backward<128, __nv_bfloat16>(bp, bw, s) : launch_backward<128, __half>(bp, bw, s);
  }
  throw Failure{GNA_ERR_UNSUPPORTED, "unsupported head dim for the backward"};
}

void permute_rows_in(const Plan& plan, const gna::PermuteMap& m, uint16_t* dst, const uint16_t* src, cudaStream_t s) {
  const long long vectors = plan.batch_heads * m.padded * (plan.head_dim / 8);
  gna::gna_permute_in<<<blocks_for(vectors, 256), 256, 0, s>>>(dst, src, m, plan.heads, plan.head_dim, vectors);
  check(cudaGetLastError(), "token permutation launch");
}

void permute_rows_out(const Plan& plan, const gna::PermuteMap& m, uint16_t* dst, const uint16_t* src, cudaStream_t s) {
  const long long vectors = plan.batch_heads * m.tokens * (plan.head_dim / 8);
  gna::gna_permute_out<<<blocks_for(vectors, 256), 256, 0, s>>>(dst, src, m, plan.heads, plan.head_dim, vectors);
  check(cudaGetLastError(), "output permutation launch");
}

// The forward that saves what the backward needs (tile-order Q, K, V, output and lse), from Q, K, V
// in the caller's layout; the output also back in the caller's layout.
void forward_saving(const Backward& bw, cudaStream_t s) {
  permute_in(bw.plan, bw.t, s);
  attention(bw.plan, bw.t, false, s, bw.b.lse.as<float>());
  permute_out(bw.plan, bw.t, s);
}

// dO in, the backward's kernels, dQ, dK, dV out (the caller's layout).
void backward_pass(const Backward& bw, bool count, cudaStream_t s) {
  permute_rows_in(bw.plan, bw.plan.qmap, bw.b.dop.as<uint16_t>(), bw.b.dout.as<uint16_t>(), s);
  backward_kernels(bw, count, s);
  permute_rows_out(bw.plan, bw.plan.qmap, bw.b.dq.as<uint16_t>(), bw.b.dqp.as<uint16_t>(), s);
  permute_rows_out(bw.plan, bw.plan.kvmap, bw.b.dk.as<uint16_t>(), bw.b.dkp.as<uint16_t>(), s);
  permute_rows_out(bw.plan, bw.plan.kvmap, bw.b.dv.as<uint16_t>(), bw.b.dvp.as<uint16_t>(), s);
}

}  // namespace

extern "C" int gna_cuda_backward(const gna_run_options* opts, const gna_problem* p, const gna_shape* shape, const float* q,
                                 const float* k, const float* v, const float* dout, float* out, float* lse, float* dq,
                                 float* dk, float* dv, gna_visit_counts* counts, char* err, size_t errlen) {
  if (counts) memset(counts, 0, sizeof *counts);
  int rc = validate(opts, p, shape, err, errlen);
  if (rc != GNA_OK) return rc;
  rc = backward_unsupported(*shape, err, errlen);
  if (rc != GNA_OK) return rc;
  return guarded(err, errlen, [&] {
    check(cudaSetDevice(opts->device), "cudaSetDevice");  // on this (worker) thread
    Stream stream;
    const cudaStream_t s = stream.get();
    std::unique_ptr<Backward> bwp = make_backward(*p, *shape, *opts, s);
    const Backward& bw = *bwp;
    const size_t n = bw.elements;
    const bool bf16 = opts->dtype == GNA_BF16;
    // Rounded on the host as gna_quantize rounds, so a reference sees exactly these values.
    auto upload = [&](const DeviceBuffer& dst, const float* src, const char* what) {
      std::vector<uint16_t> h(n);
      for (size_t i = 0; i < n; ++i) h[i] = bf16 ? gna::float_to_bf16_bits(src[i]) : gna::float_to_half_bits(src[i]);
      check(cudaMemcpyAsync(dst.as<void>(), h.data(), n * 2, cudaMemcpyHostToDevice, s), what);
      check(cudaStreamSynchronize(s), what);  // h dies with this scope
    };
    upload(bw.t.q, q, "copy Q");
    upload(bw.t.k, k, "copy K");
    upload(bw.t.v, v, "copy V");
    upload(bw.b.dout, dout, "copy dO");
    // Poison everything the kernels write: all-ones is NaN in fp16, bf16 and fp32.
    for (const DeviceBuffer* d : {&bw.t.o, &bw.t.op, &bw.b.dq, &bw.b.dk, &bw.b.dv, &bw.b.dqp, &bw.b.dkp, &bw.b.dvp, &bw.b.lse, &bw.b.drow, &bw.b.dq_acc}) {
      check(cudaMemsetAsync(d->as<void>(), 0xff, d->bytes(), s), "poison outputs");
    }
    check(cudaMemsetAsync(bw.t.counts.as<void>(), 0, bw.t.counts.bytes(), s), "clear counters");
    forward_saving(bw, s);
    backward_pass(bw, counts != nullptr, s);
    std::vector<uint16_t> h16(n);
    auto download = [&](const DeviceBuffer& src, float* dst, const char* what) {
      check(cudaMemcpyAsync(h16.data(), src.as<void>(), n * 2, cudaMemcpyDeviceToHost, s), what);
      check(cudaStreamSynchronize(s), what);  // kernel faults surface here
      for (size_t i = 0; i < n; ++i) dst[i] = bf16 ? gna::bf16_bits_to_float(h16[i]) : gna::half_bits_to_float(h16[i]);
    };
    download(bw.t.o, out, "copy output");
    download(bw.b.dq, dq, "copy dQ");
    download(bw.b.dk, dk, "copy dK");
    download(bw.b.dv, dv, "copy dV");
    std::vector<float> tiled_lse(bw.b.lse.bytes() / sizeof(float));
    check(cudaMemcpy(tiled_lse.data(), bw.b.lse.as<void>(), bw.b.lse.bytes(), cudaMemcpyDeviceToHost), "copy lse");
    gna::rows_to_layout(bw.plan.qmap, bw.plan.qmaps, bw.plan.batch, bw.plan.heads, tiled_lse.data(), lse);
    unsigned long long c[2] = {0, 0};
    check(cudaMemcpy(c, bw.t.counts.as<void>(), sizeof c, cudaMemcpyDeviceToHost), "copy counters");
    if (counts) {
      counts->visited = (long long)c[0];
      counts->full = (long long)c[1];
      snprintf(counts->kernel, sizeof counts->kernel, "%s", bw.kernel.c_str());
    }
  });
}

extern "C" int gna_cuda_benchmark_pass(const gna_bench_options* opts, int pass, const gna_problem* p, const gna_shape* shape,
                                       gna_bench_result* result, char* err, size_t errlen) {
  if (pass == GNA_PASS_FORWARD) return gna_cuda_benchmark(opts, p, shape, result, err, errlen);
  memset(result, 0, sizeof *result);
  int rc = validate(&opts->run, p, shape, err, errlen);
  if (rc != GNA_OK) return rc;
  if (pass != GNA_PASS_BACKWARD && pass != GNA_PASS_TRAINING) {
    snprintf(err, errlen, "unknown pass %d", pass);
    return GNA_ERR_INVALID;
  }
  if (opts->repeats < 1 || opts->warmup < 0 || opts->chain < 0 || opts->chain > 1000) {
    snprintf(err, errlen, "repeats must be >= 1, warmup >= 0 and chain in 0..1000");
    return GNA_ERR_INVALID;
  }
  if (opts->empty_kernel) {
    snprintf(err, errlen, "emptyKernel times the Hopper forward's launch floor, not a backward");
    return GNA_ERR_INVALID;
  }
  rc = backward_unsupported(*shape, err, errlen);
  if (rc != GNA_OK) return rc;
  const bool training = pass == GNA_PASS_TRAINING;
  bool cancelled = false;
  rc = guarded(err, errlen, [&] {
    check(cudaSetDevice(opts->run.device), "cudaSetDevice");
    Stream stream;
    const cudaStream_t s = stream.get();
    std::unique_ptr<Backward> bwp = make_backward(*p, *shape, opts->run, s);
    const Backward& bw = *bwp;
    snprintf(result->counts.kernel, sizeof result->counts.kernel, "%s%s", training ? "portable fwd+lse, " : "", bw.kernel.c_str());
    const long long n = (long long)bw.elements;
    fill_random(bw.t.q.as<uint16_t>(), n, opts->seed * 3 + 1, bw.plan.dtype, s);
    fill_random(bw.t.k.as<uint16_t>(), n, opts->seed * 3 + 2, bw.plan.dtype, s);
    fill_random(bw.t.v.as<uint16_t>(), n, opts->seed * 3 + 3, bw.plan.dtype, s);
    fill_random(bw.b.dout.as<uint16_t>(), n, opts->seed * 3 + 0x5eed, bw.plan.dtype, s);
    check(cudaMemsetAsync(bw.t.counts.as<void>(), 0, bw.t.counts.bytes(), s), "clear counters");
    auto stop_requested = [&] { return opts->cancelled && opts->cancelled(opts->cancel_ctx); };

    // Warm-up: the forward saves the output and lse the backward passes read; the first backward
    // counts its tile pairs.
    for (int i = 0; i < std::max(1, opts->warmup); ++i) {
      if (stop_requested()) {
        cancelled = true;
        return;
      }
      forward_saving(bw, s);
      backward_pass(bw, i == 0, s);
      check(cudaStreamSynchronize(s), "warm-up pass");
    }
    unsigned long long c[2] = {0, 0};
    check(cudaMemcpy(c, bw.t.counts.as<void>(), sizeof c, cudaMemcpyDeviceToHost), "copy counters");
    result->counts.visited = (long long)c[0];
    result->counts.full = (long long)c[1];

    // Per repeat, `chain` (at least 1) passes of the kernels alone between e0 and e1 (the backward's
    // three kernels; training: the forward's kernel first), then as many whole passes with the token
    // permutations (training: Q, K, V in, the output out, dO in, dQ, dK, dV out) between e1 and e2.
    Event e0, e1, e2;
    std::vector<double> attn, perm, total;
    const int chain = std::max(1, opts->chain);
    for (int r = 0; r < opts->repeats; ++r) {
      if (stop_requested()) {
        cancelled = true;
        return;
      }
      gna_spin<<<1, 32, 0, s>>>(100000);  // the host enqueues while the GPU is busy (see gna_cuda_benchmark)
      check(cudaGetLastError(), "spacer launch");
      check(cudaEventRecord(e0.get(), s), "cudaEventRecord");
      for (int i = 0; i < chain; ++i) {
        if (training) attention(bw.plan, bw.t, false, s, bw.b.lse.as<float>());
        backward_kernels(bw, false, s);
      }
      check(cudaEventRecord(e1.get(), s), "cudaEventRecord");
      for (int i = 0; i < chain; ++i) {
        if (training) forward_saving(bw, s);
        backward_pass(bw, false, s);
      }
      check(cudaEventRecord(e2.get(), s), "cudaEventRecord");
      check(cudaEventSynchronize(e2.get()), "timed pass");
      attn.push_back(elapsed_ms(e0, e1) / chain);
      total.push_back(elapsed_ms(e1, e2) / chain);
      perm.push_back(std::max(0.0, total.back() - attn.back()));
    }
    store_medians(result, attn, perm, total);
  });
  return cancelled_or(rc, cancelled, err, errlen);
}
