// The inlay hint after a call: `91% sparse · 11.1× sim · block-sparse`, or, for a call reported
// once per entry of a config dict, one hint for all of them: `4 configs: 7×7, dilation 1–8 · 3.60×–11.1× sim · 1 block-sparse`.

import { formatSpeedup, Pass, summaryLine, trainingSummaryLine } from '../../core/format';
import { formatTuple } from '../../core/problem';
import { callRows, configValues } from '../../lint/callTable';
import type { CallReport } from '../../lint/types';

export interface HintText {
  readonly label: string;
  readonly tooltip: string;
}

/**
 * `calls`: the reports of one source range (see groupByRange); undefined when none is simulated.
 * `pass`: the `gna.pass` setting: the forward's speedup, or the training step's (forward + backward).
 */
export function hintText(calls: readonly CallReport[], pass: Pass = 'forward'): HintText | undefined {
  const text = untracedHintText(calls, pass);
  const traced = calls[0]?.traced;
  if (!text || !traced) return text;
  // A traced config says so, and says when the file has changed since (`gna trace` again).
  const mark = traced.stale ? 'traced, stale' : 'traced';
  const layouts = calls.length === 1 ? `${formatTuple(calls[0].raw.inputSize as number[])} ` : '';
  return {
    label: `${text.label} · ${layouts}${mark}`,
    tooltip: `${text.tooltip}\n${traced.stale ? 'Config from a traced run, and the file changed after it: run gna trace again.' : 'Config from a traced run (gna trace).'}`,
  };
}

/** The summary of one call for the pass the hints follow (training needs the backward's simulation). */
function callSummary(call: CallReport, pass: Pass): string {
  return pass === 'training' && call.training ? trainingSummaryLine(call.simulation!, call.training) : summaryLine(call.simulation!);
}

/** The headline of one call for the pass the hints follow. */
function callSpeedup(call: CallReport, pass: Pass): number {
  return pass === 'training' && call.training ? call.training.training.simulated : call.simulation!.simulated;
}

function untracedHintText(calls: readonly CallReport[], pass: Pass): HintText | undefined {
  const simulated = calls.filter((c) => c.simulation);
  if (simulated.length === 0) return undefined;
  if (calls.length === 1) {
    const sim = calls[0].simulation!;
    const backward = pass === 'training' ? calls[0].training?.backward : undefined;
    return {
      label: callSummary(calls[0], pass),
      tooltip:
        `GNA ${calls[0].op}: simulated on Q ${formatTuple(sim.qTile)} / KV ${formatTuple(sim.kvTile)} tiles` +
        (backward ? `, the backward on Q ${formatTuple(backward.qTile)} / KV ${formatTuple(backward.kvTile)}` : '') +
        '. Hover the call for every bound.',
    };
  }
  const training = pass === 'training' && simulated.every((c) => c.training);
  const speedups = simulated.map((c) => callSpeedup(c, pass));
  const low = Math.min(...speedups);
  const high = Math.max(...speedups);
  const blockSparse = simulated.filter((c) => c.simulation!.blockSparse).length;
  const count = simulated.length === calls.length ? `${calls.length} configs` : `${simulated.length} of ${calls.length} configs`;
  const range = low === high ? formatSpeedup(low) : `${formatSpeedup(low)}–${formatSpeedup(high)}`;
  const values = configValues(callRows(calls)[0]);
  return {
    label: `${count}: ${values ? `${values} · ` : ''}${range} ${training ? 'train step' : 'sim'}` + (blockSparse > 0 ? ` · ${blockSparse} block-sparse` : ''),
    tooltip: calls
      .map((c, i) => `${c.variant ?? `config ${i + 1}`}: ${c.simulation ? callSummary(c, pass) : 'not simulated (see its diagnostics)'}`)
      .join('\n'),
  };
}
