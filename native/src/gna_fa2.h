// gna_fa2.h: the portable FA2-class forward kernel (gna_fa2.cuh, issue 23) as gna_cuda.cu sees
// it. gna_fa2.cu is compiled with its own architectures (SASS sm_80, sm_86, sm_89, sm_90, PTX
// compute_90: its own nvcc rule); this header has no device code.
#ifndef GNA_FA2_H
#define GNA_FA2_H

#include <cuda_runtime.h>

#include <string>

namespace gna {

struct AttentionParams;

// The head dims at which kernel 'auto' takes this kernel where the Hopper one does not run: those
// whose build has passed the GPU correctness check (native/scripts/issue23.sh). None yet: issue 23
// wrote the kernel without a GPU, so it runs only when asked for ('portable-fa2').
inline bool fa2_checked_on_gpu(int /*head_dim*/) { return false; }

// Whether the FA2 kernel runs this tiling at this head dim on `device`; `why` says why not.
bool fa2_supports(const AttentionParams& a, int head_dim, int device, std::string* why);

// Whether the kernel reads this tiling straight from the caller's layout (no dilation): then no
// token permutation runs around it.
bool fa2_direct(const AttentionParams& a);

// The kernel variant (gna_launch_options.variant, fa2::kVariantWideStep) that runs at `head_dim`
// on `device` when `asked` is asked for: `asked` where a build has it and the device's opt-in shared
// memory holds it, else 0 (the default build).
int fa2_variant_runs(int head_dim, int asked, int device);

// One launch (a as the portable kernel takes it; a.q_chunks is ignored): a.q, a.k, a.v, a.o are
// the caller's tensors when `direct` (fa2_direct), else the token-permuted buffers; `variant` as
// fa2_variant_runs returned it.
cudaError_t fa2_run(const AttentionParams& a, int head_dim, bool bf16, int batch, int heads, bool direct, int variant, cudaStream_t stream);

// The kernel's name in results: "portable-fa2 mma.sync+cp.async, d64" on the caller's layout,
// "portable-fa2 permuted mma.sync+cp.async, d64" on token-permuted buffers; a variant other than
// the default build adds ", variant N".
std::string fa2_name(int head_dim, bool direct, int variant = 0);

}  // namespace gna

#endif  // GNA_FA2_H
