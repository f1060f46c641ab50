// The information line for every call the simulator could run: sparsity and simulated speedup
// for the configured GPU family, and the tile shapes and head dim they assume.

import { formatTuple, summaryLine } from '../../core';
import { finding, RuleContext } from '../ruleContext';
import type { Finding } from '../types';

export function summarize(ctx: RuleContext): Finding[] {
  const { call, simulation, tiles, headDim, tilesNote, check } = ctx.analysis;
  if (simulation && tiles) {
    const where = `${ctx.options.family}, Q tile ${formatTuple(tiles.q)}, KV tile ${formatTuple(tiles.kv)}, head dim ${headDim}`;
    return [finding(ctx, 'gna/summary', `${summaryLine(simulation)} (${where})`, call.calleeSpan)];
  }
  if (check.problem && tilesNote) {
    return [finding(ctx, 'gna/summary', `Valid config; not simulated: ${tilesNote}.`, call.calleeSpan)];
  }
  return [];
}
