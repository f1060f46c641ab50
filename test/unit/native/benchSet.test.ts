// Issue 18's benchmark problem set (native/bench/issue18.json, read by test/gpu/bench.ts and
// native/bench/peers.py --set issue18): what the issue asks it to cover, on the tiles the simulator
// and the kernel share, every config taken by the Hopper kernel.
import { strict as assert } from 'assert';
import { join } from 'path';
import { defaultTiles, problemOrIssues, product } from '../../../extension/core';
import { GnaNative } from '../../../extension/native';
import { problemOf, setProblems } from '../../gpu/benchProblems';

const set = setProblems(join(__dirname, '../../../../native/bench'), 'issue18');
const all = set.flatMap((p) => p.configs.map((c) => ({ p, c, problem: problemOf(p, c) })));

describe("issue 18's benchmark problem set", () => {
  it('names carry the head dim; tiles are the default Hopper preset; peer tiles are 128-token tiles that divide the layout', () => {
    assert.equal(new Set(set.map((p) => p.name)).size, set.length);
    for (const p of set) {
      assert.ok(p.name.startsWith(`d${p.headDim}-`), p.name);
      const preset = defaultTiles('hopper', p.layout.length, p.headDim)!;
      assert.deepEqual(p.tiles, { q: preset.q, kv: preset.kv }, p.name);
      assert.ok(['bfloat16', 'float16'].includes(p.dtype));
      const divides = (t: readonly number[]) => t.every((x, i) => p.layout[i] % x === 0);
      if (p.peerTile) {
        assert.equal(product(p.peerTile), 128, p.name);
        assert.ok(divides(p.peerTile) && [p.tiles.q, p.tiles.kv].some((t) => t.join() === p.peerTile!.join()), p.name);
      } else {
        assert.ok(!divides(p.tiles.q) || !divides(p.tiles.kv), `${p.name}: a null peer tile only where the tiles do not divide`);
      }
    }
  });

  it('covers head dims {32, 64, 128, 256} × {1-D, 2-D, 3-D}, small and large windows, stride, dilation, causal 1-D with 16+ heads, batch > 1, undivided layouts', () => {
    for (const d of [32, 64, 128, 256]) for (const rank of [1, 2, 3]) assert.ok(set.some((p) => p.headDim === d && p.layout.length === rank), `d${d} ${rank}-D`);
    const has = (what: string, f: (x: (typeof all)[number]) => boolean) => assert.ok(all.some(f), what);
    has('7×7', ({ c }) => c.window.length === 2 && c.window.every((k) => k === 7));
    has('13×13 dilated', ({ c }) => c.window.every((k) => k === 13) && (c.dilation ?? []).some((d) => d > 1));
    has('large window with stride', ({ c }) => c.window.some((k) => k >= 64) && c.stride.some((s) => s > 1));
    has('large window without stride', ({ c }) => c.window.some((k) => k >= 64) && c.stride.every((s) => s === 1));
    has('causal 1-D, 16+ heads, window 1-4K', ({ p, c }) => p.layout.length === 1 && p.heads >= 16 && !!c.causal?.[0] && c.window[0] >= 1024 && c.window[0] <= 4096);
    has('batch > 1', ({ p }) => p.batch > 1);
    has('a layout the Q tiles do not divide', ({ p }) => p.layout.some((n, i) => n % p.tiles.q[i] !== 0));
    for (const d of [32, 64, 128, 256]) has(`d${d} causal or small window`, ({ p, c }) => p.headDim === d && (!!c.causal?.some((x) => x) || c.window.every((k) => k <= 13)));
  });

  it('every config is a valid problem that the Hopper kernel takes (the engine choice, without a GPU)', () => {
    const native = new GnaNative();
    for (const { p, c, problem } of all) {
      assert.ok('problem' in problemOrIssues(problem), `${p.name} ${c.label}`);
      const choice = native.hopperChoice(problem, { batch: p.batch, heads: p.heads, headDim: p.headDim }, p.tiles, 'hopper');
      assert.notEqual(choice.path, 'none', `${p.name} ${c.label}: ${choice.why}`);
      const dilated = (c.dilation ?? []).some((d) => d > 1);
      if (dilated) assert.equal(choice.path, 'permuted', `${p.name} ${c.label}`);
    }
  });
});
