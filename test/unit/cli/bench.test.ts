import { strict as assert } from 'assert';
import type { BenchEngine } from '../../../extension/cli/bench';
import { DEFAULT_ENGINE_OPTIONS, GnaProblem, simulate } from '../../../extension/core';
import type { BenchmarkRequest, BenchmarkResult, DeviceInfo } from '../../../extension/native';
import { runBench, runCli } from '../../support/cli';
import { H200 } from '../../support/passEngine';

const H100: DeviceInfo = { ...H200, devices: [{ index: 0, name: 'NVIDIA H100 80GB HBM3', computeCapability: '9.0', multiprocessors: 132, totalMemBytes: 80e9 }] };

/** An engine whose timings follow a fixed cost per visited tile pair, so ratios are predictable. */
function pairCostEngine(msPerPair: number, requests: BenchmarkRequest[], kernel?: string): BenchEngine {
  return {
    deviceInfo: () => H100,
    async benchmark(request) {
      requests.push(request);
      const problem = request.problem as GnaProblem;
      const p: GnaProblem = request.dense
        ? { ...problem, windowSize: problem.inputSize, stride: problem.inputSize.map(() => 1), dilation: problem.inputSize.map(() => 1), causal: problem.inputSize.map(() => false) }
        : problem;
      const sim = simulate(p, request.tiles!);
      const attentionMs = sim.visited * msPerPair;
      const result: BenchmarkResult = { problem: p, tiles: request.tiles!, dtype: request.dtype ?? 'bfloat16', device: 0, attentionMs, permuteMs: 0.5, totalMs: attentionMs + 0.5, repeats: request.repeats ?? 10, visited: sim.visited, full: sim.full, tflops: 0, options: { ...DEFAULT_ENGINE_OPTIONS, ...request.options }, ...(kernel ? { kernel } : {}) };
      return result;
    },
  };
}

const run = runBench;

describe('gna bench', () => {
  it('without a usable GPU: says why, shows the simulation, exits 3 (real addon on this machine)', async () => {
    const r = await runCli(['bench', '-i', '256', '256', '-w', '80', '-s', '16']);
    assert.equal(r.code, 3);
    assert.match(r.err, /gna bench: no usable GPU: /);
    assert.match(r.out, /simulated 10\.2×, tile-pair bound 10\.2×, FLOP-wise bound 10\.2×, block-sparse/);
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  });

  it('with no NVIDIA driver: says so once, not as an old driver', async () => {
    // What the CUDA build's deviceInfo answers where libcuda.so.1 is missing.
    const noDriver: DeviceInfo = { ...H100, available: false, code: 'GNA_ERR_NO_DEVICE', driverVersion: 0, devices: [], message: 'no NVIDIA driver: libcuda.so.1 was not found on this machine' };
    const engine: BenchEngine = { deviceInfo: () => noDriver, benchmark: () => Promise.reject(new Error('must not run')) };
    const text = await run(['-i', '64', '-w', '8'], engine);
    assert.equal(text.code, 3);
    assert.equal(text.err, 'gna bench: no usable GPU: no NVIDIA driver: libcuda.so.1 was not found on this machine\n');
    assert.doesNotMatch(text.out, /driver/);
    const json = await run(['-i', '64', '-w', '8', '--json'], engine);
    assert.equal(json.code, 3);
    assert.equal(json.err, '');
    assert.match(JSON.parse(json.out).reason, /^no usable GPU: no NVIDIA driver/);
  });

  it('times dense then GNA on the same tiles and reports measured beside simulated', async () => {
    const requests: BenchmarkRequest[] = [];
    const r = await run(['-i', '30', '48', '80', '-w', '18', '24', '24', '-s', '16', '8', '8', '--q-tile', '2', '8', '8', '--kv-tile', '2', '8', '8', '-n', '24', '--json'], pairCostEngine(0.001, requests));
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(requests.map((q) => q.dense ?? false), [true, false]);
    assert.deepEqual(requests[0].tiles, requests[1].tiles);
    const json = JSON.parse(r.out);
    // Cost per visited pair makes the measured speedup the tile-pair ratio, 810000 / 72900.
    assert.equal(json.measured.toFixed(4), (810000 / 72900).toFixed(4));
    assert.equal(json.simulated.toFixed(2), '11.11');
    // Each timing says how it was measured (here the engine's defaults), for the history's Import.
    assert.deepEqual([json.dense.options, json.gna.options], [DEFAULT_ENGINE_OPTIONS, DEFAULT_ENGINE_OPTIONS]);
    assert.equal(json.shareOfBound.toFixed(3), ((810000 / 72900) / json.simulated).toFixed(3));
    assert.equal(json.measuredWithPermute, json.denseMs / (json.gnaMs + 0.5));
    assert.equal(json.device.name, 'NVIDIA H100 80GB HBM3');
    // 4 · visited · 128 · 128 · 128 · 24 FLOP in gnaMs.
    assert.equal(json.gnaTflops.toFixed(6), ((4 * 72900 * 128 * 128 * 128 * 24) / (json.gnaMs * 1e-3) / 1e12).toFixed(6));
  });

  it('prints a readable table', async () => {
    const r = await run(['-i', '256', '256', '-w', '80', '80', '--dtype', 'fp16'], pairCostEngine(0.002, []));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /GPU\s+NVIDIA H100 80GB HBM3 \(sm_90, 132 SMs\), driver 13\.0, CUDA runtime 13\.0, float16/);
    assert.match(r.out, /measured speedup\s+7\.51×/);
    assert.match(r.out, /simulated speedup\s+6\.65×/);
    assert.match(r.out, /kernel\s+not reported\n/);
  });

  it('says which kernel ran (the engine names the variant and head dim)', async () => {
    const r = await run(['-i', '64', '64', '-w', '7', '7', '--dim', '64'], pairCostEngine(0.002, [], 'sm90a wgmma+TMA, direct layout, d64'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\n {2}kernel\s+sm90a wgmma\+TMA, direct layout, d64\n/);
  });

  it('turns a GPU failure into a message and exit 4, and bad flags into exit 2', async () => {
    const failing: BenchEngine = {
      deviceInfo: () => H100,
      benchmark: async () => {
        throw Object.assign(new Error('out of memory allocating 96 GiB'), { code: 'GNA_ERR_OOM' });
      },
    };
    const r = await run(['-i', '4096', '4096', '-w', '7'], failing);
    assert.equal(r.code, 4);
    assert.equal(r.err.trim(), 'gna bench: GNA_ERR_OOM: out of memory allocating 96 GiB');
    const bad = await runCli(['bench', '-i', '8', '-w', '9', '--dtype', 'fp8']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--dtype must be one of/);
    assert.match(bad.err, /kernel_size \* dilation must be <= input size/);
  });
});
