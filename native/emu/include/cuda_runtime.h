// Stand-in for the CUDA runtime's cuda_runtime.h in the CPU emulation (native/emu/README.md): the
// calls a kernel's host side makes (gna_sm90.cu), on an emulated compute capability 9.0 device whose
// "device memory" is host memory and whose launches run through cuda_emu.h's scheduler.
#ifndef GNA_EMU_CUDA_RUNTIME_H
#define GNA_EMU_CUDA_RUNTIME_H

#include <stdlib.h>
#include <string.h>

#include <cuda.h>

#include "cuda_emu.h"

typedef enum cudaError_enum_emu { cudaSuccess = 0, cudaErrorInvalidValue = 1, cudaErrorNotSupported = 801 } cudaError_t;
typedef struct CUstream_st_emu* cudaStream_t;
enum cudaMemcpyKind { cudaMemcpyHostToHost, cudaMemcpyHostToDevice, cudaMemcpyDeviceToHost, cudaMemcpyDeviceToDevice, cudaMemcpyDefault };
enum cudaDeviceAttr {
  cudaDevAttrComputeCapabilityMajor,
  cudaDevAttrComputeCapabilityMinor,
  cudaDevAttrMultiProcessorCount,
  cudaDevAttrMaxSharedMemoryPerBlockOptin
};
enum cudaFuncAttribute { cudaFuncAttributeMaxDynamicSharedMemorySize };
enum cudaDriverEntryPointQueryResult { cudaDriverEntryPointSuccess = 0, cudaDriverEntryPointSymbolNotFound = 1 };
enum { cudaEnableDefault = 0 };
enum cudaLaunchAttributeID { cudaLaunchAttributeProgrammaticStreamSerialization = 5 };
struct cudaLaunchAttribute {
  cudaLaunchAttributeID id;
  union {
    int programmaticStreamSerializationAllowed;
  } val;
};
struct cudaLaunchConfig_t {
  dim3 gridDim, blockDim;
  size_t dynamicSmemBytes;
  cudaStream_t stream;
  cudaLaunchAttribute* attrs;
  unsigned numAttrs;
};

namespace emu {
// The emulated device: an H100's compute capability, SM count and opt-in shared memory per block.
struct Device {
  int sms = 132;
  int smem_optin = 227 * 1024;
  size_t smem_bytes = 0;  // the driver's shared-memory buffer: what a launch may ask for
};
inline Device& device() {
  static Device d;
  return d;
}
}  // namespace emu

inline cudaError_t cudaGetLastError() { return cudaSuccess; }
inline cudaError_t cudaDeviceGetAttribute(int* v, cudaDeviceAttr a, int) {
  const emu::Device& d = emu::device();
  *v = a == cudaDevAttrComputeCapabilityMajor ? 9 : a == cudaDevAttrComputeCapabilityMinor ? 0 : a == cudaDevAttrMultiProcessorCount ? d.sms : d.smem_optin;
  return cudaSuccess;
}
// The driver's entry points the emulation has: cuTensorMapEncodeTiled.
inline cudaError_t cudaGetDriverEntryPointByVersion(const char* symbol, void** fn, unsigned, unsigned long long, cudaDriverEntryPointQueryResult* q) {
  const bool known = strcmp(symbol, "cuTensorMapEncodeTiled") == 0;
  *fn = known ? reinterpret_cast<void*>(&cuTensorMapEncodeTiled) : nullptr;
  if (q) *q = known ? cudaDriverEntryPointSuccess : cudaDriverEntryPointSymbolNotFound;
  return cudaSuccess;
}
template <typename F>
cudaError_t cudaFuncSetAttribute(F, cudaFuncAttribute, int bytes) {
  return bytes <= emu::device().smem_optin ? cudaSuccess : cudaErrorInvalidValue;
}
inline cudaError_t cudaMalloc(void** p, size_t n) {
  *p = malloc(n);
  return *p ? cudaSuccess : cudaErrorInvalidValue;
}
template <typename T>
cudaError_t cudaMalloc(T** p, size_t n) {
  return cudaMalloc(reinterpret_cast<void**>(p), n);
}
inline cudaError_t cudaFree(void* p) {
  free(p);
  return cudaSuccess;
}
inline cudaError_t cudaMemset(void* p, int v, size_t n) {
  memset(p, v, n);
  return cudaSuccess;
}
inline cudaError_t cudaMemcpy(void* d, const void* s, size_t n, cudaMemcpyKind) {
  memcpy(d, s, n);
  return cudaSuccess;
}
inline cudaError_t cudaMemcpyAsync(void* d, const void* s, size_t n, cudaMemcpyKind k, cudaStream_t) { return cudaMemcpy(d, s, n, k); }
inline cudaError_t cudaStreamSynchronize(cudaStream_t) { return cudaSuccess; }

// A launch runs every block to completion before it returns (launch attributes such as PDL have
// nothing to overlap); its dynamic shared memory must fit the driver's buffer.
template <typename... Params, typename... Args>
cudaError_t cudaLaunchKernelEx(const cudaLaunchConfig_t* config, void (*kernel)(Params...), Args... args) {
  if (config->dynamicSmemBytes > emu::device().smem_bytes) {
    fprintf(stderr, "emulation: a launch asks for %zu bytes of shared memory, the driver's buffer has %zu\n", config->dynamicSmemBytes,
            emu::device().smem_bytes);
    return cudaErrorInvalidValue;
  }
  emu::launch(config->gridDim, config->blockDim, [&] { kernel(args...); });
  return cudaSuccess;
}

#endif  // GNA_EMU_CUDA_RUNTIME_H
