// gna_backward_unavailable.cc: the fused backward's C ABI (issue 21) in the CPU-only build, beside
// gna_cuda_stubs.cc: no CUDA, so no backward either, said as the other stubs say it. The CUDA build
// has the kernel instead (gna_backward.cuh, driven from gna_cuda.cu).
#include <stdio.h>
#include <string.h>

#include "gna_native.h"

namespace {

int unavailable(char* err, size_t errlen) {
  if (err && errlen) snprintf(err, errlen, "no CUDA device: this is the CPU-only build of the addon (built without nvcc)");
  return GNA_ERR_NOT_BUILT;
}

}  // namespace

extern "C" int gna_cuda_backward(const gna_run_options*, const gna_problem*, const gna_shape*, const float*,
                                 const float*, const float*, const float*, float*, float*, float*, float*, float*,
                                 gna_visit_counts* counts, char* err, size_t errlen) {
  if (counts) memset(counts, 0, sizeof *counts);
  return unavailable(err, errlen);
}

extern "C" int gna_cuda_benchmark_pass(const gna_bench_options*, int, const gna_problem*, const gna_shape*,
                                       gna_bench_result* result, char* err, size_t errlen) {
  memset(result, 0, sizeof *result);
  return unavailable(err, errlen);
}
