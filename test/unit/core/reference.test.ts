// GNA-SPEC §6: the reference table, exactly.
import { strict as assert } from 'assert';
import { GnaProblem, simulate } from '../../../extension/core';

interface Row {
  layout: number[];
  window: number[];
  stride: number[];
  q: number[];
  kv: number[];
  visited: number;
  partial: number;
  total: number;
  simulated: number;
  /** The GNA paper's ratio, where padding makes it differ (the table's "paper" figure). */
  paper?: number;
  tilePair: number;
  flop: number;
}

const ROWS: Row[] = [
  { layout: [32768], window: [2048], stride: [1], q: [128], kv: [128], visited: 4336, partial: 480, total: 65536, simulated: 15.06, tilePair: 15.11, flop: 16.0 },
  { layout: [32768], window: [2048], stride: [256], q: [128], kv: [128], visited: 4096, partial: 0, total: 65536, simulated: 16.0, tilePair: 16.0, flop: 16.0 },
  { layout: [256, 256], window: [80, 80], stride: [1, 1], q: [16, 8], kv: [16, 8], visited: 34884, partial: 17600, total: 262144, simulated: 6.65, tilePair: 7.51, flop: 10.24 },
  { layout: [256, 256], window: [80, 80], stride: [16, 16], q: [16, 8], kv: [16, 8], visited: 25600, partial: 0, total: 262144, simulated: 10.24, tilePair: 10.24, flop: 10.24 },
  { layout: [256, 256], window: [80, 80], stride: [1, 1], q: [16, 16], kv: [16, 8], visited: 18564, partial: 10560, total: 131072, simulated: 6.1, tilePair: 7.06, flop: 10.24 },
  { layout: [256, 256], window: [80, 80], stride: [16, 1], q: [16, 16], kv: [16, 8], visited: 14560, partial: 3520, total: 131072, simulated: 8.53, tilePair: 9.0, flop: 10.24 },
  { layout: [30, 48, 80], window: [18, 24, 24], stride: [1, 1, 1], q: [2, 8, 8], kv: [2, 8, 8], visited: 148896, partial: 124128, total: 810000, simulated: 3.6, tilePair: 5.44, flop: 11.11 },
  { layout: [30, 48, 80], window: [18, 24, 24], stride: [16, 8, 8], q: [2, 8, 8], kv: [2, 8, 8], visited: 72900, partial: 0, total: 810000, simulated: 11.11, tilePair: 11.11, flop: 11.11 },
  { layout: [30, 48, 80], window: [18, 24, 24], stride: [1, 1, 1], q: [4, 8, 8], kv: [2, 8, 8], visited: 82368, partial: 71424, total: 405000, simulated: 3.07, paper: 3.27, tilePair: 4.92, flop: 11.11 },
];

const round2 = (x: number): number => Math.round(x * 100) / 100;

describe('GNA-SPEC §6 reference table', () => {
  for (const row of ROWS) {
    const name = `${row.layout.join('×')} w ${row.window.join('×')} s ${row.stride.join('×')} Q ${row.q.join('×')} KV ${row.kv.join('×')}`;
    it(name, () => {
      const r = row.layout.length;
      const problem: GnaProblem = {
        inputSize: row.layout,
        windowSize: row.window,
        stride: row.stride,
        dilation: new Array(r).fill(1),
        causal: new Array(r).fill(false),
      };
      const sim = simulate(problem, { q: row.q, kv: row.kv });
      assert.equal(sim.visited, row.visited, 'visited');
      assert.equal(sim.partial, row.partial, 'partial');
      assert.equal(sim.total, row.total, 'total');
      assert.equal(round2(sim.simulated), row.simulated, 'simulated');
      assert.equal(sim.paperSimulated === undefined ? undefined : round2(sim.paperSimulated), row.paper, 'paper ratio');
      assert.equal(round2(sim.tilePairBound), row.tilePair, 'tile-pair bound');
      assert.equal(round2(sim.flopBound), row.flop, 'FLOP-wise bound');
      assert.equal(sim.blockSparse, row.partial === 0, 'block-sparse verdict');
    });
  }
});

describe('GNA-SPEC §5: Q tiles of the padded, dilated layout', () => {
  it('HunyuanVideo on 4×8×8 Q tiles: 480 Q tiles (30 frames padded to 32) × 275 = 132,000 steps against 405,000', () => {
    const problem: GnaProblem = { inputSize: [30, 48, 80], windowSize: [18, 24, 24], stride: [1, 1, 1], dilation: [1, 1, 1], causal: [false, false, false] };
    const sim = simulate(problem, { q: [4, 8, 8], kv: [2, 8, 8] });
    assert.deepEqual([sim.qTiles, sim.denseQTiles, sim.worstQTileVisits, sim.steps, sim.total], [480, 450, 275, 132000, 405000]);
  });

  it('DiNAT 56×56, window 7, dilation 8 on 2×32 tiles: 256 Q tiles × 4 = 1,024 steps against 2,401 (2.34×, paper 14.0×)', () => {
    const problem: GnaProblem = { inputSize: [56, 56], windowSize: [7, 7], stride: [1, 1], dilation: [8, 8], causal: [false, false] };
    const sim = simulate(problem, { q: [2, 32], kv: [2, 32] });
    // Each of the 8×8 dilation groups holds 7×7 tokens, padded to 8×32: 4×1 Q tiles per group.
    assert.deepEqual([sim.qTiles, sim.worstQTileVisits, sim.steps, sim.total], [256, 4, 1024, 2401]);
    assert.equal(sim.simulated.toFixed(2), '2.34');
    assert.equal(sim.paperSimulated?.toFixed(1), '14.0');
    assert.equal(sim.tilePairBound.toFixed(2), '2.34');
  });
});

describe('NATTEN pads every dilation group alike', () => {
  it('17 tokens, dilation 2, tile 8: groups of 9 and 8 both padded to 16, so 4 Q tiles (3 real ones)', () => {
    const problem: GnaProblem = { inputSize: [17], windowSize: [3], stride: [1], dilation: [2], causal: [false] };
    const sim = simulate(problem, { q: [8], kv: [8] });
    assert.equal(sim.perAxis?.[0].qTiles, 3, 'tiles holding real queries');
    assert.equal(sim.qTiles, 4, 'work items of the permuted layout');
    assert.equal(sim.padded, true);
    assert.equal(sim.simulated, sim.total / (4 * sim.worstQTileVisits));
  });
});
