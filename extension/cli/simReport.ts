// How `gna sim` shows a simulation: a readable table, or one JSON object.

import {
  formatCausal,
  formatCount,
  formatFlops,
  formatPercent,
  formatSparsity,
  formatSpeedup,
  formatTuple,
  paperRatioNote,
  RankedPreset,
  Simulation,
  stepsLine,
  StrideRecommendation,
  TrainingSimulation,
  TrainingStrideRecommendation,
} from '../core';
import type { SimJob } from './sim';

function table(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}

const count = formatCount;

/** The backward pass and the training step (`--backward`), with the training-step recommendation. */
export interface TrainingResult {
  readonly simulation: TrainingSimulation;
  readonly recommendation?: TrainingStrideRecommendation;
}

/** A job and what `gna sim` computed for it. */
export interface SimResult {
  readonly job: SimJob;
  /** Absent when the simulation itself was above the work budget (see `skipped`). */
  readonly simulation?: Simulation;
  readonly recommendation?: StrideRecommendation;
  readonly ranked?: readonly RankedPreset[];
  readonly training?: TrainingResult;
  /** What the work budget skipped or cut off, worded for the user. */
  readonly skipped?: readonly string[];
}

export function renderSimulation({ job, simulation: sim, recommendation: rec, ranked, training, skipped }: SimResult): string {
  const p = job.problem;
  const title =
    `${job.label ? `${job.label}: ` : ''}layout ${formatTuple(p.inputSize)}, window ${formatTuple(p.windowSize)}, ` +
    `stride ${formatTuple(p.stride)}, dilation ${formatTuple(p.dilation)}` +
    (p.causal.some((c) => c) ? `, ${formatCausal(p.causal)}` : '');
  const skippedLines = (skipped ?? []).map((s) => `  ${s}.`);
  if (!sim) return [title, ...skippedLines].join('\n');
  const rows: [string, string][] = [
    ['tiling', `${job.tiling}-dimensional, Q tile ${formatTuple(sim.qTile)}, KV tile ${formatTuple(sim.kvTile)} (${job.family}, head dim ${job.workload.headDim})`],
    ['simulated speedup', `${formatSpeedup(sim.simulated)}  (${stepsLine(sim)})`],
    ['tile-pair bound', formatSpeedup(sim.tilePairBound)],
    ['FLOP-wise bound', formatSpeedup(sim.flopBound)],
    ['sparsity', formatSparsity(sim.sparsity)],
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
  if (training) rows.splice(note === undefined ? 2 : 3, 0, ...trainingRows(training.simulation));
  if (sim.endToEnd !== undefined && sim.attentionShare !== undefined) {
    rows.push(['end-to-end', `${formatSpeedup(sim.endToEnd)} if attention is ${formatPercent(sim.attentionShare)} of run time`]);
  }
  const parts = [title, table(rows)];
  const multiDim = job.tiling === 'multi' || p.inputSize.length === 1;
  if (job.recommend && !multiDim) parts.push('  stride recommendation: needs multi-dimensional tiling (--tiling multi).');
  if (rec) parts.push(renderRecommendation(rec, sim));
  if (training?.recommendation) parts.push(renderTrainingRecommendation(training.recommendation, training.simulation));
  if (ranked) parts.push(renderRanking(ranked));
  parts.push(...skippedLines);
  return parts.join('\n');
}

function trainingRows(t: TrainingSimulation): [string, string][] {
  const b = t.backward;
  return [
    [
      'backward',
      `${formatSpeedup(b.simulated)}  (KV-parallel on Q ${formatTuple(b.qTile)} / KV ${formatTuple(b.kvTile)}: ${count(b.kvTiles)} KV tiles × ` +
        `${count(b.worstKvTileVisits)} Q tiles (busiest KV tile) = ${count(b.steps)} steps, self attention ${count(b.total)}` +
        `${b.paperSimulated === undefined ? '' : `; ${formatSpeedup(b.paperSimulated)} per KV tile, paper-style`})`,
    ],
    [
      'training step',
      `${formatSpeedup(t.training.simulated)}  (forward + backward, the backward at ${t.training.backwardFlopRatio}× the forward's FLOPs per tile pair ` +
        `(assumed); ${formatPercent(t.training.backwardShare)} of the GNA step is backward)`,
    ],
  ];
}

function renderTrainingRecommendation(rec: TrainingStrideRecommendation, current: TrainingSimulation): string {
  const lines = ['stride recommendation for the training step:'];
  for (const a of rec.axes) {
    lines.push(`  axis ${a.axis}: worth considering ${a.options.map((o) => `${o.stride}→${o.forwardWorst}/${o.backwardWorst}`).join(' ')}`);
  }
  const s = rec.simulation;
  lines.push(
    rec.atOptimum
      ? '  the current stride already gives the fastest training step.'
      : `  recommended stride ${formatTuple(rec.stride)}: ${formatSpeedup(s.training.simulated)} training step (now ${formatSpeedup(current.training.simulated)}), ` +
          `forward ${formatSpeedup(s.forward.simulated)}, backward ${formatSpeedup(s.backward.simulated)}`,
  );
  if (rec.cutOff) lines.push(`  search cut off after stride ${rec.cutOff.stride} on axis ${rec.cutOff.axis}: ${rec.cutOff.reason}; the strides above it were not tried`);
  lines.push('  (stride→KV tiles of the busiest Q tile / Q tiles of the busiest KV tile on that axis)');
  return lines.join('\n');
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
  if (rec.cutOff) {
    lines.push(
      `  search cut off after stride ${rec.cutOff.stride} on axis ${rec.cutOff.axis}: ${rec.cutOff.reason}; ` +
        (rec.cutOff.floorReached ? 'the floor was reached, only the block-sparse search is incomplete' : 'the strides above it were not tried'),
    );
  }
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

export function simulationJson({ job, simulation: sim, recommendation: rec, ranked, training, skipped }: SimResult): Record<string, unknown> {
  if (!sim) return { ...(job.label ? { label: job.label } : {}), problem: job.problem, family: job.family, workload: job.workload, skipped };
  return {
    ...(skipped ? { skipped } : {}),
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
            ...(rec.cutOff ? { cutOff: rec.cutOff } : {}),
            axes: rec.axes,
          },
        }
      : {}),
    ...(training
      ? {
          backward: training.simulation.backward,
          training: training.simulation.training,
          ...(training.recommendation
            ? {
                trainingRecommendation: {
                  stride: training.recommendation.stride,
                  atOptimum: training.recommendation.atOptimum,
                  simulated: training.recommendation.simulation.training.simulated,
                  forward: training.recommendation.simulation.forward.simulated,
                  backward: training.recommendation.simulation.backward.simulated,
                  axes: training.recommendation.axes,
                  ...(training.recommendation.cutOff ? { cutOff: training.recommendation.cutOff } : {}),
                },
              }
            : {}),
        }
      : {}),
    ...(ranked ? { presets: ranked.map((r) => ({ q: r.preset.q, kv: r.preset.kv, backend: r.preset.backend, simulated: r.simulation.simulated, ...(r.simulation.paperSimulated === undefined ? {} : { paperSimulated: r.simulation.paperSimulated }), tilePairBound: r.simulation.tilePairBound, blockSparse: r.simulation.blockSparse })) } : {}),
  };
}
