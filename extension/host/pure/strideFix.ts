// "Apply the recommended stride" for a call whose stride is written at the call: the smallest
// stride that reaches the fewest KV tiles per Q tile (core/recommend.ts), as the hover shows it.
// The linter already offers the block-sparse stride as a quick fix when one exists; this covers
// the calls where the best stride is not block-sparse. Calls whose stride comes from `**cfg` or
// a dict entry are left to the linter, which knows where the value is written.

import { formatSpeedup } from '../../core/format';
import type { CallReport, Fix } from '../../lint/types';

export function recommendedStrideFix(call: CallReport, source: string): Fix | undefined {
  const rec = call.recommendation;
  const sim = call.simulation;
  const problem = call.check.problem;
  const range = call.argumentRanges.stride;
  if (!rec || !sim || !problem || rec.atFloor || !range || call.variant !== undefined) return undefined;
  if (/^\s*\*/.test(source.slice(range.start, range.end))) return undefined;
  if (rec.stride.every((s, i) => s === problem.stride[i])) return undefined;
  const value = call.rank === 1 ? String(rec.stride[0]) : `(${rec.stride.join(', ')})`;
  return {
    title:
      `Apply the recommended stride ${value}: ${formatSpeedup(rec.simulation.simulated)} simulated ` +
      `(now ${formatSpeedup(sim.simulated)})${rec.simulation.blockSparse ? ', block-sparse' : ''}`,
    edits: [{ range, newText: value }],
  };
}
