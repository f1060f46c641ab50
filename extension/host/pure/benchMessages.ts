// What the benchmark commands say, as pure text: why nothing can be measured here (untrusted
// workspace, no addon, a CPU-only build, no driver, an old driver, no GPU) together with the
// simulated numbers, the GPU info, the outcome of a run and of a failure. Tested in plain Node.

import { BenchRecord, cudaVersion, describeGpu, DeviceInfo, formatMs, kernelVariant } from '../../core/bench';
import { formatPercent, formatSpeedup } from '../../core/format';
import { formatTuple } from '../../core/problem';
import type { Simulation } from '../../core/simulator';
import { UNTRUSTED_BENCHMARK } from './commandMessages';

/** The native engine's `deviceInfo()` answer (core/schema.ts DeviceInfo). */
export type DeviceInfoLike = DeviceInfo;

export type UnavailableKind = 'untrusted' | 'no-addon' | 'load-failed' | 'cpu-only' | 'no-driver' | 'old-driver' | 'no-device' | 'engine-error';

export interface Unavailable {
  readonly kind: UnavailableKind;
  /** One sentence saying which: what a notification shows first. */
  readonly title: string;
  /** The engine's own words (first line), and what to do. */
  readonly detail: string;
}

const firstLine = (text: string): string => text.split('\n')[0].trim();
const lastLine = (text: string): string => text.trimEnd().split('\n').pop()?.trim() ?? '';

/**
 * Why no benchmark can run, from the engine's answer; undefined when one can. The order is the
 * order of the things a user would fix: trust, then the addon, then CUDA in it, then the driver,
 * then the GPU itself.
 */
export function unavailableReason(info: DeviceInfoLike | undefined, trusted: boolean, engineError?: string): Unavailable | undefined {
  if (!trusted) return { kind: 'untrusted', title: 'Not run: this workspace is not trusted.', detail: UNTRUSTED_BENCHMARK };
  if (engineError !== undefined) {
    return { kind: 'engine-error', title: 'Not run: the GPU engine failed to start.', detail: firstLine(engineError) };
  }
  if (!info) return { kind: 'engine-error', title: 'Not run: the GPU engine gave no answer.', detail: '' };
  if (info.available) return undefined;
  if (!info.addonLoaded) {
    return info.code === 'GNA_ERR_LOAD'
      ? { kind: 'load-failed', title: 'Not run: the GNA native addon could not be loaded.', detail: `${firstLine(info.message)} Rebuild it with \`npm install\` in the GNA Studio folder.` }
      : {
          kind: 'no-addon',
          title: 'Not run: the GNA native addon is not built.',
          // The loader's last line says what to do for what was installed (universal VSIX, checkout).
          detail: lastLine(info.message) || 'Build it with `npm install` (or `node native/scripts/build.js`) in the GNA Studio folder, on a machine with nvcc for GPU benchmarks.',
        };
  }
  if (!info.builtWithCuda) {
    return {
      kind: 'cpu-only',
      title: 'Not run: the GNA native addon is a CPU-only build.',
      detail: 'It was built without nvcc, so it has no CUDA kernel. Rebuild with the CUDA toolkit installed (`GNA_REQUIRE_CUDA=1 npm install`).',
    };
  }
  if (info.driverVersion === 0) {
    return { kind: 'no-driver', title: 'Not run: no NVIDIA driver on this machine.', detail: `The engine says: ${firstLine(info.message)}` };
  }
  if (info.runtimeVersion > 0 && info.driverVersion < info.runtimeVersion && info.devices.length === 0) {
    return {
      kind: 'old-driver',
      title: `Not run: the NVIDIA driver (CUDA ${cudaVersion(info.driverVersion)}) is older than the addon's CUDA runtime (${cudaVersion(info.runtimeVersion)}).`,
      detail: `Update the driver, or rebuild the addon with an older CUDA toolkit. The engine says: ${firstLine(info.message)}`,
    };
  }
  return { kind: 'no-device', title: 'Not run: no usable CUDA GPU.', detail: `The engine says: ${firstLine(info.message)}` };
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

/** The notification of the no-GPU path: which reason, the config, and its simulated numbers. */
export function notMeasuredMessage(reason: Unavailable, config: string, simulation: Simulation | undefined): string {
  const detail = reason.detail && reason.kind !== 'untrusted' ? ` ${reason.detail.replace(/\.?$/, '.')}` : '';
  const lead = reason.kind === 'untrusted' ? UNTRUSTED_BENCHMARK : `${reason.title}${detail}`;
  return `${lead} ${config}: ${simulatedSentence(simulation)}`;
}

/** Lines of "GNA: Show GPU info" (the first is the notification; all go to the output channel). */
export function gpuInfoLines(info: DeviceInfoLike | undefined, trusted: boolean, engineError?: string): string[] {
  const reason = unavailableReason(info, trusted, engineError);
  const lines: string[] = [];
  if (info?.available) {
    const names = info.devices.map((d) => `${describeGpu(d)}, ${(d.totalMemBytes / 2 ** 30).toFixed(0)} GiB`);
    lines.push(`${info.devices.length === 1 ? 'GPU' : `${info.devices.length} GPUs`}: ${names.join('; ')}.`);
  } else if (reason) {
    lines.push(`${reason.title} ${reason.kind === 'untrusted' ? 'Trust the workspace to query the GPU.' : reason.detail}`.trim());
  }
  if (info && trusted) {
    lines.push(`NVIDIA driver: CUDA ${cudaVersion(info.driverVersion)}; addon's CUDA runtime: ${cudaVersion(info.runtimeVersion)}.`);
    lines.push(`Native addon: ${info.addonLoaded ? `${info.builtWithCuda ? 'CUDA build' : 'CPU-only build'} at ${info.addonPath ?? 'an unknown path'}` : 'not loaded'}.`);
    if (info.message) lines.push(`Engine says: ${info.message}`);
  }
  return lines;
}

/** The notification after a run: measured beside simulated, on which GPU. */
export function measuredMessage(record: BenchRecord): string {
  const c = record.comparison;
  return (
    `${record.label}: ${formatSpeedup(c.measured)} measured vs ${formatSpeedup(c.simulated)} simulated ` +
    `(${formatPercent(c.shareOfBound)} of the bound; dense ${formatMs(c.denseMs)}, GNA ${formatMs(c.gnaMs)}) on ${describeGpu(record.gpu)}, ${kernelVariant(record)}.`
  );
}

/** A failed run, by the engine's error code. */
export function runFailedMessage(code: string | undefined, message: string): string {
  const text = firstLine(message);
  switch (code) {
    case 'GNA_ERR_CANCELLED':
      return 'Benchmark cancelled.';
    case 'GNA_ERR_OOM':
      return `The GPU ran out of memory: ${text} Lower the batch or the heads, or use a smaller layout.`;
    case 'GNA_ERR_INVALID':
      return `The GPU kernel cannot run this config: ${message.replace(/^Invalid GNA request:/, '').replace(/\n\s*-\s*/g, ' ').trim()}`;
    case 'GNA_ERR_CUDA':
      return `CUDA error: ${text} If it says the context is unusable, run "Developer: Restart Extension Host".`;
    default:
      return `The benchmark failed: ${text}`;
  }
}
