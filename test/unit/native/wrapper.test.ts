// The TypeScript wrapper and the addon's error paths, on a machine without a GPU: a missing or
// broken addon, requests the core's checks refuse, "no CUDA device" as a normal answer, GPU
// calls that reject with codes, cancellation, and the caller's stack on every error.
import { strict as assert } from 'assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DEFAULT_ENGINE_OPTIONS, GnaProblem } from '../../../extension/core';
import { addonCandidates, AddonLoader, GnaNative, GnaNativeError } from '../../../extension/native';

const problem: GnaProblem = { inputSize: [16, 12], windowSize: [5, 4], stride: [2, 1], dilation: [1, 2], causal: [false, true] };
const workload = { batch: 1, heads: 2, headDim: 32 };
const elements = 16 * 12 * 2 * 32;
const filled = (n: number) => new Float32Array(n).fill(0.5);

/** Resolves to the rejection of `p`, failing if it resolves. */
async function rejection(p: Promise<unknown>): Promise<GnaNativeError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof GnaNativeError, `a GnaNativeError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a rejection');
}

describe('native wrapper', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gna-native-test-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('without the addon', () => {
    const missing = () => new GnaNative(new AddonLoader(() => [join(dir, 'a', 'gna_native.node'), join(dir, 'b', 'gna_native.node')]));

    it('deviceInfo() answers normally, naming every path tried and what to do', () => {
      const info = missing().deviceInfo();
      assert.equal(info.available, false);
      assert.equal(info.addonLoaded, false);
      assert.equal(info.code, 'GNA_ERR_NOT_BUILT');
      assert.ok(info.message.includes(join(dir, 'a', 'gna_native.node')), info.message);
      assert.ok(info.message.includes(join(dir, 'b', 'gna_native.node')), info.message);
      assert.match(info.message, /npm install/);
    });

    it('benchmark() rejects with GNA_ERR_NOT_BUILT and the paths', async () => {
      const e = await rejection(missing().benchmark({ problem, workload }));
      assert.equal(e.code, 'GNA_ERR_NOT_BUILT');
      assert.ok(e.message.includes(join(dir, 'a', 'gna_native.node')));
    });

    it('checks the request before looking for the addon', async () => {
      const e = await rejection(missing().benchmark({ problem: { ...problem, windowSize: [1, 4] }, workload }));
      assert.equal(e.code, 'GNA_ERR_INVALID');
    });

    it('a file that is not an addon gives GNA_ERR_LOAD naming it', () => {
      const bogus = join(dir, 'gna_native.node');
      writeFileSync(bogus, 'not an ELF file');
      const status = new GnaNative(new AddonLoader(() => [bogus])).status();
      assert.equal(status.loaded, false);
      if (!status.loaded) {
        assert.equal(status.error.code, 'GNA_ERR_LOAD');
        assert.ok(status.error.message.includes(bogus));
      }
    });

    it("candidates: $GNA_NATIVE_ADDON first, then only this package's own native/build/Release, then beside the loader", () => {
      // /x/y is the package (as <root>/dist holds the bundle); /x and / above it are not searched.
      const paths = addonCandidates('/x/y/dist', { GNA_NATIVE_ADDON: '/custom/gna_native.node' }, (dir) => dir === '/x/y');
      assert.deepEqual(paths, ['/custom/gna_native.node', '/x/y/native/build/Release/gna_native.node', '/x/y/dist/gna_native.node']);
      const compiledTests = addonCandidates('/r/out/extension/native', {}, (dir) => dir === '/r');
      assert.deepEqual(compiledTests, ['/r/native/build/Release/gna_native.node', '/r/out/extension/native/gna_native.node']);
    });

    it('a folder whose package.json is not this package is not searched, even with an addon planted in it', () => {
      const outer = mkdtempSync(join(tmpdir(), 'gna-planted-'));
      mkdirSync(join(outer, 'native', 'build', 'Release'), { recursive: true });
      writeFileSync(join(outer, 'native', 'build', 'Release', 'gna_native.node'), 'planted');
      writeFileSync(join(outer, 'package.json'), JSON.stringify({ name: 'someone-else' }));
      mkdirSync(join(outer, 'dist'));
      assert.deepEqual(addonCandidates(join(outer, 'dist'), {}), [join(outer, 'dist', 'gna_native.node')]);
      writeFileSync(join(outer, 'package.json'), JSON.stringify({ name: 'gna-studio' }));
      assert.deepEqual(addonCandidates(join(outer, 'dist'), {}), [join(outer, 'native', 'build', 'Release', 'gna_native.node'), join(outer, 'dist', 'gna_native.node')]);
    });
  });

  describe('with the built addon, no GPU here', () => {
    const native = new GnaNative();

    it('loads from the source tree', () => {
      const status = native.status();
      assert.ok(status.loaded, status.loaded ? '' : status.error.message);
    });

    it('deviceInfo() says "no NVIDIA driver" or "no CUDA device" as a normal answer', () => {
      const info = native.deviceInfo();
      assert.equal(info.addonLoaded, true);
      assert.equal(info.available, false);
      assert.deepEqual(info.devices, []);
      // Without libcuda.so.1 the runtime's own error reads "driver version is insufficient".
      assert.match(info.message, info.builtWithCuda && info.driverVersion === 0 ? /^no NVIDIA driver: / : /^no CUDA device/);
      assert.equal(info.code, info.builtWithCuda ? 'GNA_ERR_NO_DEVICE' : 'GNA_ERR_NOT_BUILT');
    });

    it('cudaForward() rejects with the reason there is no device', async () => {
      const info = native.deviceInfo();
      const e = await rejection(
        native.cudaForward({ problem, workload, dtype: 'float16', tiles: { q: [8, 8], kv: [8, 8] }, q: filled(elements), k: filled(elements), v: filled(elements) }),
      );
      assert.equal(e.code, info.code);
      assert.match(e.message, /no CUDA device/);
    });

    it('benchmark() rejects with the reason there is no device', async () => {
      const e = await rejection(native.benchmark({ problem, workload, tiles: { q: [8, 8], kv: [8, 8] } }));
      assert.equal(e.code, native.deviceInfo().code);
    });

    it('a cancelled signal stops a benchmark before it starts', async () => {
      const controller = new AbortController();
      controller.abort();
      const e = await rejection(native.benchmark({ problem, workload }, controller.signal));
      assert.equal(e.code, 'GNA_ERR_CANCELLED');
    });

    it('invalid problems reject with every NATTEN-worded issue', async () => {
      const e = await rejection(
        native.referenceForward({
          problem: { inputSize: [8, 8], windowSize: [5, 9], stride: [6, 1] },
          workload: { batch: 1, heads: 1, headDim: 4 },
          q: filled(256),
          k: filled(256),
          v: filled(256),
        }),
      );
      assert.equal(e.code, 'GNA_ERR_INVALID');
      assert.ok(e.issues.some((i) => /stride must be <= kernel_size/.test(i)), e.message);
      assert.ok(e.issues.some((i) => /kernel_size \* dilation must be <= input size/.test(i)), e.message);
    });

    it('wrong tensor sizes, types, head dims, dtypes and tiles are listed together', async () => {
      const e = await rejection(
        native.cudaForward({
          problem,
          workload: { batch: 1, heads: 2, headDim: 48 },
          dtype: 'float8' as 'float16',
          tiles: { q: [8, 0], kv: [8] },
          q: filled(10),
          k: new Float64Array(elements) as unknown as Float32Array,
          v: filled(elements),
          passes: 17,
        }),
      );
      assert.equal(e.code, 'GNA_ERR_INVALID');
      const text = e.issues.join('\n');
      assert.match(text, /passes must be an integer in 1..16, got 17/);
      assert.match(text, /head dims 32, 64, 128, 256, got headDim=48/);
      assert.match(text, /dtype must be 'float16' or 'bfloat16'/);
      assert.match(text, /q_tile_shape must hold positive integers/);
      assert.match(text, /kv_tile_shape must have 2 entries/);
      assert.match(text, /q has 10 elements/);
      assert.match(text, /k must be a Float32Array/);
    });

    it('mixed float32 / float64 tensors are refused', async () => {
      const n = 16 * 12 * 2 * 32;
      const e = await rejection(native.referenceForward({ problem, workload, q: new Float64Array(n), k: filled(n) as unknown as Float64Array, v: new Float64Array(n) }));
      assert.equal(e.code, 'GNA_ERR_INVALID');
      assert.match(e.message, /k must be a Float64Array like q/);
    });

    it("errors carry the caller's stack", async function callerOfTheNativeLayer() {
      const e = await rejection(native.benchmark({ problem, workload, tiles: { q: [8, 8], kv: [8, 8] } }));
      assert.match(e.stack ?? '', /callerOfTheNativeLayer/);
      assert.match(e.stack ?? '', /^GnaNativeError \[GNA_ERR_/);
      const invalid = await rejection(native.benchmark({ problem: { ...problem, stride: [9, 9] }, workload }));
      assert.match(invalid.stack ?? '', /callerOfTheNativeLayer/);
    });

    it('the raw addon refuses wrong argument types with TypeError / RangeError, never a crash', () => {
      const raw = new AddonLoader().get();
      assert.throws(() => raw.tileRanges({ inputSize: 'x' } as never, { q: [1], kv: [1] }), TypeError);
      assert.throws(() => raw.quantize([1, 2] as never, 'float16'), TypeError);
      assert.throws(
        () => raw.referenceForward({ problem, shape: { ...workload, scale: 1 }, q: filled(3), k: filled(3), v: filled(3) }),
        RangeError,
      );
      assert.throws(() => raw.benchmark({} as never), TypeError);
      const forward = { problem, shape: { ...workload, scale: 1 }, tiles: { q: [8, 8], kv: [8, 8] }, dtype: 'float16' as const, device: 0, options: DEFAULT_ENGINE_OPTIONS };
      const tensors = { q: filled(elements), k: filled(elements), v: filled(elements) };
      assert.throws(() => raw.cudaForward({ ...forward, ...tensors, passes: 1.5 }), TypeError);
      const bench = { ...forward, warmup: 1, repeats: 1, seed: 1 };
      assert.throws(() => raw.benchmark(bench, {} as never), TypeError);
      // The engine options: every field typed, none left out (the wrapper always sends them all).
      for (const options of [undefined, { ...DEFAULT_ENGINE_OPTIONS, kernel: 'fastest' }, { ...DEFAULT_ENGINE_OPTIONS, pdl: 1 }, { ...DEFAULT_ENGINE_OPTIONS, maxCtas: 0.5 }, { ...DEFAULT_ENGINE_OPTIONS, trace: 7 }, { ...DEFAULT_ENGINE_OPTIONS, trace: 'x'.repeat(1024) }, { ...DEFAULT_ENGINE_OPTIONS, emptyKernel: 'yes' }, { ...DEFAULT_ENGINE_OPTIONS, variant: '1' }]) {
        assert.throws(() => raw.benchmark({ ...bench, options } as never), TypeError, JSON.stringify(options)?.slice(0, 80));
      }
      const { chain: _chain, ...launchOnly } = DEFAULT_ENGINE_OPTIONS;
      assert.throws(() => raw.benchmark({ ...bench, options: launchOnly } as never), /chain must be a number/);
    });

    it('the raw addon checks the problem itself too (C++ backstop)', async () => {
      const raw = new AddonLoader().get();
      const bad = { ...problem, windowSize: [20, 4] };
      assert.throws(
        () => raw.referenceForward({ problem: bad, shape: { ...workload, scale: 1 }, q: filled(elements), k: filled(elements), v: filled(elements) }),
        (e: Error & { code?: string }) => e.code === 'GNA_ERR_INVALID' && /kernel_size \* dilation/.test(e.message),
      );
    });

    it('the C layer refuses a pass count out of range itself (CUDA build), or says it has no CUDA', async () => {
      const raw = new AddonLoader().get();
      const forward = { problem, shape: { ...workload, scale: 1 }, tiles: { q: [8, 8], kv: [8, 8] }, dtype: 'float16' as const, device: 0, options: DEFAULT_ENGINE_OPTIONS };
      const n = elements;
      let caught: (Error & { code?: string }) | undefined;
      try {
        await raw.cudaForward({ ...forward, q: filled(n), k: filled(n), v: filled(n), passes: 99 });
      } catch (e) {
        caught = e as Error & { code?: string };
      }
      assert.ok(caught, 'expected a rejection');
      if (raw.builtWithCuda) {
        assert.equal(caught.code, 'GNA_ERR_INVALID');
        assert.match(caught.message, /passes must be between 1 and 16/);
      } else {
        assert.equal(caught.code, 'GNA_ERR_NOT_BUILT');
      }
    });

    it('CancelToken flips once cancelled', () => {
      const raw = new AddonLoader().get();
      const token = new raw.CancelToken();
      assert.equal(token.cancelled, false);
      token.cancel();
      assert.equal(token.cancelled, true);
    });
  });
});
