// What the benchmark commands say, as pure text: why nothing can be measured here (untrusted
// workspace, no addon, a CPU-only build, no driver, an old driver, no GPU) together with the
// simulated numbers, the GPU info, the outcome of a run and of a failure. Tested in plain Node.

import { BenchRecord, cudaVersion, describeGpu, DeviceInfo, formatMs, kernelVariant } from '../../core/bench';
import { formatPercent, formatSpeedup } from '../../core/format';
import { formatTuple } from '../../core/problem';
import type { Simulation } from '../../core/simulator';
import type { TrainingSimulation } from '../../core/backward';
import { backwardNotMeasured } from '../../core/benchBackward';
import type { RecordedBackward } from '../../core/benchSchema';
import { UNTRUSTED_BENCHMARK } from './commandMessages';

/** The native engine's `deviceInfo()` answer (core/schema.ts DeviceInfo). */
export type DeviceInfoLike = DeviceInfo;

export type UnavailableKind = 'untrusted' | 'no-addon' | 'load-failed' | 'cpu-only' | 'no-driver' | 'old-driver' | 'no-device' | 'engine-error';

export interface Unavailable {
  readonly kind: UnavailableKind;
  /** The one reason, in one short sentence: what the notification says. */
  readonly title: string;
  /** What to do about it, in one line (the report and the log); never a second reason. */
  readonly detail: string;
  /** The engine's own words, for the log and "GNA: Show GPU Info" only: CUDA words them its way. */
  readonly engineSays?: string;
}

const firstLine = (text: string): string => text.split('\n')[0].trim();
const lastLine = (text: string): string => text.trimEnd().split('\n').pop()?.trim() ?? '';

/**
 * Why no benchmark can run, from the engine's answer; undefined when one can. Exactly one reason,
 * the first of the things a user would fix in this order: trust, then the addon, then CUDA in it,
 * then the driver, then the GPU itself. The reason comes from the answer's fields, not from the
 * engine's message: CUDA says "driver version is insufficient" when there is no driver at all, so
 * its words would contradict the reason; they go to `engineSays`.
 */
export function unavailableReason(info: DeviceInfoLike | undefined, trusted: boolean, engineError?: string): Unavailable | undefined {
  if (!trusted) return { kind: 'untrusted', title: 'Not run: this workspace is not trusted.', detail: UNTRUSTED_BENCHMARK };
  if (engineError !== undefined) {
    // Nothing else is known: the engine's first line is the reason itself.
    return { kind: 'engine-error', title: 'Not run: the GPU engine failed to start.', detail: firstLine(engineError), engineSays: engineError };
  }
  if (!info) return { kind: 'engine-error', title: 'Not run: the GPU engine gave no answer.', detail: '' };
  if (info.available) return undefined;
  const engineSays = info.message ? { engineSays: info.message } : {};
  if (!info.addonLoaded) {
    return info.code === 'GNA_ERR_LOAD'
      ? {
          kind: 'load-failed',
          title: 'Not run: the GNA native addon could not be loaded.',
          detail: 'Rebuild it with `npm install` in the GNA Studio folder; GNA: Show GPU Info says what failed.',
          ...engineSays,
        }
      : {
          kind: 'no-addon',
          title: 'Not run: the GNA native addon is not built.',
          // The loader's last line says what to do for what was installed (universal VSIX, checkout).
          detail: (info.message.startsWith('The GNA native addon is not built') && lastLine(info.message)) || 'Build it with `npm install` (or `node native/scripts/build.js`) in the GNA Studio folder, on a machine with nvcc for GPU benchmarks.',
          ...engineSays,
        };
  }
  if (!info.builtWithCuda) {
    return {
      kind: 'cpu-only',
      title: 'Not run: the GNA native addon is a CPU-only build.',
      detail: 'It was built without nvcc, so it has no CUDA kernel. Rebuild with the CUDA toolkit installed (`GNA_REQUIRE_CUDA=1 npm install`).',
      ...engineSays,
    };
  }
  if (info.driverVersion === 0) {
    return { kind: 'no-driver', title: 'Not run: no NVIDIA driver on this machine.', detail: 'Install the NVIDIA driver for the GPU, then reload the window.', ...engineSays };
  }
  if (info.runtimeVersion > 0 && info.driverVersion < info.runtimeVersion && info.devices.length === 0) {
    return {
      kind: 'old-driver',
      title: `Not run: the NVIDIA driver (CUDA ${cudaVersion(info.driverVersion)}) is older than the addon's CUDA runtime (${cudaVersion(info.runtimeVersion)}).`,
      detail: 'Update the driver, or rebuild the addon with an older CUDA toolkit.',
      ...engineSays,
    };
  }
  return {
    kind: 'no-device',
    title: 'Not run: no usable CUDA GPU.',
    detail: `The NVIDIA driver (CUDA ${cudaVersion(info.driverVersion)}) finds no GPU this process may use: check CUDA_VISIBLE_DEVICES and that the GPU is not taken; GNA: Show GPU Info says what CUDA reported.`,
    ...engineSays,
  };
}

/** `Simulated on Q 16×8 / KV 16×8 tiles: 10.2× (tile-pair 10.2×, FLOP-wise 10.2×), block-sparse.` */
export function simulatedSentence(simulation: Simulation | undefined): string {
  if (!simulation) return 'No tile preset for the configured GPU family and head dim, so nothing is simulated.';
  return (
    `Simulated on Q ${formatTuple(simulation.qTile)} / KV ${formatTuple(simulation.kvTile)} tiles: ` +
    `${formatSpeedup(simulation.simulated)} (tile-pair ${formatSpeedup(simulation.tilePairBound)}, ` +
    `FLOP-wise ${formatSpeedup(simulation.flopBound)})${simulation.blockSparse ? ', block-sparse' : ''}.`
  );
}

/**
 * The notification of the no-GPU path, short so that it covers little: the one reason, the config
 * and its simulated speedup. What to do and every simulated number are in the report
 * (`notMeasuredDetail` and the simulated-only card), which its "Show Details" opens.
 */
export function notMeasuredMessage(reason: Unavailable, config: string, simulation: Simulation | undefined, training?: TrainingSimulation): string {
  const lead = reason.kind === 'untrusted' ? 'Not run: Benchmark on GPU runs native code, so it is disabled in an untrusted workspace.' : reason.title;
  // With gna.pass training, the training step's simulated speedup too: the number the user trains with.
  const simulated = simulation ? `${formatSpeedup(simulation.simulated)} simulated${training ? `, training step ${formatSpeedup(training.training.simulated)}` : ''}.` : 'not simulated either (no tile preset).';
  return `${lead} ${config}: ${simulated}`;
}

/** The reason and what to do about it: the report's simulated-only card and the log. */
export function notMeasuredDetail(reason: Unavailable): string {
  return `${reason.title} ${reason.detail}`.trim();
}

/** Lines of "GNA: Show GPU info" (the first is the notification; all go to the output channel). */
export function gpuInfoLines(info: DeviceInfoLike | undefined, trusted: boolean, engineError?: string): string[] {
  const reason = unavailableReason(info, trusted, engineError);
  const lines: string[] = [];
  if (info?.available) {
    const names = info.devices.map((d) => `${describeGpu(d)}, ${(d.totalMemBytes / 2 ** 30).toFixed(0)} GiB`);
    lines.push(`${info.devices.length === 1 ? 'GPU' : `${info.devices.length} GPUs`}: ${names.join('; ')}.`);
  } else if (reason) {
    lines.push(reason.kind === 'untrusted' ? `${reason.title} Trust the workspace to query the GPU.` : notMeasuredDetail(reason));
  }
  if (info && trusted) {
    lines.push(`NVIDIA driver: CUDA ${cudaVersion(info.driverVersion)}; addon's CUDA runtime: ${cudaVersion(info.runtimeVersion)}.`);
    lines.push(`Native addon: ${info.addonLoaded ? `${info.builtWithCuda ? 'CUDA build' : 'CPU-only build'} at ${info.addonPath ?? 'an unknown path'}` : 'not loaded'}.`);
    // CUDA's own words, labelled as such: they may name the reason differently (see unavailableReason).
    if (info.message) lines.push(`The engine's own message: ${info.message}`);
  }
  return lines;
}

/** The notification after a run: measured beside simulated, on which GPU; a training run adds its backward. */
export function measuredMessage(record: BenchRecord): string {
  const c = record.comparison;
  const forward =
    `${record.label}: ${formatSpeedup(c.measured)} measured vs ${formatSpeedup(c.simulated)} simulated ` +
    `(${formatPercent(c.shareOfBound)} of the bound; dense ${formatMs(c.denseMs)}, GNA ${formatMs(c.gnaMs)}) on ${describeGpu(record.gpu)}, ${kernelVariant(record)}.`;
  return record.backward ? `${forward} ${backwardSentence(record.backward)}` : forward;
}

/** `Backward 4.10× measured vs 5.20× simulated, training step …`, or the one line saying why it was not measured. */
export function backwardSentence(backward: RecordedBackward): string {
  const missing = backwardNotMeasured(backward);
  if (missing) return missing;
  const part = (p: RecordedBackward['passes'][number]) => (p.available ? `${formatSpeedup(p.measured)} measured vs ${formatSpeedup(p.simulated)} simulated (${formatPercent(p.shareOfSimulated)})` : '');
  return backward.passes.map((p, i) => `${i === 0 ? 'Backward' : 'training step'} ${part(p)}`).join(', ') + '.';
}

/** A sweep's notification: each point's measured and simulated speedup (and its training step's, when timed). */
export function sweepMessage(title: string, records: readonly BenchRecord[], gpu: string): string {
  const list = (f: (r: BenchRecord) => number | undefined) => records.map((r) => { const x = f(r); return x === undefined ? 'not measured' : `${x.toFixed(2)}×`; }).join(', ');
  const base = `${title}: ${records.length} configs measured on ${gpu}, ${list((r) => r.comparison.measured)} (simulated ${list((r) => r.comparison.simulated)})`;
  if (!records[0].backward) return `${base}.`;
  const training = (r: BenchRecord) => r.backward?.passes.find((p) => p.pass === 'training');
  const measured = list((r) => { const t = training(r); return t?.available ? t.measured : undefined; });
  return `${base}; training step ${measured} (simulated ${list((r) => training(r)?.simulated)}).`;
}

/**
 * A failed run, by the engine's error code and the half that failed (a training run's backward
 * holds dQ, dK, dV and dO besides the forward's tensors, so it may run out of memory alone).
 */
export function runFailedMessage(code: string | undefined, message: string, stage: 'forward' | 'backward' = 'forward'): string {
  const text = firstLine(message);
  switch (code) {
    case 'GNA_ERR_CANCELLED':
      return 'Benchmark cancelled.';
    case 'GNA_ERR_OOM':
      return stage === 'backward'
        ? `The GPU ran out of memory in the backward pass (it keeps dQ, dK, dV and dO beside the forward's tensors): ${text} Lower the batch or the heads, use a smaller layout, or set gna.pass to forward to time the forward alone.`
        : `The GPU ran out of memory: ${text} Lower the batch or the heads, or use a smaller layout.`;
    case 'GNA_ERR_INVALID':
      return `The GPU kernel cannot run this config: ${message.replace(/^Invalid GNA request:/, '').replace(/\n\s*-\s*/g, ' ').trim()}`;
    case 'GNA_ERR_CUDA':
      return `CUDA error: ${text} If it says the context is unusable, run "Developer: Restart Extension Host".`;
    default:
      return `The benchmark failed: ${text}`;
  }
}
