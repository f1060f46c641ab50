// Tile shapes of NATTEN's fused backward kernels (`backward_q_tile_shape`,
// `backward_kv_tile_shape`), per GPU family, rank and head dim, read from NATTEN 0.21.6
// (SHI-Labs/NATTEN tag v0.21.6):
// - Hopper: src/natten/backends/configs/cutlass_hopper/__init__.py, HOPPER_BACKWARD_CONFIGS
//   (16-bit inputs; head dims 32, 64, 128; the first entry is the default);
// - Blackwell: src/natten/backends/configs/cutlass_blackwell/__init__.py,
//   BLACKWELL_BACKWARD_TILE_SHAPES (the same for every head dim; the first is the default);
// - Ampere (CUTLASS 2 FNA, sm80 with 16-bit inputs and head dim <= 128):
//   src/natten/backends/configs/cutlass/__init__.py, get_all_tile_shapes_backward: every
//   power-of-two box of 64 Q / 64 KV tokens and of 128 / 128 (extents >= 2 beyond 1-D,
//   fna_backward_64x64.py and fna_backward_128x128.py), default 64 / 8×8 / 4×4×4.

import { GpuFamily, powerOfTwoBoxes, supportedHeadDims, TilePreset } from './presets';

type Shapes = [number[], number[]][];

const HOPPER_SMALL_HEADS: Record<number, Shapes> = {
  1: [
    [[64], [128]],
    [[128], [128]],
  ],
  2: [
    [[8, 8], [16, 8]],
    [[8, 8], [8, 16]],
    [[16, 8], [16, 8]],
    [[16, 8], [8, 16]],
  ],
  3: [
    [[4, 4, 4], [4, 4, 8]],
    [[4, 4, 4], [2, 8, 8]],
    [[4, 4, 8], [4, 4, 8]],
    [[4, 4, 8], [2, 8, 8]],
  ],
};

const HOPPER_128: Record<number, Shapes> = {
  1: [[[64], [128]]],
  2: [
    [[8, 8], [16, 8]],
    [[8, 8], [8, 16]],
  ],
  3: [
    [[4, 4, 4], [4, 4, 8]],
    [[4, 4, 4], [2, 8, 8]],
    [[2, 4, 8], [2, 8, 8]],
    [[1, 8, 8], [2, 8, 8]],
  ],
};

const BLACKWELL: Record<number, Shapes> = {
  1: [[[128], [128]]],
  2: [
    [[16, 8], [16, 8]],
    [[16, 8], [8, 16]],
    [[8, 16], [16, 8]],
    [[8, 16], [8, 16]],
  ],
  3: [
    [[4, 4, 8], [4, 4, 8]],
    [[4, 4, 8], [2, 8, 8]],
    [[1, 8, 16], [4, 4, 8]],
    [[2, 8, 8], [4, 4, 8]],
    [[1, 8, 16], [2, 8, 8]],
    [[2, 4, 16], [2, 4, 16]],
    [[4, 2, 16], [2, 4, 16]],
    [[4, 4, 8], [2, 4, 16]],
    [[2, 8, 8], [2, 8, 8]],
  ],
};

const AMPERE_DEFAULT: Record<number, number[]> = { 1: [64], 2: [8, 8], 3: [4, 4, 4] };

function ampereShapes(rank: number): Shapes {
  const shapes: Shapes = [[AMPERE_DEFAULT[rank], AMPERE_DEFAULT[rank]]];
  const isDefault = (q: number[], kv: number[]): boolean => q.join() === AMPERE_DEFAULT[rank].join() && kv.join() === q.join();
  for (const tokens of [64, 128]) {
    const boxes = powerOfTwoBoxes(tokens, rank);
    for (const q of boxes) for (const kv of boxes) if (!isDefault(q, kv)) shapes.push([q, kv]);
  }
  return shapes;
}

/** The backward tile shapes a family offers for this rank and head dim, default first (empty if none). */
export function backwardPresetsFor(family: GpuFamily, rank: number, headDim: number): TilePreset[] {
  if (rank < 1 || rank > 3 || !supportedHeadDims(family).includes(headDim)) return [];
  let shapes: Shapes | undefined;
  let backend: string;
  switch (family) {
    case 'hopper':
      // NATTEN has no Hopper backward for head dim 256.
      shapes = headDim === 256 ? undefined : (headDim === 128 ? HOPPER_128 : HOPPER_SMALL_HEADS)[rank];
      backend = 'hopper-fna';
      break;
    case 'blackwell':
      shapes = BLACKWELL[rank];
      backend = 'blackwell-fna';
      break;
    case 'ampere':
      shapes = ampereShapes(rank);
      backend = 'cutlass-fna';
      break;
  }
  return (shapes ?? []).map(([q, kv]) => ({ family, backend, q, kv }));
}

/** NATTEN's default backward tiles (what runs when a call names none). */
export function defaultBackwardTiles(family: GpuFamily, rank: number, headDim: number): TilePreset | undefined {
  return backwardPresetsFor(family, rank, headDim)[0];
}
