// The native engine's options (core/schema.ts EngineOptionsSchema): the wrapper fills in the
// defaults, checks every field, hands all of them to the addon and returns them with the result;
// the N-API glue and the C layer refuse what is malformed; the GPU scripts' environment switches
// map to them as the engine read them before they became options.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { DEFAULT_ENGINE_OPTIONS, EngineOptions, EngineOptionsSchema, GnaProblem } from '../../../extension/core';
import { AddonLoader, engineOptionsFromEnv, GnaNative, GnaNativeError } from '../../../extension/native';
import type { NativeAddon, RawBenchmarkArgs, RawCudaForwardArgs } from '../../../extension/native/native';

const problem: GnaProblem = { inputSize: [16, 12], windowSize: [5, 4], stride: [2, 1], dilation: [1, 1], causal: [false, false] };
const workload = { batch: 1, heads: 1, headDim: 32 };
const elements = 16 * 12 * 32;

/** An addon that records what it is asked and answers fixed counts (no GPU needed). */
function recordingEngine(defaults: Partial<EngineOptions> = {}) {
  const calls: { benchmark: RawBenchmarkArgs[]; cudaForward: RawCudaForwardArgs[] } = { benchmark: [], cudaForward: [] };
  const counts = { visited: 12, full: 6, kernel: 'portable mma.sync' };
  const addon = {
    abiVersion: 3,
    builtWithCuda: true,
    CancelToken: class {
      cancelled = false;
      cancel(): void {
        this.cancelled = true;
      }
    },
    async benchmark(args: RawBenchmarkArgs) {
      calls.benchmark.push(args);
      return { attentionMs: 2, permuteMs: 0.5, totalMs: 2.5, repeats: args.repeats, ...counts };
    },
    async cudaForward(args: RawCudaForwardArgs) {
      calls.cudaForward.push(args);
      return { output: new Float32Array(args.q.length), ...counts };
    },
  } as unknown as NativeAddon;
  const loader = { get: () => addon, status: () => ({ loaded: true, path: 'recording', builtWithCuda: true }) } as unknown as AddonLoader;
  return { native: new GnaNative(loader, defaults), calls };
}

async function rejection(p: Promise<unknown>): Promise<GnaNativeError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof GnaNativeError, String(e));
    return e;
  }
  assert.fail('expected a rejection');
}

describe('native engine options', () => {
  it('a benchmark runs under the defaults unless told otherwise, and its result says which options it ran under', async () => {
    const { native, calls } = recordingEngine();
    const plain = await native.benchmark({ problem, workload, dtype: 'float16', repeats: 3 });
    assert.deepEqual(calls.benchmark[0].options, DEFAULT_ENGINE_OPTIONS);
    assert.deepEqual(plain.options, DEFAULT_ENGINE_OPTIONS);
    const traced = await native.benchmark({ problem, workload, options: { pdl: false, chain: 8, trace: '/tmp/t.txt' } });
    const expected = { ...DEFAULT_ENGINE_OPTIONS, pdl: false, chain: 8, trace: '/tmp/t.txt' };
    assert.deepEqual(calls.benchmark[1].options, expected);
    assert.deepEqual(traced.options, expected);
    assert.equal(traced.kernel, 'portable mma.sync');
  });

  it("the engine's defaults (the scripts' environment) come between the built-in ones and the request's", async () => {
    const { native, calls } = recordingEngine({ kernel: 'permuted', maxCtas: 3, chain: 4 });
    const r = await native.benchmark({ problem, workload, options: { chain: 1 } });
    assert.deepEqual(r.options, { ...DEFAULT_ENGINE_OPTIONS, kernel: 'permuted', maxCtas: 3, chain: 1 });
    // The forward pass takes the launch options only: the benchmark's are not sent to it.
    const q = new Float32Array(elements);
    const f = await native.cudaForward({ problem, workload, dtype: 'bfloat16', q, k: q, v: q, options: { pdl: false } });
    const launch = { kernel: 'permuted', pdl: false, maxCtas: 3, trace: '', variant: 0 };
    assert.deepEqual(calls.cudaForward[0].options, launch);
    assert.deepEqual(f.options, launch);
  });

  it('malformed options are refused with every issue, before the addon is asked', async () => {
    const { native, calls } = recordingEngine();
    const e = await rejection(native.benchmark({ problem, workload, options: { kernel: 'fastest' as never, chain: 0, maxCtas: -1, variant: 4, extra: true } as never }));
    assert.equal(e.code, 'GNA_ERR_INVALID');
    for (const field of ['options.kernel', 'options.chain', 'options.maxCtas', 'options.variant', 'options: Unrecognized key']) assert.ok(e.message.includes(field), `${field} in ${e.message}`);
    // A kernel variant (issue 18's same-run A/B) is a launch option: the forward pass takes it too.
    const v = await native.benchmark({ problem, workload, options: { variant: 1 } });
    assert.deepEqual(v.options, { ...DEFAULT_ENGINE_OPTIONS, variant: 1 });
    assert.equal(calls.benchmark.pop()?.options.variant, 1);
    const q = new Float32Array(elements);
    const f = await rejection(native.cudaForward({ problem, workload, dtype: 'float16', q, k: q, v: q, options: { emptyKernel: true } as never }));
    assert.match(f.message, /options: Unrecognized key: "emptyKernel"/);
    // A trace path longer than the C side holds is refused here, in words, not by the glue.
    const long = await rejection(native.benchmark({ problem, workload, options: { trace: 'x'.repeat(1001) } }));
    assert.match(long.message, /options\.trace: /);
    assert.equal(calls.benchmark.length + calls.cudaForward.length, 0);
  });

  it('the C layer checks the launch options itself too (CUDA build), or says it has no CUDA', async () => {
    const raw = new AddonLoader().get();
    const shape = { ...workload, scale: 1 };
    const base = { problem, shape, tiles: { q: [8, 8], kv: [8, 8] }, dtype: 'float16' as const, device: 0 };
    const q = new Float32Array(elements);
    const forward = raw.cudaForward({ ...base, q, k: q, v: q, options: { ...DEFAULT_ENGINE_OPTIONS, maxCtas: -1 } });
    const variant = raw.cudaForward({ ...base, q, k: q, v: q, options: { ...DEFAULT_ENGINE_OPTIONS, variant: -1 } });
    const bench = raw.benchmark({ ...base, warmup: 1, repeats: 1, seed: 1, options: { ...DEFAULT_ENGINE_OPTIONS, chain: 1001 } });
    for (const [p, words] of [
      [forward, /invalid launch options/],
      [variant, /invalid launch options/],
      [bench, /chain in 0\.\.1000/],
    ] as const) {
      const e = (await p.then(
        () => assert.fail('expected a rejection'),
        (err: Error & { code?: string }) => err,
      )) as Error & { code?: string };
      if (raw.builtWithCuda) {
        assert.equal(e.code, 'GNA_ERR_INVALID');
        assert.match(e.message, words);
      } else assert.equal(e.code, 'GNA_ERR_NOT_BUILT');
    }
  });

  describe('environment switches of the GPU scripts', () => {
    it('map to the options the engine read them as', () => {
      assert.deepEqual(engineOptionsFromEnv({}), {});
      assert.deepEqual(
        engineOptionsFromEnv({ GNA_KERNEL: 'permuted', GNA_SM90_PDL: '0', GNA_SM90_CTAS: '3', GNA_SM90_TRACE: '/tmp/t.txt', GNA_SM90_VARIANT: '1', GNA_BENCH_CHAIN: '16', GNA_BENCH_EMPTY: '1' }),
        { kernel: 'permuted', pdl: false, maxCtas: 3, trace: '/tmp/t.txt', variant: 1, chain: 16, emptyKernel: true },
      );
      // What said nothing before says nothing now: an unknown kernel, PDL on, no cap, one pass, the measured kernel.
      assert.deepEqual(engineOptionsFromEnv({ GNA_KERNEL: 'fast', GNA_SM90_PDL: '1', GNA_SM90_CTAS: '0', GNA_SM90_TRACE: '', GNA_SM90_VARIANT: '0', GNA_BENCH_CHAIN: '1', GNA_BENCH_EMPTY: '0' }), {});
      // A variant the kernel does not have is passed on, for the schema to refuse in words.
      assert.deepEqual(engineOptionsFromEnv({ GNA_SM90_VARIANT: '3' }), { variant: 3 });
      assert.ok(EngineOptionsSchema.partial().strict().safeParse(engineOptionsFromEnv({ GNA_SM90_VARIANT: '3' })).success);
      assert.deepEqual(engineOptionsFromEnv({ GNA_SM90_VARIANT: '4' }), { variant: 4 });
      assert.ok(!EngineOptionsSchema.partial().strict().safeParse(engineOptionsFromEnv({ GNA_SM90_VARIANT: '4' })).success);
      assert.deepEqual(engineOptionsFromEnv({ GNA_BENCH_CHAIN: '5000', GNA_SM90_CTAS: '2x' }), { chain: 1000, maxCtas: 2 });
      // Issue 23: GNA_KERNEL=fa2 (or its full name) asks for the FA2-class portable kernel.
      assert.deepEqual(engineOptionsFromEnv({ GNA_KERNEL: 'fa2' }), { kernel: 'portable-fa2' });
      assert.deepEqual(engineOptionsFromEnv({ GNA_KERNEL: 'portable-fa2' }), { kernel: 'portable-fa2' });
      // ... and GNA_KERNEL=fa2-permuted the same kernel on token-permuted buffers (the direct layout's A/B).
      assert.deepEqual(engineOptionsFromEnv({ GNA_KERNEL: 'fa2-permuted' }), { kernel: 'portable-fa2-permuted' });
      assert.deepEqual(engineOptionsFromEnv({ GNA_KERNEL: 'portable-fa2-permuted' }), { kernel: 'portable-fa2-permuted' });
      for (const near of ['FA2', 'fa2 ', 'toString', '__proto__', 'constructor']) assert.deepEqual(engineOptionsFromEnv({ GNA_KERNEL: near }), {}, near);
    });

    it("send the FA2 kernel's name to the addon, and 'auto' stays the default", async () => {
      const { native, calls } = recordingEngine(engineOptionsFromEnv({ GNA_KERNEL: 'fa2' }));
      const r = await native.benchmark({ problem, workload });
      assert.equal(calls.benchmark[0].options.kernel, 'portable-fa2');
      assert.equal(r.options.kernel, 'portable-fa2');
      const plain = recordingEngine();
      await plain.native.benchmark({ problem, workload });
      assert.equal(plain.calls.benchmark[0].options.kernel, 'auto');
    });

    it('always give options the schema accepts, one per switch that says something', () => {
      const names = ['GNA_KERNEL', 'GNA_SM90_PDL', 'GNA_SM90_CTAS', 'GNA_SM90_TRACE', 'GNA_BENCH_CHAIN', 'GNA_BENCH_EMPTY'] as const; // GNA_SM90_VARIANT: any variant > 3 is refused, above
      const value = fc.oneof(fc.constantFrom('0', '1', '3', '16', 'portable', 'permuted', 'fa2', 'portable-fa2', 'fa2-permuted', '', '-2', '9999'), fc.string({ maxLength: 6 }));
      fc.assert(
        fc.property(fc.dictionary(fc.constantFrom(...names), value), (env) => {
          const options = engineOptionsFromEnv(env);
          assert.ok(EngineOptionsSchema.partial().strict().safeParse(options).success, JSON.stringify(options));
          assert.ok(Object.keys(options).length <= Object.keys(env).length);
        }),
      );
    });
  });
});
