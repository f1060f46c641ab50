import { strict as assert } from 'assert';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { GnaProblem, simulate } from '../../../extension/core';
import { runCli } from '../../support/cli';

describe('gna sim', () => {
  it('prints the JSON fields the issue promises, equal to the core simulation', async () => {
    const r = await runCli(['sim', '-i', '256', '256', '-w', '80', '-s', '16', '--q-tile', '16,8', '--kv-tile', '16x8', '--json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    const problem: GnaProblem = { inputSize: [256, 256], windowSize: [80, 80], stride: [16, 16], dilation: [1, 1], causal: [false, false] };
    const sim = simulate(problem, { q: [16, 8], kv: [16, 8] });
    for (const key of ['simulated', 'tilePairBound', 'flopBound', 'sparsity', 'visited', 'partial', 'total', 'blockSparse'] as const) {
      assert.deepEqual(json[key], sim[key], key);
    }
    assert.equal(json.visited, 25600);
    assert.equal(json.blockSparse, true);
  });

  it('uses the GPU family preset when no tiles are given, and accepts causal per axis', async () => {
    const r = await runCli(['sim', '-i', '30', '48', '80', '-w', '18', '24', '24', '-c', 'true', 'false', '0', '--arch', 'blackwell', '--json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    assert.deepEqual(json.qTile, [8, 4, 8]);
    assert.deepEqual(json.problem.causal, [true, false, false]);
  });

  it('prints a readable table with the recommendation and the preset ranking', async () => {
    const r = await runCli(['sim', '-i', '30', '48', '80', '-w', '18', '24', '24', '--q-tile', '2', '8', '8', '--kv-tile', '2', '8', '8', '--recommend', '--search']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /simulated speedup\s+3\.60×/);
    assert.match(r.out, /tile pairs\s+148,896 visited \(24,768 full, 124,128 partial\) of 810,000/);
    assert.match(r.out, /recommended stride 2×8×8: 11\.1× simulated \(now 3\.60×\), perfectly block-sparse/);
    // 4×4×8 pads the 30 frames to 32: 4.02× counting its 32/30 extra Q tiles (4.57× in the paper's ratio).
    assert.match(r.out, /tile presets, best first:\n  Q 4×4×8 +KV 4×4×8 +4\.02× sim[^\n]*\n  Q 2×8×8 +KV 2×8×8 +3\.60× sim/);
  });

  it('DiNAT dilated 7×7 on 56×56 with 2×32 tiles: 2.34× counting every dilation group’s padded Q tiles, the paper’s 14.0× beside it', async () => {
    const args = ['sim', '-i', '56', '56', '-w', '7', '7', '--dilation', '8', '8', '--q-tile', '2', '32', '--kv-tile', '2', '32'];
    const r = await runCli(args);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /simulated speedup\s+2\.34×  \(256 Q tiles × 4 KV tiles \(busiest Q tile\) = 1,024 steps, self attention 2,401\)/);
    assert.match(r.out, /paper ratio\s+14\.0× in the GNA paper's ratio, which leaves out that the kernel runs 256 Q tiles \(padding and dilation groups tiled one by one\) where self attention over the 3,136 tokens has 49/);
    const json = JSON.parse((await runCli([...args, '--json'])).out);
    assert.equal(json.simulated, 2401 / 1024);
    assert.equal(json.paperSimulated, 14);
    assert.equal(json.qTiles, 256);
    const plain = JSON.parse((await runCli(['sim', '-i', '256', '256', '-w', '80', '--q-tile', '16', '8', '--kv-tile', '16', '8', '--json'])).out);
    assert.equal('paperSimulated' in plain, false, 'no paper ratio where it agrees');
  });

  it('--backward: the backward pass and the training step, in the table and the JSON (FLUX-4K: 10.24× forward, about 5.2× backward)', async () => {
    const args = ['sim', '-i', '256', '256', '-w', '80', '-s', '16', '--q-tile', '16', '8', '--kv-tile', '16', '8', '--backward', '--backward-q-tile', '16', '8', '--backward-kv-tile', '16', '8'];
    const r = await runCli(args);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /backward\s+5\.22×  \(KV-parallel on Q 16×8 \/ KV 16×8: 512 KV tiles × 98 Q tiles \(busiest KV tile\) = 50,176 steps, self attention 262,144\)/);
    assert.match(r.out, /training step\s+6\.07×/);
    const json = JSON.parse((await runCli([...args, '--json'])).out);
    assert.equal(json.simulated.toFixed(2), '10.24');
    assert.deepEqual(
      [json.backward.simulated.toFixed(2), json.backward.worstKvTileVisits, json.backward.denseKvTileVisits, json.backward.qTile, json.backward.kvTile],
      ['5.22', 98, 512, [16, 8], [16, 8]],
    );
    assert.equal(json.training.backwardFlopRatio, 2.5);
    // Without tiles for the backward, the family's backward preset (Hopper, head dim 128: 8×8 / 16×8).
    const preset = JSON.parse((await runCli(['sim', '-i', '256', '256', '-w', '80', '-s', '16', '--backward', '--json'])).out);
    assert.deepEqual([preset.backward.qTile, preset.backward.kvTile], [[8, 8], [16, 8]]);
    assert.equal('backward' in JSON.parse((await runCli(['sim', '-i', '256', '256', '-w', '80', '--json'])).out), false);
  });

  it('--pass training --recommend recommends the stride with the fastest training step', async () => {
    const r = await runCli(['sim', '-i', '256', '256', '-w', '80', '--pass', 'training', '--recommend', '--json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    assert.equal(json.recommendation, undefined, 'the forward recommendation is replaced');
    const rec = json.trainingRecommendation;
    assert.ok(rec.simulated > json.training.simulated);
    const at = JSON.parse((await runCli(['sim', '-i', '256', '256', '-w', '80', '-s', ...rec.stride.map(String), '--backward', '--json'])).out);
    assert.equal(at.training.simulated, rec.simulated);
  });

  it('issue 22 configs finish with an exact or explicitly cut-off answer (work budget, not timings)', async () => {
    const rec = await runCli(['sim', '-i', '524288', '-w', '262144', '--recommend']);
    assert.equal(rec.code, 0, rec.err);
    assert.match(rec.out, /recommended stride 256: 2\.00× simulated \(now 2\.00×\), perfectly block-sparse/);
    const tiny = JSON.parse((await runCli(['sim', '-i', '67108864', '-w', '7', '--q-tile', '1', '--kv-tile', '1', '--json'])).out);
    assert.deepEqual([tiny.visited, tiny.worstQTileVisits, tiny.qTiles], [7 * 2 ** 26, 7, 2 ** 26]);
    const single = await runCli(['sim', '-i', '8192', '8192', '-w', '4095', '4095', '--tiling', 'single']);
    assert.equal(single.code, 0, single.err);
    assert.match(single.out, /single-dimensional tiling skipped: work above budget \(about 1\.5e\+11 steps, the budget is 2\.0e\+6\)/);
    const json = JSON.parse((await runCli(['sim', '-i', '8192', '8192', '-w', '4095', '4095', '--tiling', 'single', '--json'])).out);
    assert.equal(json.simulated, undefined);
    assert.match(json.skipped[0], /work above budget/);
    const odd = await runCli(['sim', '-i', '524288', '-w', '262143', '--recommend']);
    assert.match(odd.out, /search cut off after stride \d+ on axis 0: work above budget; the floor was reached, only the block-sparse search is incomplete/);
  });

  it('the 3-line file of issue 22 (kernel_size=33554432 under input_size=(67108864,)) lints with its recommendation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gna-hang-'));
    const file = join(dir, 'hang.py');
    writeFileSync(file, 'from natten import na1d\n# gna: input_size=(67108864,)\nout = na1d(q, k, v, kernel_size=33554432)\n');
    const r = await runCli(['lint', file]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /gna\/not-block-sparse: .*stride=256 makes every tile pair full or empty/);
    assert.match(r.out, /gna\/summary: 50% sparse \(50% attended\) · 2\.00× simulated speedup/);
  });

  it('lists every problem of invalid input, exits 2, no stack trace', async () => {
    const r = await runCli(['sim', '-i', '10', '12', '-w', '1', '7', '-s', '9', '--dilation', '2', '--bogus']);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /unknown option --bogus/);
    const r2 = await runCli(['sim', '-i', '10', '12', '-w', '1', '7', '-s', '9', '--dilation', '2']);
    assert.equal(r2.code, 2);
    for (const text of ['kernel_size must be >= 2', 'stride must be <= kernel_size', 'kernel_size * dilation must be <= input size']) {
      assert.ok(r2.err.includes(text), `missing: ${text}\n${r2.err}`);
    }
    assert.doesNotMatch(r2.err, /at .*\.js:\d+/);
    const r3 = await runCli(['sim', '-i', '8', '-w', '3', '-c', 'maybe', '--arch', 'volta']);
    assert.equal(r3.code, 2);
    assert.match(r3.err, /--causal takes true\/false\/1\/0/);
    assert.match(r3.err, /--arch must be one of hopper, blackwell, ampere/);
  });

  it('simulates every problem of a JSON file and reports bad files clearly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gna-sim-'));
    const good = join(dir, 'problems.json');
    writeFileSync(good, JSON.stringify([{ label: 'a', inputSize: [32768], windowSize: 2048, stride: 256 }, { label: 'b', inputSize: [64, 64], windowSize: [8, 8] }]));
    const r = await runCli(['sim', '--config', good, '--json']);
    assert.equal(r.code, 0, r.err);
    const list = JSON.parse(r.out);
    assert.deepEqual(list.map((x: { label: string }) => x.label), ['a', 'b']);
    assert.equal(list[0].simulated, 16);

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ inputSize: [8], windowSize: 9 }, { inputSize: 'x', windowSize: 2 }]));
    const r2 = await runCli(['sim', '--config', bad]);
    assert.equal(r2.code, 2);
    assert.match(r2.err, /problem 2: inputSize: Invalid input/);
    writeFileSync(bad, '{ not json');
    assert.equal((await runCli(['sim', '--config', bad])).code, 2);
    assert.equal((await runCli(['sim', '--config', join(dir, 'missing.json')])).code, 2);
  });

  it('rejects absurd sizes without hanging', async () => {
    const r = await runCli(['sim', '-i', '100000', '100000', '-w', '3']);
    assert.equal(r.code, 2);
    assert.match(r.err, /at most 67108864/);
  });
});
