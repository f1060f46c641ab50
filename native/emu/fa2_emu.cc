// fa2_emu.cc: the FA2-class portable forward (native/src/gna_fa2.cuh, issue 23) as gna_cuda_forward
// runs it with kernel 'portable-fa2' (token permutation in, the kernel, permutation out), every
// thread of every block run on the CPU through cuda_emu.h: the kernel's logic checked without a
// GPU (README.md here). Built and driven by test/gpu/fa2-emulate.ts:
//   fa2_emu IN OUT [permuted]
// Without dilation the kernel reads the caller's layout directly, as on the GPU; `permuted` runs it
// on token-permuted buffers anyway (the path dilation takes), so both are checked on any case.
// IN: one text line "rank n[3] k[3] s[3] d[3] causal[3] tq[3] tkv[3] batch heads head_dim dtype scale"
// (dtype 2 = float16, 3 = bfloat16), then q, k, v as float32 (already rounded to dtype),
// [batch, *layout, heads, head_dim]. OUT: "visited full\n", then the output as float32.
#include "cuda_emu.h"
// cuda_emu.h first: the kernels' headers see its CUDA.
#include <string.h>

#include <string>

#include "gna_fa2.cuh"
#include "gna_half.h"
#include "gna_permute.cuh"
#include "gna_tile_maps.h"

namespace gna {
namespace fa2 {
// The kernel's `extern __shared__` buffer (blocks run one at a time), 128-byte aligned as the
// kernel's swizzle needs.
alignas(128) unsigned char smem_raw[1 << 18];
}  // namespace fa2
}  // namespace gna

// The emulation's element types: the kernel instantiated on these uses the emulated mma.
struct EmuHalf {};
struct EmuBf16 {};

namespace {
float half_value(uint16_t x) { return gna::half_bits_to_float(x); }
float bf16_value(uint16_t x) { return gna::bf16_bits_to_float(x); }
}  // namespace

namespace gna {
template <>
struct MmaOp<EmuHalf> {
  static void run(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) { emu::mma_m16n8k16<half_value>(d, a, b0, b1); }
  static uint32_t pack(float lo, float hi) { return (uint32_t)float_to_half_bits(lo) | ((uint32_t)float_to_half_bits(hi) << 16); }
};
template <>
struct MmaOp<EmuBf16> {
  static void run(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) { emu::mma_m16n8k16<bf16_value>(d, a, b0, b1); }
  static uint32_t pack(float lo, float hi) { return (uint32_t)float_to_bf16_bits(lo) | ((uint32_t)float_to_bf16_bits(hi) << 16); }
};
}  // namespace gna

namespace {

[[noreturn]] void fail(const std::string& what) {
  fprintf(stderr, "fa2_emu: %s\n", what.c_str());
  exit(2);
}

struct Case {
  gna_problem p{};
  int tq[GNA_MAX_RANK], tkv[GNA_MAX_RANK];
  int batch, heads, head_dim, dtype;
  double scale;
};

// One thread-block grid of a grid-stride kernel: a single thread walks it all.
void serial(const std::function<void()>& kernel) { emu::launch(dim3{1, 1, 1}, dim3{1, 1, 1}, kernel); }

template <int D, typename E>
void run(const Case& c, const std::vector<float> (&in)[3], bool permuted, FILE* out) {
  gna::Axis ax[GNA_MAX_RANK];
  gna::axes_of(c.p, ax);
  gna::PermuteMap qmap{}, kvmap{};
  gna::AxisMaps qmaps = gna::build_maps(ax, c.tq, &qmap), kvmaps = gna::build_maps(ax, c.tkv, &kvmap);
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    qmap.to_coord[i] = qmaps.to_coord[i].data();
    qmap.to_pos[i] = qmaps.to_pos[i].data();
    kvmap.to_coord[i] = kvmaps.to_coord[i].data();
    kvmap.to_pos[i] = kvmaps.to_pos[i].data();
  }
  const long long bh = (long long)c.batch * c.heads;
  const size_t n = in[0].size();
  const bool bf16 = c.dtype == GNA_BF16;
  auto to16 = [&](const std::vector<float>& x) {
    std::vector<uint16_t> y(x.size());
    for (size_t i = 0; i < x.size(); ++i) y[i] = bf16 ? gna::float_to_bf16_bits(x[i]) : gna::float_to_half_bits(x[i]);
    return y;
  };
  std::vector<uint16_t> q = to16(in[0]), k = to16(in[1]), v = to16(in[2]);
  const size_t qrows = (size_t)(bh * qmap.padded), kvrows = (size_t)(bh * kvmap.padded);
  // What the kernel writes starts as NaN (as the GPU check poisons it).
  std::vector<uint16_t> qp(qrows * D), kp(kvrows * D), vp(kvrows * D), op(qrows * D, 0xffff), o(n, 0xffff);
  // (a direct run's kernel reads q, k, v and writes o itself)
  auto permute_in = [&](std::vector<uint16_t>& dst, const std::vector<uint16_t>& src, const gna::PermuteMap& m) {
    const long long vectors = bh * m.padded * (D / 8);
    serial([&] { gna::gna_permute_in(dst.data(), src.data(), m, c.heads, D, vectors); });
  };
  // As gna_cuda.cu and gna::fa2_run set it up (gna_fa2.cu).
  gna::fa2::Fa2Params params{};
  params.a = gna::attention_geometry(ax, c.tq, c.tkv, qmap, kvmap, c.scale);
  const bool direct = !permuted && gna::fa2::direct_layout_ok(params.a);
  if (direct) {
    params.a.q = q.data();
    params.a.k = k.data();
    params.a.v = v.data();
    params.a.o = o.data();
  } else {
    permute_in(qp, q, qmap);
    permute_in(kp, k, kvmap);
    permute_in(vp, v, kvmap);
    params.a.q = qp.data();
    params.a.k = kp.data();
    params.a.v = vp.data();
    params.a.o = op.data();
  }
  params.direct = direct ? 1 : 0;
  params.heads = c.heads;
  params.tokens = (long long)ax[0].n * ax[1].n * ax[2].n;
  params.div_q2 = gna::fa2::fast_div_for((uint32_t)params.a.tq[2]);
  params.div_q1 = gna::fa2::fast_div_for((uint32_t)params.a.tq[1]);
  params.div_heads = gna::fa2::fast_div_for((uint32_t)c.heads);
  unsigned long long counts[2] = {0, 0};
  params.a.counts = counts;
  const int rows = gna::fa2::block_m<D>();
  params.q_chunks = (params.a.tq_tokens + rows - 1) / rows;
  params.div_kv2 = gna::fa2::fast_div_for((uint32_t)params.a.tkv[2]);
  params.div_kv1 = gna::fa2::fast_div_for((uint32_t)params.a.tkv[1]);
  const unsigned q_tiles = (unsigned)(qmap.padded / qmap.tile_tokens);
  if (gna::fa2::smem_bytes<D>() > sizeof gna::fa2::smem_raw) fail("shared memory");
  memset(gna::fa2::smem_raw, 0xff, sizeof gna::fa2::smem_raw);  // stale values read as NaN
  emu::launch(dim3{q_tiles * (unsigned)params.q_chunks, (unsigned)bh, 1}, dim3{(unsigned)gna::fa2::kThreads, 1, 1},
              [&] { gna::fa2::gna_fa2_kernel<D, E>(params); });
  if (!direct) {
    const long long vectors = bh * qmap.tokens * (D / 8);
    serial([&] { gna::gna_permute_out(o.data(), op.data(), qmap, c.heads, D, vectors); });
  }

  fprintf(out, "%llu %llu\n", counts[0], counts[1]);
  std::vector<float> f(o.size());
  for (size_t i = 0; i < o.size(); ++i) f[i] = bf16 ? gna::bf16_bits_to_float(o[i]) : gna::half_bits_to_float(o[i]);
  fwrite(f.data(), sizeof(float), f.size(), out);
}

template <typename E>
void run_dim(const Case& c, const std::vector<float> (&in)[3], bool permuted, FILE* out) {
  switch (c.head_dim) {
    case 32:
      return run<32, E>(c, in, permuted, out);
    case 64:
      return run<64, E>(c, in, permuted, out);
    case 128:
      return run<128, E>(c, in, permuted, out);
    case 256:
      return run<256, E>(c, in, permuted, out);
  }
  fail("head dim must be 32, 64, 128 or 256");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && !(argc == 4 && std::string(argv[3]) == "permuted")) fail("usage: fa2_emu IN OUT [permuted]");
  const bool permuted = argc == 4;
  FILE* f = fopen(argv[1], "rb");
  if (!f) fail(std::string("cannot read ") + argv[1]);
  Case c;
  int v[3 * 7 + 4];
  if (fscanf(f, "%d", &c.p.rank) != 1) fail("bad header");
  for (int& x : v) {
    if (fscanf(f, "%d", &x) != 1) fail("bad header");
  }
  if (fscanf(f, "%lf", &c.scale) != 1 || fgetc(f) != '\n') fail("bad header");
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    c.p.input_size[i] = v[i];
    c.p.window[i] = v[3 + i];
    c.p.stride[i] = v[6 + i];
    c.p.dilation[i] = v[9 + i];
    c.p.causal[i] = v[12 + i];
    c.tq[i] = i < c.p.rank ? v[15 + i] : 1;
    c.tkv[i] = i < c.p.rank ? v[18 + i] : 1;
  }
  c.batch = v[21];
  c.heads = v[22];
  c.head_dim = v[23];
  c.dtype = v[24];
  size_t n = (size_t)c.batch * c.heads * c.head_dim;
  for (int i = 0; i < c.p.rank; ++i) n *= (size_t)c.p.input_size[i];
  std::vector<float> in[3];
  for (auto& t : in) {
    t.resize(n);
    if (fread(t.data(), sizeof(float), n, f) != n) fail("short input");
  }
  fclose(f);
  FILE* out = fopen(argv[2], "wb");
  if (!out) fail(std::string("cannot write ") + argv[2]);
  if (c.dtype == GNA_BF16) {
    run_dim<EmuBf16>(c, in, permuted, out);
  } else {
    run_dim<EmuHalf>(c, in, permuted, out);
  }
  fclose(out);
  return 0;
}
