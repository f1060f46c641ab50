// gna_backward_unavailable.cc: the fused backward's C ABI (issue 21) while no backward kernel is
// compiled in. Both builds link it: the CPU-only build says "no CUDA" like its other stubs, a CUDA
// build says that it has no backward kernel. Replaced by the kernel's translation unit once one
// passes its GPU check (test/gpu/backward-check.ts).
#include <stdio.h>
#include <string.h>

#include "gna_native.h"

namespace {

int unavailable(char* err, size_t errlen) {
  if (!gna_cuda_built()) {
    if (err && errlen) snprintf(err, errlen, "no CUDA device: this is the CPU-only build of the addon (built without nvcc)");
    return GNA_ERR_NOT_BUILT;
  }
  if (err && errlen) snprintf(err, errlen, "no backward kernel in this build: the fused backward (issue 21) is not compiled in yet");
  return GNA_ERR_UNSUPPORTED;
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
