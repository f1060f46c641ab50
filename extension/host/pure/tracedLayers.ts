// The "Traced Layers" view as data: every traced attention call site of the workspace's trace,
// each config with its simulated speedup on the configured GPU family, and the model-level
// estimate: attention time weighted by each call's dense cost, then Amdahl with the attention
// share the user gives.

import { formatCausal, formatSpeedup, summaryLine } from '../../core/format';
import { defaultTiles, GpuFamily } from '../../core/presets';
import { formatTuple, TileShape } from '../../core/problem';
import { endToEndSpeedup, simulate, Simulation } from '../../core/simulator';
import { groupTracedConfigs, TracedConfig } from '../../core/trace';
import type { TraceFile, TracedCall } from '../../core/traceSchema';
import { checkProblem } from '../../core/validate';

export interface TracedLayerConfig {
  readonly config: TracedConfig;
  readonly simulation?: Simulation;
  readonly tiles?: TileShape;
  /** Why there is no simulation (a config NATTEN refuses, no tile preset). */
  readonly note?: string;
}

export interface TracedSite {
  readonly file: string;
  readonly line: number;
  readonly op: string;
  readonly configs: readonly TracedLayerConfig[];
}

export interface ModelEstimate {
  /** Attention's simulated speedup over the run: dense time ÷ GNA time, summed over every call. */
  readonly attention: number;
  readonly calls: number;
  /** Calls left out (no simulation). */
  readonly skipped: number;
  readonly share?: number;
  readonly endToEnd?: number;
}

export function simulateTraced(config: TracedConfig, family: GpuFamily): TracedLayerConfig {
  const check = checkProblem({ rank: config.layout.length, inputSize: config.layout, windowSize: config.kernelSize, stride: config.stride, dilation: config.dilation, causal: config.isCausal });
  if (!check.problem) return { config, note: check.issues.map((i) => i.message).join(' ') || 'not a complete config' };
  const preset = defaultTiles(family, config.layout.length, config.headDim);
  const q = config.tiles?.q ?? preset?.q;
  const kv = config.tiles?.kv ?? preset?.kv;
  if (!q || !kv) return { config, note: `${family} kernels have no tile preset for head dim ${config.headDim}` };
  const tiles = { q: [...q], kv: [...kv] };
  return { config, tiles, simulation: simulate(check.problem, tiles) };
}

/** Call sites in file and line order, each config simulated once. */
export function tracedSites(trace: TraceFile, family: GpuFamily): TracedSite[] {
  const bySite = new Map<string, TracedCall[]>();
  for (const c of trace.calls) {
    const key = `${c.file}\0${c.line}\0${c.op}`;
    bySite.set(key, [...(bySite.get(key) ?? []), c]);
  }
  return [...bySite.values()].map((calls) => ({
    file: calls[0].file,
    line: calls[0].line,
    op: calls[0].op,
    configs: groupTracedConfigs(calls).map((config) => simulateTraced(config, family)),
  }));
}

const configKey = (c: { layout: readonly number[]; kernelSize: readonly number[]; stride: readonly number[]; dilation: readonly number[]; isCausal: readonly boolean[]; headDim: number }) =>
  JSON.stringify([c.layout, c.kernelSize, c.stride, c.dilation, c.isCausal, c.headDim]);

/**
 * Each call's dense cost is batch × heads × head dim × tokens² (the FLOPs dense attention would
 * spend), its GNA time that cost ÷ its simulated speedup; the attention speedup is their ratio.
 */
export function modelEstimate(trace: TraceFile, sites: readonly TracedSite[], share?: number): ModelEstimate | undefined {
  const speedups = new Map<string, number>();
  for (const s of sites) for (const c of s.configs) if (c.simulation) speedups.set(`${s.file}\0${s.line}\0${s.op}\0${configKey(c.config)}`, c.simulation.simulated);
  let dense = 0;
  let gna = 0;
  let calls = 0;
  let skipped = 0;
  for (const c of trace.calls) {
    const speedup = speedups.get(`${c.file}\0${c.line}\0${c.op}\0${configKey(c)}`);
    if (speedup === undefined) {
      skipped += c.count;
      continue;
    }
    const tokens = c.layout.reduce((a, b) => a * b, 1);
    const cost = c.count * c.batch * c.heads * c.headDim * tokens * tokens;
    dense += cost;
    gna += cost / speedup;
    calls += c.count;
  }
  if (calls === 0) return undefined;
  const attention = dense / gna;
  const valid = share !== undefined && share > 0 && share <= 1;
  return { attention, calls, skipped, ...(valid ? { share, endToEnd: endToEndSpeedup(attention, share) } : {}) };
}

/** `56×56 · window 7×7 · stride 2×2` and `3.11× simulated speedup · 5 calls`. */
export function configLabel(c: TracedLayerConfig): { label: string; description: string } {
  const k = c.config;
  const parts = [`window ${formatTuple(k.kernelSize)}`];
  if (k.stride.some((s) => s !== 1)) parts.push(`stride ${formatTuple(k.stride)}`);
  if (k.dilation.some((d) => d !== 1)) parts.push(`dilation ${formatTuple(k.dilation)}`);
  if (k.isCausal.some((x) => x)) parts.push(formatCausal(k.isCausal));
  const sim = c.simulation ? summaryLine(c.simulation) : `not simulated: ${c.note}`;
  return { label: `${formatTuple(k.layout)} · ${parts.join(' · ')}`, description: `${sim} · ${k.count} call${k.count === 1 ? '' : 's'}` };
}

export function estimateLabel(e: ModelEstimate): string {
  const attention = `attention ${formatSpeedup(e.attention)} simulated over ${e.calls} calls`;
  return e.endToEnd !== undefined && e.share !== undefined ? `${attention} → model ${formatSpeedup(e.endToEnd)} at ${Math.round(e.share * 100)}% attention` : attention;
}

/** `0.6`, `60%` → 0.6; undefined unless in (0, 1]. */
export function parseShare(text: string): number | undefined {
  const t = text.trim();
  const n = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
  return Number.isFinite(n) && n > 0 && n <= 1 ? n : undefined;
}
