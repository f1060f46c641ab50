// Warnings for configs that run, but not fast: a window that is the whole layout (dense), tile
// pairs that need masking where a stride would align windows with tiles, and tile shapes that
// pad the layout. Every number comes from the core's simulator on the family's tile shapes.

import { formatSpeedup, formatTuple, GnaProblem, searchPresets, simulate, TileShape } from '../../core';
import { axisPadding, paddingShare } from '../../core/padding';
import { supportsStride } from '../../python/nattenApi';
import { argumentRange, pythonTuple, setArgument, writtenAsScalar } from '../edits';
import { finding, RuleContext } from '../ruleContext';
import type { Finding, Fix, TextEdit } from '../types';

/** Padding below this share of the tiled grid is not worth a warning. */
const PADDING_THRESHOLD = 0.01;
/** A stride that is not block-sparse is worth suggesting only when it gains at least this much. */
const MIN_GAIN = 1.1;

export function checkPerformance(ctx: RuleContext): Finding[] {
  const { check, simulation, tiles } = ctx.analysis;
  const problem = check.problem;
  if (!problem || !simulation || !tiles) return [];
  const dense = denseFallback(ctx, problem);
  if (dense) return [dense];
  return [...blockSparsity(ctx, problem, tiles), ...padding(ctx, problem, tiles)];
}

function tileText(tiles: TileShape): string {
  return `Q tile ${formatTuple(tiles.q)}, KV tile ${formatTuple(tiles.kv)}`;
}

function denseFallback(ctx: RuleContext, problem: GnaProblem): Finding | undefined {
  const { call } = ctx.analysis;
  const whole = problem.windowSize.every((k, i) => k === problem.inputSize[i] && problem.dilation[i] === 1);
  if (!whole || problem.causal.some((c) => c)) return undefined;
  const message =
    `kernel_size=${pythonTuple(problem.windowSize)} covers the whole token layout ${formatTuple(problem.inputSize)}: ` +
    `every query attends every key, so NATTEN falls back to dense self attention (0% sparse, no speedup). ` +
    `Call natten.attention directly, or use a smaller window.`;
  return finding(ctx, 'gna/dense-fallback', message, argumentRange(call, 'kernel_size') ?? call.calleeSpan);
}

function blockSparsity(ctx: RuleContext, problem: GnaProblem, tiles: TileShape): Finding[] {
  const { call, simulation: sim, recommendation: rec } = ctx.analysis;
  if (!sim || !rec || sim.blockSparse) return [];
  if (!supportsStride(call.op, ctx.options.version)) return [];
  const strideArg = call.arguments.get('stride');
  const range = argumentRange(call, 'stride') ?? call.calleeSpan;
  const where = `${tileText(tiles)} (${ctx.options.family})`;
  const partial = `${sim.partial} of ${sim.visited} visited tile pairs need per-element masking with ${where}`;
  const asScalar = writtenAsScalar(strideArg);
  const target = rec.blockSparseStride;
  if (target && target.some((s, i) => s !== problem.stride[i])) {
    const better = simulate({ ...problem, stride: [...target] }, tiles);
    const text = pythonTuple(target, asScalar);
    const message =
      `Not block-sparse: ${partial}. stride=${text} makes every tile pair full or empty: ` +
      `${formatSpeedup(sim.simulated)} → ${formatSpeedup(better.simulated)} simulated.`;
    const edits = setArgument(call, 'stride', text);
    const fixes: Fix[] = edits ? [{ title: `Use stride=${text} (block-sparse, ${formatSpeedup(better.simulated)})`, edits, preferred: true }] : [];
    return [finding(ctx, 'gna/not-block-sparse', message, range, fixes)];
  }
  // No stride removes every partial pair; say so only if one still helps clearly.
  if (!rec.atFloor && rec.simulation.simulated >= sim.simulated * MIN_GAIN) {
    const text = pythonTuple(rec.stride, asScalar);
    const message =
      `Not block-sparse: ${partial}, and no stride up to kernel_size removes them all. ` +
      `stride=${text} lowers the worst Q tile's KV tiles from ${sim.worstQTileVisits} to ${rec.simulation.worstQTileVisits}: ` +
      `${formatSpeedup(sim.simulated)} → ${formatSpeedup(rec.simulation.simulated)} simulated.`;
    const edits = setArgument(call, 'stride', text);
    const fixes: Fix[] = edits ? [{ title: `Use stride=${text} (${formatSpeedup(rec.simulation.simulated)})`, edits, preferred: true }] : [];
    return [finding(ctx, 'gna/not-block-sparse', message, range, fixes)];
  }
  return [];
}

function padding(ctx: RuleContext, problem: GnaProblem, tiles: TileShape): Finding[] {
  const { call, simulation: sim, headDim } = ctx.analysis;
  if (!sim || !sim.padded) return [];
  const qShare = paddingShare(problem, tiles.q);
  const kvShare = paddingShare(problem, tiles.kv);
  const share = Math.max(qShare, kvShare);
  if (share < PADDING_THRESHOLD) return [];
  const which = qShare >= kvShare ? tiles.q : tiles.kv;
  const axes = axisPadding(problem, which).filter((a) => a.padded !== a.length);
  const axesText = axes.map((a) => `axis ${a.axis}: ${a.length} → ${a.padded}`).join(', ');
  let message =
    `${tileText(tiles)} pad the ${formatTuple(problem.inputSize)} layout (${axesText}): ` +
    `${(qShare * 100).toFixed(1)}% of query and ${(kvShare * 100).toFixed(1)}% of key rows are padding, computed and thrown away.`;
  const fixes: Fix[] = [];
  // A preset of the same family that pads less and simulates at least as fast.
  const best = searchPresets(problem, ctx.options.family, headDim).find(
    (r) => Math.max(paddingShare(problem, r.preset.q), paddingShare(problem, r.preset.kv)) < share && r.simulation.simulated >= sim.simulated,
  );
  if (best) {
    message += ` ${ctx.options.family}'s ${formatTuple(best.preset.q)}/${formatTuple(best.preset.kv)} tiles pad less: ${formatSpeedup(sim.simulated)} → ${formatSpeedup(best.simulation.simulated)} simulated.`;
    if (supportsStride(call.op, ctx.options.version) && call.op.kind !== 'module') {
      const qText = pythonTuple(best.preset.q);
      const kvText = pythonTuple(best.preset.kv);
      const q = setArgument(call, 'q_tile_shape', qText);
      const kv = setArgument(call, 'kv_tile_shape', kvText);
      if (q && kv) {
        // Two insertions at the same place become one edit, so their order is defined.
        const insertion = (e: TextEdit) => e.range.start === e.range.end;
        const edits =
          insertion(q[0]) && insertion(kv[0]) && q[0].range.start === kv[0].range.start
            ? [{ range: q[0].range, newText: `${q[0].newText}, kv_tile_shape=${kvText}` }]
            : [...q, ...kv];
        fixes.push({ title: `Use q_tile_shape=${qText}, kv_tile_shape=${kvText}`, edits });
      }
    }
  }
  return [finding(ctx, 'gna/padding-waste', message, argumentRange(call, 'q_tile_shape') ?? call.calleeSpan, fixes)];
}
