// Shared by the benchmark suites (trusted, reload): the extension's benchmark API as the tests
// see it, the recorded fixture, and a scripted engine.
//
// The scripted engine is a test double, not a measurement: it answers `deviceInfo` with a device
// named "Scripted test engine (no GPU)" and times each kernel as a fixed cost per tile pair the
// simulator says it visits, so the host's queue, progress, records, sweeps and report can be
// exercised on machines without a GPU. It honours the AbortSignal like the native engine (rejects
// with GNA_ERR_CANCELLED), and a run can be held at its start with `hold()` to test the queue.
// The backward pass and the training step cost 2.5× and 3.5× the forward's per tile pair, or,
// as today's native build answers, reject with GNA_ERR_UNSUPPORTED ("no backward kernel").
import * as assert from 'assert';
import { join, resolve } from 'path';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './helpers';

export interface Outcome {
  readonly shown: 'info' | 'warning' | 'error' | 'report';
  readonly message: string;
  readonly records?: readonly string[];
  readonly reason?: string;
}

export interface Rendered {
  readonly mode: string;
  readonly records: number;
  readonly selected: readonly string[];
  readonly tableRows: number;
  readonly tableColumns: number;
  readonly headline: string;
  readonly chart: { kind: string; series: number; points: number; width: number; height: number };
  readonly simulatedOnly: boolean;
  readonly passNote: string;
  readonly simulatedRows: number;
}

export interface BenchRecordShape {
  readonly id: string;
  readonly label: string;
  readonly origin: string;
  readonly problem: { inputSize: number[]; windowSize: number[]; stride: number[] };
  readonly gpu: { name: string } | null;
  readonly comparison: { measured: number; simulated: number; shareOfBound: number; denseMs: number; gnaMs: number };
  readonly sweep?: { id: string; kind: string; index: number; count: number };
  readonly pass?: string;
  readonly backward?: {
    tiles: { q: number[]; kv: number[] };
    simulation: { simulated: number };
    training: { simulated: number };
    passes: ({ available: true; pass: string; measured: number; simulated: number } | { available: false; pass: string; reason: string; code: string | null; simulated: number })[];
  };
}

export interface BenchmarkApi {
  history(): readonly BenchRecordShape[];
  rendered(): Rendered | undefined;
  readonly reportOpen: boolean;
  pending(): string[];
  useEngine(engine: unknown): void;
  fromPage(message: unknown): Promise<void>;
}

export async function benchmarkApi(): Promise<BenchmarkApi> {
  const extension = vscode.extensions.getExtension<{ benchmark(): BenchmarkApi | undefined }>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  const api = (await extension.activate()).benchmark();
  assert.ok(api, 'the benchmark feature started');
  return api;
}

/** The repository root (out/e2e/suite → ../../..), where the fixtures are. */
export const REPO = resolve(__dirname, '..', '..', '..');

/**
 * A `gna bench --json` file of FLUX-4K strided (256×256, window 80×80, stride 16×16, 24 heads)
 * with realistic made-up H100 numbers: a test fixture, not a measurement (the file says so too).
 */
export const H100_FIXTURE = vscode.Uri.file(join(REPO, 'test', 'fixtures', 'bench', 'h100-flux-strided.fixture.json'));
/** The same in `gna bench --backward --json` form from a build without a backward kernel (each backward pass GNA_ERR_UNSUPPORTED). */
export const H100_TRAINING_FIXTURE = vscode.Uri.file(join(REPO, 'test', 'fixtures', 'bench', 'h100-flux-strided-backward-unsupported.fixture.json'));

export function run(command: string, ...args: unknown[]): Promise<Outcome> {
  return Promise.resolve(vscode.commands.executeCommand<Outcome>(command, ...args));
}

interface Call {
  readonly problem: { inputSize: number[]; windowSize: number[]; stride: number[]; dilation: number[]; causal: boolean[] };
  readonly tiles: { q: number[]; kv: number[] };
  readonly dense?: boolean;
  readonly pass?: 'forward' | 'backward' | 'training';
}

/** Cost of a pass per tile pair, relative to the forward's. */
const PASS_COST = { forward: 1, backward: 2.5, training: 3.5 };

export class ScriptedEngine {
  readonly calls: Call[] = [];
  private gate?: Promise<void>;
  private open?: () => void;

  /** `unsupported`: the backward passes reject as a build without a backward kernel does. */
  constructor(private readonly backward: 'timed' | 'unsupported' = 'timed') {}

  deviceInfo() {
    return {
      addonLoaded: true,
      builtWithCuda: true,
      available: true,
      message: '1 CUDA device(s) (scripted test engine)',
      runtimeVersion: 13000,
      driverVersion: 13000,
      devices: [{ index: 0, name: 'Scripted test engine (no GPU)', computeCapability: '9.0', multiprocessors: 132, totalMemBytes: 80 * 2 ** 30 }],
    };
  }

  /** Runs started from now wait at their start until `release()`. */
  hold(): void {
    this.gate = new Promise((r) => (this.open = r));
  }

  release(): void {
    this.open?.();
    this.gate = undefined;
  }

  async benchmark(request: Call, signal?: AbortSignal) {
    this.calls.push(request);
    const gate = this.gate;
    if (gate) await Promise.race([gate, new Promise((r) => signal?.addEventListener('abort', r, { once: true }))]);
    if (signal?.aborted) throw Object.assign(new Error('benchmark cancelled'), { code: 'GNA_ERR_CANCELLED' });
    const pass = request.pass ?? 'forward';
    if (pass !== 'forward' && this.backward === 'unsupported') {
      throw Object.assign(new Error('no backward kernel in this build: the fused backward (issue 21) is not compiled in yet'), { code: 'GNA_ERR_UNSUPPORTED' });
    }
    const pairs = pairsVisited(request);
    const attentionMs = pairs * 0.0005 * PASS_COST[pass];
    return { attentionMs, permuteMs: 0.25, totalMs: attentionMs + 0.25, repeats: 10, visited: pairs, full: pairs, tflops: 1, kernel: 'scripted (no GPU)' };
  }
}

/** Visited tile pairs by brute force over tiles (small layouts only): what the timings follow. */
function pairsVisited(call: Call): number {
  const p = call.problem;
  const axes = p.inputSize.map((n, i) => {
    const k = call.dense ? n : p.windowSize[i];
    const s = call.dense ? 1 : p.stride[i];
    const tq = call.tiles.q[i];
    const tkv = call.tiles.kv[i];
    // Non-causal, no dilation (what the suites run): window start of query q.
    const start = (q: number) => {
      const left = Math.floor(k / 2);
      const right = Math.floor(k / 2) + (k % 2) - 1;
      const leader = Math.min(Math.floor(q / s) * s + Math.floor(s / 2), n - 1);
      const centre = Math.min(Math.max(leader, left), n - 1 - right);
      return [centre - left, centre + right];
    };
    let count = 0;
    for (let first = 0; first < n; first += tq) {
      const last = Math.min(first + tq, n) - 1;
      const lo = start(first)[0];
      const hi = start(last)[1];
      count += Math.ceil((hi + 1) / tkv) - Math.floor(lo / tkv);
    }
    return count;
  });
  return axes.reduce((a, b) => a * b, 1);
}
