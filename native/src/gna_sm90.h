// gna_sm90.h: the Hopper path of the fused forward as gna_cuda.cu sees it. gna_sm90.cu is
// compiled for sm_90a alone (its own nvcc rule); this header has no device code.
#ifndef GNA_SM90_H
#define GNA_SM90_H

#include <cuda_runtime.h>

#include <string>
#include <vector>

#include "gna_hopper_select.h"
#include "gna_math.h"
#include "gna_native.h"

namespace gna {

// The kernel that runs, as results name it: "sm90a wgmma+TMA, direct layout, d64", "portable mma.sync, d256";
// a kernel variant other than the measured one adds ", variant N".
std::string sm90_path_name(Sm90Path path, int head_dim, int variant = 0);

// The kernel variant (gna_launch_options.variant, sm90::kVariantBoundary ...) that runs at
// `head_dim` when `asked` is asked for: `asked` where that build has it, else 0.
int sm90_variant_runs(int head_dim, int asked);

struct Sm90Args {
  Axis ax[GNA_MAX_RANK];
  int tq[GNA_MAX_RANK], tkv[GNA_MAX_RANK];
  int q_grid[GNA_MAX_RANK], kv_grid[GNA_MAX_RANK];
  int tq_tokens, tkv_tokens;
  long long q_padded, kv_padded;  // permuted rows per (batch, head)
  int batch, heads, head_dim;
  bool bf16;
  float scale_log2;
  // Per axis, on the device: the KV tile range of every Q tile, and the window (lo, hi) of every
  // padded query position (lo > hi for padding). See sm90_tables().
  const QTileRange* ranges[GNA_MAX_RANK];
  const int* windows[GNA_MAX_RANK];  // int pairs
  // Direct: the caller's tensors. Permuted: the token-permuted buffers.
  const void* q;
  const void* k;
  const void* v;
  void* o;
  unsigned long long* counts;
};

// Copies the per-axis tiling (axes, tile extents, tile grids) between the kernels' parameter
// blocks, which name these fields alike (AttentionParams, Sm90Args, sm90::Params).
template <typename To, typename From>
void copy_axis_tiling(To& to, const From& from) {
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    to.ax[i] = from.ax[i];
    to.tq[i] = from.tq[i];
    to.tkv[i] = from.tkv[i];
    to.q_grid[i] = from.q_grid[i];
    to.kv_grid[i] = from.kv_grid[i];
  }
}

// The Hopper path's arguments for a portable kernel's geometry `a` (AttentionParams: the tiling,
// token counts and softmax scale) of `batch` × `heads` heads of `head_dim`; the tensors and tables
// are the caller's to set.
template <typename Geometry>
Sm90Args sm90_args_of(const Geometry& a, int batch, int heads, int head_dim, bool bf16) {
  Sm90Args h{};
  copy_axis_tiling(h, a);
  h.tq_tokens = a.tq_tokens;
  h.tkv_tokens = a.tkv_tokens;
  h.q_padded = a.q_padded;
  h.kv_padded = a.kv_padded;
  h.batch = batch;
  h.heads = heads;
  h.head_dim = head_dim;
  h.bf16 = bf16;
  h.scale_log2 = a.scale_log2;
  return h;
}

// The per-axis tables of Sm90Args as one int array (ranges of every axis, then windows of every
// axis); offsets[2 * i] and offsets[2 * i + 1] are where axis i's ranges and windows start.
std::vector<int> sm90_tables(const Sm90Args& a, size_t offsets[2 * GNA_MAX_RANK]);

// Which path runs this problem on `device` (never kSm90None for a problem it can run, unless
// `kernel` is GNA_KERNEL_PORTABLE). `why` says why not, for kSm90None. GNA_KERNEL_PERMUTED forces
// the permuted path where the direct one would run (for checks).
Sm90Path sm90_choose(const Sm90Args& a, int device, int kernel, std::string* why);

// A prepared launch: the kernel parameters with their TMA tensor maps already encoded, so that
// launching costs no host work beyond the launch itself (timed runs measure the GPU).
struct Sm90Launch {
  alignas(64) unsigned char params[1024];
  unsigned grid = 0;
  bool bf16 = false;
  int head_dim = 128;      // which build of the kernel (gna_sm90_attention.cuh Config<D>)
  int variant = 0;         // which variant of it (sm90_variant_runs)
  bool pdl = true;         // programmatic dependent launch (gna_launch_options.no_pdl clears it)
  std::string trace_path;  // gna_launch_options.trace_path
};

// Encodes the tensor maps for the tensors in `a` and sets the kernel's shared-memory limit; the
// grid is one CTA per SM, capped by options.max_ctas. Returns the CUDA error; `why` names the step.
cudaError_t sm90_prepare(Sm90Path path, const Sm90Args& a, int device, const gna_launch_options& options, Sm90Launch* out,
                         std::string* why);

// Launches a prepared kernel on `stream`; counts (debug tile-pair counters) may be null.
cudaError_t sm90_run(const Sm90Launch& l, unsigned long long* counts, cudaStream_t stream, std::string* why);

// Launches an empty kernel with the same shape (grid, block, shared memory, parameters, PDL):
// the launch floor that benchmarks compare a short run against (gna_bench_options.empty_kernel).
cudaError_t sm90_run_empty(const Sm90Launch& l, cudaStream_t stream, std::string* why);

}  // namespace gna

#endif  // GNA_SM90_H
