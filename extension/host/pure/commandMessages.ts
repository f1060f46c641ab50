// What the commands say: the config they act on, what the preview says until its issue lands,
// and why benchmarking is off in an untrusted workspace. Pure text, tested in plain Node.

import { formatCausal, summaryLine } from '../../core/format';
import { formatTuple } from '../../core/problem';
import type { Simulation } from '../../core/simulator';
import type { CallTarget } from './calls';

export const UNTRUSTED_BENCHMARK =
  'Benchmark on GPU runs native CUDA code, so it is disabled in an untrusted workspace. ' +
  'Lint, inlay hints, hovers and previews keep working. Trust this workspace to benchmark.';

export const NO_CALL_AT_CURSOR = 'Put the cursor on a GNA call with a complete, valid config (NATTEN op or module) first.';

/** `na3d 30×48×80, window 18×24×24, stride 16×8×8` (`na3d [double_blocks.0] 30×48×80, …` for a variant) */
export function describeConfig(target: CallTarget): string {
  const p = target.problem;
  const variant = target.variant !== undefined ? ` [${target.variant}]` : '';
  const parts = [`${target.op}${variant} ${formatTuple(p.inputSize)}`, `window ${formatTuple(p.windowSize)}`];
  if (p.stride.some((s) => s !== 1)) parts.push(`stride ${formatTuple(p.stride)}`);
  if (p.dilation.some((d) => d !== 1)) parts.push(`dilation ${formatTuple(p.dilation)}`);
  if (p.causal.some((c) => c)) parts.push(formatCausal(p.causal));
  return parts.join(', ');
}

export function previewComingMessage(target: CallTarget, simulation?: Simulation): string {
  return (
    `Mask preview is coming in a later release: it will draw the attention mask and the tile map of ${describeConfig(target)}.` +
    (simulation ? ` For now: ${summaryLine(simulation)}.` : '')
  );
}

/** Why there is no NATTEN call at the cursor (`Ctx.callAt`). */
export type NoCursorCall = 'no-editor' | 'not-python' | 'no-linter' | 'changing' | 'no-call';

/** The preview's words for each reason it follows no call. */
export const NO_CURSOR_CALL: Readonly<Record<NoCursorCall, string>> = {
  'no-editor': 'no editor is open.',
  'not-python': 'the active editor is not a Python file.',
  'no-linter': 'the Python linter is not available (see Output › GNA Studio).',
  changing: 'the file is changing.',
  'no-call': 'the cursor is not in a NATTEN call.',
};
