// backward_emu.cc: the fused backward as gna_cuda_backward runs it (the forward's log-sum-exp build,
// then the backward's three kernels, with the token permutation around them), every kernel run on
// the CPU through cuda_emu.h. Built and driven by test/gpu/backward-emulate.ts (README.md here):
//   backward_emu IN OUT
// IN: one text line "rank n[3] k[3] s[3] d[3] causal[3] tq[3] tkv[3] batch heads head_dim dtype scale"
// (dtype 2 = float16, 3 = bfloat16, gna_native.h), then q, k, v, dO as float32 (already rounded
// to dtype), [batch, *layout, heads, head_dim]. OUT: "visited full\n", then the output, lse, dQ,
// dK, dV as float32 in the caller's layouts, as gna_cuda_backward returns them.
// Built with GNA_EMU_HOPPER_BACKWARD (sm90_backward_emu.cc), the main kernel is the Hopper backward
// instead (gna_sm90_backward.cuh, through its host side gna_sm90_backward.cu, on the emulated
// TMA, mbarriers and wgmma of hopper_emu.h), between the same rows and dQ kernels, as
// gna_cuda_backward runs it on a compute capability 9.0 GPU under kernel 'hopper'.
#include "cuda_emu.h"
// cuda_emu.h first: the kernels' headers see its CUDA.
#include <string.h>

#include <string>

#include "gna_attention.cuh"
#include "gna_backward.cuh"
#include "gna_half.h"
#include "gna_permute.cuh"
#include "gna_tile_maps.h"

namespace gna {
// Every kernel's `extern __shared__` buffer (cuda_emu.h).
alignas(16) unsigned char smem_raw[1 << 18];
}  // namespace gna

#ifdef GNA_EMU_HOPPER_BACKWARD
#include "gna_sm90_backward.cu"

namespace gna {
namespace sm90 {
// The Hopper kernel's shared memory, attached to hopper_emu.h (1024-byte aligned, as sm90_emu.cc's).
alignas(1024) unsigned char smem_raw[227 * 1024];
}  // namespace sm90
}  // namespace gna
#endif

#include "emu_case.h"

const char* const emu_case::kTool = "backward_emu";
using emu_case::Case;
using emu_case::fail;
using emu_case::serial;

namespace gna {
template <>
struct Ldsm<EmuHalf> {
  static void x4_trans(uint32_t (&r)[4], uint32_t addr) { emu::ldmatrix_x4_trans(r, addr); }
};
template <>
struct Ldsm<EmuBf16> {
  static void x4_trans(uint32_t (&r)[4], uint32_t addr) { emu::ldmatrix_x4_trans(r, addr); }
};
template <>
inline float to_float<EmuHalf>(uint16_t x) { return half_value(x); }
template <>
inline float to_float<EmuBf16>(uint16_t x) { return bf16_value(x); }
}  // namespace gna

namespace {

template <int D, typename E>
void run(const Case& c, const std::vector<float> (&in)[4], FILE* out) {
  const emu_case::CaseMaps maps(c);
  const auto& ax = maps.ax;
  const gna::PermuteMap &qmap = maps.qmap, &kvmap = maps.kvmap;
  const gna::AxisMaps& qmaps = maps.qmaps;
  const long long bh = (long long)c.batch * c.heads;
  const size_t n = in[0].size();
  const bool bf16 = c.dtype == GNA_BF16;
  auto to16 = [&](const std::vector<float>& x) { return emu_case::to16(x, bf16); };
  std::vector<uint16_t> q = to16(in[0]), k = to16(in[1]), v = to16(in[2]), dout = to16(in[3]);
  const size_t qrows = (size_t)(bh * qmap.padded), kvrows = (size_t)(bh * kvmap.padded);
  // Everything the kernels write starts as NaN (as the GPU check poisons it).
  std::vector<uint16_t> qp(qrows * D), kp(kvrows * D), vp(kvrows * D), op(qrows * D, 0xffff), dop(qrows * D), dqp(qrows * D, 0xffff),
      dkp(kvrows * D, 0xffff), dvp(kvrows * D, 0xffff), o(n, 0xffff), dq(n, 0xffff), dk(n, 0xffff), dv(n, 0xffff);
  std::vector<float> lse(qrows, NAN), drow(qrows, NAN), dq_acc(qrows * D, NAN);

  auto permute_in = [&](std::vector<uint16_t>& dst, const std::vector<uint16_t>& src, const gna::PermuteMap& m) {
    const long long vectors = bh * m.padded * (D / 8);
    serial([&] { gna::gna_permute_in(dst.data(), src.data(), m, c.heads, D, vectors); });
  };
  auto permute_out = [&](std::vector<uint16_t>& dst, const std::vector<uint16_t>& src, const gna::PermuteMap& m) {
    const long long vectors = bh * m.tokens * (D / 8);
    serial([&] { gna::gna_permute_out(dst.data(), src.data(), m, c.heads, D, vectors); });
  };
  permute_in(qp, q, qmap);
  permute_in(kp, k, kvmap);
  permute_in(vp, v, kvmap);
  permute_in(dop, dout, qmap);

  // The forward that saves the log-sum-exp.
  gna::AttentionParams a = gna::attention_geometry(ax, c.tq, c.tkv, qmap, kvmap, c.scale);
  a.q = qp.data();
  a.k = kp.data();
  a.v = vp.data();
  a.o = op.data();
  a.lse = lse.data();
  const unsigned q_tiles = (unsigned)(qmap.padded / qmap.tile_tokens);
  emu::launch(dim3{q_tiles * (unsigned)a.q_chunks, (unsigned)bh, 1}, dim3{(unsigned)gna::kThreads, 1, 1},
              [&] { gna::gna_forward_kernel<D, E, true>(a); });
  permute_out(o, op, qmap);

  // The backward's three kernels.
  size_t offsets[2 * GNA_MAX_RANK];
  const std::vector<int> tables = gna::backward_tables(a, offsets);
  gna::BackwardParams bp = gna::backward_geometry(a, bh, c.scale, tables.data(), offsets);
  bp.q = qp.data();
  bp.k = kp.data();
  bp.v = vp.data();
  bp.o = op.data();
  bp.dout = dop.data();
  bp.lse = lse.data();
  bp.drow = drow.data();
  bp.dq_acc = dq_acc.data();
  bp.dq = dqp.data();
  bp.dk = dkp.data();
  bp.dv = dvp.data();
  unsigned long long counts[2] = {0, 0};
  bp.counts = counts;
  emu::launch(dim3{(unsigned)((bp.q_rows + 7) / 8), 1, 1}, dim3{256, 1, 1}, [&] { gna::gna_backward_rows<D, E>(bp); });
  const unsigned kv_blocks = (unsigned)(kvmap.padded / kvmap.tile_tokens) * (unsigned)bp.kv_chunks;
#ifdef GNA_EMU_HOPPER_BACKWARD
  // gna_cuda.cu's make_backward and launch_backward under kernel 'hopper' on a cc 9.0 GPU.
  std::string why;
  gna::Sm90BackwardLaunch launch;
  if (!gna::sm90_backward_available(D, 0, &why)) fail("the Hopper backward does not run here: " + why);
  if (gna::sm90_backward_prepare(bp, D, bf16, bh, kv_blocks, &launch, &why) != cudaSuccess) fail("sm90_backward_prepare: " + why);
  if (gna::sm90_backward_run(launch, counts, nullptr, &why) != cudaSuccess) fail("sm90_backward_run: " + why);
  emu::hopper::check_idle();
#else
  emu::launch(dim3{kv_blocks, (unsigned)bh, 1}, dim3{(unsigned)gna::kThreads, 1, 1}, [&] { gna::gna_backward_kernel<D, E>(bp); });
#endif
  const long long pairs = bp.q_rows * D / 2;
  serial([&] { gna::gna_backward_dq<E>(bp, pairs); });
  permute_out(dq, dqp, qmap);
  permute_out(dk, dkp, kvmap);
  permute_out(dv, dvp, kvmap);

  std::vector<float> lse_out(n / D);
  gna::rows_to_layout(qmap, qmaps, c.batch, c.heads, lse.data(), lse_out.data());
  fprintf(out, "%llu %llu\n", counts[0], counts[1]);
  auto write16 = [&](const std::vector<uint16_t>& x) {
    std::vector<float> f(x.size());
    for (size_t i = 0; i < x.size(); ++i) f[i] = bf16 ? gna::bf16_bits_to_float(x[i]) : gna::half_bits_to_float(x[i]);
    fwrite(f.data(), sizeof(float), f.size(), out);
  };
  write16(o);
  fwrite(lse_out.data(), sizeof(float), lse_out.size(), out);
  write16(dq);
  write16(dk);
  write16(dv);
}

template <typename E>
void run_dim(const Case& c, const std::vector<float> (&in)[4], FILE* out) {
  switch (c.head_dim) {
    case 32:
      return run<32, E>(c, in, out);
    case 64:
      return run<64, E>(c, in, out);
    case 128:
      return run<128, E>(c, in, out);
  }
  fail("head dim must be 32, 64 or 128");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) fail("usage: backward_emu IN OUT");
  std::vector<float> in[4];
  const Case c = emu_case::read_case(argv[1], in, 4);
  FILE* out = fopen(argv[2], "wb");
  if (!out) fail(std::string("cannot write ") + argv[2]);
#ifdef GNA_EMU_HOPPER_BACKWARD
  emu::device().smem_bytes = sizeof gna::sm90::smem_raw;
  emu::hopper::attach(gna::sm90::smem_raw, sizeof gna::sm90::smem_raw);
#endif
  if (c.dtype == GNA_BF16) {
    run_dim<EmuBf16>(c, in, out);
  } else {
    run_dim<EmuHalf>(c, in, out);
  }
  fclose(out);
  return 0;
}
