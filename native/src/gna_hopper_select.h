// gna_hopper_select.h: which problems the Hopper kernel takes, decided without a device (host
// only, no CUDA headers): gna_sm90.cu adds the device checks (compute capability 9.0, shared
// memory, the driver's tensor-map encoder), and the CPU build answers the addon's debug call
// hopperChoice with the same function, so unit tests check the selection without a GPU.
// The kernel's tiles per head dim come from gna_hopper_tiles.h (the simulator's Hopper presets).
#ifndef GNA_HOPPER_SELECT_H
#define GNA_HOPPER_SELECT_H

#include "gna_hopper_tiles.h"
#include "gna_math.h"
#include "gna_native.h"

namespace gna {

enum Sm90Path {
  kSm90None = 0,      // the portable kernel (gna_attention.cuh) runs
  kSm90Direct = 1,    // TMA boxes straight from [batch, *layout, heads, D]: no permutation pass
  kSm90Permuted = 2,  // TMA from token-permuted buffers (what a box cannot express: dilation)
};

// The Hopper kernel's work item (query rows) and step (keys) at a head dim: the Q and KV tile
// tokens of its presets; 0 where the kernel has no build for it.
inline int hopper_item_rows(int head_dim) { return gna_hopper_tile_tokens(head_dim, false); }
inline int hopper_step_keys(int head_dim) { return gna_hopper_tile_tokens(head_dim, true); }

// The builds a user gets by default: those that passed the GPU correctness check on an H200
// (128: native/results/h200-correctness-2026-12-02.txt; 32, 64, 256, written without a GPU in
// issue 18: h200-correctness-2026-12-05.txt). A build added later runs only when asked for
// (GNA_KERNEL_HOPPER or PERMUTED) until its check passes and it joins this list.
inline bool hopper_checked_on_gpu(int head_dim) {
  return head_dim == 32 || head_dim == 64 || head_dim == 128 || head_dim == 256;
}

// The Hopper backward's builds (gna_sm90_backward.cuh: head dims 32, 64, 128) that passed the
// backward's GPU check; none yet (written without a GPU), so `auto` keeps the GPU-checked portable
// backward and kernel 'hopper' (or 'permuted') runs this one until a build's check passes and it
// joins this list.
inline bool hopper_backward_checked_on_gpu(int head_dim) {
  (void)head_dim;
  return false;
}

// Whether a backward request asks for the Hopper backward, device checks aside (gna_cuda.cu adds
// them: sm90_backward_available). `why` says why not; `required` says the request named the Hopper
// kernel, so that a device without it is an error rather than the portable backward.
inline bool hopper_backward_wanted(int head_dim, int kernel, bool* required, const char** why) {
  *required = kernel == GNA_KERNEL_HOPPER || kernel == GNA_KERNEL_PERMUTED;
  auto no = [&](const char* reason) {
    if (why) *why = reason;
    return false;
  };
  // Any other choice names a portable kernel (portable, the FA2 kernels): the portable backward.
  if (kernel != GNA_KERNEL_AUTO && !*required) return no("a portable kernel was asked for: the portable backward runs");
  if (head_dim != 32 && head_dim != 64 && head_dim != 128) return no("the Hopper backward has builds for head dims 32, 64 and 128");
  if (kernel == GNA_KERNEL_AUTO && !hopper_backward_checked_on_gpu(head_dim)) {
    return no("the Hopper backward has not passed its GPU check yet (kernel 'hopper' runs it)");
  }
  return true;
}

// The sub-box of a Q tile (t0, t1, t2) that `rows` consecutive rows (row-major inside the tile)
// form, if they form one: whole rows of the last axis, then whole planes.
inline bool chunk_box(const int t[3], int rows, int box[3]) {
  if (rows % t[2] != 0) return false;
  const int r = rows / t[2];
  if (r <= t[1]) {
    if (t[1] % r != 0) return false;
    box[0] = 1, box[1] = r, box[2] = t[2];
    return true;
  }
  if (r % t[1] != 0) return false;
  const int r0 = r / t[1];
  if (t[0] % r0 != 0) return false;
  box[0] = r0, box[1] = t[1], box[2] = t[2];
  return true;
}

// The device-independent part of the choice for a tiling `a` (any struct with the fields of
// Sm90Args: ax, tq, tkv, q_grid, kv_grid, tq_tokens, tkv_tokens, batch, heads, head_dim);
// `kernel` is gna_launch_options.kernel. `why` says why not, for kSm90None.
template <typename A>
Sm90Path hopper_path(const A& a, int kernel, const char** why) {
  auto no = [&](const char* reason) {
    if (why) *why = reason;
    return kSm90None;
  };
  if (kernel == GNA_KERNEL_PORTABLE) return no("the portable kernel was asked for");
  if (kernel == GNA_KERNEL_FA2 || kernel == GNA_KERNEL_FA2_PERMUTED) return no("the portable FA2 kernel was asked for");
  const int rows = hopper_item_rows(a.head_dim), keys = hopper_step_keys(a.head_dim);
  if (rows == 0) return no("no Hopper kernel for this head dim (32, 64, 128 and 256 have one)");
  if (kernel == GNA_KERNEL_AUTO && !hopper_checked_on_gpu(a.head_dim)) {
    return no("the Hopper build for this head dim has not passed its GPU check yet (kernel 'hopper' runs it)");
  }
  if (a.tkv_tokens != keys) {
    return no(keys == 128 ? "the KV tile does not hold 128 tokens" : "the KV tile does not hold 64 tokens (head dim 256)");
  }
  if (a.tq_tokens % rows != 0) {
    return no(rows == 128 ? "the Q tile does not hold a multiple of 128 tokens" : "the Q tile does not hold a multiple of 64 tokens");
  }
  if ((long long)a.batch * a.heads * a.q_grid[0] * a.q_grid[1] * a.q_grid[2] * (a.tq_tokens / rows) >= (1LL << 31)) {
    return no("too many work items");
  }
  if (a.kv_grid[1] >= 65536 || a.kv_grid[2] >= 65536) return no("more than 65535 KV tiles along axis 1 or 2");

  bool direct = kernel != GNA_KERNEL_PERMUTED;
  for (int i = 0; i < GNA_MAX_RANK; ++i) direct = direct && a.ax[i].d == 1;
  int box[3];
  direct = direct && chunk_box(a.tq, rows, box);
  // Batch and n0 share one tensor-map dimension, so a tile that overhangs n0 would read the next
  // batch's first tokens (masked keys and dropped queries, but a non-finite value there would
  // still reach 0·V): direct only when nothing overhangs n0 or there is one batch.
  direct = direct && (a.batch == 1 || (a.ax[0].n % a.tq[0] == 0 && a.ax[0].n % a.tkv[0] == 0));
  direct = direct && (long long)a.batch * a.ax[0].n < (1LL << 31);
  return direct ? kSm90Direct : kSm90Permuted;
}

}  // namespace gna

#endif  // GNA_HOPPER_SELECT_H
