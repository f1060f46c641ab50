// gna_sm90_encode.h: the driver's TMA tensor-map encoder, shared by the Hopper forward's and
// backward's host code (gna_sm90.cu, gna_sm90_backward.cu).
#ifndef GNA_SM90_ENCODE_H
#define GNA_SM90_ENCODE_H

#include <cuda.h>
#include <cuda_runtime.h>
#include <stdio.h>

#include <mutex>
#include <string>

namespace gna {

using EncodeTiled = CUresult (*)(CUtensorMap*, CUtensorMapDataType, cuuint32_t, void*, const cuuint64_t*, const cuuint64_t*,
                                 const cuuint32_t*, const cuuint32_t*, CUtensorMapInterleave, CUtensorMapSwizzle,
                                 CUtensorMapL2promotion, CUtensorMapFloatOOBfill);

// cuTensorMapEncodeTiled, looked up once through the runtime (no libcuda link); null, with `why`
// set, where the driver does not export it.
inline EncodeTiled sm90_tensor_map_encoder(std::string* why) {
  static std::once_flag once;
  static EncodeTiled fn = nullptr;
  static std::string failure;
  std::call_once(once, [] {
    void* p = nullptr;
    cudaDriverEntryPointQueryResult q = cudaDriverEntryPointSymbolNotFound;
    const cudaError_t e = cudaGetDriverEntryPointByVersion("cuTensorMapEncodeTiled", &p, 12000, cudaEnableDefault, &q);
    if (e != cudaSuccess || q != cudaDriverEntryPointSuccess || !p) {
      cudaGetLastError();
      failure = "the driver does not export cuTensorMapEncodeTiled";
    } else {
      fn = reinterpret_cast<EncodeTiled>(p);
    }
  });
  if (!fn && why) *why = failure;
  return fn;
}

// One 5-D tiled map of 16-bit elements (unit element strides, no interleave, 256-byte L2
// promotion, zeros out of bounds); false, with `why` naming `what` and the CUresult, on failure.
inline bool encode_5d(EncodeTiled encode, CUtensorMap* map, CUtensorMapDataType type, const void* ptr, const cuuint64_t (&dims)[5],
                      const cuuint64_t (&strides)[4], const cuuint32_t* box, CUtensorMapSwizzle swizzle, const char* what,
                      std::string* why) {
  const cuuint32_t ones[5] = {1, 1, 1, 1, 1};
  const CUresult r = encode(map, type, 5, const_cast<void*>(ptr), dims, strides, box, ones, CU_TENSOR_MAP_INTERLEAVE_NONE, swizzle,
                            CU_TENSOR_MAP_L2_PROMOTION_L2_256B, CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE);
  if (r == CUDA_SUCCESS) return true;
  if (why) {
    char buf[160];
    snprintf(buf, sizeof buf, "cuTensorMapEncodeTiled(%s) failed with CUresult %d", what, (int)r);
    *why = buf;
  }
  return false;
}

}  // namespace gna

#endif  // GNA_SM90_ENCODE_H
