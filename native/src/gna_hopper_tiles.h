// gna_hopper_tiles.h: GENERATED from HOPPER_FNA in extension/core/presets.ts (NATTEN's hopper-fna
// forward configs) by `node native/scripts/hopper-tiles.js`; do not edit. The simulator's presets and
// the Hopper kernel (gna_sm90.cu, gna_sm90_attention.cuh) read this one table;
// test/unit/native/hopperTiles.test.ts fails while this file and presets.ts disagree.
#ifndef GNA_HOPPER_TILES_H
#define GNA_HOPPER_TILES_H

// One preset: head dim, rank, Q tile and KV tile extents (1 past the rank), the default first.
struct GnaHopperTiles {
  int head_dim, rank, q[3], kv[3];
};

#define GNA_HOPPER_TILES \
  {32, 1, {64, 1, 1}, {128, 1, 1}}, \
  {32, 2, {8, 8, 1}, {16, 8, 1}}, \
  {32, 2, {8, 8, 1}, {8, 16, 1}}, \
  {32, 3, {4, 4, 4}, {4, 4, 8}}, \
  {32, 3, {4, 4, 4}, {2, 8, 8}}, \
  {64, 1, {64, 1, 1}, {128, 1, 1}}, \
  {64, 2, {8, 8, 1}, {16, 8, 1}}, \
  {64, 2, {8, 8, 1}, {8, 16, 1}}, \
  {64, 3, {4, 4, 4}, {4, 4, 8}}, \
  {64, 3, {4, 4, 4}, {2, 8, 8}}, \
  {128, 1, {128, 1, 1}, {128, 1, 1}}, \
  {128, 2, {16, 8, 1}, {16, 8, 1}}, \
  {128, 2, {8, 16, 1}, {8, 16, 1}}, \
  {128, 3, {4, 4, 8}, {4, 4, 8}}, \
  {128, 3, {2, 8, 8}, {2, 8, 8}}, \
  {256, 1, {128, 1, 1}, {64, 1, 1}}, \
  {256, 2, {16, 8, 1}, {8, 8, 1}}, \
  {256, 2, {8, 16, 1}, {8, 8, 1}}, \
  {256, 3, {4, 4, 8}, {4, 4, 4}}, \
  {256, 3, {2, 8, 8}, {4, 4, 4}}, \

#ifdef __cplusplus
constexpr GnaHopperTiles kGnaHopperTiles[] = {GNA_HOPPER_TILES};

// The tokens of a Q (kv = false) or KV tile of head dim `head_dim`: every preset of a head dim has
// the same (checked where the kernel is configured); 0 for a head dim without presets.
constexpr int gna_hopper_tile_tokens(int head_dim, bool kv) {
  for (const GnaHopperTiles& t : kGnaHopperTiles) {
    if (t.head_dim == head_dim) return kv ? t.kv[0] * t.kv[1] * t.kv[2] : t.q[0] * t.q[1] * t.q[2];
  }
  return 0;
}

constexpr bool gna_hopper_tokens_agree(int head_dim) {
  for (const GnaHopperTiles& t : kGnaHopperTiles) {
    if (t.head_dim == head_dim && (t.q[0] * t.q[1] * t.q[2] != gna_hopper_tile_tokens(head_dim, false) ||
                                   t.kv[0] * t.kv[1] * t.kv[2] != gna_hopper_tile_tokens(head_dim, true))) {
      return false;
    }
  }
  return true;
}
#endif

#endif  // GNA_HOPPER_TILES_H
