// emu_case.h: what the emulation drivers (backward_emu.cc, fa2_emu.cc) share: the element types whose
// kernel instantiations use the emulated mma, the case a driver reads from its input file, and how a
// driver fails. Include after cuda_emu.h and the kernels' headers (MmaOp is gna_attention.cuh's).
#ifndef GNA_EMU_CASE_H
#define GNA_EMU_CASE_H

#include <stdio.h>
#include <stdlib.h>

#include <functional>
#include <string>
#include <vector>

#include "gna_half.h"

// The emulation's element types: the kernels instantiated on these use the emulated mma.
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

namespace emu_case {

// The driver's name in its error messages (each driver defines it).
extern const char* const kTool;

[[noreturn]] inline void fail(const std::string& what) {
  fprintf(stderr, "%s: %s\n", kTool, what.c_str());
  exit(2);
}

struct Case {
  gna_problem p{};
  int tq[GNA_MAX_RANK], tkv[GNA_MAX_RANK];
  int batch, heads, head_dim, dtype;
  double scale;
};

// One thread-block grid of a grid-stride kernel: a single thread walks it all.
inline void serial(const std::function<void()>& kernel) { emu::launch(dim3{1, 1, 1}, dim3{1, 1, 1}, kernel); }

// Reads a driver's IN file: one text line "rank n[3] k[3] s[3] d[3] causal[3] tq[3] tkv[3] batch
// heads head_dim dtype scale", then `tensors` float32 tensors of the case's [batch, *layout, heads,
// head_dim] size each.
inline Case read_case(const char* path, std::vector<float>* in, int tensors) {
  FILE* f = fopen(path, "rb");
  if (!f) fail(std::string("cannot read ") + path);
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
  for (int t = 0; t < tensors; ++t) {
    in[t].resize(n);
    if (fread(in[t].data(), sizeof(float), n, f) != n) fail("short input");
  }
  fclose(f);
  return c;
}

// A case's axes and the token maps of its Q and KV tiles, as the GPU path builds them; the PermuteMaps point
// into the AxisMaps' tables, so the whole is built in place and never copied.
struct CaseMaps {
  gna::Axis ax[GNA_MAX_RANK];
  gna::PermuteMap qmap{}, kvmap{};
  gna::AxisMaps qmaps, kvmaps;
  explicit CaseMaps(const Case& c) {
    gna::axes_of(c.p, ax);
    qmaps = gna::build_maps(ax, c.tq, &qmap);
    kvmaps = gna::build_maps(ax, c.tkv, &kvmap);
    for (int i = 0; i < GNA_MAX_RANK; ++i) {
      qmap.to_coord[i] = qmaps.to_coord[i].data();
      qmap.to_pos[i] = qmaps.to_pos[i].data();
      kvmap.to_coord[i] = kvmaps.to_coord[i].data();
      kvmap.to_pos[i] = kvmaps.to_pos[i].data();
    }
  }
  CaseMaps(const CaseMaps&) = delete;
  CaseMaps& operator=(const CaseMaps&) = delete;
};

// float32 values (already rounded to the case's dtype) as its 16-bit encoding.
inline std::vector<uint16_t> to16(const std::vector<float>& x, bool bf16) {
  std::vector<uint16_t> y(x.size());
  for (size_t i = 0; i < x.size(); ++i) y[i] = bf16 ? gna::float_to_bf16_bits(x[i]) : gna::float_to_half_bits(x[i]);
  return y;
}

}  // namespace emu_case

#endif  // GNA_EMU_CASE_H
