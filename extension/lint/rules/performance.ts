// Warnings for configs that run, but not fast: a window that is the whole layout (dense), tile
// pairs that need masking where a stride would align windows with tiles, and tile shapes that
// pad the layout. Every number comes from the core's simulator on the family's tile shapes.

import { formatSpeedup, formatTuple, GnaProblem, presetsFor, TileShape } from '../../core';
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

function sides(q: number, kv: number): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  if (kv === 0) return `${pct(q)} of the query rows are`;
  if (q === 0) return `${pct(kv)} of the key rows are`;
  return `${pct(q)} of the query and ${pct(kv)} of the key rows are`;
}

/** `148,896`: tile-pair counts read better grouped. */
function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
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
  const partial = `${count(sim.partial)} of ${count(sim.visited)} visited tile pairs need per-element masking with ${where}`;
  const asScalar = writtenAsScalar(strideArg);
  const target = rec.blockSparseStride;
  if (target && target.some((s, i) => s !== problem.stride[i])) {
    const better = ctx.numbers.simulate({ ...problem, stride: [...target] }, tiles);
    const text = pythonTuple(target, asScalar);
    const message =
      `Not block-sparse: ${partial}. stride=${text} makes every tile pair full or empty: ` +
      `${formatSpeedup(sim.simulated)} → ${formatSpeedup(better.simulated)} simulated.`;
    const edits = setArgument(call, 'stride', text, ctx.text);
    const fixes: Fix[] = edits ? [{ title: `Use stride=${text} (block-sparse, ${formatSpeedup(better.simulated)})`, edits, preferred: true }] : [];
    return [finding(ctx, 'gna/not-block-sparse', message, range, fixes)];
  }
  // No stride is block-sparse with these tiles: another tile shape of the family may make one so
  // (30 frames never divide into 4-frame tiles, but do into 2-frame ones).
  const other = blockSparseWithOtherTiles(ctx, problem, tiles);
  if (other) {
    const strideText = pythonTuple(other.stride, asScalar);
    const qText = pythonTuple(other.tiles.q);
    const kvText = pythonTuple(other.tiles.kv);
    const message =
      `Not block-sparse: ${partial}, and no stride removes them with these tiles. ` +
      `stride=${strideText} with q_tile_shape=${qText}, kv_tile_shape=${kvText} is block-sparse: ` +
      `${formatSpeedup(sim.simulated)} → ${formatSpeedup(other.simulated)} simulated.`;
    const parts = [setArgument(call, 'stride', strideText, ctx.text), setArgument(call, 'q_tile_shape', qText, ctx.text), setArgument(call, 'kv_tile_shape', kvText, ctx.text)];
    const fixes: Fix[] = parts.every((p) => p !== undefined)
      ? [{ title: `Use stride=${strideText} with ${formatTuple(other.tiles.q)}/${formatTuple(other.tiles.kv)} tiles (${formatSpeedup(other.simulated)})`, edits: mergeInsertions(parts.flatMap((p) => p ?? [])), preferred: true }]
      : [];
    return [finding(ctx, 'gna/not-block-sparse', message, range, fixes)];
  }
  // No stride removes every partial pair; say so only if one still helps clearly.
  if (!rec.atFloor && rec.simulation.simulated >= sim.simulated * MIN_GAIN) {
    const text = pythonTuple(rec.stride, asScalar);
    const message =
      `Not block-sparse: ${partial}, and no stride up to kernel_size removes them all. ` +
      `stride=${text} lowers the worst Q tile's KV tiles from ${sim.worstQTileVisits} to ${rec.simulation.worstQTileVisits}: ` +
      `${formatSpeedup(sim.simulated)} → ${formatSpeedup(rec.simulation.simulated)} simulated.`;
    const edits = setArgument(call, 'stride', text, ctx.text);
    const fixes: Fix[] = edits ? [{ title: `Use stride=${text} (${formatSpeedup(rec.simulation.simulated)})`, edits, preferred: true }] : [];
    return [finding(ctx, 'gna/not-block-sparse', message, range, fixes)];
  }
  return [];
}

/**
 * The family's other tile shapes, for ops that take tile shapes (the 0.20+ functional ops): the
 * one whose smallest block-sparse stride simulates fastest, if any is faster than now.
 */
function blockSparseWithOtherTiles(ctx: RuleContext, problem: GnaProblem, tiles: TileShape): { stride: number[]; tiles: TileShape; simulated: number } | undefined {
  const { call, simulation: sim } = ctx.analysis;
  if (!sim || call.op.kind === 'module' || !call.signature.params.includes('q_tile_shape')) return undefined;
  let best: { stride: number[]; tiles: TileShape; simulated: number } | undefined;
  for (const preset of presetsFor(ctx.options.family, problem.inputSize.length, ctx.analysis.headDim)) {
    if (sameTiles(preset, tiles)) continue;
    const rec = ctx.numbers.recommend(problem, preset);
    if (!rec.blockSparseStride) continue;
    const simulated = ctx.numbers.simulate({ ...problem, stride: [...rec.blockSparseStride] }, preset).simulated;
    if (simulated > sim.simulated && (!best || simulated > best.simulated)) best = { stride: [...rec.blockSparseStride], tiles: { q: preset.q, kv: preset.kv }, simulated };
  }
  return best;
}

function sameTiles(a: TileShape, b: TileShape): boolean {
  return a.q.join() === b.q.join() && a.kv.join() === b.kv.join();
}

/** Insertions at one offset become one edit (their relative order would be undefined). */
function mergeInsertions(edits: readonly TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const e of edits) {
    const prev = out[out.length - 1];
    if (prev && prev.range.start === prev.range.end && e.range.start === e.range.end && prev.range.start === e.range.start) {
      out[out.length - 1] = { range: prev.range, newText: prev.newText + (e.newText.startsWith(', ') ? e.newText : `, ${e.newText}`) };
    } else out.push(e);
  }
  return out;
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
    `${sides(qShare, kvShare)} padding, computed and thrown away.`;
  const fixes: Fix[] = [];
  // A preset of the same family that pads less and simulates at least as fast.
  const best = ctx.numbers.presets(problem, ctx.options.family, headDim).find(
    (r) => Math.max(paddingShare(problem, r.preset.q), paddingShare(problem, r.preset.kv)) < share && r.simulation.simulated >= sim.simulated,
  );
  if (best) {
    message += ` ${ctx.options.family}'s ${formatTuple(best.preset.q)}/${formatTuple(best.preset.kv)} tiles pad less: ${formatSpeedup(sim.simulated)} → ${formatSpeedup(best.simulation.simulated)} simulated.`;
    if (supportsStride(call.op, ctx.options.version) && call.op.kind !== 'module') {
      const qText = pythonTuple(best.preset.q);
      const kvText = pythonTuple(best.preset.kv);
      const q = setArgument(call, 'q_tile_shape', qText, ctx.text);
      const kv = setArgument(call, 'kv_tile_shape', kvText, ctx.text);
      if (q && kv) {
        fixes.push({ title: `Use q_tile_shape=${qText}, kv_tile_shape=${kvText}`, edits: mergeInsertions([...q, ...kv]) });
      }
    }
  }
  return [finding(ctx, 'gna/padding-waste', message, argumentRange(call, 'q_tile_shape') ?? call.calleeSpan, fixes)];
}
