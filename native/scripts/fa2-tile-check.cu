// fa2-tile-check.cu: the FA2-class kernel's shared-memory tile math (gna_fa2.cuh, Tile<D>) checked
// on the host, for every head dim: every lane's ldmatrix address of the three fragment loads
// (A of Q, B of K, B of V transposed), written as a lane base XOR an immediate plus an immediate,
// is where load_rows_async put that chunk; the swizzle is a bijection inside each row; and the 8
// rows one ldmatrix phase reads at one chunk hit 8 different 16-byte bank groups. Run by
// native/scripts/ci-check.sh (nvcc, no GPU):
//   nvcc -std=c++17 -Inative/src -o /tmp/fa2-tile-check native/scripts/fa2-tile-check.cu && /tmp/fa2-tile-check
#include <cstdio>

#include "gna_fa2.cuh"

using gna::fa2::Tile;

template <int D>
int check() {
  int bad = 0;
  const uint32_t base = 128 * 37;  // any 128-byte-aligned tile start
  for (int lane = 0; lane < 32; ++lane) {
    // Each load's lane row (inside a block of 16) and chunk bit, as gna_fa2.cuh's *_lane_base.
    const int rows[3] = {lane & 15, ((lane >> 4) << 3) + (lane & 7), (((lane >> 3) & 1) << 3) + (lane & 7)};
    const int bits[3] = {lane >> 4, (lane >> 3) & 1, lane >> 4};
    for (int load = 0; load < 3; ++load) {
      for (int row = 0; row < 64; row += 8) {
        for (int cc = 0; cc < D / 8; cc += 2) {
          const uint32_t got = Tile<D>::fragment(base + Tile<D>::lane_offset(rows[load], bits[load]), row, cc);
          const uint32_t want = base + Tile<D>::chunk(row + rows[load], cc + bits[load]) * 16;
          if (got != want && bad++ < 5) printf("D%d load %d lane %d row %d chunk %d: %u, expected %u\n", D, load, lane, row, cc, got, want);
        }
      }
    }
  }
  for (int r = 0; r < 64; ++r) {
    unsigned long long seen = 0;
    for (int c = 0; c < D / 8; ++c) {
      const int at = Tile<D>::chunk(r, c) - r * (D / 8);
      if (at < 0 || at >= D / 8 || ((seen >> at) & 1)) bad++;
      seen |= 1ull << at;
    }
  }
  for (int r0 = 0; r0 < 64; r0 += 8) {
    for (int c = 0; c < D / 8; ++c) {
      unsigned groups = 0;
      for (int r = r0; r < r0 + 8; ++r) groups |= 1u << (Tile<D>::chunk(r, c) % 8);
      if (groups != 0xff && bad++ < 5) printf("D%d: rows %d-%d at chunk %d share a bank group\n", D, r0, r0 + 7, c);
    }
  }
  printf("fa2 tile math, head dim %d: %s\n", D, bad ? "FAILED" : "ok");
  return bad;
}

int main() { return check<32>() + check<64>() + check<128>() + check<256>() ? 1 : 0; }
