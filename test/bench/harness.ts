// A small benchmark harness: warm up, then time repeats of a batch of calls and report the
// median per call. Results are printed as a markdown table with the machine they ran on.

import { cpus, totalmem } from 'os';
import { performance } from 'perf_hooks';

export interface BenchCase {
  readonly name: string;
  /** The goal, in ms per call, if the issue sets one. */
  readonly targetMs?: number;
  /** Called once before timing; its result is handed to `run`. */
  readonly setup?: () => unknown | Promise<unknown>;
  readonly run: (state: unknown) => unknown;
}

export interface BenchResult {
  readonly name: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly p90Ms: number;
  readonly callsPerRepeat: number;
  readonly targetMs?: number;
}

/** Keeps results alive so the JIT cannot drop the work. */
export let sink: unknown;

export async function measure(c: BenchCase, repeats = 31): Promise<BenchResult> {
  const state = c.setup ? await c.setup() : undefined;
  // Calibrate a batch to ~20 ms so timer resolution does not matter.
  let calls = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) sink = c.run(state);
    if (performance.now() - t0 > 20 || calls > 1e6) break;
    calls *= 2;
  }
  for (let i = 0; i < 3; i++) for (let j = 0; j < calls; j++) sink = c.run(state);
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) sink = c.run(state);
    samples.push((performance.now() - t0) / calls);
  }
  samples.sort((a, b) => a - b);
  return {
    name: c.name,
    medianMs: samples[Math.floor(samples.length / 2)],
    minMs: samples[0],
    p90Ms: samples[Math.floor(samples.length * 0.9)],
    callsPerRepeat: calls,
    ...(c.targetMs !== undefined ? { targetMs: c.targetMs } : {}),
  };
}

export function machineLine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpu} (${cpus().length} cores), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}-${process.arch}`;
}

function fmt(ms: number): string {
  return ms < 0.01 ? `${(ms * 1000).toFixed(2)} µs` : ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`;
}

export function markdownTable(results: readonly BenchResult[]): string {
  const lines = ['| case | median | min | p90 | target | met |', '|---|---|---|---|---|---|'];
  for (const r of results) {
    const target = r.targetMs === undefined ? '' : `< ${fmt(r.targetMs)}`;
    const met = r.targetMs === undefined ? '' : r.medianMs < r.targetMs ? 'yes' : 'NO';
    lines.push(`| ${r.name} | ${fmt(r.medianMs)} | ${fmt(r.minMs)} | ${fmt(r.p90Ms)} | ${target} | ${met} |`);
  }
  return lines.join('\n');
}
