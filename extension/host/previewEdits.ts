// Writing a config edited in the preview back into the source call: the linter's mask-argument
// edits (lint/edits.ts `setMaskArguments`: at the call, or in the `**dict` entry the value comes
// from), plus the `# gna: input_size=…` annotation when the layout changed. Pure (no `vscode`), so
// it is tested in plain Node; the preview view turns the edits into one undoable WorkspaceEdit.

import type { PreviewConfig } from '../../webview/model/config';
import { axisValues, pythonTuple, setMaskArguments } from '../lint/edits';
import type { CallReport, MaskArgumentEdits, MaskParameter, TextEdit } from '../lint/types';
import { missingOfCall } from './previewConfig';

export type WriteBackPlan = MaskArgumentEdits;

function same(a: readonly (number | boolean)[], b: readonly (number | boolean)[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * The edits that give `call` the mask arguments of `config`. The token layout is written only
 * where it is a `# gna:` annotation the op reads as written, and tile shapes (not NATTEN
 * arguments here) never: both are listed in `notWritten` instead. A value the user entered
 * because the call does not give it is added where the call leaves the argument out, but never
 * replaces what the code passes (`kernel_size=window`: the code stays as it is; it is listed in
 * `notWritten`).
 */
export function planWriteBack(text: string, call: CallReport, config: PreviewConfig): WriteBackPlan | string {
  if (config.inputSize.length !== call.rank) {
    return `${call.op} is a ${call.rank}-D op; the preview's layout is ${config.inputSize.length}-D, so nothing was written.`;
  }
  const wanted: Partial<Record<MaskParameter, readonly (number | boolean)[]>> = { kernel_size: config.windowSize, stride: config.stride, dilation: config.dilation, is_causal: config.causal };
  const kept: string[] = [];
  for (const parameter of missingOfCall(call)) {
    const slot = parameter === 'input_size' ? undefined : call.argumentSlots[parameter];
    if (parameter === 'input_size' || (typeof slot === 'object' && slot.insert)) continue;
    const passed = call.argumentRanges[parameter];
    kept.push(`${parameter}=${pythonTuple(wanted[parameter]!, true)} is yours: the code passes ${passed ? `\`${text.slice(passed.start, passed.end)}\`` : 'a value the linter cannot follow'}, left as it is`);
    delete wanted[parameter];
  }
  const masked = setMaskArguments(call, wanted, text);
  const edits: TextEdit[] = [...masked.edits];
  const written = [...masked.written];
  const notWritten = [...kept, ...masked.notWritten];
  const layout = axisValues(call, 'input_size');
  if (!layout || !same(layout, config.inputSize)) {
    const range = call.argumentRanges.input_size;
    const annotated = range ? text.slice(range.start, range.end) : undefined;
    const readsAsWritten = annotated !== undefined && layout !== undefined && sameNumbers(annotated, layout);
    if (call.layoutSource === 'annotation' && range && readsAsWritten) {
      const replacement = pythonTuple(config.inputSize, !/^\s*[([]/.test(annotated));
      edits.push({ range, newText: replacement });
      written.push(`input_size=${replacement} (annotation)`);
    } else {
      notWritten.push(
        call.layoutSource === 'setting'
          ? 'the token layout comes from the gna.inputSize setting'
          : call.layoutSource === 'trace'
            ? 'the token layout comes from a traced run'
          : call.layoutSource === 'code'
            ? 'the token layout comes from a tensor shape in the code'
          : call.layoutSource === 'none'
            ? `input_size=${pythonTuple(config.inputSize)} is yours: add \`# gna: input_size=${pythonTuple(config.inputSize)}\` above the call to keep it`
          : 'the token layout is not a `# gna: input_size=…` annotation the op reads as written; add or edit the annotation by hand',
      );
    }
  }
  if (call.tiles && !(same(call.tiles.q, config.qTile) && same(call.tiles.kv, config.kvTile))) {
    notWritten.push('tile shapes are a kernel choice, not an argument of this call');
  }
  return { edits, written, notWritten };
}

/** Whether Python integer-tuple text spells exactly these numbers: `(30, 48, 80)`, `64`. */
function sameNumbers(text: string, values: readonly (number | boolean)[]): boolean {
  const numbers = text.match(/-?\d+/g)?.map(Number) ?? [];
  return same(numbers, values);
}

/** One line for the panel: what was written and what was not. */
export function describePlan(plan: WriteBackPlan): string {
  const parts: string[] = [];
  parts.push(plan.written.length > 0 ? `Wrote ${plan.written.join(', ')}.` : 'The call already has these mask arguments.');
  if (plan.notWritten.length > 0) parts.push(`Not written: ${plan.notWritten.join('; ')}.`);
  return parts.join(' ');
}
