// gna_sm90_backward.h: the Hopper fused backward (gna_sm90_backward.cuh) as gna_cuda.cu sees it;
// gna_sm90_backward.cu is compiled for sm_90a alone (the gna_sm90 library). No device code here.
#ifndef GNA_SM90_BACKWARD_H
#define GNA_SM90_BACKWARD_H

#include <cuda_runtime.h>

#include <string>

namespace gna {

struct BackwardParams;

// The kernel as results name it: "sm90a wgmma+TMA backward, d64".
std::string sm90_backward_name(int head_dim);

// Whether the Hopper backward can run at `head_dim` on `device` (compute capability 9.0, shared
// memory, the driver's tensor-map encoder); `why` says why not. The request's kernel choice is
// hopper_backward_wanted()'s (gna_hopper_select.h).
bool sm90_backward_available(int head_dim, int device, std::string* why);

// A prepared launch: the parameters with their TMA tensor maps encoded (over the backward's
// token-permuted Q, K, V and dO of `b`), the grid of the portable backward's decomposition.
struct Sm90BackwardLaunch {
  alignas(64) unsigned char params[1024];
  unsigned grid_x = 0, grid_y = 0;
  int head_dim = 0;
  bool bf16 = false;
};

cudaError_t sm90_backward_prepare(const BackwardParams& b, int head_dim, bool bf16, long long batch_heads, unsigned grid_x,
                                  Sm90BackwardLaunch* out, std::string* why);

// Launches the main kernel (between the portable backward's rows and dQ kernels); `counts` (the
// debug tile-pair counters) may be null.
cudaError_t sm90_backward_run(const Sm90BackwardLaunch& l, unsigned long long* counts, cudaStream_t stream, std::string* why);

}  // namespace gna

#endif  // GNA_SM90_BACKWARD_H
