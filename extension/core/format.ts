// Number formatting shared by every surface (CLI tables, inlay hints, hovers, previews), so the
// same simulation reads the same everywhere.

import { Simulation } from './simulator';

/** `11.1×`, `6.65×`, `120×`: three significant digits. */
export function formatSpeedup(x: number): string {
  if (!Number.isFinite(x)) return '∞';
  return `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`;
}

/** `91%`, `99.4%` (one decimal near the ends, where it matters). */
export function formatPercent(share: number): string {
  const p = share * 100;
  return `${p > 99 && p < 100 ? p.toFixed(1) : p < 1 && p > 0 ? p.toFixed(2) : p.toFixed(0)}%`;
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

/** The one-line summary next to a call: `91% sparse · 11.1× sim · block-sparse`. */
export function summaryLine(sim: Simulation): string {
  const parts = [`${formatPercent(sim.sparsity)} sparse`, `${formatSpeedup(sim.simulated)} sim`];
  if (sim.blockSparse) parts.push('block-sparse');
  return parts.join(' · ');
}
