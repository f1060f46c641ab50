// gna_reference.cc: the parts of the core that need no GPU. Argument checks (a backstop: the
// TypeScript wrapper runs the core's checkProblem first), the CPU reference forward and its
// float64 gradients that tests treat as ground truth, the per-Q-tile KV ranges the kernel walks (debug ABI), and the 16-bit
// rounding the CUDA path applies to its inputs.
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include <vector>

#include "gna_half.h"
#include "gna_hopper_select.h"
#include "gna_math.h"
#include "gna_native.h"

namespace {

int fail(int status, char* err, size_t errlen, const char* fmt, ...) {
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return status;
}

// Largest layout the core models (GNA-SPEC: N² must stay exact in a double; same as validate.ts).
const long long kMaxTokens = 1LL << 26;

}  // namespace

extern "C" int gna_check_problem(const gna_problem* p, const gna_shape* shape, char* err,
                                 size_t errlen) {
  if (!p) return fail(GNA_ERR_INVALID, err, errlen, "no problem given");
  if (p->rank < 1 || p->rank > GNA_MAX_RANK)
    return fail(GNA_ERR_INVALID, err, errlen,
                "Neighborhood attention supports 1-D, 2-D and 3-D token layouts, got a %d-D one.",
                p->rank);
  long long tokens = 1;
  for (int i = 0; i < p->rank; ++i) {
    const int n = p->input_size[i], k = p->window[i], s = p->stride[i], d = p->dilation[i];
    if (n < 1) return fail(GNA_ERR_INVALID, err, errlen, "input size must be >= 1, got %d on axis %d.", n, i);
    if (k < 2) return fail(GNA_ERR_INVALID, err, errlen, "kernel_size must be >= 2 on every axis, got %d on axis %d.", k, i);
    if (s < 1) return fail(GNA_ERR_INVALID, err, errlen, "stride must be >= 1 on every axis, got %d on axis %d.", s, i);
    if (d < 1) return fail(GNA_ERR_INVALID, err, errlen, "dilation must be >= 1 on every axis, got %d on axis %d.", d, i);
    if (s > k)
      return fail(GNA_ERR_INVALID, err, errlen, "stride must be <= kernel_size on every axis (axis %d: %d > %d).", i, s, k);
    if ((long long)k * d > n)
      return fail(GNA_ERR_INVALID, err, errlen,
                  "kernel_size * dilation must be <= input size on every axis (axis %d: %d * %d > %d).", i, k, d, n);
    tokens *= n;
    if (tokens > kMaxTokens)
      return fail(GNA_ERR_INVALID, err, errlen, "the token layout has more than 2^26 tokens.");
  }
  if (shape) {
    if (shape->batch < 1 || shape->heads < 1 || shape->head_dim < 1)
      return fail(GNA_ERR_INVALID, err, errlen, "batch, heads and head_dim must be >= 1, got %d, %d, %d.",
                  shape->batch, shape->heads, shape->head_dim);
    if (!isfinite(shape->scale)) return fail(GNA_ERR_INVALID, err, errlen, "scale must be a finite number.");
    const double elements = (double)shape->batch * (double)tokens * shape->heads * shape->head_dim;
    if (elements > 9.0e15) return fail(GNA_ERR_INVALID, err, errlen, "the tensors are too large.");
  }
  return GNA_OK;
}

extern "C" int gna_check_tiles(const gna_problem* p, const gna_tiles* t, char* err, size_t errlen) {
  if (!t) return fail(GNA_ERR_INVALID, err, errlen, "no tile shapes given");
  for (int i = 0; i < p->rank; ++i) {
    if (t->q[i] < 1 || t->kv[i] < 1)
      return fail(GNA_ERR_INVALID, err, errlen, "tile shapes must hold positive integers (axis %d: q %d, kv %d).", i,
                  t->q[i], t->kv[i]);
  }
  long long tq = 1, tkv = 1;
  for (int i = 0; i < p->rank; ++i) {
    tq *= t->q[i];
    tkv *= t->kv[i];
  }
  if (tq > (1 << 20) || tkv > (1 << 20)) return fail(GNA_ERR_INVALID, err, errlen, "tiles of more than 2^20 tokens are not supported.");
  return GNA_OK;
}

namespace {

// The keys token `tok` attends (flattened indices), GNA-SPEC §1: per axis its dilation group's
// window, mapped back to the layout. Returns how many were written to keys.
size_t neighborhood_keys(const gna::Axis ax[GNA_MAX_RANK], long long tok, long long* keys) {
  const long long n1 = ax[1].n, n2 = ax[2].n;
  const int x[3] = {(int)(tok / (n1 * n2)), (int)((tok / n2) % n1), (int)(tok % n2)};
  int first[3], last[3];
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    const int g = x[i] % ax[i].d;
    const int len = gna::group_length(ax[i].n, ax[i].d, g);
    const gna::Interval w = gna::window_of(x[i] / ax[i].d, len, ax[i].k, ax[i].s, ax[i].causal);
    first[i] = g + w.start * ax[i].d;
    last[i] = g + w.end * ax[i].d;
  }
  size_t count = 0;
  for (int y0 = first[0]; y0 <= last[0]; y0 += ax[0].d)
    for (int y1 = first[1]; y1 <= last[1]; y1 += ax[1].d)
      for (int y2 = first[2]; y2 <= last[2]; y2 += ax[2].d) keys[count++] = ((long long)y0 * n1 + y1) * n2 + y2;
  return count;
}

// The tensors' layout and the per-query scratch both reference passes share.
template <typename T>
struct ReferenceRows {
  gna::Axis ax[GNA_MAX_RANK];
  long long tokens, H, D;
  std::vector<T> p;  // softmax weights of one query's keys (normalised after attend)
  std::vector<long long> keys;
  size_t count = 0;

  explicit ReferenceRows(const gna_problem& prob, const gna_shape& s) : H(s.heads), D(s.head_dim) {
    gna::axes_of(prob, ax);
    tokens = (long long)ax[0].n * ax[1].n * ax[2].n;
    size_t max_keys = 1;
    for (int i = 0; i < GNA_MAX_RANK; ++i) max_keys *= (size_t)ax[i].k;
    p.resize(max_keys);
    keys.resize(max_keys);
  }
  long long row(long long b, long long tok, long long h) const { return ((b * tokens + tok) * H + h) * D; }

  // Fills p with softmax(scale * q·k) over the keys and returns the log-sum-exp (natural log) of
  // the scaled scores. Two passes: scores with their maximum, then the normalised weights.
  T attend(const T* q, const T* k, long long b, long long tok, long long h, T scale) {
    const T* qrow = q + row(b, tok, h);
    T max_score = -INFINITY;
    for (size_t j = 0; j < count; ++j) {
      const T* krow = k + row(b, keys[j], h);
      T dot = 0;
      for (long long c = 0; c < D; ++c) dot += qrow[c] * krow[c];
      p[j] = dot * scale;
      if (p[j] > max_score) max_score = p[j];
    }
    T sum = 0;
    for (size_t j = 0; j < count; ++j) {
      p[j] = exp(p[j] - max_score);
      sum += p[j];
    }
    for (size_t j = 0; j < count; ++j) p[j] /= sum;
    return max_score + log(sum);
  }
};

// out[b, x, h, :] = softmax over the keys x attends of (scale * q·k) applied to v; lse (may be
// null): [batch, *layout, heads], the log-sum-exp of each query's scaled scores.
template <typename T>
void reference_forward(const gna_problem& prob, const gna_shape& s, const T* q, const T* k, const T* v, T* out, T* lse) {
  ReferenceRows<T> r(prob, s);
  for (long long b = 0; b < s.batch; ++b) {
    for (long long tok = 0; tok < r.tokens; ++tok) {
      r.count = neighborhood_keys(r.ax, tok, r.keys.data());
      for (long long h = 0; h < r.H; ++h) {
        const T row_lse = r.attend(q, k, b, tok, h, (T)s.scale);
        if (lse) lse[(b * r.tokens + tok) * r.H + h] = row_lse;
        T* orow = out + r.row(b, tok, h);
        for (long long c = 0; c < r.D; ++c) orow[c] = 0;
        for (size_t j = 0; j < r.count; ++j) {
          const T* vrow = v + r.row(b, r.keys[j], h);
          for (long long c = 0; c < r.D; ++c) orow[c] += r.p[j] * vrow[c];
        }
      }
    }
  }
}

// The gradients of the forward above, query by query (FlashAttention-2's equations on one
// query's neighborhood): with P its softmax weights and Dx = dO·O,
//   dV[key] += P·dO,  dS = P ∘ (dO·V[key] − Dx),  dQ += scale Σ dS·K[key],  dK[key] += scale dS·Q.
// dK and dV gather from every query whose window holds the key, which is the fused kernel's
// KV-parallel walk done the other way round.
void reference_backward(const gna_problem& prob, const gna_shape& s, const double* q, const double* k, const double* v,
                        const double* dout, double* out, double* lse, double* dq, double* dk, double* dv) {
  reference_forward<double>(prob, s, q, k, v, out, lse);
  ReferenceRows<double> r(prob, s);
  const size_t n = (size_t)(s.batch * r.tokens * r.H * r.D);
  for (size_t i = 0; i < n; ++i) dq[i] = dk[i] = dv[i] = 0;
  for (long long b = 0; b < s.batch; ++b) {
    for (long long tok = 0; tok < r.tokens; ++tok) {
      r.count = neighborhood_keys(r.ax, tok, r.keys.data());
      for (long long h = 0; h < r.H; ++h) {
        r.attend(q, k, b, tok, h, s.scale);
        const long long x = r.row(b, tok, h);
        double dx = 0;
        for (long long c = 0; c < r.D; ++c) dx += dout[x + c] * out[x + c];
        for (size_t j = 0; j < r.count; ++j) {
          const long long y = r.row(b, r.keys[j], h);
          double dp = 0;
          for (long long c = 0; c < r.D; ++c) dp += dout[x + c] * v[y + c];
          const double ds = r.p[j] * (dp - dx) * s.scale;
          for (long long c = 0; c < r.D; ++c) {
            dv[y + c] += r.p[j] * dout[x + c];
            dq[x + c] += ds * k[y + c];
            dk[y + c] += ds * q[x + c];
          }
        }
      }
    }
  }
}

}  // namespace

extern "C" int gna_reference_forward_f32(const gna_problem* p, const gna_shape* shape, const float* q,
                                         const float* k, const float* v, float* out, char* err, size_t errlen) {
  const int rc = gna_check_problem(p, shape, err, errlen);
  if (rc != GNA_OK) return rc;
  reference_forward<float>(*p, *shape, q, k, v, out, nullptr);
  return GNA_OK;
}

extern "C" int gna_reference_forward_f64(const gna_problem* p, const gna_shape* shape, const double* q,
                                         const double* k, const double* v, double* out, char* err,
                                         size_t errlen) {
  const int rc = gna_check_problem(p, shape, err, errlen);
  if (rc != GNA_OK) return rc;
  reference_forward<double>(*p, *shape, q, k, v, out, nullptr);
  return GNA_OK;
}

extern "C" int gna_reference_backward_f64(const gna_problem* p, const gna_shape* shape, const double* q,
                                          const double* k, const double* v, const double* dout, double* out,
                                          double* lse, double* dq, double* dk, double* dv, char* err, size_t errlen) {
  const int rc = gna_check_problem(p, shape, err, errlen);
  if (rc != GNA_OK) return rc;
  reference_backward(*p, *shape, q, k, v, dout, out, lse, dq, dk, dv);
  return GNA_OK;
}

extern "C" int gna_axis_tile_ranges(const gna_problem* p, const gna_tiles* t, int axis, gna_axis_tiling_info* info,
                                    int32_t* group, int32_t* kv_lo, int32_t* kv_hi, int32_t* full_lo,
                                    int32_t* full_hi, char* err, size_t errlen) {
  int rc = gna_check_problem(p, nullptr, err, errlen);
  if (rc != GNA_OK) return rc;
  rc = gna_check_tiles(p, t, err, errlen);
  if (rc != GNA_OK) return rc;
  if (axis < 0 || axis >= p->rank) return fail(GNA_ERR_INVALID, err, errlen, "axis %d is out of range", axis);
  gna::Axis ax[GNA_MAX_RANK];
  gna::axes_of(*p, ax);
  const gna::Axis& a = ax[axis];
  const int tq = t->q[axis], tkv = t->kv[axis];
  info->q_tiles = gna::axis_tiles(gna::group_tiling(a.n, a.d, tq));
  info->kv_tiles = gna::axis_tiles(gna::group_tiling(a.n, a.d, tkv));
  if (!group) return GNA_OK;
  for (int i = 0; i < info->q_tiles; ++i) {
    const gna::QTileRange r = gna::qtile_range(a, tq, tkv, i);
    group[i] = r.group;
    kv_lo[i] = r.kv_lo;
    kv_hi[i] = r.kv_hi;
    full_lo[i] = r.full_lo;
    full_hi[i] = r.full_hi;
  }
  return GNA_OK;
}

extern "C" int gna_hopper_choice(const gna_problem* p, const gna_shape* shape, const gna_tiles* t, int kernel, int* path,
                                 char* why, size_t whylen) {
  *path = gna::kSm90None;
  int rc = gna_check_problem(p, shape, why, whylen);
  if (rc != GNA_OK) return rc;
  rc = gna_check_tiles(p, t, why, whylen);
  if (rc != GNA_OK) return rc;
  // The tiling as the CUDA plan derives it (gna_cuda.cu make_plan), with the fields hopper_path reads.
  struct {
    gna::Axis ax[GNA_MAX_RANK];
    int tq[GNA_MAX_RANK], tkv[GNA_MAX_RANK], q_grid[GNA_MAX_RANK], kv_grid[GNA_MAX_RANK];
    int tq_tokens = 1, tkv_tokens = 1, batch, heads, head_dim;
  } a;
  gna::axes_of(*p, a.ax);
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    a.tq[i] = i < p->rank ? t->q[i] : 1;
    a.tkv[i] = i < p->rank ? t->kv[i] : 1;
    a.q_grid[i] = gna::axis_tiles(gna::group_tiling(a.ax[i].n, a.ax[i].d, a.tq[i]));
    a.kv_grid[i] = gna::axis_tiles(gna::group_tiling(a.ax[i].n, a.ax[i].d, a.tkv[i]));
    a.tq_tokens *= a.tq[i];
    a.tkv_tokens *= a.tkv[i];
  }
  a.batch = shape->batch;
  a.heads = shape->heads;
  a.head_dim = shape->head_dim;
  const char* reason = "";
  *path = gna::hopper_path(a, kernel, &reason);
  if (why && whylen) snprintf(why, whylen, "%s", *path == gna::kSm90None ? reason : "");
  return GNA_OK;
}

extern "C" int gna_quantize(int dtype, const float* in, float* out, size_t n, char* err, size_t errlen) {
  switch (dtype) {
    case GNA_F16:
      for (size_t i = 0; i < n; ++i) out[i] = gna::half_bits_to_float(gna::float_to_half_bits(in[i]));
      return GNA_OK;
    case GNA_BF16:
      for (size_t i = 0; i < n; ++i) out[i] = gna::bf16_bits_to_float(gna::float_to_bf16_bits(in[i]));
      return GNA_OK;
    default:
      return fail(GNA_ERR_INVALID, err, errlen, "quantize: dtype must be float16 or bfloat16");
  }
}
