// fa2_emu.cc: the FA2-class portable forward (native/src/gna_fa2.cuh, issue 23) as gna_cuda_forward
// runs it with kernel 'portable-fa2' (token permutation in, the kernel, permutation out), every
// thread of every block run on the CPU through cuda_emu.h: the kernel's logic checked without a
// GPU (README.md here). Built and driven by test/gpu/fa2-emulate.ts:
//   fa2_emu IN OUT [permuted] [variant1]
// Without dilation the kernel reads the caller's layout directly, as on the GPU; `permuted` runs it
// on token-permuted buffers anyway (the path dilation takes), so both are checked on any case.
// `variant1` runs the 64-key head-dim-128 variant (fa2::kVariantWideStep) instead of the default build.
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

#include "emu_case.h"

const char* const emu_case::kTool = "fa2_emu";
using emu_case::Case;
using emu_case::fail;
using emu_case::serial;

namespace {

template <int D, typename E, int V = 0>
void run(const Case& c, const std::vector<float> (&in)[3], bool permuted, FILE* out) {
  const emu_case::CaseMaps maps(c);
  const auto& ax = maps.ax;
  const gna::PermuteMap &qmap = maps.qmap, &kvmap = maps.kvmap;
  const long long bh = (long long)c.batch * c.heads;
  const size_t n = in[0].size();
  const bool bf16 = c.dtype == GNA_BF16;
  auto to16 = [&](const std::vector<float>& x) { return emu_case::to16(x, bf16); };
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
  if (gna::fa2::smem_bytes<D, V>() > sizeof gna::fa2::smem_raw) fail("shared memory");
  memset(gna::fa2::smem_raw, 0xff, sizeof gna::fa2::smem_raw);  // stale values read as NaN
  emu::launch(dim3{q_tiles * (unsigned)params.q_chunks, (unsigned)bh, 1}, dim3{(unsigned)gna::fa2::kThreads, 1, 1},
              [&] {
                if constexpr (V == 0) {
                  gna::fa2::gna_fa2_kernel<D, E>(params);
                } else {
                  gna::fa2::gna_fa2_kernel_v<D, E, V>(params);
                }
              });
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
void run_dim(const Case& c, const std::vector<float> (&in)[3], bool permuted, bool wide, FILE* out) {
  if (wide) {
    if (c.head_dim != 128) fail("variant 1 is a head-dim-128 build");
    return run<128, E, gna::fa2::kVariantWideStep>(c, in, permuted, out);
  }
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
  bool permuted = false, wide = false;
  for (int i = 3; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "permuted") {
      permuted = true;
    } else if (a == "variant1") {
      wide = true;
    } else {
      fail("usage: fa2_emu IN OUT [permuted] [variant1]");
    }
  }
  if (argc < 3) fail("usage: fa2_emu IN OUT [permuted] [variant1]");
  std::vector<float> in[3];
  const Case c = emu_case::read_case(argv[1], in, 3);
  FILE* out = fopen(argv[2], "wb");
  if (!out) fail(std::string("cannot write ") + argv[2]);
  if (c.dtype == GNA_BF16) {
    run_dim<EmuBf16>(c, in, permuted, wide, out);
  } else {
    run_dim<EmuHalf>(c, in, permuted, wide, out);
  }
  fclose(out);
  return 0;
}
