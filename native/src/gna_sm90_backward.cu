// gna_sm90_backward.cu: host side of the Hopper fused backward (gna_sm90_backward.cuh): its
// device checks, the TMA tensor maps over the backward's token-permuted tensors, the launch.
// Compiled for sm_90a only (the gna_sm90 library); gna_cuda.cu launches the portable backward's
// rows and dQ kernels around it.
#include <cuda.h>
#include <cuda_runtime.h>
#include <stdio.h>
#include <string.h>

#include <string>

#include "gna_sm90_backward.cuh"
#include "gna_sm90_backward.h"
#include "gna_sm90_encode.h"

namespace gna {

namespace {

using BwdKernel = void (*)(sm90::BwdParams);

// One head dim's build as the host needs it.
struct BwdBuild {
  int head_dim, box_cols, smem;
  CUtensorMapSwizzle swizzle;
  BwdKernel bf16, f16;
};

template <int D>
BwdBuild bwd_build_of() {
  using C = sm90::BwdConfig<D>;
  return BwdBuild{D, C::kBoxCols, C::kSmemBytes, C::kRowBytes == 128 ? CU_TENSOR_MAP_SWIZZLE_128B : CU_TENSOR_MAP_SWIZZLE_64B,
                  sm90::gna_sm90_backward_kernel<D, __nv_bfloat16>, sm90::gna_sm90_backward_kernel<D, __half>};
}

const BwdBuild* bwd_build_for(int head_dim) {
  static const BwdBuild builds[] = {bwd_build_of<32>(), bwd_build_of<64>(), bwd_build_of<128>()};
  for (const BwdBuild& b : builds) {
    if (b.head_dim == head_dim) return &b;
  }
  return nullptr;
}

static_assert(sizeof(sm90::BwdParams) <= sizeof(Sm90BackwardLaunch::params), "Sm90BackwardLaunch::params is too small");

}  // namespace

std::string sm90_backward_name(int head_dim) { return "sm90a wgmma+TMA backward, d" + std::to_string(head_dim); }

bool sm90_backward_available(int head_dim, int device, std::string* why) {
  auto no = [&](const char* reason) {
    if (why) *why = reason;
    return false;
  };
  const BwdBuild* b = bwd_build_for(head_dim);
  if (!b) return no("the Hopper backward has builds for head dims 32, 64 and 128");
  int major = 0, minor = 0, smem = 0;
  cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device);
  cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device);
  cudaDeviceGetAttribute(&smem, cudaDevAttrMaxSharedMemoryPerBlockOptin, device);
  cudaGetLastError();
  if (major != 9 || minor != 0) return no("the Hopper backward needs a compute capability 9.0 GPU");
  if (smem < b->smem) return no("not enough shared memory per block for the Hopper backward");
  return sm90_tensor_map_encoder(why) != nullptr;
}

cudaError_t sm90_backward_prepare(const BackwardParams& bp, int head_dim, bool bf16, long long batch_heads, unsigned grid_x,
                                  Sm90BackwardLaunch* out, std::string* why) {
  const EncodeTiled encode = sm90_tensor_map_encoder(why);
  if (!encode) return cudaErrorNotSupported;
  const BwdBuild* b = bwd_build_for(head_dim);
  if (!b) {
    if (why) *why = "the Hopper backward has builds for head dims 32, 64 and 128";
    return cudaErrorInvalidValue;
  }
  memset(out->params, 0, sizeof out->params);
  sm90::BwdParams& p = *reinterpret_cast<sm90::BwdParams*>(out->params);
  p.b = bp;
  // [batch·heads, rows, D] as (D, rows, batch·heads, 1, 1); boxes of 64 rows × one column chunk.
  // Rows past a tensor read zeros; rows past a tile inside it are masked by the kernel.
  const CUtensorMapDataType type = bf16 ? CU_TENSOR_MAP_DATA_TYPE_BFLOAT16 : CU_TENSOR_MAP_DATA_TYPE_FLOAT16;
  const cuuint32_t box[5] = {(cuuint32_t)b->box_cols, (cuuint32_t)kBwdRows, 1, 1, 1};
  auto make = [&](CUtensorMap* map, const void* ptr, long long rows, const char* what) {
    const cuuint64_t dims[5] = {(cuuint64_t)head_dim, (cuuint64_t)rows, (cuuint64_t)batch_heads, 1, 1};
    const cuuint64_t row_bytes = (cuuint64_t)head_dim * 2;
    const cuuint64_t strides[4] = {row_bytes, row_bytes * rows, row_bytes * rows * batch_heads, row_bytes * rows * batch_heads};
    return encode_5d(encode, map, type, ptr, dims, strides, box, b->swizzle, what, why);
  };
  if (!make(&p.map_q, bp.q, bp.q_padded, "Q") || !make(&p.map_k, bp.k, bp.kv_padded, "K") || !make(&p.map_v, bp.v, bp.kv_padded, "V") ||
      !make(&p.map_do, bp.dout, bp.q_padded, "dO")) {
    return cudaErrorInvalidValue;
  }
  out->grid_x = grid_x;
  out->grid_y = (unsigned)batch_heads;
  out->head_dim = head_dim;
  out->bf16 = bf16;
  const cudaError_t e = cudaFuncSetAttribute(bf16 ? b->bf16 : b->f16, cudaFuncAttributeMaxDynamicSharedMemorySize, b->smem);
  if (e != cudaSuccess && why) *why = "cudaFuncSetAttribute(shared memory) for the Hopper backward";
  return e;
}

cudaError_t sm90_backward_run(const Sm90BackwardLaunch& l, unsigned long long* counts, cudaStream_t stream, std::string* why) {
  if (l.grid_x == 0 || l.grid_y == 0) return cudaSuccess;
  sm90::BwdParams p = *reinterpret_cast<const sm90::BwdParams*>(l.params);
  p.b.counts = counts;
  const BwdBuild* b = bwd_build_for(l.head_dim);
  cudaLaunchConfig_t config = {};  // a launch the CPU emulation (native/emu) runs too
  config.gridDim = dim3(l.grid_x, l.grid_y);
  config.blockDim = dim3(128);
  config.dynamicSmemBytes = b->smem;
  config.stream = stream;
  const cudaError_t e = cudaLaunchKernelEx(&config, l.bf16 ? b->bf16 : b->f16, p);
  if (e != cudaSuccess && why) *why = "Hopper backward kernel launch";
  return e;
}

}  // namespace gna
