// A scripted engine that times every pass (forward, backward, training step) as a cost per unit
// of the simulator's work, for the tests of `gna bench --backward` and of the editor's training
// benchmark: a test double, not a measurement. `backwardFailure` makes every backward pass reject.
import type { BenchEngine } from '../../extension/cli/bench';
import { DEFAULT_ENGINE_OPTIONS, GnaProblem, simulate, simulateBackward } from '../../extension/core';
import type { BenchmarkRequest, BenchmarkResult, DeviceInfo } from '../../extension/native';

export const H200: DeviceInfo = {
  addonLoaded: true,
  builtWithCuda: true,
  available: true,
  message: '1 CUDA device(s)',
  runtimeVersion: 13000,
  driverVersion: 13000,
  devices: [{ index: 0, name: 'NVIDIA H200', computeCapability: '9.0', multiprocessors: 132, totalMemBytes: 141e9 }],
};

export const denseOf = (p: GnaProblem): GnaProblem => ({
  ...p,
  windowSize: p.inputSize,
  stride: p.inputSize.map(() => 1),
  dilation: p.inputSize.map(() => 1),
  causal: p.inputSize.map(() => false),
});

/** Forward: 1 µs per visited tile pair. Backward: 3 µs per KV-parallel step (simulateBackward's steps); training: both. */
export function msOf(request: BenchmarkRequest): number {
  const p = request.dense ? denseOf(request.problem as GnaProblem) : (request.problem as GnaProblem);
  const forward = simulate(p, request.tiles!).visited * 0.001;
  const backward = simulateBackward(p, request.tiles!).steps * 0.003;
  return request.pass === 'backward' ? backward : request.pass === 'training' ? forward + backward : forward;
}

export function scriptedEngine(requests: BenchmarkRequest[], backwardFailure?: Error): BenchEngine {
  return {
    deviceInfo: () => H200,
    async benchmark(request) {
      requests.push(request);
      if (backwardFailure && (request.pass ?? 'forward') !== 'forward') throw backwardFailure;
      const attentionMs = msOf(request);
      const result: BenchmarkResult = { problem: request.problem as GnaProblem, tiles: request.tiles!, dtype: 'bfloat16', device: 0, attentionMs, permuteMs: 0, totalMs: attentionMs, repeats: 10, visited: 1, full: 1, tflops: 0, options: DEFAULT_ENGINE_OPTIONS };
      return result;
    },
  };
}

