// One definition of the Hopper tiles: the simulator's presets (HOPPER_FNA, NATTEN's hopper-fna
// forward configs) render native/src/gna_hopper_tiles.h, which the Hopper kernel is configured
// from; and the engine's choice of kernel (the addon's hopperChoice, the same C++ function the CUDA
// build asks before each launch) takes every preset at every Hopper head dim and declines the rest
// as an independent model of its rule says.
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import { GnaProblem, HOPPER_FNA, presetsFor, supportedHeadDims, TileShape } from '../../../extension/core';
import { GnaNative } from '../../../extension/native';
import { HOPPER_TILES_HEADER_PATH, hopperTilesHeader } from '../../../extension/native/hopperTiles';
import { describeProblem, int, pick, randomProblem, rng } from './random';

const root = join(__dirname, '../../../..');
const header = readFileSync(join(root, HOPPER_TILES_HEADER_PATH), 'utf8');
const native = new GnaNative();
const product = (t: readonly number[]) => t.reduce((a, b) => a * b, 1);

/** Every chunk of `rows` consecutive tokens (row-major inside the tile) is a box of the tile. */
function chunksAreBoxes(tile: readonly number[], rows: number): boolean {
  const t = [0, 1, 2].map((i) => tile[i] ?? 1);
  for (let start = 0; start < product(t); start += rows) {
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    for (let r = start; r < start + rows; r++) {
      const c = [Math.floor(r / (t[1] * t[2])), Math.floor(r / t[2]) % t[1], r % t[2]];
      c.forEach((x, i) => ((lo[i] = Math.min(lo[i], x)), (hi[i] = Math.max(hi[i], x))));
    }
    if ((hi[0] - lo[0] + 1) * (hi[1] - lo[1] + 1) * (hi[2] - lo[2] + 1) !== rows) return false;
  }
  return true;
}

/** The rule of gna_hopper_select.h, written again from its description. */
function expectedPath(problem: GnaProblem, batch: number, headDim: number, tiles: TileShape): 'direct' | 'permuted' | 'none' {
  const presets = presetsFor('hopper', problem.inputSize.length, headDim);
  if (presets.length === 0) return 'none';
  const rows = product(presets[0].q);
  if (product(tiles.kv) !== product(presets[0].kv) || product(tiles.q) % rows !== 0) return 'none';
  const boxes = problem.dilation.every((d) => d === 1) && chunksAreBoxes(tiles.q, rows);
  const overhang = problem.inputSize[0] % tiles.q[0] !== 0 || problem.inputSize[0] % tiles.kv[0] !== 0;
  return boxes && (batch === 1 || !overhang) ? 'direct' : 'permuted';
}

describe('Hopper tiles: one table for the simulator and the kernel', () => {
  it('the committed C header is the one rendered from HOPPER_FNA', () => {
    assert.equal(header, hopperTilesHeader(), `${HOPPER_TILES_HEADER_PATH} is stale: run node native/scripts/hopper-tiles.js`);
  });

  it("the header's rows are the simulator's Hopper presets, in order, for every head dim and rank", () => {
    const rows = [...header.matchAll(/^ {2}\{(\d+), (\d), \{(\d+), (\d+), (\d+)\}, \{(\d+), (\d+), (\d+)\}\}, \\$/gm)].map((m) => m.slice(1).map(Number));
    const want: number[][] = [];
    for (const headDim of supportedHeadDims('hopper')) {
      for (const rank of [1, 2, 3]) {
        for (const p of presetsFor('hopper', rank, headDim)) {
          const pad = (t: readonly number[]) => [0, 1, 2].map((i) => t[i] ?? 1);
          want.push([headDim, rank, ...pad(p.q), ...pad(p.kv)]);
        }
      }
    }
    assert.ok(want.length >= 20);
    assert.deepEqual(rows, want);
  });

  it("NATTEN's tokens per head dim: Q 64 / KV 128 at 32 and 64, 128 / 128 at 128, 128 / 64 at 256; alike within a head dim", () => {
    const tokens: Record<number, [number, number]> = { 32: [64, 128], 64: [64, 128], 128: [128, 128], 256: [128, 64] };
    assert.deepEqual(supportedHeadDims('hopper'), [32, 64, 128, 256]);
    for (const [headDim, ranks] of Object.entries(HOPPER_FNA)) {
      for (const shapes of Object.values(ranks)) {
        for (const [q, kv] of shapes) assert.deepEqual([product(q), product(kv)], tokens[Number(headDim)], `head dim ${headDim}: ${q} / ${kv}`);
      }
    }
  });

  it('the engine picks the Hopper kernel, direct layout, for every preset at every Hopper head dim (both dtypes share it) when asked for it, and by default wherever the build passed its GPU check (every head dim since the H200 run of 2026-12-05)', () => {
    for (const headDim of supportedHeadDims('hopper')) {
      for (const rank of [1, 2, 3]) {
        for (const tiles of presetsFor('hopper', rank, headDim)) {
          // A layout its tiles do not divide, batch 1: still one TMA box per tile.
          const inputSize = tiles.q.map((t, i) => 3 * Math.max(t, tiles.kv[i]) + 1);
          const problem: GnaProblem = { inputSize, windowSize: inputSize.map(() => 3), stride: inputSize.map(() => 1), dilation: inputSize.map(() => 1), causal: inputSize.map(() => false) };
          const got = native.hopperChoice(problem, { batch: 1, heads: 2, headDim }, { q: tiles.q, kv: tiles.kv }, 'hopper');
          assert.deepEqual(got, { path: 'direct', why: '' }, `head dim ${headDim}, ${tiles.q} / ${tiles.kv}`);
          assert.equal(native.hopperChoice(problem, { batch: 1, heads: 2, headDim }, undefined, 'hopper').path, 'direct'); // the default preset
          // By default every build checked on a GPU runs: 32, 64, 128 and 256 passed on an H200.
          assert.deepEqual(native.hopperChoice(problem, { batch: 1, heads: 2, headDim }, tiles), got);
          assert.equal(native.hopperChoice(problem, { batch: 1, heads: 2, headDim }, tiles, 'permuted').path, 'permuted');
          const portable = native.hopperChoice(problem, { batch: 1, heads: 2, headDim }, tiles, 'portable');
          assert.deepEqual(portable, { path: 'none', why: 'the portable kernel was asked for' });
          // Issue 23: asking for the FA2-class portable kernel leaves the Hopper kernel out too.
          const fa2 = native.hopperChoice(problem, { batch: 1, heads: 2, headDim }, tiles, 'portable-fa2');
          assert.deepEqual(fa2, { path: 'none', why: 'the portable FA2 kernel was asked for' });
        }
      }
    }
  });

  it('falls back to the portable kernel, saying why, off the table', () => {
    const problem: GnaProblem = { inputSize: [300], windowSize: [33], stride: [1], dilation: [1], causal: [false] };
    const at = (headDim: number, q: number, kv: number) => native.hopperChoice(problem, { batch: 1, heads: 1, headDim }, { q: [q], kv: [kv] }, 'hopper');
    assert.deepEqual(at(96, 128, 128), { path: 'none', why: 'no Hopper kernel for this head dim (32, 64, 128 and 256 have one)' });
    assert.deepEqual(at(128, 128, 64), { path: 'none', why: 'the KV tile does not hold 128 tokens' });
    assert.deepEqual(at(256, 128, 128), { path: 'none', why: 'the KV tile does not hold 64 tokens (head dim 256)' });
    assert.deepEqual(at(64, 96, 128), { path: 'none', why: 'the Q tile does not hold a multiple of 64 tokens' });
    assert.deepEqual(at(128, 64, 128), { path: 'none', why: 'the Q tile does not hold a multiple of 128 tokens' });
    assert.equal(at(64, 128, 128).path, 'direct'); // two 64-row items per Q tile
  });

  it('agrees with the model of its rule on 600 random problems, tiles, batches and head dims', () => {
    const rand = rng(1818);
    const counts = { direct: 0, permuted: 0, none: 0 };
    for (let c = 0; c < 600; c++) {
      const rank = 1 + (c % 3);
      const problem = randomProblem(rand, rank, { maxWindow: 9, maxDilation: 3, maxSlack: 40 });
      const headDim = pick(rand, [32, 64, 128, 256, 96]);
      const batch = int(rand, 1, 3);
      const presets = presetsFor('hopper', rank, headDim === 96 ? 128 : headDim);
      // A preset, or a random power-of-two box of 64, 128 or 256 tokens (chunks may not be boxes).
      const box = (tokens: number) => {
        const t = Array.from({ length: rank }, () => 1);
        for (let left = Math.log2(tokens); left > 0; left--) t[int(rand, 0, rank - 1)] *= 2;
        return t;
      };
      const tiles = rand() < 0.5 ? pick(rand, presets) : { q: box(pick(rand, [64, 128, 256])), kv: box(pick(rand, [64, 128])) };
      const got = native.hopperChoice(problem, { batch, heads: 1, headDim }, { q: tiles.q, kv: tiles.kv }, 'hopper').path;
      const label = `${describeProblem(problem)} batch ${batch} d${headDim} Q ${tiles.q} KV ${tiles.kv}`;
      assert.equal(got, expectedPath(problem, batch, headDim, tiles), label);
      const byDefault = native.hopperChoice(problem, { batch, heads: 1, headDim }, { q: tiles.q, kv: tiles.kv }).path;
      assert.equal(byDefault, got, label); // every Hopper build has passed its GPU check
      counts[got]++;
    }
    for (const [path, n] of Object.entries(counts)) assert.ok(n > 50, `${path}: ${n} cases`);
  });
});
