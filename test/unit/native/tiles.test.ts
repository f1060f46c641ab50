// The KV tiles the CUDA kernel walks per Q tile (the same C++ function runs on the device;
// here through the addon's debug call) must equal the simulator's tileAxes() exactly.
import { strict as assert } from 'assert';
import { GnaProblem, tileAxes, TileShape } from '../../../extension/core';
import { GnaNative } from '../../../extension/native';
import { describeProblem, int, randomProblem, rng } from './random';

const native = new GnaNative();

function assertSameRanges(problem: GnaProblem, tiles: TileShape): void {
  const want = tileAxes(problem, tiles);
  const got = native.tileRanges(problem, tiles);
  assert.equal(got.length, want.length);
  const where = `${describeProblem(problem)} Q ${tiles.q.join('×')} KV ${tiles.kv.join('×')}`;
  want.forEach((w, i) => {
    assert.equal(got[i].qTiles, w.qTiles, `${where}: axis ${i} Q tiles`);
    assert.equal(got[i].kvTiles, w.kvTiles, `${where}: axis ${i} KV tiles`);
    for (const key of ['group', 'kvLo', 'kvHi', 'fullLo', 'fullHi'] as const) {
      assert.deepEqual(Array.from(got[i][key]), Array.from(w[key]), `${where}: axis ${i} ${key}`);
    }
  });
}

describe('native tile ranges vs the simulator (tileAxes)', () => {
  it('agree on 400 random problems and tile shapes (padding, dilation, causal, strides)', () => {
    const rand = rng(2024);
    for (let c = 0; c < 400; c++) {
      const rank = 1 + (c % 3);
      const problem = randomProblem(rand, rank, { maxWindow: 12, maxDilation: 4, maxSlack: 20 });
      const tiles = {
        q: problem.inputSize.map((n) => int(rand, 1, Math.min(n + 3, 40))),
        kv: problem.inputSize.map((n) => int(rand, 1, Math.min(n + 3, 40))),
      };
      assertSameRanges(problem, tiles);
    }
  });

  it('agree on the GNA-SPEC §6 problems with their tile shapes', () => {
    const cases: [number[], number[], number[], number[], number[]][] = [
      [[32768], [2048], [1], [128], [128]],
      [[32768], [2048], [256], [128], [128]],
      [[256, 256], [80, 80], [1, 1], [16, 8], [16, 8]],
      [[256, 256], [80, 80], [16, 16], [16, 8], [16, 8]],
      [[256, 256], [80, 80], [16, 1], [16, 16], [16, 8]],
      [[30, 48, 80], [18, 24, 24], [1, 1, 1], [2, 8, 8], [2, 8, 8]],
      [[30, 48, 80], [18, 24, 24], [16, 8, 8], [2, 8, 8], [2, 8, 8]],
      [[30, 48, 80], [18, 24, 24], [1, 1, 1], [4, 8, 8], [2, 8, 8]],
    ];
    for (const [n, k, s, q, kv] of cases) {
      const r = n.length;
      const problem = { inputSize: n, windowSize: k, stride: s, dilation: new Array(r).fill(1), causal: new Array(r).fill(false) };
      assertSameRanges(problem, { q, kv });
    }
  });

  it('refuses an invalid problem with the core wording', () => {
    assert.throws(
      () => native.tileRanges({ inputSize: [8], windowSize: [5], dilation: [2] }, { q: [4], kv: [4] }),
      (e: Error & { code?: string }) => e.code === 'GNA_ERR_INVALID' && /kernel_size \* dilation must be <= input size/.test(e.message),
    );
  });
});
