// Writing a config edited in the preview back into the source call: text edits on the linter's
// argument ranges, in Python spelling. Pure (no `vscode`), so it is tested in plain Node; the
// preview view turns the edits into one WorkspaceEdit, which the user can undo.

import type { PreviewConfig } from '../../webview/model/config';
import { pythonTuple } from '../lint/edits';
import type { CallReport, TextEdit } from '../lint/types';
import { UNKNOWN } from '../core/validate';
import type { Parameter } from '../core/validate';

export interface WriteBackPlan {
  readonly edits: readonly TextEdit[];
  /** Parameters whose new value is written, e.g. `stride=(2, 2)`. */
  readonly written: readonly string[];
  /** Changed values that are not written, each with the reason. */
  readonly notWritten: readonly string[];
}

type MaskParameter = 'kernel_size' | 'stride' | 'dilation' | 'is_causal';

const DEFAULTS: Record<Exclude<MaskParameter, 'kernel_size'>, number | boolean> = { stride: 1, dilation: 1, is_causal: false };

/** The call's current value of a parameter, per axis; undefined when not known. */
function currentValue(call: CallReport, param: Parameter): (number | boolean)[] | undefined {
  const raw = call.raw;
  const value =
    param === 'input_size' ? raw.inputSize : param === 'kernel_size' ? raw.windowSize : param === 'stride' ? raw.stride : param === 'dilation' ? raw.dilation : raw.causal;
  if (value === UNKNOWN) return undefined;
  if (value === undefined) {
    if (param === 'input_size' || param === 'kernel_size') return undefined;
    return new Array(call.rank).fill(DEFAULTS[param]);
  }
  const list = Array.isArray(value) ? value : new Array(call.rank).fill(value);
  return list.every((v) => typeof v === 'number' || typeof v === 'boolean') ? (list as (number | boolean)[]) : undefined;
}

function same(a: readonly (number | boolean)[], b: readonly (number | boolean)[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** A tuple literal keeps its tuple spelling; anything else is written as a scalar when it can be. */
function newText(oldText: string | undefined, values: readonly (number | boolean)[]): string {
  const wasTuple = oldText !== undefined && /^\s*[([]/.test(oldText);
  return pythonTuple(values, !wasTuple);
}

/**
 * The edits that give `call` the mask arguments of `config`. Changed arguments written at the
 * call are replaced; missing ones are added before the closing parenthesis; values from a
 * `**dict`, the token layout unless it is a `# gna:` annotation the op reads as written, and tile
 * shapes (not NATTEN arguments here) are listed in `notWritten`.
 */
export function planWriteBack(text: string, call: CallReport, config: PreviewConfig): WriteBackPlan | string {
  if (config.inputSize.length !== call.rank) {
    return `${call.op} is a ${call.rank}-D op; the preview's layout is ${config.inputSize.length}-D, so nothing was written.`;
  }
  const edits: TextEdit[] = [];
  const written: string[] = [];
  const notWritten: string[] = [];
  const inserted: string[] = [];
  const targets: [MaskParameter, readonly (number | boolean)[]][] = [
    ['kernel_size', config.windowSize],
    ['stride', config.stride],
    ['dilation', config.dilation],
    ['is_causal', config.causal],
  ];
  for (const [param, values] of targets) {
    const current = currentValue(call, param);
    if (current && same(current, values)) continue;
    const range = call.argumentRanges[param];
    const oldText = range ? text.slice(range.start, range.end) : undefined;
    if (range && oldText !== undefined) {
      if (oldText.trimStart().startsWith('**')) {
        notWritten.push(`${param} comes from a **dict expansion; change it where the dict is built`);
        continue;
      }
      const replacement = newText(oldText, values);
      edits.push({ range, newText: replacement });
      written.push(`${param}=${replacement}`);
    } else {
      const replacement = newText(undefined, values);
      inserted.push(`${param}=${replacement}`);
      written.push(`${param}=${replacement}`);
    }
  }
  if (inserted.length > 0) {
    const insertion = insertionPoint(text, call);
    if (typeof insertion === 'string') return insertion;
    edits.push({ range: { start: insertion.at, end: insertion.at }, newText: `${insertion.prefix}${inserted.join(', ')}` });
  }
  const layout = currentValue(call, 'input_size');
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

/**
 * Where to add keyword arguments: after the last argument (so a trailing comment stays a comment),
 * with a comma when one is needed. The call range ends just after its closing parenthesis.
 */
function insertionPoint(text: string, call: CallReport): { at: number; prefix: string } | string {
  const close = call.range.end - 1;
  if (text[close] !== ')') return `Cannot find the closing parenthesis of ${call.op}(…); nothing was written.`;
  let i = close - 1;
  for (;;) {
    while (i >= call.range.start && /\s/.test(text[i])) i--;
    // Skip a comment that ends the line we stopped on.
    const lineStart = text.lastIndexOf('\n', i) + 1;
    const hash = commentStart(text.slice(lineStart, i + 1));
    if (hash < 0) break;
    i = lineStart + hash - 1;
  }
  const last = text[i];
  if (last === '(') return { at: i + 1, prefix: '' };
  if (last === ',') return { at: i + 1, prefix: ' ' };
  return { at: i + 1, prefix: ', ' };
}

/** Index of a `#` that starts a comment on one line of Python, outside string literals; -1 if none. */
function commentStart(line: string): number {
  let quote: string | undefined;
  for (let j = 0; j < line.length; j++) {
    const c = line[j];
    if (quote) {
      if (c === '\\') j++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return j;
  }
  return -1;
}

/** One line for the panel: what was written and what was not. */
export function describePlan(plan: WriteBackPlan): string {
  const parts: string[] = [];
  parts.push(plan.written.length > 0 ? `Wrote ${plan.written.join(', ')}.` : 'The call already has these mask arguments.');
  if (plan.notWritten.length > 0) parts.push(`Not written: ${plan.notWritten.join('; ')}.`);
  return parts.join(' ');
}
