// The benchmark runner shared by `gna bench` and the editor: call order, one dense baseline per
// series, the comparison against each point's simulation, and failures passed through whole.
import { strict as assert } from 'assert';
import { BenchCall, cudaVersion, describeGpu, formatMs, kernelVariant, measureSeries, optionsText, recordedTiming } from '../../../extension/core/bench';
import { DEFAULT_ENGINE_OPTIONS, RecordedTimingSchema } from '../../../extension/core/schema';
import { denseBaseline, GnaProblem } from '../../../extension/core/problem';
import { simulate } from '../../../extension/core/simulator';

const FLUX: GnaProblem = { inputSize: [256, 256], windowSize: [80, 80], stride: [16, 16], dilation: [1, 1], causal: [false, false] };
const TILES = { q: [16, 8], kv: [16, 8] };
const WORKLOAD = { batch: 1, heads: 24, headDim: 128 };
const BASE = { workload: WORKLOAD, tiles: TILES, dtype: 'bfloat16' as const, device: 0, warmup: 3, repeats: 10 };

/** Times each call as a fixed cost per tile pair the simulator visits: ratios are predictable. */
function pairCost(calls: BenchCall[], msPerPair = 0.001) {
  return {
    async benchmark(call: BenchCall, signal?: { aborted: boolean }) {
      calls.push(call);
      if (signal?.aborted) throw Object.assign(new Error('cancelled'), { code: 'GNA_ERR_CANCELLED' });
      const run = call.dense ? denseBaseline(call.problem, call.tiles) : call;
      const sim = simulate(run.problem, run.tiles);
      return { attentionMs: sim.visited * msPerPair, permuteMs: 0.5, visited: sim.visited };
    },
  };
}

describe('core: benchmark runner', () => {
  it('times dense once, then each point, on the same tiles, workload and dtype', async () => {
    const calls: BenchCall[] = [];
    const points = [1, 4, 16].map((s) => ({ problem: { ...FLUX, stride: [s, s] }, simulation: simulate({ ...FLUX, stride: [s, s] }, TILES) }));
    const steps: string[] = [];
    const run = await measureSeries(pairCost(calls), BASE, points, { onStep: (s) => steps.push(`${s.index}/${s.count}${s.dense ? ' dense' : ''}`) });
    assert.deepEqual(calls.map((c) => [c.dense ?? false, c.problem.stride.join('x')]), [[true, '1x1'], [false, '1x1'], [false, '4x4'], [false, '16x16']]);
    assert.ok(calls.every((c) => c.tiles === TILES && c.workload === WORKLOAD && c.dtype === 'bfloat16' && c.repeats === 10));
    assert.deepEqual(steps, ['0/4 dense', '1/4', '2/4', '3/4']);
    // Cost per visited pair: measured = total / visited = the tile-pair bound (GNA-SPEC §6: 7.51×, 10.24×).
    assert.equal(run.points[0].comparison.measured.toFixed(2), '7.51');
    assert.equal(run.points[2].comparison.measured.toFixed(2), '10.24');
    assert.equal(run.points[0].comparison.simulated.toFixed(2), '6.65');
    assert.equal(run.points[2].comparison.shareOfBound, 1);
    assert.equal(run.points[1].comparison.denseMs, run.dense.attentionMs);
  });

  it('the dense baseline is self attention over the flattened tokens: a kernel whose time is its steps reaches 100% of the bound on padded and dilated configs', async () => {
    // Time = Q tiles × the worst Q tile's KV tiles: what a fused kernel with one item per Q tile does.
    const stepCost = (calls: BenchCall[]) => ({
      async benchmark(call: BenchCall) {
        calls.push(call);
        const run = call.dense ? denseBaseline(call.problem, call.tiles) : call;
        const sim = simulate(run.problem, run.tiles);
        return { attentionMs: sim.steps * 0.001, permuteMs: 0, visited: sim.visited };
      },
    });
    const hunyuan: GnaProblem = { inputSize: [30, 48, 80], windowSize: [18, 24, 24], stride: [1, 1, 1], dilation: [1, 1, 1], causal: [false, false, false] };
    const dinat: GnaProblem = { inputSize: [56, 56], windowSize: [7, 7], stride: [1, 1], dilation: [8, 8], causal: [false, false] };
    for (const [problem, tiles] of [
      [hunyuan, { q: [4, 8, 8], kv: [2, 8, 8] }],
      [dinat, { q: [2, 32], kv: [2, 32] }],
    ] as const) {
      const calls: BenchCall[] = [];
      const simulation = simulate(problem, tiles);
      const run = await measureSeries(stepCost(calls), { ...BASE, tiles }, [{ problem, simulation }]);
      assert.deepEqual(denseBaseline(problem, tiles).problem.inputSize, [problem.inputSize.reduce((a, b) => a * b, 1)]);
      assert.equal(run.dense.attentionMs, simulation.total * 0.001, 'dense: ceil(N/T_q)·ceil(N/T_kv) steps');
      assert.ok(Math.abs(run.points[0].comparison.shareOfBound - 1) < 1e-12, `${problem.inputSize.join('×')}: share ${run.points[0].comparison.shareOfBound}`);
      assert.ok(simulation.paperSimulated! > simulation.simulated, 'the paper ratio would have put the share below 100%');
    }
  });

  it('refuses points on different layouts, and an empty series', async () => {
    const other = { ...FLUX, inputSize: [128, 128], windowSize: [40, 40], stride: [1, 1] };
    await assert.rejects(measureSeries(pairCost([]), BASE, [{ problem: FLUX, simulation: simulate(FLUX, TILES) }, { problem: other, simulation: simulate(other, TILES) }]), /one token layout at a time/);
    await assert.rejects(measureSeries(pairCost([]), BASE, []), /at least one point/);
  });

  it('passes the engine’s failure through (no partial series), with the signal it was given', async () => {
    const calls: BenchCall[] = [];
    const signal = { aborted: true };
    await assert.rejects(measureSeries(pairCost(calls), BASE, [{ problem: FLUX, simulation: simulate(FLUX, TILES) }], { signal }), (e: { code?: string }) => e.code === 'GNA_ERR_CANCELLED');
    assert.equal(calls.length, 1, 'stopped at the first rejection');
  });

  it('keeps a timing’s numbers and its kernel variant when the engine names one', () => {
    const t = { attentionMs: 2, permuteMs: 0, totalMs: 2, repeats: 10, visited: 5, full: 5, tflops: 1, problem: FLUX, device: 0 };
    assert.deepEqual(recordedTiming(t), { attentionMs: 2, permuteMs: 0, totalMs: 2, repeats: 10, visited: 5, full: 5, tflops: 1 });
    assert.equal(recordedTiming({ ...t, kernel: 'sm90a wgmma+TMA, direct layout' }).kernel, 'sm90a wgmma+TMA, direct layout');
    assert.equal(recordedTiming({ ...t, kernel: '' }).kernel, undefined);
    assert.equal(kernelVariant({ gna: recordedTiming(t), dense: recordedTiming({ ...t, kernel: 'portable mma.sync' }) }), 'portable mma.sync');
    assert.equal(kernelVariant({ gna: recordedTiming(t), dense: recordedTiming(t) }), 'not reported');
  });

  it('keeps the engine options a timing ran under, and names those that are not the defaults', () => {
    const t = { attentionMs: 2, permuteMs: 0, totalMs: 2, repeats: 10, visited: 5, full: 5, tflops: 1, kernel: 'sm90a wgmma+TMA, direct layout' };
    const defaults = recordedTiming({ ...t, options: DEFAULT_ENGINE_OPTIONS });
    assert.deepEqual(defaults.options, DEFAULT_ENGINE_OPTIONS);
    assert.equal(kernelVariant({ gna: defaults, dense: defaults }), 'sm90a wgmma+TMA, direct layout');
    const changed = recordedTiming({ ...t, options: { ...DEFAULT_ENGINE_OPTIONS, kernel: 'permuted', pdl: false, maxCtas: 3, chain: 8, emptyKernel: true, trace: '/tmp/t', variant: 1 } });
    assert.equal(
      kernelVariant({ gna: changed, dense: defaults }),
      'sm90a wgmma+TMA, direct layout (permuted kernel asked for, no PDL, at most 3 CTAs, time per pass of 8 chained, empty kernel: the launch floor, traced, Hopper kernel variant 1)',
    );
    // One option at a time: each non-default field is named, and only that one.
    for (const [key, value] of [['kernel', 'portable'], ['pdl', false], ['maxCtas', 2], ['chain', 2], ['emptyKernel', true], ['trace', 'f'], ['variant', 1]] as const) {
      const text = optionsText({ ...DEFAULT_ENGINE_OPTIONS, [key]: value });
      assert.ok(text !== '' && !text.includes(','), `${key}: ${text}`);
    }
    assert.equal(optionsText(DEFAULT_ENGINE_OPTIONS), '');
    // A record made before the kernel variant option existed still reads, as the measured kernel.
    const { variant: _variant, ...before } = DEFAULT_ENGINE_OPTIONS;
    const old = RecordedTimingSchema.parse({ ...t, options: before });
    assert.equal(old.options?.variant, 0);
    assert.equal(optionsText(old.options!), '');
  });

  it('formats versions, GPUs and times as the CLI prints them', () => {
    assert.equal(cudaVersion(13000), '13.0');
    assert.equal(cudaVersion(12040), '12.4');
    assert.equal(cudaVersion(0), 'none');
    assert.equal(describeGpu({ index: 0, name: 'NVIDIA H100 80GB HBM3', computeCapability: '9.0', multiprocessors: 132, totalMemBytes: 1 }), 'NVIDIA H100 80GB HBM3 (sm_90, 132 SMs)');
    assert.equal(describeGpu(null), 'no GPU recorded');
    assert.deepEqual([formatMs(0.1612), formatMs(16.91), formatMs(131.62)], ['0.161 ms', '16.91 ms', '131.6 ms']);
  });
});
