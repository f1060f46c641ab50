// gna_sm90.cu: host side of the Hopper fused forward (gna_sm90_attention.cuh): which problems
// it takes, the TMA tensor maps, the persistent launch. Compiled for sm_90a only: its SASS runs
// on compute capability 9.0 exactly, so gna_cuda.cu asks sm90_choose() before every launch.
#include <cuda.h>
#include <cuda_runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <string>
#include <vector>

#include "gna_sm90.h"
#include "gna_sm90_encode.h"
#include "gna_sm90_attention.cuh"

namespace gna {

namespace {

// One build of the kernel (sm90::Config<D>) as the host needs it: the tiles, the TMA boxes and
// swizzle, shared memory, and the kernel for each input type.
using Sm90Kernel = void (*)(sm90::Params);
struct Build {
  int head_dim, rows, keys, box_cols, smem;
  bool split;
  CUtensorMapSwizzle swizzle;
  // Per kernel variant (sm90::kVariantBoundary, ...): [0] the measured kernel; null where this
  // build has no such variant (only the split builds have them).
  Sm90Kernel bf16[sm90::kVariants], f16[sm90::kVariants];
  Sm90Kernel kernel(bool is_bf16, int variant) const { return is_bf16 ? bf16[variant] : f16[variant]; }
};

template <int D>
Build build_of(Sm90Kernel bf16, Sm90Kernel f16) {
  using C = sm90::Config<D>;
  Build b{D, C::kRows, C::kKeys, C::kBoxCols, C::kSmemBytes, C::kSplit,
          C::kRowBytes == 128 ? CU_TENSOR_MAP_SWIZZLE_128B : CU_TENSOR_MAP_SWIZZLE_64B, {bf16}, {f16}};
  if constexpr (C::kSplit) {
    using sm90::gna_sm90_kernel_v;
    constexpr int kB = sm90::kVariantBoundary, kS = sm90::kVariantStagger;
    static_assert(sm90::kVariants == 4, "every variant of the split builds below");
    b.bf16[kB] = gna_sm90_kernel_v<D, __nv_bfloat16, kB>;
    b.f16[kB] = gna_sm90_kernel_v<D, __half, kB>;
    b.bf16[kS] = gna_sm90_kernel_v<D, __nv_bfloat16, kS>;
    b.f16[kS] = gna_sm90_kernel_v<D, __half, kS>;
    b.bf16[kB | kS] = gna_sm90_kernel_v<D, __nv_bfloat16, kB | kS>;
    b.f16[kB | kS] = gna_sm90_kernel_v<D, __half, kB | kS>;
  }
  return b;
}

// The builds, one per Hopper head dim of gna_hopper_tiles.h.
const Build* build_for(int head_dim) {
  static const Build builds[] = {
      build_of<32>(sm90::gna_sm90_kernel_d<32, __nv_bfloat16>, sm90::gna_sm90_kernel_d<32, __half>),
      build_of<64>(sm90::gna_sm90_kernel_d<64, __nv_bfloat16>, sm90::gna_sm90_kernel_d<64, __half>),
      build_of<128>(sm90::gna_sm90_kernel<__nv_bfloat16>, sm90::gna_sm90_kernel<__half>),
      build_of<256>(sm90::gna_sm90_kernel_d<256, __nv_bfloat16>, sm90::gna_sm90_kernel_d<256, __half>),
  };
  for (const Build& b : builds) {
    if (b.head_dim == head_dim) return &b;
  }
  return nullptr;
}

struct DeviceFacts {
  int major = 0, minor = 0, sms = 0, smem_optin = 0;
};

DeviceFacts facts(int device) {
  DeviceFacts f;
  cudaDeviceGetAttribute(&f.major, cudaDevAttrComputeCapabilityMajor, device);
  cudaDeviceGetAttribute(&f.minor, cudaDevAttrComputeCapabilityMinor, device);
  cudaDeviceGetAttribute(&f.sms, cudaDevAttrMultiProcessorCount, device);
  cudaDeviceGetAttribute(&f.smem_optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, device);
  cudaGetLastError();
  return f;
}

}  // namespace

std::string sm90_path_name(Sm90Path path, int head_dim, int variant) {
  const char* name = path == kSm90Direct ? "sm90a wgmma+TMA, direct layout" : (path == kSm90Permuted ? "sm90a wgmma+TMA, permuted" : "portable mma.sync");
  return std::string(name) + ", d" + std::to_string(head_dim) + (path != kSm90None && variant > 0 ? ", variant " + std::to_string(variant) : "");
}

int sm90_variant_runs(int head_dim, int asked) {
  const Build* b = build_for(head_dim);
  return b && asked > 0 && asked < sm90::kVariants && b->bf16[asked] ? asked : 0;
}

std::vector<int> sm90_tables(const Sm90Args& a, size_t offsets[2 * GNA_MAX_RANK]) {
  std::vector<int> t;
  static_assert(sizeof(QTileRange) == 8 * sizeof(int), "QTileRange is 8 ints");
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    offsets[2 * i] = t.size();
    for (int q = 0; q < a.q_grid[i]; ++q) {
      const QTileRange r = qtile_range(a.ax[i], a.tq[i], a.tkv[i], q);
      const int v[8] = {r.group, r.len, r.first_query, r.kv_group_start, r.kv_lo, r.kv_hi, r.full_lo, r.full_hi};
      t.insert(t.end(), v, v + 8);
    }
  }
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    if (t.size() % 2) t.push_back(0);  // int2 alignment
    offsets[2 * i + 1] = t.size();
    for (int q = 0; q < a.q_grid[i]; ++q) {
      const QTileRange r = qtile_range(a.ax[i], a.tq[i], a.tkv[i], q);
      for (int o = 0; o < a.tq[i]; ++o) {
        const int x = r.first_query + o;
        if (x < r.len) {
          const Interval w = window_of(x, r.len, a.ax[i].k, a.ax[i].s, a.ax[i].causal);
          t.push_back(w.start);
          t.push_back(w.end);
        } else {  // a padded query: an empty window
          t.push_back(1 << 20);
          t.push_back(-(1 << 20));
        }
      }
    }
  }
  return t;
}

Sm90Path sm90_choose(const Sm90Args& a, int device, int kernel, std::string* why) {
  auto no = [&](const char* reason) {
    if (why) *why = reason;
    return kSm90None;
  };
  if (kernel == GNA_KERNEL_PORTABLE) return no("the portable kernel was asked for");
  const DeviceFacts f = facts(device);
  if (f.major != 9 || f.minor != 0) return no("not a compute capability 9.0 GPU");
  const Build* b = build_for(a.head_dim);
  if (!b) return no("no Hopper kernel is built for this head dim");
  if (f.smem_optin < b->smem) return no("not enough shared memory per block");
  const char* reason = "";
  const Sm90Path path = hopper_path(a, kernel, &reason);
  if (path == kSm90None) return no(reason);
  if (!sm90_tensor_map_encoder(why)) return kSm90None;
  return path;
}

static_assert(sizeof(sm90::Params) <= sizeof(Sm90Launch::params), "Sm90Launch::params is too small");

cudaError_t sm90_prepare(Sm90Path path, const Sm90Args& a, int device, const gna_launch_options& options, Sm90Launch* out,
                         std::string* why) {
  EncodeTiled encode = sm90_tensor_map_encoder(why);
  if (!encode) return cudaErrorNotSupported;
  const DeviceFacts f = facts(device);
  const Build* b = build_for(a.head_dim);
  if (!b) {
    if (why) *why = "no Hopper kernel is built for this head dim";
    return cudaErrorInvalidValue;
  }
  const int rows = b->rows;

  sm90::Params& p = *reinterpret_cast<sm90::Params*>(out->params);
  memset(out->params, 0, sizeof out->params);
  const CUtensorMapDataType type = a.bf16 ? CU_TENSOR_MAP_DATA_TYPE_BFLOAT16 : CU_TENSOR_MAP_DATA_TYPE_FLOAT16;
  cuuint64_t dims[5], strides[4];
  cuuint32_t qbox[5], kvbox[5], obox[5];
  if (path == kSm90Direct) {
    int cb[3];
    chunk_box(a.tq, rows, cb);
    // [batch, n0, n1, n2, heads, D] as (D, heads, n2, n1, batch·n0), innermost first.
    dims[0] = (cuuint64_t)a.head_dim;
    dims[1] = (cuuint64_t)a.heads;
    dims[2] = (cuuint64_t)a.ax[2].n;
    dims[3] = (cuuint64_t)a.ax[1].n;
    dims[4] = (cuuint64_t)a.batch * a.ax[0].n;
    strides[0] = (cuuint64_t)a.head_dim * 2;
    strides[1] = strides[0] * a.heads;
    strides[2] = strides[1] * a.ax[2].n;
    strides[3] = strides[2] * a.ax[1].n;
    const cuuint32_t cols = (cuuint32_t)b->box_cols;
    const cuuint32_t qb[5] = {cols, 1, (cuuint32_t)cb[2], (cuuint32_t)cb[1], (cuuint32_t)cb[0]};
    const cuuint32_t kb[5] = {cols, 1, (cuuint32_t)a.tkv[2], (cuuint32_t)a.tkv[1], (cuuint32_t)a.tkv[0]};
    memcpy(qbox, qb, sizeof qb);
    memcpy(kvbox, kb, sizeof kb);
    // The output box: one consumer warpgroup's 64 rows. Split builds: the whole 64-row chunk.
    // Otherwise the first 64 rows (row-major) of the chunk, i.e. the chunk box halved along its
    // outermost axis longer than 1 (all extents are powers of two: they multiply to 128).
    const int half_axis = cb[0] > 1 ? 0 : (cb[1] > 1 ? 1 : 2);
    int ob[3] = {cb[0], cb[1], cb[2]};
    if (!b->split) ob[half_axis] /= 2;
    const cuuint32_t o5[5] = {cols, 1, (cuuint32_t)ob[2], (cuuint32_t)ob[1], (cuuint32_t)ob[0]};
    memcpy(obox, o5, sizeof o5);
    p.o_axis = 3 - half_axis;  // coordinates after head dim: heads, n2, n1, batch·n0
    p.o_extent = b->split ? 0 : ob[half_axis];
  } else {
    // [batch·heads, padded tokens, D] as (D, tokens, batch·heads, 1, 1).
    dims[0] = (cuuint64_t)a.head_dim;
    dims[2] = (cuuint64_t)a.batch * a.heads;
    dims[3] = dims[4] = 1;
    strides[0] = (cuuint64_t)a.head_dim * 2;
    const cuuint32_t cols = (cuuint32_t)b->box_cols;
    const cuuint32_t q5[5] = {cols, (cuuint32_t)rows, 1, 1, 1};
    const cuuint32_t kv5[5] = {cols, (cuuint32_t)b->keys, 1, 1, 1};
    const cuuint32_t o5[5] = {cols, 64, 1, 1, 1};  // one consumer warpgroup's rows
    memcpy(qbox, q5, sizeof q5);
    memcpy(kvbox, kv5, sizeof kv5);
    memcpy(obox, o5, sizeof o5);
    p.o_axis = 0;
    p.o_extent = b->split ? 0 : 64;
  }
  auto make = [&](CUtensorMap* map, const void* ptr, long long rows, const cuuint32_t* box, const char* what) {
    cuuint64_t d[5];
    cuuint64_t st[4];
    memcpy(d, dims, sizeof d);
    memcpy(st, strides, sizeof st);
    if (path != kSm90Direct) {
      d[1] = (cuuint64_t)rows;
      st[1] = st[0] * rows;
      st[2] = st[1] * d[2];
      st[3] = st[2];
    }
    return encode_5d(encode, map, type, ptr, d, st, box, b->swizzle, what, why);
  };
  if (!make(&p.map_q, a.q, a.q_padded, qbox, "Q") || !make(&p.map_k, a.k, a.kv_padded, kvbox, "K") ||
      !make(&p.map_v, a.v, a.kv_padded, kvbox, "V") || !make(&p.map_o, a.o, a.q_padded, obox, "O")) {
    return cudaErrorInvalidValue;
  }

  copy_axis_tiling(p, a);
  p.tq_tokens = a.tq_tokens;
  p.q_chunks = a.tq_tokens / rows;
  p.q_tiles = a.q_grid[0] * a.q_grid[1] * a.q_grid[2];
  p.heads = a.heads;
  const long long work = (long long)a.batch * a.heads * p.q_tiles * p.q_chunks;
  if (work >= (1LL << 31)) {
    if (why) *why = "too many work items for the sm90 kernel";
    return cudaErrorInvalidValue;
  }
  p.work = (int)work;
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    p.ranges[i] = a.ranges[i];
    p.windows[i] = reinterpret_cast<const int2*>(a.windows[i]);
  }
  p.div_bh_items = sm90::fast_div((uint32_t)(p.q_tiles * p.q_chunks));
  p.div_chunks = sm90::fast_div((uint32_t)p.q_chunks);
  p.div_heads = sm90::fast_div((uint32_t)a.heads);
  p.div_q_grid1 = sm90::fast_div((uint32_t)a.q_grid[1]);
  p.div_q_grid2 = sm90::fast_div((uint32_t)a.q_grid[2]);
  p.div_tq1 = sm90::fast_div((uint32_t)a.tq[1]);
  p.div_tq2 = sm90::fast_div((uint32_t)a.tq[2]);
  p.div_tkv1 = sm90::fast_div((uint32_t)a.tkv[1]);
  p.div_tkv2 = sm90::fast_div((uint32_t)a.tkv[2]);
  p.q_padded = a.q_padded;
  p.direct = path == kSm90Direct ? 1 : 0;
  p.scale_log2 = a.scale_log2;
  p.counts = nullptr;
  p.trace = nullptr;
  // Persistent CTAs: one per SM (a CTA takes a whole SM's shared memory), items round-robin.
  // max_ctas caps the grid so that small checked problems still give each CTA a stream of
  // several items (item boundaries are where the pipeline is most intricate).
  int ctas = f.sms;
  if (options.max_ctas > 0 && options.max_ctas < ctas) ctas = options.max_ctas;
  // Split builds run two items at a time (one per consumer warpgroup).
  const int pairs = b->split ? (p.work + 1) / 2 : p.work;
  out->grid = (unsigned)(pairs < ctas ? pairs : ctas);
  out->bf16 = a.bf16;
  out->head_dim = a.head_dim;
  out->variant = sm90_variant_runs(a.head_dim, options.variant);
  p.o = a.o;
  out->pdl = options.no_pdl == 0;
  out->trace_path = options.trace_path;
  const cudaError_t e = cudaFuncSetAttribute(b->kernel(a.bf16, out->variant), cudaFuncAttributeMaxDynamicSharedMemorySize, b->smem);
  if (e != cudaSuccess && why) *why = "cudaFuncSetAttribute(shared memory) for the sm90 kernel";
  return e;
}

namespace {

// A trace path (gna_launch_options.trace_path, diagnosis only): every launch records its per-CTA
// timeline (sm90::Params::trace) and, synchronously, overwrites the file with it as text: one
// line per CTA, kTraceSlots numbers. native/bench/trace.py reads it.
unsigned long long* trace_buffer(unsigned grid) {
  static unsigned long long* buf = nullptr;
  static unsigned capacity = 0;
  if (grid > capacity) {
    if (buf) cudaFree(buf);
    buf = nullptr;
    capacity = 0;
    if (cudaMalloc(&buf, (size_t)grid * sm90::kTraceSlots * 8) != cudaSuccess) {
      cudaGetLastError();
      return nullptr;
    }
    capacity = grid;
  }
  cudaMemset(buf, 0, (size_t)grid * sm90::kTraceSlots * 8);
  return buf;
}

void write_trace(const char* path, const unsigned long long* dev, unsigned grid, cudaStream_t stream) {
  std::vector<unsigned long long> host((size_t)grid * sm90::kTraceSlots);
  if (cudaMemcpyAsync(host.data(), dev, host.size() * 8, cudaMemcpyDeviceToHost, stream) != cudaSuccess ||
      cudaStreamSynchronize(stream) != cudaSuccess) {
    cudaGetLastError();
    return;
  }
  FILE* f = fopen(path, "w");
  if (!f) return;
  for (unsigned c = 0; c < grid; ++c) {
    for (int i = 0; i < sm90::kTraceSlots; ++i) fprintf(f, i ? " %llu" : "%llu", host[(size_t)c * sm90::kTraceSlots + i]);
    fputc('\n', f);
  }
  fclose(f);
}

}  // namespace

namespace {

// The launch of a prepared kernel: one CTA per SM (or fewer), the whole shared memory, and
// programmatic dependent launch unless disabled (no_pdl, for A/B in one run) or traced (a traced
// launch is timed alone). With PDL the CTAs may start (barrier setup, tensor-map prefetch, item
// decoding) while the previous kernel in the stream finishes; the kernel waits for it before
// its first load (grid_dependency_wait).
cudaLaunchConfig_t launch_config(const Sm90Launch& l, cudaStream_t stream, bool traced, cudaLaunchAttribute* attribute) {
  cudaLaunchConfig_t config = {};
  config.gridDim = dim3(l.grid);
  config.blockDim = dim3(sm90::kThreads);
  config.dynamicSmemBytes = build_for(l.head_dim)->smem;
  config.stream = stream;
  attribute->id = cudaLaunchAttributeProgrammaticStreamSerialization;
  attribute->val.programmaticStreamSerializationAllowed = 1;
  config.attrs = attribute;
  config.numAttrs = l.pdl && !traced ? 1 : 0;
  return config;
}

// Does nothing, launched exactly as the attention kernel is (grid, block, shared memory, the
// parameter block, PDL): what any kernel of that shape pays between two events before its first
// instruction and after its last (the launch floor of a timed call; PERF-NOTES).
__global__ void __launch_bounds__(sm90::kThreads, 1) sm90_empty_kernel(const __grid_constant__ sm90::Params p) {}

}  // namespace

cudaError_t sm90_run(const Sm90Launch& l, unsigned long long* counts, cudaStream_t stream, std::string* why) {
  if (l.grid == 0) return cudaSuccess;  // nothing to compute
  sm90::Params p = *reinterpret_cast<const sm90::Params*>(l.params);
  p.counts = counts;
  p.trace = l.trace_path.empty() ? nullptr : trace_buffer(l.grid);
  cudaLaunchAttribute attribute;
  const cudaLaunchConfig_t config = launch_config(l, stream, p.trace != nullptr, &attribute);
  const Build* b = build_for(l.head_dim);
  const cudaError_t e = cudaLaunchKernelEx(&config, b->kernel(l.bf16, l.variant), p);
  if (e != cudaSuccess && why) *why = "sm90 fused attention kernel launch";
  if (e == cudaSuccess && p.trace) write_trace(l.trace_path.c_str(), p.trace, l.grid, stream);
  return e;
}

cudaError_t sm90_run_empty(const Sm90Launch& l, cudaStream_t stream, std::string* why) {
  if (l.grid == 0) return cudaSuccess;
  // The largest build's shared memory, so that every build's launch shape fits.
  static const cudaError_t attribute_set =
      cudaFuncSetAttribute(sm90_empty_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, 227 * 1024);
  if (attribute_set != cudaSuccess) {
    if (why) *why = "cudaFuncSetAttribute(shared memory) for the empty sm90 kernel";
    return attribute_set;
  }
  cudaLaunchAttribute attribute;
  const cudaLaunchConfig_t config = launch_config(l, stream, false, &attribute);
  const cudaError_t e = cudaLaunchKernelEx(&config, sm90_empty_kernel, *reinterpret_cast<const sm90::Params*>(l.params));
  if (e != cudaSuccess && why) *why = "empty sm90 kernel launch";
  return e;
}

}  // namespace gna
