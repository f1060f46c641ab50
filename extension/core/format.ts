// Number formatting shared by every surface (CLI tables, inlay hints, hovers, previews), so the
// same simulation reads the same everywhere.

import type { TrainingSimulation } from './backward';
import { GnaProblem } from './problem';
import { Simulation } from './simulator';

/** `11.1×`, `6.65×`, `120×`: three significant digits. */
export function formatSpeedup(x: number): string {
  if (!Number.isFinite(x)) return '∞';
  return `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`;
}

/** `3.60–11.1×`: the speedups of several configs; one speedup when they agree. */
export function formatSpeedupRange(low: number, high: number): string {
  const [a, b] = [formatSpeedup(Math.min(low, high)), formatSpeedup(Math.max(low, high))];
  return a === b ? a : `${a.slice(0, -1)}–${b}`;
}

/** `91%`, `99.4%` (one decimal near the ends, where it matters). */
export function formatPercent(share: number): string {
  const p = share * 100;
  return `${p > 99 && p < 100 ? p.toFixed(1) : p < 1 && p > 0 ? p.toFixed(2) : p.toFixed(0)}%`;
}

/** The two halves of a sparsity, each with its `%`: `{ sparse: '88%', attended: '12%' }`. */
export interface SparsityShares {
  readonly sparse: string;
  readonly attended: string;
}

/** Decimals the smaller half may use before it is written as a bound (`<0.01%`). */
const SPARSITY_DECIMALS = 2;

/**
 * Sparsity (the share of (query, key) pairs masked out, `Simulation.sparsity`) as two halves that
 * add up to exactly 100: whole percents while both halves are at least 1%, and up to two decimals
 * near the ends so that a call attending anything never reads `100% sparse` or `0% attended`
 * (and one skipping anything never reads `0% sparse`). Below 0.01% the smaller half is a bound:
 * `>99.99%` and `<0.01%`.
 */
export function sparsityShares(sparsity: number): SparsityShares {
  const sparse = Number.isFinite(sparsity) ? Math.min(1, Math.max(0, sparsity)) : 0;
  const sparseIsSmaller = sparse <= 1 - sparse;
  const smaller = 100 * (sparseIsSmaller ? sparse : 1 - sparse);
  let decimals = 0;
  while (decimals < SPARSITY_DECIMALS && smaller > 0 && smaller < 10 ** -decimals) decimals++;
  let small: string;
  let large: string;
  if (smaller > 0 && smaller < 10 ** -decimals) {
    small = `<${(10 ** -decimals).toFixed(decimals)}%`;
    large = `>${(100 - 10 ** -decimals).toFixed(decimals)}%`;
  } else {
    // Round the smaller half and take the larger as the rest, in whole units of the last decimal.
    const unit = 10 ** decimals;
    const smallUnits = Math.round(smaller * unit);
    small = `${(smallUnits / unit).toFixed(decimals)}%`;
    large = `${((100 * unit - smallUnits) / unit).toFixed(decimals)}%`;
  }
  return sparseIsSmaller ? { sparse: small, attended: large } : { sparse: large, attended: small };
}

/** `88% sparse (12% attended)`: sparsity as every surface writes it, both halves so it cannot be misread. */
export function formatSparsity(sparsity: number): string {
  const shares = sparsityShares(sparsity);
  return `${shares.sparse} sparse (${shares.attended} attended)`;
}

/** `85–91% sparse (9–15% attended)`: the sparsities of several configs; one of them when they agree. */
export function formatSparsityRange(low: number, high: number): string {
  const [a, b] = [sparsityShares(Math.min(low, high)), sparsityShares(Math.max(low, high))];
  if (a.sparse === b.sparse) return formatSparsity(low);
  return `${a.sparse.slice(0, -1)}–${b.sparse} sparse (${b.attended.slice(0, -1)}–${a.attended} attended)`;
}

/** `True`, `(True, False)`: booleans as Python writes them (one axis: the bare value). */
export function formatPythonBools(values: boolean | readonly boolean[]): string {
  const one = (b: boolean) => (b ? 'True' : 'False');
  if (typeof values === 'boolean') return one(values);
  return values.length === 1 ? one(values[0]) : `(${values.map(one).join(', ')})`;
}

/** `is_causal=(True, False)`: causal per axis as the call writes it (`is_causal=True` for one axis). */
export function formatCausal(causal: readonly boolean[]): string {
  return `is_causal=${formatPythonBools(causal)}`;
}

/** `1.23 TFLOP`, `45.6 GFLOP`. */
export function formatFlops(flops: number): string {
  const units: [number, string][] = [
    [1e15, 'PFLOP'],
    [1e12, 'TFLOP'],
    [1e9, 'GFLOP'],
    [1e6, 'MFLOP'],
    [1e3, 'kFLOP'],
  ];
  for (const [scale, unit] of units) if (flops >= scale) return `${(flops / scale).toPrecision(3)} ${unit}`;
  return `${flops} FLOP`;
}

/** The one-line summary of a call: `91% sparse (9% attended) · 11.1× simulated speedup · block-sparse`. */
export function summaryLine(sim: Simulation): string {
  const parts = [formatSparsity(sim.sparsity), `${formatSpeedup(sim.simulated)} simulated speedup`];
  if (sim.blockSparse) parts.push('block-sparse');
  return parts.join(' · ');
}

/** Which pass the editor's one-line summaries speak of (the `gna.pass` setting). */
export type Pass = 'forward' | 'training';

/**
 * The one-line summary for training:
 * `91% sparse (9% attended) · 6.07× simulated training step (10.2× forward, 5.22× backward) · block-sparse`.
 */
export function trainingSummaryLine(sim: Simulation, t: TrainingSimulation): string {
  const parts = [
    formatSparsity(sim.sparsity),
    `${formatSpeedup(t.training.simulated)} simulated training step (${formatSpeedup(t.forward.simulated)} forward, ${formatSpeedup(t.backward.simulated)} backward)`,
  ];
  if (sim.blockSparse) parts.push('block-sparse');
  return parts.join(' · ');
}

/** `405,000`: integer counts as every surface prints them. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * `480 Q tiles × 275 KV tiles (busiest Q tile) = 132,000 steps, self attention 405,000`: what the
 * headline divides. The busiest Q tile (the one visiting the most KV tiles) sets a fused kernel's time.
 */
export function stepsLine(sim: Simulation): string {
  return (
    `${formatCount(sim.qTiles)} Q tiles × ${formatCount(sim.worstQTileVisits)} KV tiles (busiest Q tile) = ${formatCount(sim.steps)} steps, ` +
    `self attention ${formatCount(sim.total)}`
  );
}

/**
 * The GNA paper's ratio and why the headline differs from it, when it does (GNA-SPEC §5): the paper
 * divides KV tiles per Q tile, as if the GNA layout had as many Q tiles as self attention over the
 * flattened tokens, and counts self attention on the same box tiles. Undefined when they agree.
 */
export function paperRatioNote(sim: Simulation, problem: Pick<GnaProblem, 'dilation'>): string | undefined {
  if (sim.paperSimulated === undefined) return undefined;
  const reasons: string[] = [];
  if (sim.qTiles !== sim.denseQTiles) {
    const causes = [
      ...(sim.padded ? ['padding'] : []),
      ...(problem.dilation.some((d) => d > 1) ? ['dilation groups tiled one by one'] : []),
    ];
    reasons.push(
      `the kernel runs ${formatCount(sim.qTiles)} Q tiles (${causes.join(' and ')}) where self attention over the ` +
        `${formatCount(sim.tokens)} tokens has ${formatCount(sim.denseQTiles)}`,
    );
  }
  const flatVisits = sim.total / sim.denseQTiles;
  if (flatVisits !== sim.denseQTileVisits) {
    reasons.push(
      `self attention over the flattened tokens walks ${formatCount(flatVisits)} KV tiles per Q tile, ` +
        `not the ${formatCount(sim.denseQTileVisits)} of the padded box layout`,
    );
  }
  return `${formatSpeedup(sim.paperSimulated)} in the GNA paper's ratio, which leaves out that ${reasons.join(', and that ')}`;
}
