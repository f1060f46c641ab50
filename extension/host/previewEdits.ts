// Writing a config edited in the preview back into the source call: the linter's mask-argument
// edits (lint/edits.ts `setMaskArguments`: at the call, or in the `**dict` entry the value comes
// from), plus the `# gna:` annotation (lint/annotationEdit.ts) for the layout and for values the
// user entered that the code does not give. Pure (no `vscode`), so
// it is tested in plain Node; the preview view turns the edits into one undoable WorkspaceEdit.

import type { PreviewConfig } from '../../webview/model/config';
import { axisValues, pythonTuple, setMaskArguments } from '../lint/edits';
import { annotationEdit } from '../lint/annotationEdit';
import { ANNOTATABLE } from '../lint/types';
import type { Annotatable, CallReport, MaskArgumentEdits, MaskParameter, TextEdit } from '../lint/types';
import { ANNOTATION_KEYS } from '../python/annotations';
import { missingOfCall } from './previewConfig';

export type WriteBackPlan = MaskArgumentEdits;

function same(a: readonly (number | boolean)[], b: readonly (number | boolean)[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * The edits that give `call` the mask arguments of `config`. The token layout is written only
 * where it is a `# gna:` annotation the op reads as written, and tile shapes (not NATTEN
 * arguments here) never: both are listed in `notWritten` instead. A value the user entered
 * because the call does not give it goes where it belongs: added to the call where the call
 * leaves the argument out; into the call's `# gna:` annotation (lint/annotationEdit.ts) where the
 * code passes something the linter cannot follow (`kernel_size=window` stays as it is) or the
 * layout is known only at run time.
 */
export function planWriteBack(text: string, call: CallReport, config: PreviewConfig): WriteBackPlan | string {
  if (config.inputSize.length !== call.rank) {
    return `${call.op} is a ${call.rank}-D op; the preview's layout is ${config.inputSize.length}-D, so nothing was written.`;
  }
  const wanted: Partial<Record<MaskParameter, readonly (number | boolean)[]>> = { kernel_size: config.windowSize, stride: config.stride, dilation: config.dilation, is_causal: config.causal };
  const annotate: Partial<Record<Annotatable, string>> = {};
  const kept: string[] = [];
  const layout = axisValues(call, 'input_size');
  for (const parameter of missingOfCall(call)) {
    if (parameter === 'input_size') {
      annotate.input_size = pythonTuple(config.inputSize);
      continue;
    }
    const slot = call.argumentSlots[parameter];
    if (typeof slot === 'object' && slot.insert) continue;
    const value = pythonTuple(wanted[parameter]!, true);
    delete wanted[parameter];
    if (annotationReads(parameter)) annotate[parameter] = value;
    else {
      const passed = call.argumentRanges[parameter];
      kept.push(`${parameter}=${value} is yours: the code passes ${passed ? `\`${text.slice(passed.start, passed.end)}\`` : 'a value the linter cannot follow'}, left as it is`);
    }
  }
  const masked = setMaskArguments(call, wanted, text);
  const edits: TextEdit[] = [...masked.edits];
  const written = [...masked.written];
  const notWritten = [...kept, ...masked.notWritten];
  if (layout && !same(layout, config.inputSize)) {
    const range = call.argumentRanges.input_size;
    const annotated = range ? text.slice(range.start, range.end) : undefined;
    const readsAsWritten = annotated !== undefined && sameNumbers(annotated, layout);
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
          : 'the token layout is not a `# gna: input_size=…` annotation the op reads as written; add or edit the annotation by hand',
      );
    }
  }
  const keys = ANNOTATABLE.filter((k) => annotate[k] !== undefined);
  if (keys.length > 0) {
    const words = `# gna: ${keys.map((k) => `${k}=${annotate[k]}`).join(', ')}`;
    const edit = annotationEdit(call, text, keys, annotate);
    if (edit) {
      edits.push({ range: edit.range, newText: edit.text });
      written.push(`\`${words}\` (annotation)`);
    } else notWritten.push(`your ${keys.join(', ')}: add \`${words}\` above the call to keep it`);
  }
  if (call.tiles && !(same(call.tiles.q, config.qTile) && same(call.tiles.kv, config.kvTile))) {
    notWritten.push('tile shapes are a kernel choice, not an argument of this call');
  }
  return { edits, written, notWritten };
}

/** Whether the scanner reads this key from a `# gna:` annotation (so writing it there counts). */
function annotationReads(parameter: Annotatable): boolean {
  return (ANNOTATION_KEYS as readonly string[]).includes(parameter);
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
