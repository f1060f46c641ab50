// gna_cuda_stubs.cc: the CUDA half of the C ABI in the CPU-only build (no nvcc at build time).
// "No CUDA here" is a normal answer: every call says so with GNA_ERR_NOT_BUILT.
#include <stdio.h>
#include <string.h>

#include "gna_native.h"

namespace {

int not_built(char* err, size_t errlen) {
  if (err && errlen) snprintf(err, errlen, "no CUDA device: this is the CPU-only build of the addon (built without nvcc)");
  return GNA_ERR_NOT_BUILT;
}

}  // namespace

extern "C" int gna_cuda_built(void) { return 0; }

extern "C" void gna_cuda_versions(int* rt, int* drv) {
  if (rt) *rt = 0;
  if (drv) *drv = 0;
}

extern "C" int gna_cuda_device_count(int* count, char* err, size_t errlen) {
  *count = 0;
  return not_built(err, errlen);
}

extern "C" int gna_cuda_device_props(int, gna_device_props* out, char* err, size_t errlen) {
  memset(out, 0, sizeof *out);
  return not_built(err, errlen);
}

extern "C" int gna_cuda_forward(const gna_run_options*, const gna_problem*, const gna_shape*, const float*,
                                const float*, const float*, float*, gna_visit_counts*, char* err, size_t errlen) {
  return not_built(err, errlen);
}

extern "C" int gna_cuda_benchmark(const gna_bench_options*, const gna_problem*, const gna_shape*,
                                  gna_bench_result* result, char* err, size_t errlen) {
  memset(result, 0, sizeof *result);
  return not_built(err, errlen);
}
