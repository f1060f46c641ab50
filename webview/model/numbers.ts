// The live numbers beside the picture, worded once: simulator results (GNA-SPEC §5), the stride
// recommendation, and what the selected query and its Q tile do. Formatting comes from the core
// so the panel reads like the CLI, hovers and inlay hints.

import { formatPercent, formatSparsity, formatSpeedup, paperRatioNote, stepsLine } from '../../extension/core/format';
import { axisStrideGroup, runLength } from '../../extension/core/groups';
import { neighborhoodOf, neighborhoodSize } from '../../extension/core/mask';
import { axesOf, formatTuple, GnaProblem } from '../../extension/core/problem';
import type { TrainingSimulation } from '../../extension/core/backward';
import type { StrideRecommendation } from '../../extension/core/recommend';
import type { Simulation } from '../../extension/core/simulator';
import type { AxisTiling } from '../../extension/core/tiling';
import { axisQTileOf } from '../../extension/core/groups';

export interface NumberRow {
  /** Stable id (tests and the DOM use it). */
  readonly id: string;
  readonly label: string;
  readonly value: string;
  /** How the value was obtained, for a tooltip. */
  readonly detail: string;
}

export function simulationRows(
  sim: Simulation,
  rec: StrideRecommendation | undefined,
  problem: GnaProblem,
  training?: TrainingSimulation,
): NumberRow[] {
  const paper = paperRatioNote(sim, problem);
  const rows: NumberRow[] = [
    {
      id: 'sparsity',
      label: 'Sparsity',
      value: formatSparsity(sim.sparsity),
      detail: `${sim.attendedPairs.toLocaleString('en-US')} of ${(sim.tokens * sim.tokens).toLocaleString('en-US')} (query, key) pairs attended`,
    },
    {
      id: 'simulated',
      label: 'Simulated speedup',
      value: formatSpeedup(sim.simulated),
      detail: stepsLine(sim) + (paper ? `; ${paper}` : ''),
    },
    ...(training ? trainingRows(training) : []),
    {
      id: 'tile-pair',
      label: 'Tile-pair bound',
      value: formatSpeedup(sim.tilePairBound),
      detail: `${sim.visited.toLocaleString('en-US')} of ${sim.total.toLocaleString('en-US')} tile pairs visited`,
    },
    {
      id: 'flop',
      label: 'FLOP-wise bound',
      value: formatSpeedup(sim.flopBound),
      detail: 'N² over attended pairs',
    },
    {
      id: 'block-sparse',
      label: 'Block-sparse',
      value: sim.blockSparse ? 'yes' : 'no',
      detail: sim.blockSparse
        ? 'no visited tile pair needs masking'
        : `${sim.partial.toLocaleString('en-US')} of ${sim.visited.toLocaleString('en-US')} visited pairs are partial (masked)`,
    },
  ];
  rows.push(
    rec
      ? recommendationRow(rec, problem.stride)
      : { id: 'recommended-stride', label: 'Recommended stride', value: 'not searched', detail: 'too many strides × Q tiles to search while you edit; try gna sim --recommend' },
  );
  if (sim.padded) {
    rows.push({ id: 'padding', label: 'Padding', value: 'yes', detail: 'an axis is not a multiple of its tile: padded keys are masked, padded queries discarded' });
  }
  return rows;
}

/** The backward pass (KV-parallel, on its own tiles) and the training step (forward + backward). */
function trainingRows(t: TrainingSimulation): NumberRow[] {
  const b = t.backward;
  return [
    {
      id: 'backward',
      label: 'Backward',
      value: formatSpeedup(b.simulated),
      detail:
        `KV-parallel on Q ${formatTuple(b.qTile)} / KV ${formatTuple(b.kvTile)} tiles: ${b.kvTiles.toLocaleString('en-US')} KV tiles × ` +
        `${b.worstKvTileVisits} Q tiles (worst KV tile), self attention ${b.total.toLocaleString('en-US')} steps`,
    },
    {
      id: 'training',
      label: 'Training step',
      value: formatSpeedup(t.training.simulated),
      detail: `forward + backward, the backward at ${t.training.backwardFlopRatio}× the forward's FLOPs per tile pair (assumed); ${formatPercent(t.training.backwardShare)} of it backward`,
    },
  ];
}

function recommendationRow(rec: StrideRecommendation, stride: readonly number[]): NumberRow {
  const same = rec.stride.every((s, i) => s === stride[i]);
  return {
    id: 'recommended-stride',
    label: 'Recommended stride',
    value: same ? `${formatTuple(rec.stride)} (current)` : `${formatTuple(rec.stride)} → ${formatSpeedup(rec.simulation.simulated)}`,
    detail:
      (same
        ? 'no stride lowers the worst Q tile further on any axis'
        : `the smallest stride per axis reaching the fewest KV tiles for the worst Q tile${rec.simulation.blockSparse ? '; block-sparse' : ''}`) +
      (rec.cutOff ? `; search cut off after stride ${rec.cutOff.stride} on axis ${rec.cutOff.axis} (${rec.cutOff.reason})` : ''),
  };
}

/** What the selected query attends and shares, and what its Q tile visits. */
export function queryRows(problem: GnaProblem, tilings: readonly AxisTiling[], query: readonly number[]): NumberRow[] {
  const axes = axesOf(problem);
  const keys = neighborhoodSize(neighborhoodOf(problem, query));
  const group = axes.map((a, i) => runLength(axisStrideGroup(query[i], a)));
  const qTile = tilings.map((t, i) => axisQTileOf(t, query[i]));
  let visited = 1;
  let full = 1;
  for (let i = 0; i < tilings.length; i++) {
    const t = tilings[i];
    visited *= t.kvHi[qTile[i]] - t.kvLo[qTile[i]] + 1;
    full *= Math.max(0, t.fullHi[qTile[i]] - t.fullLo[qTile[i]] + 1);
  }
  const dilated = problem.dilation.some((d) => d > 1);
  const rows: NumberRow[] = [
    { id: 'query', label: 'Query', value: `(${query.join(', ')})`, detail: 'token coordinates, first axis first' },
    { id: 'keys', label: 'Keys attended', value: String(keys), detail: 'keys in this query’s neighbourhood' },
    {
      id: 'stride-group',
      label: 'Stride group',
      value: `${formatTuple(group)} queries`,
      detail: problem.causal.some((c) => c) ? 'queries grouped with this one (causal axes share the window start)' : 'queries sharing this query’s window',
    },
  ];
  if (dilated) {
    rows.push({
      id: 'dilation-group',
      label: 'Dilation group',
      value: `(${query.map((x, i) => x % problem.dilation[i]).join(', ')})`,
      detail: 'coordinate mod dilation per axis: attention stays inside the group',
    });
  }
  rows.push({
    id: 'q-tile',
    label: 'Its Q tile',
    value: `(${qTile.join(', ')}): ${visited} KV tiles, ${full} full`,
    detail: 'tile coordinates (dilation group first on dilated axes) and the KV tiles it visits',
  });
  return rows;
}
