// The tile-pair map and the 1-D attention matrix against brute-force enumeration of the mask,
// aggregated or not, plus their totals against the simulator and GNA-SPEC §6.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { simulate, tileAxes } from '../../../extension/core';
import { buildAttentionMatrix } from '../../../webview/model/matrix';
import { blockFactors, blockSizes, buildPairMap, colOfKvTile, drawnShades, firstQTileOfRow, MIN_STRENGTH, pairCellShade, pairMapWork, pairsInCell, rowOfQTile } from '../../../webview/model/pairMap';
import { bruteAttends, brutePairKinds } from '../../support/previewBrute';
import { caseArb } from './arbitraries';

const SEED = 777;

/** The display cell of flat tile index `t` on a tile grid cut into per-axis blocks of `factors` (written independently of pairMap.ts). */
function blockCellOf(t: number, grid: readonly number[], factors: readonly number[]): number {
  const coords: number[] = [];
  for (let i = grid.length - 1; i >= 0; i--) {
    coords[i] = t % grid[i];
    t = Math.floor(t / grid[i]);
  }
  let cell = 0;
  for (let i = 0; i < grid.length; i++) cell = cell * Math.ceil(grid[i] / factors[i]) + Math.floor(coords[i] / factors[i]);
  return cell;
}

describe('view model: the whole tile-pair map', () => {
  it('the legend\'s fainter swatch spans the shades the map draws of its most drawn kind (against enumeration)', () => {
    fc.assert(
      fc.property(caseArb(120), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), (c, maxRows, maxCols) => {
        const map = buildPairMap(tileAxes(c.problem, c.tiles), maxRows, maxCols);
        const brute = brutePairKinds(c.problem, c.tiles.q, c.tiles.kv);
        const cells = new Map<number, { full: number; partial: number; pairs: number }>();
        for (let a = 0; a < brute.qTiles; a++) {
          for (let b = 0; b < brute.kvTiles; b++) {
            const cell = blockCellOf(a, map.qTileGrid, map.qFactors) * map.cols + blockCellOf(b, map.kvTileGrid, map.kvFactors);
            const n = cells.get(cell) ?? { full: 0, partial: 0, pairs: 0 };
            const kind = brute.kind(a, b);
            n.pairs++;
            if (kind === 'full') n.full++;
            else if (kind === 'partial') n.partial++;
            cells.set(cell, n);
          }
        }
        const shades = [...cells.values()].map((n) => pairCellShade(n.full, n.partial, n.pairs)).filter((s) => s.state !== 'empty');
        const got = drawnShades(map);
        if (shades.length === 0) return assert.equal(got, undefined);
        const count = (state: string) => shades.filter((s) => s.state === state).length;
        const state = count('pairPartial') > count('pairFull') ? 'pairPartial' : 'pairFull';
        const strengths = shades.filter((s) => s.state === state).map((s) => s.strength);
        assert.deepEqual(got, { state, faintest: Math.min(...strengths), strongest: Math.max(...strengths) });
      }),
      { numRuns: 80 },
    );
  });

  it('counts the full and partial pairs of every display cell exactly (all ranks, any aggregation)', () => {
    fc.assert(
      fc.property(caseArb(120), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), (c, maxRows, maxCols) => {
        const map = buildPairMap(tileAxes(c.problem, c.tiles), maxRows, maxCols);
        const brute = brutePairKinds(c.problem, c.tiles.q, c.tiles.kv);
        assert.equal(map.qTiles, brute.qTiles);
        assert.equal(map.kvTiles, brute.kvTiles);
        assert.ok(map.rows <= maxRows && map.cols <= maxCols);
        const full = new Uint32Array(map.rows * map.cols);
        const partial = new Uint32Array(map.rows * map.cols);
        const pairs = new Uint32Array(map.rows * map.cols);
        for (let a = 0; a < brute.qTiles; a++) {
          for (let b = 0; b < brute.kvTiles; b++) {
            const cell = blockCellOf(a, map.qTileGrid, map.qFactors) * map.cols + blockCellOf(b, map.kvTileGrid, map.kvFactors);
            pairs[cell]++;
            const kind = brute.kind(a, b);
            if (kind === 'full') full[cell]++;
            else if (kind === 'partial') partial[cell]++;
          }
        }
        assert.deepEqual([...map.full], [...full], 'full pairs per cell');
        assert.deepEqual([...map.partial], [...partial], 'partial pairs per cell');
        const sizes = blockSizes(map);
        for (let r = 0; r < map.rows; r++) {
          for (let col = 0; col < map.cols; col++) {
            assert.equal(pairsInCell(map, r, col), pairs[r * map.cols + col], `pairs in cell (${r}, ${col})`);
            assert.equal(sizes.rows[r] * sizes.cols[col], pairs[r * map.cols + col]);
          }
        }
        // Rows and columns map back to their tiles; a click on a row selects its block's first Q tile.
        for (let a = 0; a < brute.qTiles; a++) {
          const row = rowOfQTile(map, a);
          assert.equal(row, blockCellOf(a, map.qTileGrid, map.qFactors));
          assert.ok(firstQTileOfRow(map, row) <= a && rowOfQTile(map, firstQTileOfRow(map, row)) === row);
        }
        for (let b = 0; b < brute.kvTiles; b++) assert.equal(colOfKvTile(map, b), blockCellOf(b, map.kvTileGrid, map.kvFactors));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('blocks aggregate the last axis first and never cut across an outer axis, in even blocks where that costs at most half the cells', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 400 }), (grid, maxCells) => {
        const f = blockFactors(grid, maxCells);
        const cells = grid.map((g, i) => Math.ceil(g / f[i]));
        assert.ok(cells.reduce((x, y) => x * y, 1) <= maxCells, 'fits');
        // Once an axis is aggregated, every axis after it is a single block.
        const first = f.findIndex((x) => x > 1);
        if (first >= 0) for (let j = first + 1; j < grid.length; j++) assert.equal(cells[j], 1, `axis ${j} after aggregated axis ${first}`);
        // The outermost aggregated axis takes the smallest factor that fits, or a divisor of its
        // length above it that keeps at least half as many cells on that axis.
        if (first >= 0) {
          const g = grid[first];
          const others = grid.slice(0, first).reduce((x, y) => x * y, 1);
          let least = 1;
          while (others * Math.ceil(g / least) > maxCells && least < g) least++;
          assert.ok(f[first] >= least);
          if (f[first] > least) assert.ok(g % f[first] === 0 && 2 * Math.ceil(g / f[first]) >= Math.ceil(g / least), `${f[first]} for ${g} (least ${least})`);
        }
      }),
      { seed: SEED + 7, numRuns: 500 },
    );
  });

  it('a cell is drawn in the kind most of its visited pairs have, fainter when fewer of its pairs are visited', () => {
    assert.deepEqual(pairCellShade(0, 0, 16), { state: 'empty', strength: 0 });
    assert.equal(pairCellShade(16, 0, 16).strength, 1);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), (full, partial, empty) => {
        fc.pre(full + partial > 0);
        const shade = pairCellShade(full, partial, full + partial + empty);
        assert.equal(shade.state, full >= partial ? 'pairFull' : 'pairPartial');
        assert.ok(shade.strength >= MIN_STRENGTH && shade.strength <= 1);
        // One more of the block's pairs visited draws it stronger.
        if (empty > 0) assert.ok(pairCellShade(full + 1, partial, full + partial + empty).strength > shade.strength);
      }),
    );
  });

  it('sums to the simulator’s visited and full counts on GNA-SPEC §6 problems, in bounded work', () => {
    const rows = [
      { layout: [256, 256], window: [80, 80], stride: [1, 1], q: [16, 8], kv: [16, 8] },
      { layout: [30, 48, 80], window: [18, 24, 24], stride: [1, 1, 1], q: [2, 8, 8], kv: [2, 8, 8] },
      { layout: [30, 48, 80], window: [18, 24, 24], stride: [16, 8, 8], q: [2, 8, 8], kv: [2, 8, 8] },
      { layout: [30, 48, 80], window: [18, 24, 24], stride: [1, 1, 1], q: [4, 8, 8], kv: [2, 8, 8] },
      { layout: [32768], window: [2048], stride: [1], q: [128], kv: [128] },
    ];
    for (const r of rows) {
      const problem = { inputSize: r.layout, windowSize: r.window, stride: r.stride, dilation: r.layout.map(() => 1), causal: r.layout.map(() => false) };
      const tiles = { q: r.q, kv: r.kv };
      const axes = tileAxes(problem, tiles);
      const map = buildPairMap(axes, 300, 300);
      const sim = simulate(problem, tiles);
      const sum = (a: Uint32Array) => a.reduce((x, y) => x + y, 0);
      assert.equal(sum(map.full) + sum(map.partial), sim.visited, `${r.layout} visited`);
      assert.equal(sum(map.partial), sim.partial, `${r.layout} partial`);
      assert.ok(map.rows <= 300 && map.cols <= 300);
      // The walk is over Q tiles × leading-axis visits, far below the number of pairs.
      assert.ok(pairMapWork(axes) < sim.total / 4, `${r.layout}: work ${pairMapWork(axes)} vs ${sim.total} pairs`);
    }
  });
});

describe('view model: the 1-D attention matrix', () => {
  it('sets a cell iff some query of its row block attends some key of its column block', () => {
    fc.assert(
      fc.property(caseArb(40, [1]), fc.integer({ min: 1, max: 45 }), fc.integer({ min: 1, max: 45 }), (c, maxRows, maxCols) => {
        const p = c.problem;
        const axis = { n: p.inputSize[0], k: p.windowSize[0], s: p.stride[0], d: p.dilation[0], causal: p.causal[0] };
        const m = buildAttentionMatrix(axis, maxRows, maxCols);
        assert.ok(m.rows <= maxRows && m.cols <= maxCols);
        for (let r = 0; r < m.rows; r++) {
          for (let col = 0; col < m.cols; col++) {
            let any = false;
            for (let q = r * m.rowFactor; q < Math.min(axis.n, (r + 1) * m.rowFactor) && !any; q++) {
              for (let kv = col * m.colFactor; kv < Math.min(axis.n, (col + 1) * m.colFactor) && !any; kv++) any = bruteAttends(p, q, kv);
            }
            assert.equal(m.cells[r * m.cols + col] === 1, any, `cell (${r}, ${col}) with factors ${m.rowFactor}/${m.colFactor}`);
          }
        }
      }),
      { seed: SEED + 1, numRuns: 400 },
    );
  });

  it('at one cell per token it is the mask itself: the number of set cells is the attended pairs', () => {
    const axis = { n: 64, k: 9, s: 3, d: 2, causal: false };
    const m = buildAttentionMatrix(axis, 64, 64);
    assert.equal(m.rowFactor, 1);
    const problem = { inputSize: [64], windowSize: [9], stride: [3], dilation: [2], causal: [false] };
    assert.equal(
      m.cells.reduce((a, b) => a + b, 0),
      simulate(problem, { q: [8], kv: [8] }).attendedPairs,
    );
  });
});
