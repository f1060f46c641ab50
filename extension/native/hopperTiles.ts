// The Hopper tile table as the native engine reads it: native/src/gna_hopper_tiles.h is rendered
// from the simulator's presets (HOPPER_FNA, NATTEN's hopper-fna forward configs), so the kernel's
// choice (native/src/gna_sm90.cu) and the simulator read one definition. Rewrite the header with
// `node native/scripts/hopper-tiles.js` after changing HOPPER_FNA; test/unit/native/hopperTiles.test.ts
// fails while they disagree.
import { HOPPER_FNA } from '../core/presets';

export const HOPPER_TILES_HEADER_PATH = 'native/src/gna_hopper_tiles.h';

function triple(t: readonly number[]): string {
  return `{${[0, 1, 2].map((i) => t[i] ?? 1).join(', ')}}`;
}

/** The text of native/src/gna_hopper_tiles.h for the current HOPPER_FNA. */
export function hopperTilesHeader(): string {
  const rows: string[] = [];
  for (const [headDim, ranks] of Object.entries(HOPPER_FNA)) {
    for (const [rank, shapes] of Object.entries(ranks)) {
      for (const [q, kv] of shapes) rows.push(`  {${headDim}, ${rank}, ${triple(q)}, ${triple(kv)}}, \\`);
    }
  }
  return [
    '// gna_hopper_tiles.h: GENERATED from HOPPER_FNA in extension/core/presets.ts (NATTEN\'s hopper-fna',
    '// forward configs) by `node native/scripts/hopper-tiles.js`; do not edit. The simulator\'s presets and',
    '// the Hopper kernel (gna_sm90.cu, gna_sm90_attention.cuh) read this one table;',
    '// test/unit/native/hopperTiles.test.ts fails while this file and presets.ts disagree.',
    '#ifndef GNA_HOPPER_TILES_H',
    '#define GNA_HOPPER_TILES_H',
    '',
    '// One preset: head dim, rank, Q tile and KV tile extents (1 past the rank), the default first.',
    'struct GnaHopperTiles {',
    '  int head_dim, rank, q[3], kv[3];',
    '};',
    '',
    '#define GNA_HOPPER_TILES \\',
    ...rows,
    '',
    '#ifdef __cplusplus',
    'constexpr GnaHopperTiles kGnaHopperTiles[] = {GNA_HOPPER_TILES};',
    '',
    '// The tokens of a Q (kv = false) or KV tile of head dim `head_dim`: every preset of a head dim has',
    '// the same (checked where the kernel is configured); 0 for a head dim without presets.',
    'constexpr int gna_hopper_tile_tokens(int head_dim, bool kv) {',
    '  for (const GnaHopperTiles& t : kGnaHopperTiles) {',
    '    if (t.head_dim == head_dim) return kv ? t.kv[0] * t.kv[1] * t.kv[2] : t.q[0] * t.q[1] * t.q[2];',
    '  }',
    '  return 0;',
    '}',
    '',
    'constexpr bool gna_hopper_tokens_agree(int head_dim) {',
    '  for (const GnaHopperTiles& t : kGnaHopperTiles) {',
    '    if (t.head_dim == head_dim && (t.q[0] * t.q[1] * t.q[2] != gna_hopper_tile_tokens(head_dim, false) ||',
    '                                   t.kv[0] * t.kv[1] * t.kv[2] != gna_hopper_tile_tokens(head_dim, true))) {',
    '      return false;',
    '    }',
    '  }',
    '  return true;',
    '}',
    '#endif',
    '',
    '#endif  // GNA_HOPPER_TILES_H',
    '',
  ].join('\n');
}
