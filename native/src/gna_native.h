/* gna_native.h: the plain C ABI between the N-API glue (addon.cc, g++) and the compute core
 * (CPU reference in gna_reference.cc, CUDA in gna_cuda.cu). No N-API and no CUDA types cross
 * it: plain structs in, an integer status and a message buffer out. */
#ifndef GNA_NATIVE_H
#define GNA_NATIVE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GNA_MAX_RANK 3

/* Status of every call; the glue turns them into JS error codes of the same names. */
enum gna_status {
  GNA_OK = 0,
  GNA_ERR_NOT_BUILT = 1, /* addon compiled without CUDA */
  GNA_ERR_NO_DEVICE = 2, /* no driver, driver too old, or no GPU visible */
  GNA_ERR_CUDA = 3,      /* any other CUDA error (a sticky one spoils the process's context) */
  GNA_ERR_INVALID = 4,   /* a config or argument the core refuses */
  GNA_ERR_OOM = 5,       /* device memory exhausted */
  GNA_ERR_CANCELLED = 6, /* the caller cancelled between benchmark repeats */
  GNA_ERR_UNSUPPORTED = 7 /* this build has no kernel for the request (e.g. no backward kernel yet) */
};

/* Element types. Reference: F32, F64. CUDA kernel inputs: F16, BF16 (fp32 accumulation). */
enum gna_dtype { GNA_F32 = 0, GNA_F64 = 1, GNA_F16 = 2, GNA_BF16 = 3 };

/* One GNA problem; only the first `rank` entries of each array are read. GNA-SPEC §1. */
typedef struct gna_problem {
  int rank;
  int input_size[GNA_MAX_RANK];
  int window[GNA_MAX_RANK];
  int stride[GNA_MAX_RANK];
  int dilation[GNA_MAX_RANK];
  int causal[GNA_MAX_RANK];
} gna_problem;

/* Tensor dimensions around the token layout: [batch, *layout, heads, head_dim]. */
typedef struct gna_shape {
  int batch;
  int heads;
  int head_dim;
  double scale; /* softmax scale; callers pass head_dim^-0.5 for NATTEN's default */
} gna_shape;

/* Multi-dimensional tile shapes (first `rank` entries). */
typedef struct gna_tiles {
  int q[GNA_MAX_RANK];
  int kv[GNA_MAX_RANK];
} gna_tiles;

typedef struct gna_device_props {
  char name[256];
  int major, minor; /* compute capability */
  int multiprocessors;
  size_t total_mem; /* bytes */
} gna_device_props;

/* Tile pairs the fused kernel visited for batch 0, head 0 (debug counters), and which kernel
 * ran (e.g. "sm90a wgmma+TMA, direct layout", "portable mma.sync"). */
typedef struct gna_visit_counts {
  long long visited;
  long long full;
  char kernel[48];
} gna_visit_counts;

/* Which fused kernel runs: the Hopper kernel where it can and its build for the head dim has passed
 * the GPU correctness check (AUTO), else the portable one; PORTABLE forces the portable mma.sync
 * kernel, PERMUTED the Hopper kernel on token-permuted buffers, HOPPER the Hopper kernel at every
 * head dim it has a build for, checked or not (what the GPU check of a new build runs), FA2 the
 * FA2-class portable kernel (issue 23; AUTO does not pick it until its GPU check passes),
 * FA2_PERMUTED that kernel on token-permuted buffers even where it could read the caller's layout
 * (an A/B of the direct layout's cost, as PERMUTED is for the Hopper kernel). */
enum gna_kernel_choice {
  GNA_KERNEL_AUTO = 0,
  GNA_KERNEL_PORTABLE = 1,
  GNA_KERNEL_PERMUTED = 2,
  GNA_KERNEL_HOPPER = 3,
  GNA_KERNEL_FA2 = 4,
  GNA_KERNEL_FA2_PERMUTED = 5
};

/* How the fused kernel is launched. All zero: what a user gets (the engine's defaults). */
typedef struct gna_launch_options {
  int kernel;             /* enum gna_kernel_choice */
  int no_pdl;             /* non-zero: launch the Hopper kernel without programmatic dependent launch */
  int max_ctas;           /* caps the Hopper kernel's persistent grid (0: one CTA per SM) */
  char trace_path[1024];  /* non-empty: each Hopper launch writes its per-CTA timeline to this file
                             (and goes without PDL, so that it is timed alone) */
  int variant;            /* a kernel variant for same-run A/B (0: the measured kernel; builds
                             without it run 0; gna_sm90_attention.cuh kVariantBoundary ...,
                             gna_fa2.cuh kVariantWideStep) */
} gna_launch_options;

typedef struct gna_run_options {
  int device;
  int dtype; /* GNA_F16 or GNA_BF16 */
  gna_tiles tiles;
  /* gna_cuda_forward only: passes run back to back on the GPU, each pass's output the next one's
   * Q (0 or 1: one pass; at most 16). Checks that a kernel which may start before the previous
   * one ends (programmatic dependent launch) still reads that kernel's finished output. */
  int passes;
  gna_launch_options launch;
} gna_run_options;

/* Polled between benchmark repeats; non-zero stops the run with GNA_ERR_CANCELLED. */
typedef int (*gna_cancel_fn)(void* ctx);

typedef struct gna_bench_options {
  gna_run_options run;
  int warmup;
  int repeats;
  uint64_t seed;
  int chain;        /* 0 or 1: one pass per repeat; N (at most 1000): N back-to-back passes
                       between two events, the time per pass reported */
  int empty_kernel; /* non-zero (Hopper direct path only): time an empty kernel of the attention
                       kernel's launch shape instead of it, the launch floor of this timing */
  gna_cancel_fn cancelled; /* may be NULL */
  void* cancel_ctx;
} gna_bench_options;

typedef struct gna_bench_result {
  double attention_ms; /* medians over repeats, CUDA events */
  double permute_ms;   /* token permutation in (Q, K, V) plus the output's way back */
  double total_ms;
  int repeats;
  gna_visit_counts counts;
} gna_bench_result;

/* Per-axis tiling as the fused kernel walks it (GNA-SPEC §5, extension/core/tiling.ts). */
typedef struct gna_axis_tiling_info {
  int q_tiles;
  int kv_tiles;
} gna_axis_tiling_info;

/* ---- always available (gna_reference.cc) ---- */

/* NATTEN's argument rules plus the sizes this core supports; GNA_OK or GNA_ERR_INVALID. */
int gna_check_problem(const gna_problem* p, const gna_shape* shape, char* err, size_t errlen);
int gna_check_tiles(const gna_problem* p, const gna_tiles* t, char* err, size_t errlen);

/* CPU reference forward. q, k, v, out: [batch, *layout, heads, head_dim], row-major. */
int gna_reference_forward_f32(const gna_problem* p, const gna_shape* shape, const float* q,
                              const float* k, const float* v, float* out, char* err, size_t errlen);
int gna_reference_forward_f64(const gna_problem* p, const gna_shape* shape, const double* q,
                              const double* k, const double* v, double* out, char* err,
                              size_t errlen);

/* CPU reference gradients in float64 (issue 21). dout: the loss's gradient with respect to the
 * output. Outputs: out (the forward's output) and dq, dk, dv in the layout of q; lse
 * [batch, *layout, heads], each query's log-sum-exp (natural log) of its scaled scores, which a
 * fused backward reads instead of recomputing the softmax's normaliser. */
int gna_reference_backward_f64(const gna_problem* p, const gna_shape* shape, const double* q, const double* k,
                               const double* v, const double* dout, double* out, double* lse, double* dq,
                               double* dk, double* dv, char* err, size_t errlen);

/* Debug: the per-Q-tile KV tile ranges of one axis. Arrays hold info->q_tiles entries; call once
 * with NULL arrays to learn the counts. */
int gna_axis_tile_ranges(const gna_problem* p, const gna_tiles* t, int axis,
                         gna_axis_tiling_info* info, int32_t* group, int32_t* kv_lo,
                         int32_t* kv_hi, int32_t* full_lo, int32_t* full_hi, char* err,
                         size_t errlen);

/* The Hopper kernel's choice for this problem, shape and tiles on a compute capability 9.0 GPU,
 * device checks aside (gna_hopper_select.h): *path = 0 (the portable kernel; `why` says why),
 * 1 (direct layout) or 2 (permuted); kernel is a gna_kernel_choice. The shared tile table says
 * which head dims and tiles the Hopper kernel takes. */
int gna_hopper_choice(const gna_problem* p, const gna_shape* shape, const gna_tiles* t, int kernel, int* path,
                      char* why, size_t whylen);

/* Rounds float32 values to dtype (F16 or BF16, round to nearest even) and back, exactly as the
 * CUDA path converts its inputs. */
int gna_quantize(int dtype, const float* in, float* out, size_t n, char* err, size_t errlen);

/* ---- CUDA (gna_cuda.cu; stubs returning GNA_ERR_NOT_BUILT in the CPU-only build) ---- */

int gna_cuda_built(void);
void gna_cuda_versions(int* runtime_version, int* driver_version);
int gna_cuda_device_count(int* count, char* err, size_t errlen);
int gna_cuda_device_props(int device, gna_device_props* out, char* err, size_t errlen);

/* Forward on the GPU for checks: inputs are float32 host values rounded to opts->dtype; the
 * output (same layout) comes back as float32. Outputs are poisoned (NaN) before the kernel runs.
 * counts may be NULL. */
int gna_cuda_forward(const gna_run_options* opts, const gna_problem* p, const gna_shape* shape,
                     const float* q, const float* k, const float* v, float* out,
                     gna_visit_counts* counts, char* err, size_t errlen);

/* Benchmark with inputs generated on the GPU (random, never zero). */
int gna_cuda_benchmark(const gna_bench_options* opts, const gna_problem* p,
                       const gna_shape* shape, gna_bench_result* result, char* err,
                       size_t errlen);

/* ---- the fused backward (issue 21; gna_backward_unavailable.cc until a kernel exists: it answers
 * GNA_ERR_NOT_BUILT in the CPU-only build, GNA_ERR_UNSUPPORTED in a CUDA build) ---- */

/* What a backward benchmark times between its events. */
enum gna_pass { GNA_PASS_FORWARD = 0, GNA_PASS_BACKWARD = 1, GNA_PASS_TRAINING = 2 };

/* Backward on the GPU for checks: q, k, v, dout float32 host values rounded to opts->dtype; the
 * forward runs first and saves out and lse (as gna_reference_backward_f64 lays them out), then
 * the backward computes dq, dk, dv; all come back as float32 and are poisoned (NaN) before the
 * kernels run. counts (may be NULL): the backward kernel's tile pairs and name. */
int gna_cuda_backward(const gna_run_options* opts, const gna_problem* p, const gna_shape* shape, const float* q,
                      const float* k, const float* v, const float* dout, float* out, float* lse, float* dq,
                      float* dk, float* dv, gna_visit_counts* counts, char* err, size_t errlen);

/* Benchmark of pass BACKWARD (the backward kernel alone, on a forward's saved out and lse) or
 * TRAINING (forward then backward between the same two events); attention_ms is that time. */
int gna_cuda_benchmark_pass(const gna_bench_options* opts, int pass, const gna_problem* p, const gna_shape* shape,
                            gna_bench_result* result, char* err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif /* GNA_NATIVE_H */
