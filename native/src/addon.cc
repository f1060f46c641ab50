// addon.cc: thin N-API glue (node-addon-api, C++ exceptions on). It turns JS objects into the
// plain structs of gna_native.h, runs every computation in a Napi::AsyncWorker (the worker
// never touches JS memory: inputs are copied on the JS thread) and turns status codes into JS
// errors carrying `code`. The TypeScript wrapper (extension/native) validates semantics first;
// this layer only checks types, and the C core checks its own preconditions again.
#include <napi.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "gna_native.h"

namespace {

constexpr size_t kErrLen = 1024;

const char* code_name(int rc) {
  switch (rc) {
    case GNA_ERR_NOT_BUILT: return "GNA_ERR_NOT_BUILT";
    case GNA_ERR_NO_DEVICE: return "GNA_ERR_NO_DEVICE";
    case GNA_ERR_CUDA: return "GNA_ERR_CUDA";
    case GNA_ERR_INVALID: return "GNA_ERR_INVALID";
    case GNA_ERR_OOM: return "GNA_ERR_OOM";
    case GNA_ERR_CANCELLED: return "GNA_ERR_CANCELLED";
    case GNA_ERR_UNSUPPORTED: return "GNA_ERR_UNSUPPORTED";
    default: return "GNA_ERR_UNKNOWN";
  }
}

Napi::Error make_error(Napi::Env env, int rc, const std::string& msg) {
  Napi::Error e = Napi::Error::New(env, msg);
  e.Set("code", Napi::String::New(env, code_name(rc)));
  return e;
}

// ---- argument readers: TypeError on a wrong type, nothing more ----

Napi::Object object_arg(const Napi::Value& v, const char* name) {
  if (!v.IsObject()) throw Napi::TypeError::New(v.Env(), std::string(name) + " must be an object");
  return v.As<Napi::Object>();
}

int int_field(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (!v.IsNumber()) throw Napi::TypeError::New(o.Env(), std::string(key) + " must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (d != (double)(int)d) throw Napi::TypeError::New(o.Env(), std::string(key) + " must be a 32-bit integer");
  return (int)d;
}

void int_array_field(const Napi::Object& o, const char* key, int rank, int* out) {
  Napi::Value v = o.Get(key);
  if (!v.IsArray()) throw Napi::TypeError::New(o.Env(), std::string(key) + " must be an array");
  Napi::Array a = v.As<Napi::Array>();
  if ((int)a.Length() != rank)
    throw Napi::TypeError::New(o.Env(), std::string(key) + " must have " + std::to_string(rank) + " entries");
  for (int i = 0; i < GNA_MAX_RANK; ++i) out[i] = 1;
  for (int i = 0; i < rank; ++i) {
    Napi::Value e = a.Get((uint32_t)i);
    if (e.IsBoolean()) {
      out[i] = e.As<Napi::Boolean>().Value() ? 1 : 0;
      continue;
    }
    if (!e.IsNumber()) throw Napi::TypeError::New(o.Env(), std::string(key) + " must hold numbers");
    const double d = e.As<Napi::Number>().DoubleValue();
    if (d != (double)(int)d) throw Napi::TypeError::New(o.Env(), std::string(key) + " must hold 32-bit integers");
    out[i] = (int)d;
  }
}

gna_problem problem_arg(const Napi::Value& v) {
  Napi::Object o = object_arg(v, "problem");
  gna_problem p;
  std::memset(&p, 0, sizeof p);
  Napi::Value size = o.Get("inputSize");
  if (!size.IsArray()) throw Napi::TypeError::New(v.Env(), "problem.inputSize must be an array");
  p.rank = (int)size.As<Napi::Array>().Length();
  if (p.rank < 1 || p.rank > GNA_MAX_RANK) throw Napi::TypeError::New(v.Env(), "problem rank must be 1, 2 or 3");
  int_array_field(o, "inputSize", p.rank, p.input_size);
  int_array_field(o, "windowSize", p.rank, p.window);
  int_array_field(o, "stride", p.rank, p.stride);
  int_array_field(o, "dilation", p.rank, p.dilation);
  int_array_field(o, "causal", p.rank, p.causal);
  return p;
}

gna_shape shape_arg(const Napi::Value& v) {
  Napi::Object o = object_arg(v, "shape");
  gna_shape s;
  s.batch = int_field(o, "batch");
  s.heads = int_field(o, "heads");
  s.head_dim = int_field(o, "headDim");
  Napi::Value scale = o.Get("scale");
  if (!scale.IsNumber()) throw Napi::TypeError::New(v.Env(), "shape.scale must be a number");
  s.scale = scale.As<Napi::Number>().DoubleValue();
  return s;
}

gna_tiles tiles_arg(const Napi::Value& v, int rank) {
  Napi::Object o = object_arg(v, "tiles");
  gna_tiles t;
  int_array_field(o, "q", rank, t.q);
  int_array_field(o, "kv", rank, t.kv);
  return t;
}

int dtype_arg(const Napi::Value& v) {
  if (!v.IsString()) throw Napi::TypeError::New(v.Env(), "dtype must be a string");
  const std::string s = v.As<Napi::String>().Utf8Value();
  if (s == "float16") return GNA_F16;
  if (s == "bfloat16") return GNA_BF16;
  if (s == "float32") return GNA_F32;
  if (s == "float64") return GNA_F64;
  throw Napi::TypeError::New(v.Env(), "dtype must be 'float16', 'bfloat16', 'float32' or 'float64'");
}

bool bool_field(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (!v.IsBoolean()) throw Napi::TypeError::New(o.Env(), std::string(key) + " must be a boolean");
  return v.As<Napi::Boolean>().Value();
}

// {kernel, pdl, maxCtas, trace, variant}: the wrapper always sends every field (EngineOptionsSchema).
gna_launch_options launch_options_arg(const Napi::Object& o) {
  gna_launch_options l;
  std::memset(&l, 0, sizeof l);
  Napi::Value kernel = o.Get("kernel");
  const std::string k = kernel.IsString() ? kernel.As<Napi::String>().Utf8Value() : "";
  if (k == "auto") l.kernel = GNA_KERNEL_AUTO;
  else if (k == "portable") l.kernel = GNA_KERNEL_PORTABLE;
  else if (k == "permuted") l.kernel = GNA_KERNEL_PERMUTED;
  else if (k == "hopper") l.kernel = GNA_KERNEL_HOPPER;
  else if (k == "portable-fa2") l.kernel = GNA_KERNEL_FA2;
  else if (k == "portable-fa2-permuted") l.kernel = GNA_KERNEL_FA2_PERMUTED;
  else throw Napi::TypeError::New(o.Env(), "options.kernel must be 'auto', 'portable', 'permuted', 'hopper', 'portable-fa2' or 'portable-fa2-permuted'");
  l.no_pdl = bool_field(o, "pdl") ? 0 : 1;
  l.max_ctas = int_field(o, "maxCtas");
  Napi::Value trace = o.Get("trace");
  if (!trace.IsString()) throw Napi::TypeError::New(o.Env(), "options.trace must be a string");
  const std::string path = trace.As<Napi::String>().Utf8Value();
  if (path.size() >= sizeof l.trace_path) throw Napi::TypeError::New(o.Env(), "options.trace is too long");
  std::memcpy(l.trace_path, path.c_str(), path.size() + 1);
  l.variant = int_field(o, "variant");
  return l;
}

size_t elements_of(const gna_problem& p, const gna_shape& s) {
  size_t n = (size_t)s.batch * (size_t)s.heads * (size_t)s.head_dim;
  for (int i = 0; i < p.rank; ++i) n *= (size_t)p.input_size[i];
  return n;
}

template <typename T>
std::vector<T> copy_typed(const Napi::Value& v, napi_typedarray_type type, const char* name, size_t expected) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type)
    throw Napi::TypeError::New(v.Env(), std::string(name) + (type == napi_float64_array ? " must be a Float64Array" : " must be a Float32Array"));
  Napi::TypedArrayOf<T> a = v.As<Napi::TypedArrayOf<T>>();
  if (a.ElementLength() != expected)
    throw Napi::RangeError::New(v.Env(), std::string(name) + " has " + std::to_string(a.ElementLength()) +
                                             " elements, expected batch * tokens * heads * head_dim = " +
                                             std::to_string(expected));
  return std::vector<T>(a.Data(), a.Data() + expected);
}

// Validates before queueing so that a bad config rejects with GNA_ERR_INVALID at once.
void check_or_throw(Napi::Env env, const gna_problem& p, const gna_shape* s) {
  char err[kErrLen] = {0};
  const int rc = gna_check_problem(&p, s, err, sizeof err);
  if (rc != GNA_OK) throw make_error(env, rc, err);
}

// ---- cancellation: a flag the JS side sets and a worker polls between repeats ----

class CancelToken : public Napi::ObjectWrap<CancelToken> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "CancelToken",
                       {InstanceMethod("cancel", &CancelToken::Cancel), InstanceAccessor("cancelled", &CancelToken::Cancelled, nullptr)});
  }
  explicit CancelToken(const Napi::CallbackInfo& info) : Napi::ObjectWrap<CancelToken>(info), flag_(std::make_shared<std::atomic<int>>(0)) {}
  std::shared_ptr<std::atomic<int>> flag() const { return flag_; }

 private:
  Napi::Value Cancel(const Napi::CallbackInfo& info) {
    flag_->store(1);
    return info.Env().Undefined();
  }
  Napi::Value Cancelled(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), flag_->load() != 0); }
  std::shared_ptr<std::atomic<int>> flag_;
};

// ---- workers ----

// The kernel's tile-pair counters and name, as the TypeScript side's RawCounts.
void set_counts(Napi::Object& r, const gna_visit_counts& counts) {
  Napi::Env env = r.Env();
  r.Set("visited", Napi::Number::New(env, (double)counts.visited));
  r.Set("full", Napi::Number::New(env, (double)counts.full));
  r.Set("kernel", Napi::String::New(env, counts.kernel));
}

template <typename T>
Napi::TypedArrayOf<T> typed_copy(Napi::Env env, const std::vector<T>& values) {
  Napi::TypedArrayOf<T> arr = Napi::TypedArrayOf<T>::New(env, values.size());
  if (!values.empty()) std::memcpy(arr.Data(), values.data(), values.size() * sizeof(T));
  return arr;
}

// Common shape of every worker: Execute() fills rc_/err_, the result is built on the JS thread.
class GnaWorker : public Napi::AsyncWorker {
 public:
  explicit GnaWorker(Napi::Env env, const char* name) : Napi::AsyncWorker(env, name), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void Fail(int rc) {
    rc_ = rc;
    SetError(err_[0] ? err_ : code_name(rc));
  }
  void OnError(const Napi::Error& e) override { deferred_.Reject(make_error(Env(), rc_, e.Message()).Value()); }
  Napi::Promise::Deferred deferred_;
  char err_[kErrLen] = {0};
  int rc_ = GNA_ERR_CUDA;
};

template <typename T>
class ReferenceWorker : public GnaWorker {
 public:
  ReferenceWorker(Napi::Env env, gna_problem p, gna_shape s, std::vector<T> q, std::vector<T> k, std::vector<T> v)
      : GnaWorker(env, "gna:referenceForward"), p_(p), s_(s), q_(std::move(q)), k_(std::move(k)), v_(std::move(v)) {}

 protected:
  void Execute() override {
    out_.resize(q_.size());
    int rc;
    if constexpr (std::is_same<T, double>::value) {
      rc = gna_reference_forward_f64(&p_, &s_, q_.data(), k_.data(), v_.data(), out_.data(), err_, sizeof err_);
    } else {
      rc = gna_reference_forward_f32(&p_, &s_, q_.data(), k_.data(), v_.data(), out_.data(), err_, sizeof err_);
    }
    if (rc != GNA_OK) Fail(rc);
  }
  void OnOK() override {
    Napi::TypedArrayOf<T> arr = Napi::TypedArrayOf<T>::New(Env(), out_.size());
    if (!out_.empty()) std::memcpy(arr.Data(), out_.data(), out_.size() * sizeof(T));
    deferred_.Resolve(arr);
  }

 private:
  gna_problem p_;
  gna_shape s_;
  std::vector<T> q_, k_, v_, out_;
};

// Gradients in float64 (reference) or from the GPU (float32): the forward's output and
// log-sum-exp, then dq, dk, dv, as {output, lse, dq, dk, dv} (plus the kernel's counts on the GPU).
template <typename T>
class BackwardWorker : public GnaWorker {
 public:
  BackwardWorker(Napi::Env env, const gna_run_options* o, gna_problem p, gna_shape s, std::vector<T> q, std::vector<T> k,
                 std::vector<T> v, std::vector<T> dout)
      : GnaWorker(env, o ? "gna:cudaBackward" : "gna:referenceBackward"), gpu_(o != nullptr), p_(p), s_(s),
        q_(std::move(q)), k_(std::move(k)), v_(std::move(v)), dout_(std::move(dout)) {
    if (o) o_ = *o;
  }

 protected:
  void Execute() override {
    out_.resize(q_.size());
    dq_.resize(q_.size());
    dk_.resize(q_.size());
    dv_.resize(q_.size());
    lse_.resize(q_.size() / (size_t)s_.head_dim);
    int rc;
    if constexpr (std::is_same<T, double>::value) {
      rc = gna_reference_backward_f64(&p_, &s_, q_.data(), k_.data(), v_.data(), dout_.data(), out_.data(), lse_.data(),
                                      dq_.data(), dk_.data(), dv_.data(), err_, sizeof err_);
    } else {
      rc = gna_cuda_backward(&o_, &p_, &s_, q_.data(), k_.data(), v_.data(), dout_.data(), out_.data(), lse_.data(),
                             dq_.data(), dk_.data(), dv_.data(), &counts_, err_, sizeof err_);
    }
    if (rc != GNA_OK) Fail(rc);
  }
  void OnOK() override {
    Napi::Env env = Env();
    Napi::Object r = Napi::Object::New(env);
    r.Set("output", typed_copy(env, out_));
    r.Set("lse", typed_copy(env, lse_));
    r.Set("dq", typed_copy(env, dq_));
    r.Set("dk", typed_copy(env, dk_));
    r.Set("dv", typed_copy(env, dv_));
    if (gpu_) set_counts(r, counts_);
    deferred_.Resolve(r);
  }

 private:
  bool gpu_;
  gna_run_options o_{};
  gna_problem p_;
  gna_shape s_;
  std::vector<T> q_, k_, v_, dout_, out_, lse_, dq_, dk_, dv_;
  gna_visit_counts counts_{};
};

class CudaForwardWorker : public GnaWorker {
 public:
  CudaForwardWorker(Napi::Env env, gna_run_options o, gna_problem p, gna_shape s, std::vector<float> q, std::vector<float> k,
                    std::vector<float> v)
      : GnaWorker(env, "gna:cudaForward"), o_(o), p_(p), s_(s), q_(std::move(q)), k_(std::move(k)), v_(std::move(v)) {}

 protected:
  void Execute() override {
    out_.resize(q_.size());
    const int rc = gna_cuda_forward(&o_, &p_, &s_, q_.data(), k_.data(), v_.data(), out_.data(), &counts_, err_, sizeof err_);
    if (rc != GNA_OK) Fail(rc);
  }
  void OnOK() override {
    Napi::Env env = Env();
    Napi::Float32Array arr = Napi::Float32Array::New(env, out_.size());
    if (!out_.empty()) std::memcpy(arr.Data(), out_.data(), out_.size() * sizeof(float));
    Napi::Object r = Napi::Object::New(env);
    r.Set("output", arr);
    set_counts(r, counts_);
    deferred_.Resolve(r);
  }

 private:
  gna_run_options o_;
  gna_problem p_;
  gna_shape s_;
  std::vector<float> q_, k_, v_, out_;
  gna_visit_counts counts_{};
};

class BenchmarkWorker : public GnaWorker {
 public:
  BenchmarkWorker(Napi::Env env, gna_bench_options o, int pass, gna_problem p, gna_shape s, std::shared_ptr<std::atomic<int>> cancel)
      : GnaWorker(env, "gna:benchmark"), o_(o), pass_(pass), p_(p), s_(s), cancel_(std::move(cancel)) {}

 protected:
  static int poll(void* ctx) { return static_cast<std::atomic<int>*>(ctx)->load() != 0; }
  void Execute() override {
    if (cancel_) {
      o_.cancelled = &BenchmarkWorker::poll;
      o_.cancel_ctx = cancel_.get();  // kept alive by cancel_ for the worker's lifetime
    }
    const int rc = pass_ == GNA_PASS_FORWARD ? gna_cuda_benchmark(&o_, &p_, &s_, &result_, err_, sizeof err_)
                                             : gna_cuda_benchmark_pass(&o_, pass_, &p_, &s_, &result_, err_, sizeof err_);
    if (rc != GNA_OK) Fail(rc);
  }
  void OnOK() override {
    Napi::Env env = Env();
    Napi::Object r = Napi::Object::New(env);
    r.Set("attentionMs", Napi::Number::New(env, result_.attention_ms));
    r.Set("permuteMs", Napi::Number::New(env, result_.permute_ms));
    r.Set("totalMs", Napi::Number::New(env, result_.total_ms));
    r.Set("repeats", Napi::Number::New(env, result_.repeats));
    set_counts(r, result_.counts);
    deferred_.Resolve(r);
  }

 private:
  gna_bench_options o_;
  int pass_;
  gna_problem p_;
  gna_shape s_;
  std::shared_ptr<std::atomic<int>> cancel_;
  gna_bench_result result_{};
};

// ---- exported functions ----

// What every computing call starts with: its argument object and the problem and shape in it.
struct CallArgs {
  Napi::Env env;
  Napi::Object a;
  gna_problem p;
  gna_shape s;
};

CallArgs call_args(const Napi::CallbackInfo& info) {
  Napi::Object a = object_arg(info[0], "arguments");
  return {info.Env(), a, problem_arg(a.Get("problem")), shape_arg(a.Get("shape"))};
}

Napi::Value queue(GnaWorker* w) {
  Napi::Promise promise = w->Promise();
  w->Queue();
  return promise;
}

// deviceInfo(): "no CUDA device" (no driver, no GPU, CPU-only build) is a normal answer with
// available: false; only an unexpected CUDA failure throws.
Napi::Value DeviceInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object r = Napi::Object::New(env);
  int rt = 0, drv = 0;
  gna_cuda_versions(&rt, &drv);
  r.Set("builtWithCuda", Napi::Boolean::New(env, gna_cuda_built() != 0));
  r.Set("runtimeVersion", Napi::Number::New(env, rt));
  r.Set("driverVersion", Napi::Number::New(env, drv));
  char err[kErrLen] = {0};
  int count = 0;
  const int rc = gna_cuda_device_count(&count, err, sizeof err);
  Napi::Array devices = Napi::Array::New(env);
  if (rc == GNA_OK) {
    for (int i = 0; i < count; ++i) {
      gna_device_props p;
      const int prc = gna_cuda_device_props(i, &p, err, sizeof err);
      if (prc != GNA_OK) throw make_error(env, prc, err);
      Napi::Object d = Napi::Object::New(env);
      d.Set("index", Napi::Number::New(env, i));
      d.Set("name", Napi::String::New(env, p.name));
      d.Set("computeCapability", Napi::String::New(env, std::to_string(p.major) + "." + std::to_string(p.minor)));
      d.Set("multiprocessors", Napi::Number::New(env, p.multiprocessors));
      d.Set("totalMemBytes", Napi::Number::New(env, (double)p.total_mem));
      devices.Set((uint32_t)i, d);
    }
    r.Set("available", Napi::Boolean::New(env, true));
    r.Set("message", Napi::String::New(env, std::to_string(count) + " CUDA device(s)"));
  } else if (rc == GNA_ERR_NO_DEVICE || rc == GNA_ERR_NOT_BUILT) {
    r.Set("available", Napi::Boolean::New(env, false));
    r.Set("message", Napi::String::New(env, err));
    r.Set("code", Napi::String::New(env, code_name(rc)));
  } else {
    throw make_error(env, rc, err);
  }
  r.Set("devices", devices);
  return r;
}

// referenceForward({problem, shape, q, k, v}) -> Promise<Float32Array | Float64Array>
Napi::Value ReferenceForward(const Napi::CallbackInfo& info) {
  const CallArgs c = call_args(info);
  check_or_throw(c.env, c.p, &c.s);
  const size_t n = elements_of(c.p, c.s);
  Napi::Value q = c.a.Get("q");
  const bool f64 = q.IsTypedArray() && q.As<Napi::TypedArray>().TypedArrayType() == napi_float64_array;
  if (f64) {
    return queue(new ReferenceWorker<double>(c.env, c.p, c.s, copy_typed<double>(q, napi_float64_array, "q", n),
                                             copy_typed<double>(c.a.Get("k"), napi_float64_array, "k", n),
                                             copy_typed<double>(c.a.Get("v"), napi_float64_array, "v", n)));
  }
  return queue(new ReferenceWorker<float>(c.env, c.p, c.s, copy_typed<float>(q, napi_float32_array, "q", n),
                                          copy_typed<float>(c.a.Get("k"), napi_float32_array, "k", n),
                                          copy_typed<float>(c.a.Get("v"), napi_float32_array, "v", n)));
}

// referenceBackward({problem, shape, q, k, v, dO}) (Float64Arrays) -> Promise<{output, lse, dq, dk, dv}>
Napi::Value ReferenceBackward(const Napi::CallbackInfo& info) {
  const CallArgs c = call_args(info);
  check_or_throw(c.env, c.p, &c.s);
  const size_t n = elements_of(c.p, c.s);
  return queue(new BackwardWorker<double>(c.env, nullptr, c.p, c.s, copy_typed<double>(c.a.Get("q"), napi_float64_array, "q", n),
                                          copy_typed<double>(c.a.Get("k"), napi_float64_array, "k", n),
                                          copy_typed<double>(c.a.Get("v"), napi_float64_array, "v", n),
                                          copy_typed<double>(c.a.Get("dO"), napi_float64_array, "dO", n)));
}

gna_run_options run_options_arg(const Napi::Object& a, const gna_problem& p) {
  gna_run_options o;
  std::memset(&o, 0, sizeof o);
  o.tiles = tiles_arg(a.Get("tiles"), p.rank);
  o.dtype = dtype_arg(a.Get("dtype"));
  o.device = int_field(a, "device");
  o.passes = a.Get("passes").IsUndefined() ? 1 : int_field(a, "passes");
  o.launch = launch_options_arg(object_arg(a.Get("options"), "options"));
  return o;
}

// cudaForward({problem, shape, tiles, dtype, device, options, q, k, v, passes?}) -> Promise<{output, visited, full, kernel}>
Napi::Value CudaForward(const Napi::CallbackInfo& info) {
  const CallArgs c = call_args(info);
  const gna_run_options o = run_options_arg(c.a, c.p);
  check_or_throw(c.env, c.p, &c.s);
  const size_t n = elements_of(c.p, c.s);
  return queue(new CudaForwardWorker(c.env, o, c.p, c.s, copy_typed<float>(c.a.Get("q"), napi_float32_array, "q", n),
                                     copy_typed<float>(c.a.Get("k"), napi_float32_array, "k", n),
                                     copy_typed<float>(c.a.Get("v"), napi_float32_array, "v", n)));
}

// cudaBackward({problem, shape, tiles, dtype, device, options, q, k, v, dO}) -> Promise<{output, lse, dq, dk, dv, visited, full, kernel}>
Napi::Value CudaBackward(const Napi::CallbackInfo& info) {
  const CallArgs c = call_args(info);
  const gna_run_options o = run_options_arg(c.a, c.p);
  check_or_throw(c.env, c.p, &c.s);
  const size_t n = elements_of(c.p, c.s);
  return queue(new BackwardWorker<float>(c.env, &o, c.p, c.s, copy_typed<float>(c.a.Get("q"), napi_float32_array, "q", n),
                                         copy_typed<float>(c.a.Get("k"), napi_float32_array, "k", n),
                                         copy_typed<float>(c.a.Get("v"), napi_float32_array, "v", n),
                                         copy_typed<float>(c.a.Get("dO"), napi_float32_array, "dO", n)));
}

int pass_arg(const Napi::Value& v) {
  if (v.IsUndefined()) return GNA_PASS_FORWARD;
  const std::string s = v.IsString() ? v.As<Napi::String>().Utf8Value() : "";
  if (s == "forward") return GNA_PASS_FORWARD;
  if (s == "backward") return GNA_PASS_BACKWARD;
  if (s == "training") return GNA_PASS_TRAINING;
  throw Napi::TypeError::New(v.Env(), "pass must be 'forward', 'backward' or 'training'");
}

// benchmark({problem, shape, tiles, dtype, device, options, warmup, repeats, seed, pass?}, cancelToken?)
// options: the launch's ({kernel, pdl, maxCtas, trace}) plus {chain, emptyKernel}.
Napi::Value Benchmark(const Napi::CallbackInfo& info) {
  const CallArgs c = call_args(info);
  Napi::Env env = c.env;
  gna_bench_options o;
  std::memset(&o, 0, sizeof o);
  o.run = run_options_arg(c.a, c.p);
  o.warmup = int_field(c.a, "warmup");
  o.repeats = int_field(c.a, "repeats");
  o.seed = (uint64_t)(uint32_t)int_field(c.a, "seed");
  const Napi::Object options = object_arg(c.a.Get("options"), "options");
  o.chain = int_field(options, "chain");
  o.empty_kernel = bool_field(options, "emptyKernel") ? 1 : 0;
  check_or_throw(env, c.p, &c.s);
  std::shared_ptr<std::atomic<int>> cancel;
  if (info.Length() > 1 && !info[1].IsUndefined()) {
    if (!info[1].IsObject()) throw Napi::TypeError::New(env, "cancel must be a CancelToken");
    // Only objects made by our constructor may be unwrapped.
    Napi::FunctionReference* ctor = env.GetInstanceData<Napi::FunctionReference>();
    Napi::Object obj = info[1].As<Napi::Object>();
    if (ctor == nullptr || !obj.InstanceOf(ctor->Value())) throw Napi::TypeError::New(env, "cancel must be a CancelToken");
    cancel = CancelToken::Unwrap(obj)->flag();
  }
  return queue(new BenchmarkWorker(env, o, pass_arg(c.a.Get("pass")), c.p, c.s, cancel));
}

// tileRanges(problem, tiles) -> [{qTiles, kvTiles, group, kvLo, kvHi, fullLo, fullHi}] per axis
Napi::Value TileRanges(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const gna_problem p = problem_arg(info[0]);
  const gna_tiles t = tiles_arg(info[1], p.rank);
  Napi::Array axes = Napi::Array::New(env, (size_t)p.rank);
  char err[kErrLen] = {0};
  for (int i = 0; i < p.rank; ++i) {
    gna_axis_tiling_info ti{0, 0};
    int rc = gna_axis_tile_ranges(&p, &t, i, &ti, nullptr, nullptr, nullptr, nullptr, nullptr, err, sizeof err);
    if (rc != GNA_OK) throw make_error(env, rc, err);
    const size_t n = (size_t)ti.q_tiles;
    Napi::Int32Array group = Napi::Int32Array::New(env, n), lo = Napi::Int32Array::New(env, n),
                     hi = Napi::Int32Array::New(env, n), flo = Napi::Int32Array::New(env, n),
                     fhi = Napi::Int32Array::New(env, n);
    rc = gna_axis_tile_ranges(&p, &t, i, &ti, group.Data(), lo.Data(), hi.Data(), flo.Data(), fhi.Data(), err, sizeof err);
    if (rc != GNA_OK) throw make_error(env, rc, err);
    Napi::Object o = Napi::Object::New(env);
    o.Set("qTiles", Napi::Number::New(env, ti.q_tiles));
    o.Set("kvTiles", Napi::Number::New(env, ti.kv_tiles));
    o.Set("group", group);
    o.Set("kvLo", lo);
    o.Set("kvHi", hi);
    o.Set("fullLo", flo);
    o.Set("fullHi", fhi);
    axes.Set((uint32_t)i, o);
  }
  return axes;
}

// hopperChoice(problem, shape, tiles, kernel) -> {path: 'direct' | 'permuted' | 'none', why}: the
// Hopper kernel's choice on a compute capability 9.0 GPU, device checks aside (gna_hopper_select.h).
Napi::Value HopperChoice(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const gna_problem p = problem_arg(info[0]);
  const gna_shape s = shape_arg(info[1]);
  const gna_tiles t = tiles_arg(info[2], p.rank);
  Napi::Object options = Napi::Object::New(env);
  options.Set("kernel", info[3]);
  options.Set("pdl", Napi::Boolean::New(env, true));
  options.Set("maxCtas", Napi::Number::New(env, 0));
  options.Set("trace", Napi::String::New(env, ""));
  options.Set("variant", Napi::Number::New(env, 0));
  const gna_launch_options l = launch_options_arg(options);
  int path = 0;
  char why[kErrLen] = {0};
  const int rc = gna_hopper_choice(&p, &s, &t, l.kernel, &path, why, sizeof why);
  if (rc != GNA_OK) throw make_error(env, rc, why);
  Napi::Object r = Napi::Object::New(env);
  r.Set("path", Napi::String::New(env, path == 1 ? "direct" : (path == 2 ? "permuted" : "none")));
  r.Set("why", Napi::String::New(env, why));
  return r;
}

// quantize(values: Float32Array, dtype) -> Float32Array rounded through the 16-bit type
Napi::Value Quantize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    throw Napi::TypeError::New(env, "values must be a Float32Array");
  Napi::Float32Array in = info[0].As<Napi::Float32Array>();
  const int dtype = dtype_arg(info[1]);
  Napi::Float32Array out = Napi::Float32Array::New(env, in.ElementLength());
  char err[kErrLen] = {0};
  const int rc = gna_quantize(dtype, in.Data(), out.Data(), in.ElementLength(), err, sizeof err);
  if (rc != GNA_OK) throw make_error(env, rc, err);
  return out;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("abiVersion", Napi::Number::New(env, 8));
  exports.Set("builtWithCuda", Napi::Boolean::New(env, gna_cuda_built() != 0));
  exports.Set("deviceInfo", Napi::Function::New(env, DeviceInfo, "deviceInfo"));
  exports.Set("referenceForward", Napi::Function::New(env, ReferenceForward, "referenceForward"));
  exports.Set("referenceBackward", Napi::Function::New(env, ReferenceBackward, "referenceBackward"));
  exports.Set("cudaForward", Napi::Function::New(env, CudaForward, "cudaForward"));
  exports.Set("cudaBackward", Napi::Function::New(env, CudaBackward, "cudaBackward"));
  exports.Set("benchmark", Napi::Function::New(env, Benchmark, "benchmark"));
  exports.Set("tileRanges", Napi::Function::New(env, TileRanges, "tileRanges"));
  exports.Set("hopperChoice", Napi::Function::New(env, HopperChoice, "hopperChoice"));
  exports.Set("quantize", Napi::Function::New(env, Quantize, "quantize"));
  Napi::Function cancel_token = CancelToken::Define(env);
  env.SetInstanceData(new Napi::FunctionReference(Napi::Persistent(cancel_token)));
  exports.Set("CancelToken", cancel_token);
  return exports;
}

}  // namespace

NODE_API_MODULE(gna_native, Init)
