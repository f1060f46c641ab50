// gna_fa2.cu: host side of the portable FA2-class forward kernel (gna_fa2.cuh): the build per
// head dim and input type, its shared memory, and the launch. Its own translation unit so that
// it carries SASS for sm_80, sm_86 and sm_89 (binding.gyp, target gna_fa2) without changing how
// gna_cuda.cu (the first portable kernel) is built.
#include <cuda_runtime.h>

#include <string>

#include "gna_fa2.cuh"
#include "gna_fa2.h"

namespace gna {

namespace {

template <typename Kernel>
cudaError_t launch(Kernel kernel, size_t smem, const fa2::Fa2Params& params, dim3 grid, cudaStream_t s) {
  const cudaError_t e = cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)smem);
  if (e != cudaSuccess) return e;
  kernel<<<grid, fa2::kThreads, smem, s>>>(params);
  return cudaGetLastError();
}

template <int D, typename E>
cudaError_t launch(const fa2::Fa2Params& params, dim3 grid, cudaStream_t s) {
  return launch(fa2::gna_fa2_kernel<D, E>, fa2::smem_bytes<D>(), params, grid, s);
}

int optin_smem(int device) {
  int optin = 0;
  cudaDeviceGetAttribute(&optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, device);
  cudaGetLastError();
  return optin;
}

// Rows per CTA and shared memory of each build.
struct Build {
  int head_dim, rows;
  size_t smem;
};
constexpr Build kBuilds[] = {{32, fa2::block_m<32>(), fa2::smem_bytes<32>()},
                             {64, fa2::block_m<64>(), fa2::smem_bytes<64>()},
                             {128, fa2::block_m<128>(), fa2::smem_bytes<128>()},
                             {256, fa2::block_m<256>(), fa2::smem_bytes<256>()}};

const Build* build_for(int head_dim) {
  for (const Build& b : kBuilds) {
    if (b.head_dim == head_dim) return &b;
  }
  return nullptr;
}

}  // namespace

bool fa2_supports(const AttentionParams& a, int head_dim, int device, std::string* why) {
  auto no = [&](const std::string& reason) {
    if (why) *why = reason;
    return false;
  };
  const Build* b = build_for(head_dim);
  if (!b) return no("no FA2 build for this head dim");
  int major = 0;
  cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device);
  const int optin = optin_smem(device);
  if (major < 8) return no("the FA2 kernel needs compute capability 8.0 or newer");
  if ((size_t)optin < b->smem) return no("not enough shared memory per block for the FA2 kernel");
  const long long q_tiles = a.q_padded / a.tq_tokens;
  if (q_tiles * ((a.tq_tokens + b->rows - 1) / b->rows) > 0x7fffffffLL) return no("too many Q tiles for one launch");
  return true;
}

bool fa2_direct(const AttentionParams& a) { return fa2::direct_layout_ok(a); }

int fa2_variant_runs(int head_dim, int asked, int device) {
  const bool wide = asked == fa2::kVariantWideStep && head_dim == 128 && (size_t)optin_smem(device) >= fa2::smem_bytes<128, fa2::kVariantWideStep>();
  return wide ? fa2::kVariantWideStep : 0;
}

cudaError_t fa2_run(const AttentionParams& a, int head_dim, bool bf16, int batch, int heads, bool direct, int variant, cudaStream_t s) {
  fa2::Fa2Params params{};
  params.a = a;
  const Build* b = build_for(head_dim);
  if (!b) return cudaErrorInvalidValue;
  const int rows = b->rows;
  params.q_chunks = (a.tq_tokens + rows - 1) / rows;
  params.div_kv2 = fa2::fast_div_for((uint32_t)a.tkv[2]);
  params.div_kv1 = fa2::fast_div_for((uint32_t)a.tkv[1]);
  params.direct = direct ? 1 : 0;
  params.heads = heads;
  params.tokens = (long long)a.ax[0].n * a.ax[1].n * a.ax[2].n;
  params.div_q2 = fa2::fast_div_for((uint32_t)a.tq[2]);
  params.div_q1 = fa2::fast_div_for((uint32_t)a.tq[1]);
  params.div_heads = fa2::fast_div_for((uint32_t)heads);
  const long long q_tiles = a.q_padded / a.tq_tokens;
  const dim3 grid((unsigned)(q_tiles * params.q_chunks), (unsigned)(batch * heads), 1);
  if (variant == fa2::kVariantWideStep && head_dim == 128) {
    constexpr int V = fa2::kVariantWideStep;
    constexpr size_t smem = fa2::smem_bytes<128, V>();
    return bf16 ? launch(fa2::gna_fa2_kernel_v<128, __nv_bfloat16, V>, smem, params, grid, s)
                : launch(fa2::gna_fa2_kernel_v<128, __half, V>, smem, params, grid, s);
  }
  switch (head_dim) {
    case 32: return bf16 ? launch<32, __nv_bfloat16>(params, grid, s) : launch<32, __half>(params, grid, s);
    case 64: return bf16 ? launch<64, __nv_bfloat16>(params, grid, s) : launch<64, __half>(params, grid, s);
    case 128: return bf16 ? launch<128, __nv_bfloat16>(params, grid, s) : launch<128, __half>(params, grid, s);
    case 256: return bf16 ? launch<256, __nv_bfloat16>(params, grid, s) : launch<256, __half>(params, grid, s);
  }
  return cudaErrorInvalidValue;
}

std::string fa2_name(int head_dim, bool direct, int variant) {
  return std::string(direct ? "portable-fa2" : "portable-fa2 permuted") + " mma.sync+cp.async, d" + std::to_string(head_dim) +
         (variant > 0 ? ", variant " + std::to_string(variant) : "");
}

}  // namespace gna
