// The inlay hint after a call, kept under HINT_BUDGET characters: `91% sparse · 11.1× simulated`,
// or, for a call reported once per entry of a config dict, one hint for all of them:
// `4 configs: 3.60–11.1× simulated`. Parts that do not fit are left out whole (never cut mid-word)
// and words shorten only where nothing else fits; the tooltip and the hover carry every detail.

import { formatSpeedup, formatSpeedupRange, Pass, sparsityShares, summaryLine, trainingSummaryLine } from '../../core/format';
import { formatTuple } from '../../core/problem';
import { callRows, configValues } from '../../lint/callTable';
import type { CallReport } from '../../lint/types';

/**
 * Characters a hint may take. A one-line call of examples/ and the test fixtures ends at column 67
 * (the median of those with a hint); with the space before the hint, 32 characters end it by
 * column 100, so the hint stays inside a 100-column editor instead of running off its edge.
 * Multi-line calls end at their `)`, where any hint fits. It is also under VS Code's own cut
 * (`editor.inlayHints.maximumLength`, 43 by default), which ends a longer hint mid-word with `…`.
 */
export const HINT_BUDGET = 32;

/**
 * The column a hint should end by, so that a 100-column editor shows it whole (the screenshots'
 * editor beside the GNA view is about that wide). A call whose line ends late gets a shorter hint,
 * and one that ends too late for any gets its hint before the call instead (`placeHint`).
 */
export const HINT_END_COLUMN = 100;

/** The budget of a hint placed before a call: it pushes the call right, so it says the headline only. */
export const LEADING_HINT_BUDGET = 16;

export interface PlacedHint extends HintText {
  /** After the call's `)` (`end`), or before the call (`start`) where no hint fits after it. */
  readonly at: 'end' | 'start';
}

/**
 * The hint of the calls at one source range whose last line ends at 0-based column `endColumn`:
 * after the call, shortened to end by HINT_END_COLUMN (a space of padding before it), or before
 * the call when not even its shortest wording fits there.
 */
export function placeHint(calls: readonly CallReport[], endColumn: number, pass: Pass = 'forward'): PlacedHint | undefined {
  const room = HINT_END_COLUMN - endColumn - 1;
  const after = hintText(calls, pass, Math.max(0, Math.min(HINT_BUDGET, room)));
  if (!after) return undefined;
  if (after.label.length <= room) return { ...after, at: 'end' };
  return { ...hintText(calls, pass, LEADING_HINT_BUDGET)!, at: 'start' };
}

export interface HintText {
  readonly label: string;
  readonly tooltip: string;
}

/** One piece of a hint: its wordings, longest first; a required part is never left out. */
export interface HintPart {
  readonly forms: readonly string[];
  readonly required?: boolean;
  /** What separates it from the part before (default ` · `). */
  readonly joiner?: string;
}

/**
 * The hint made of `parts` (in display order, joined by ` · ` or their own joiner) that fits `budget`: it keeps as
 * many parts as fit, the more important first (`priority`: indices into `parts`, most important
 * first), then gives each kept part its longest wording that still fits, again in priority order.
 * When even the required parts' shortest wordings exceed the budget, those are what it returns.
 */
export function fitHint(parts: readonly HintPart[], priority: readonly number[], budget: number = HINT_BUDGET): string {
  // Each part's choice: a form index, or forms.length for "left out". At most a few parts with a
  // few forms each, so every combination is tried.
  const choices = parts.map((p) => Array.from({ length: p.forms.length + (p.required ? 0 : 1) }, (_, i) => i));
  const label = (pick: readonly number[]) =>
    parts
      .flatMap((p, i) => (pick[i] < p.forms.length ? [{ text: p.forms[pick[i]], joiner: p.joiner ?? ' · ' }] : []))
      .map((p, i) => (i === 0 ? p.text : `${p.joiner}${p.text}`))
      .join('');
  // Lower is better: first which parts are left out, then how short their wordings are.
  const key = (pick: readonly number[]) => [
    ...priority.map((i) => (pick[i] < parts[i].forms.length ? 0 : 1)),
    ...priority.map((i) => Math.min(pick[i], parts[i].forms.length)),
  ];
  let best: { pick: number[]; key: number[] } | undefined;
  const visit = (pick: number[]): void => {
    if (pick.length < parts.length) {
      for (const c of choices[pick.length]) visit([...pick, c]);
      return;
    }
    if (label(pick).length > budget) return;
    const k = key(pick);
    if (!best || lexicallyBefore(k, best.key)) best = { pick, key: k };
  };
  visit([]);
  return label(best?.pick ?? parts.map((p) => (p.required ? p.forms.length - 1 : p.forms.length)));
}

function lexicallyBefore(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

/**
 * `calls`: the reports of one source range (see groupByRange); undefined when none is simulated.
 * `pass`: the `gna.pass` setting: the forward's speedup, or the training step's (forward + backward).
 */
export function hintText(calls: readonly CallReport[], pass: Pass = 'forward', budget: number = HINT_BUDGET): HintText | undefined {
  const simulated = calls.filter((c) => c.simulation);
  if (simulated.length === 0) return undefined;
  const hint = calls.length === 1 ? callHint(calls[0], pass) : variantsHint(calls, simulated, pass);
  const traced = calls[0]?.traced;
  const parts = [...hint.parts];
  const priority = [...hint.priority];
  let tooltip = hint.tooltip;
  if (traced) {
    // A traced config says so, and says when the file has changed since (`gna trace` again).
    const mark = traced.stale ? 'traced, stale' : 'traced';
    const layout = calls.length === 1 ? `${formatTuple(calls[0].raw.inputSize as number[])} ` : '';
    parts.push({ forms: layout ? [`${layout}${mark}`, mark] : [mark] });
    // Before everything but the headline: where the numbers come from matters more than their detail.
    priority.unshift(parts.length - 1);
    tooltip += `\n${traced.stale ? 'Config from a traced run, and the file changed after it: run gna trace again.' : 'Config from a traced run (gna trace).'}`;
  }
  return { label: fitHint(parts, priority, budget), tooltip };
}

interface HintParts {
  readonly parts: readonly HintPart[];
  readonly priority: readonly number[];
  readonly tooltip: string;
}

/** Parts in display order and their priority (the same parts, most important first); undefined ones are absent. */
function inOrder(shown: readonly (HintPart | undefined)[], important: readonly (HintPart | undefined)[]): Pick<HintParts, 'parts' | 'priority'> {
  const parts = shown.filter((p): p is HintPart => p !== undefined);
  return { parts, priority: important.filter((p): p is HintPart => p !== undefined).map((p) => parts.indexOf(p)) };
}

/** The summary of one call for the pass the hints follow (training needs the backward's simulation). */
function callSummary(call: CallReport, pass: Pass): string {
  return pass === 'training' && call.training ? trainingSummaryLine(call.simulation!, call.training) : summaryLine(call.simulation!);
}

/** The headline of one call for the pass the hints follow. */
function callSpeedup(call: CallReport, pass: Pass): number {
  return pass === 'training' && call.training ? call.training.training.simulated : call.simulation!.simulated;
}

/** The wordings of a speedup (`11.1×`, or a range `3.60×–11.1×`), longest first. */
function speedupForms(speedup: string, training: boolean, abbreviate: boolean): string[] {
  if (training) return [`${speedup} simulated training step`, `${speedup} training step`, ...(abbreviate ? [`${speedup} training`] : [])];
  return [`${speedup} simulated`, ...(abbreviate ? [`${speedup} sim`] : [])];
}

/** One call: its sparsity, its simulated speedup, and whether it is block-sparse. */
function callHint(call: CallReport, pass: Pass): HintParts {
  const sim = call.simulation!;
  const training = pass === 'training' && call.training !== undefined;
  const backward = training ? call.training!.backward : undefined;
  const sparsityPart: HintPart = { forms: [`${sparsityShares(sim.sparsity).sparse} sparse`] };
  const speedupPart: HintPart = { forms: speedupForms(formatSpeedup(callSpeedup(call, pass)), training, false), required: true };
  const blockSparsePart: HintPart | undefined = sim.blockSparse ? { forms: ['block-sparse'] } : undefined;
  return {
    ...inOrder([sparsityPart, speedupPart, blockSparsePart], [speedupPart, sparsityPart, blockSparsePart]),
    tooltip:
      `GNA ${call.op}: ${callSummary(call, pass)}.\nSimulated on Q ${formatTuple(sim.qTile)} / KV ${formatTuple(sim.kvTile)} tiles` +
      (backward ? `, the backward on Q ${formatTuple(backward.qTile)} / KV ${formatTuple(backward.kvTile)}` : '') +
      '. Hover the call for every bound.',
  };
}

/** A call with one config per dict entry: how many, the range of their speedups, how many are block-sparse. */
function variantsHint(calls: readonly CallReport[], simulated: readonly CallReport[], pass: Pass): HintParts {
  const training = pass === 'training' && simulated.every((c) => c.training);
  const speedups = simulated.map((c) => callSpeedup(c, pass));
  const low = Math.min(...speedups);
  const high = Math.max(...speedups);
  const blockSparse = simulated.filter((c) => c.simulation!.blockSparse).length;
  const count = simulated.length === calls.length ? `${calls.length} configs` : `${simulated.length} of ${calls.length} configs`;
  const range = formatSpeedupRange(low, high);
  const values = configValues(callRows(calls)[0]);
  // The count may go (the range still says "several"), the speedup may not.
  const countPart: HintPart = { forms: [count] };
  const speedupPart: HintPart = { forms: speedupForms(range, training, true), required: true, joiner: ': ' };
  const blockSparsePart: HintPart | undefined = blockSparse > 0 ? { forms: [`${blockSparse} block-sparse`] } : undefined;
  return {
    // The values the configs take (`7×7, dilation 1–8`) are unlabelled, so they go in the tooltip only.
    ...inOrder([countPart, speedupPart, blockSparsePart], [countPart, speedupPart, blockSparsePart]),
    tooltip: [
      `${count}${values ? ` (${values})` : ''}, ${training ? 'simulated training step' : 'simulated speedup'} ${range}:`,
      ...calls.map((c, i) => `${c.variant ?? `config ${i + 1}`}: ${c.simulation ? callSummary(c, pass) : 'not simulated (see its diagnostics)'}`),
    ].join('\n'),
  };
}
