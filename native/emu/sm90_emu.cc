// sm90_emu.cc: the Hopper (sm_90a) fused forward as gna_cuda_forward runs it on a compute capability
// 9.0 GPU (gna_cuda.cu: the plan, sm90_choose, the tile tables, sm90_prepare with its tensor maps,
// the token permutation where the path needs it, sm90_run), every thread of every CTA run on the
// CPU through cuda_emu.h and the emulated Hopper of hopper_emu.h: the kernel (gna_sm90_attention.cuh)
// and its host side (gna_sm90.cu, compiled here unchanged against include/cuda.h and
// include/cuda_runtime.h) checked without a GPU (README.md here). Built and driven by
// test/gpu/sm90-emulate.ts:
//   sm90_emu IN OUT [permuted] [ctas N] [variant V]
// `variant V` asks for the kernel's variant V (the launch option `variant`, GNA_SM90_VARIANT; issue
// 18's same-run A/B builds); the variant that ran is the fourth number of OUT's first line.
// `permuted` forces the permuted path (GNA_KERNEL=permuted) where the direct one would run; `ctas N`
// caps the persistent grid (GNA_SM90_CTAS=N) so that each CTA walks several items.
// IN: fa2_emu's (one header line, then q, k, v as float32). OUT: "visited full path variant\n"
// (path 1 = direct, 2 = permuted), then the output as float32.
#include "cuda_emu.h"
// cuda_emu.h first: the kernels' headers see its CUDA.
#include <string.h>

#include <string>

#include "gna_attention.cuh"  // AttentionParams (attention_geometry), MmaOp (emu_case.h)
#include "gna_half.h"
#include "gna_permute.cuh"
#include "gna_sm90.cu"
#include "gna_tile_maps.h"

namespace gna {
namespace sm90 {
// The kernel's `extern __shared__` buffer (blocks run one at a time): 227 KB, 1024-byte aligned
// (the alignment the kernel rounds its base up to, so its swizzled tiles start where the pattern does).
alignas(1024) unsigned char smem_raw[227 * 1024];
}  // namespace sm90
}  // namespace gna

#include "emu_case.h"

const char* const emu_case::kTool = "sm90_emu";
using emu_case::Case;
using emu_case::fail;
using emu_case::serial;

namespace {

void run(const Case& c, const std::vector<float> (&in)[3], bool permuted, int ctas, int variant, FILE* out) {
  const emu_case::CaseMaps maps(c);
  const gna::PermuteMap &qmap = maps.qmap, &kvmap = maps.kvmap;
  const int D = c.head_dim;
  const long long bh = (long long)c.batch * c.heads;
  const size_t n = in[0].size();
  const bool bf16 = c.dtype == GNA_BF16;
  auto to16 = [&](const std::vector<float>& x) { return emu_case::to16(x, bf16); };
  std::vector<uint16_t> q = to16(in[0]), k = to16(in[1]), v = to16(in[2]), o(n, 0xffff);  // the output poisoned (NaN)

  // gna_cuda.cu's make_plan and choose_path.
  const gna::AttentionParams a = gna::attention_geometry(maps.ax, c.tq, c.tkv, qmap, kvmap, c.scale);
  gna::Sm90Args h = gna::sm90_args_of(a, c.batch, c.heads, D, bf16);
  gna_launch_options options{};
  options.kernel = permuted ? GNA_KERNEL_PERMUTED : GNA_KERNEL_HOPPER;
  options.max_ctas = ctas;
  options.variant = variant;
  std::string why;
  const gna::Sm90Path path = gna::sm90_choose(h, 0, options.kernel, &why);
  if (path == gna::kSm90None) fail("the Hopper kernel does not take this case: " + why);
  size_t offsets[2 * GNA_MAX_RANK];
  const std::vector<int> tables = gna::sm90_tables(h, offsets);

  // gna_cuda.cu's permute_in, prepare, attention, permute_out.
  const bool direct = path == gna::kSm90Direct;
  const size_t qrows = direct ? 0 : (size_t)(bh * qmap.padded), kvrows = direct ? 0 : (size_t)(bh * kvmap.padded);
  std::vector<uint16_t> qp(qrows * D), kp(kvrows * D), vp(kvrows * D), op(qrows * D, 0xffff);
  auto permute_in = [&](std::vector<uint16_t>& dst, const std::vector<uint16_t>& src, const gna::PermuteMap& m) {
    const long long vectors = bh * m.padded * (D / 8);
    serial([&] { gna::gna_permute_in(dst.data(), src.data(), m, c.heads, D, vectors); });
  };
  if (!direct) {
    permute_in(qp, q, qmap);
    permute_in(kp, k, kvmap);
    permute_in(vp, v, kvmap);
  }
  h.q = direct ? (const void*)q.data() : qp.data();
  h.k = direct ? (const void*)k.data() : kp.data();
  h.v = direct ? (const void*)v.data() : vp.data();
  h.o = direct ? (void*)o.data() : op.data();
  for (int i = 0; i < GNA_MAX_RANK; ++i) {
    h.ranges[i] = reinterpret_cast<const gna::QTileRange*>(tables.data() + offsets[2 * i]);
    h.windows[i] = tables.data() + offsets[2 * i + 1];
  }
  gna::Sm90Launch launch;
  if (gna::sm90_prepare(path, h, 0, options, &launch, &why) != cudaSuccess) fail("sm90_prepare: " + why);
  unsigned long long counts[2] = {0, 0};
  if (gna::sm90_run(launch, counts, nullptr, &why) != cudaSuccess) fail("sm90_run: " + why);
  emu::hopper::check_idle();
  if (!direct) {
    const long long vectors = bh * qmap.tokens * (D / 8);
    serial([&] { gna::gna_permute_out(o.data(), op.data(), qmap, c.heads, D, vectors); });
  }

  fprintf(out, "%llu %llu %d %d\n", counts[0], counts[1], (int)path, launch.variant);
  std::vector<float> f(o.size());
  for (size_t i = 0; i < o.size(); ++i) f[i] = bf16 ? gna::bf16_bits_to_float(o[i]) : gna::half_bits_to_float(o[i]);
  fwrite(f.data(), sizeof(float), f.size(), out);
}

}  // namespace

int main(int argc, char** argv) {
  bool permuted = false;
  int ctas = 0, variant = 0;
  for (int i = 3; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "permuted") {
      permuted = true;
    } else if (arg == "ctas" && i + 1 < argc) {
      ctas = atoi(argv[++i]);
    } else if (arg == "variant" && i + 1 < argc) {
      variant = atoi(argv[++i]);
    } else {
      fail("usage: sm90_emu IN OUT [permuted] [ctas N] [variant V]");
    }
  }
  if (argc < 3) fail("usage: sm90_emu IN OUT [permuted] [ctas N] [variant V]");
  std::vector<float> in[3];
  const Case c = emu_case::read_case(argv[1], in, 3);
  FILE* out = fopen(argv[2], "wb");
  if (!out) fail(std::string("cannot write ") + argv[2]);
  emu::device().smem_bytes = sizeof gna::sm90::smem_raw;
  emu::hopper::attach(gna::sm90::smem_raw, sizeof gna::sm90::smem_raw);
  run(c, in, permuted, ctas, variant, out);
  fclose(out);
  return 0;
}
