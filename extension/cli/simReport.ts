// How `gna sim` shows a simulation: a readable table, or one JSON object.

import {
  formatCount,
  formatFlops,
  formatPercent,
  formatSpeedup,
  formatTuple,
  paperRatioNote,
  RankedPreset,
  Simulation,
  stepsLine,
  StrideRecommendation,
} from '../core';
import type { SimJob } from './sim';

function table(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}

const count = formatCount;

/** A job and what `gna sim` computed for it. */
export interface SimResult {
  readonly job: SimJob;
  readonly simulation: Simulation;
  readonly recommendation?: StrideRecommendation;
  readonly ranked?: readonly RankedPreset[];
}

export function renderSimulation({ job, simulation: sim, recommendation: rec, ranked }: SimResult): string {
  const p = job.problem;
  const title =
    `${job.label ? `${job.label}: ` : ''}layout ${formatTuple(p.inputSize)}, window ${formatTuple(p.windowSize)}, ` +
    `stride ${formatTuple(p.stride)}, dilation ${formatTuple(p.dilation)}` +
    (p.causal.some((c) => c) ? `, causal ${formatTuple(p.causal)}` : '');
  const rows: [string, string][] = [
    ['tiling', `${job.tiling}-dimensional, Q tile ${formatTuple(sim.qTile)}, KV tile ${formatTuple(sim.kvTile)} (${job.family}, head dim ${job.workload.headDim})`],
    ['simulated speedup', `${formatSpeedup(sim.simulated)}  (${stepsLine(sim)})`],
    ['tile-pair bound', formatSpeedup(sim.tilePairBound)],
    ['FLOP-wise bound', formatSpeedup(sim.flopBound)],
    ['sparsity', formatPercent(sim.sparsity)],
    ['tile pairs', `${count(sim.visited)} visited (${count(sim.full)} full, ${count(sim.partial)} partial) of ${count(sim.total)}`],
    ['block-sparse', sim.blockSparse ? 'yes: no fine-grained masking' : `no: ${count(sim.partial)} partial pairs need masking`],
    ['padding', sim.padded ? 'yes: some tiles hold padded tokens' : 'none'],
    [
      'FLOPs',
      `${formatFlops(sim.flops.computed)} computed, ${formatFlops(sim.flops.useful)} useful, ${formatPercent(sim.flops.wastedShare)} wasted` +
        ` (batch ${job.workload.batch}, ${job.workload.heads} head${job.workload.heads === 1 ? '' : 's'})`,
    ],
  ];
  const note = paperRatioNote(sim, p);
  if (note !== undefined) rows.splice(2, 0, ['paper ratio', note]);
  if (sim.endToEnd !== undefined && sim.attentionShare !== undefined) {
    rows.push(['end-to-end', `${formatSpeedup(sim.endToEnd)} if attention is ${formatPercent(sim.attentionShare)} of run time`]);
  }
  const parts = [title, table(rows)];
  if (job.recommend && !rec) parts.push('  stride recommendation: needs multi-dimensional tiling (--tiling multi).');
  if (rec) parts.push(renderRecommendation(rec, sim));
  if (ranked) parts.push(renderRanking(ranked));
  return parts.join('\n');
}

function renderRecommendation(rec: StrideRecommendation, current: Simulation): string {
  const lines = ['stride recommendation:'];
  for (const a of rec.axes) {
    const options = a.options.map((o) => `${o.stride}→${o.worst}${o.blockSparse ? '*' : ''}`).join(' ');
    lines.push(`  axis ${a.axis}: stride ${a.current} visits ${a.currentWorst} KV tiles; floor ${a.floor} at stride ${a.recommended}${a.blockSparse ? ' (block-sparse)' : ''}; worth considering: ${options}`);
  }
  if (rec.atFloor) lines.push(`  the current stride already reaches the floor on every axis.`);
  else
    lines.push(
      `  recommended stride ${formatTuple(rec.stride)}: ${formatSpeedup(rec.simulation.simulated)} simulated (now ${formatSpeedup(current.simulated)})` +
        (rec.simulation.blockSparse ? ', perfectly block-sparse' : ''),
    );
  if (rec.blockSparseStride && !rec.simulation.blockSparse) lines.push(`  smallest perfectly block-sparse stride: ${formatTuple(rec.blockSparseStride)}`);
  lines.push('  (stride→worst-Q-tile KV tiles on that axis; * = no partial tiles on that axis)');
  return lines.join('\n');
}

function renderRanking(ranked: readonly RankedPreset[]): string {
  if (ranked.length === 0) return 'tile presets: none for this family and head dim.';
  const lines = ['tile presets, best first:'];
  for (const { preset, simulation: s } of ranked.slice(0, 12)) {
    lines.push(
      `  Q ${formatTuple(preset.q).padEnd(8)} KV ${formatTuple(preset.kv).padEnd(8)} ${formatSpeedup(s.simulated).padStart(7)} sim` +
        `  ${formatSpeedup(s.tilePairBound).padStart(7)} tile-pair  ${s.blockSparse ? 'block-sparse' : `${s.partial} partial`}${s.padded ? ', padded' : ''}`,
    );
  }
  if (ranked.length > 12) lines.push(`  … ${ranked.length - 12} more (--json lists all)`);
  return lines.join('\n');
}

export function simulationJson({ job, simulation: sim, recommendation: rec, ranked }: SimResult): Record<string, unknown> {
  return {
    ...(job.label ? { label: job.label } : {}),
    problem: job.problem,
    family: job.family,
    workload: job.workload,
    ...sim,
    ...(rec
      ? {
          recommendation: {
            stride: rec.stride,
            atFloor: rec.atFloor,
            simulated: rec.simulation.simulated,
            blockSparse: rec.simulation.blockSparse,
            blockSparseStride: rec.blockSparseStride ?? null,
            axes: rec.axes,
          },
        }
      : {}),
    ...(ranked ? { presets: ranked.map((r) => ({ q: r.preset.q, kv: r.preset.kv, backend: r.preset.backend, simulated: r.simulation.simulated, ...(r.simulation.paperSimulated === undefined ? {} : { paperSimulated: r.simulation.paperSimulated }), tilePairBound: r.simulation.tilePairBound, blockSparse: r.simulation.blockSparse })) } : {}),
  };
}
