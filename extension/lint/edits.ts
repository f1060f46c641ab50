// Text edits for fixes: set a NATTEN argument to a new value wherever it is written (at the call,
// in the config dict it was expanded from) or add it to the call, and where to point a finding
// (the offending tuple element when the tuple is written at the call).

import type { ScannedArgument, ScannedCall } from '../python/scanner';
import type { Span } from '../python/values';
import type { SourceRange, TextEdit } from './types';

/** Python text for a per-axis value: `7`, `(16, 8, 8)`, `(True, False)`. */
export function pythonTuple(values: readonly (number | boolean)[], asScalar = false): string {
  const item = (v: number | boolean) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));
  if (asScalar && values.every((v) => v === values[0])) return item(values[0]);
  if (values.length === 1) return `(${item(values[0])},)`;
  return `(${values.map(item).join(', ')})`;
}

/** Whether a new value is best written as a scalar, following how the user wrote the old one. */
export function writtenAsScalar(arg: ScannedArgument | undefined): boolean {
  return !arg || arg.value.kind !== 'tuple';
}

function inside(span: Span, outer: Span): boolean {
  return span.start >= outer.start && span.end <= outer.end;
}

/**
 * Edits that make `param` equal `newText` for this call, or undefined when no safe edit exists.
 * A value written at the call (even a name bound elsewhere) is replaced at the call, so other
 * users of that name keep theirs; a value from a `**config` dict is edited in the dict entry; a
 * missing argument is added to the call, unless a `**kwargs` that cannot be followed might
 * already hold it (Python would then see it twice).
 */
export function setArgument(call: ScannedCall, param: string, newText: string, text?: string): TextEdit[] | undefined {
  const arg = call.arguments.get(param);
  if (arg) {
    // From a `**config` dict: edit the entry where the dict is written.
    if (arg.spread && arg.value.kind === 'unknown') return undefined;
    const range = arg.spread ? arg.value.span : arg.span;
    // Already written so: nothing to edit.
    if (text !== undefined && text.slice(range.start, range.end) === newText) return [];
    return [{ range, newText }];
  }
  if (!call.signature.params.includes(param) || call.openKeywords || call.incomplete) return undefined;
  if (call.spreadDict) {
    // The call's configuration lives in the `**` dict: add the entry there.
    const d = call.spreadDict;
    const entry = d.style === 'call' ? `${param}=${newText}` : `"${param}": ${newText}`;
    return [{ range: { start: d.insertAt, end: d.insertAt }, newText: d.entries.length > 0 ? `, ${entry}` : entry }];
  }
  return [{ range: { start: call.insertAt, end: call.insertAt }, newText: `${call.hasArguments ? ', ' : ''}${param}=${newText}` }];
}

/** Where a finding about `param` (and some of its axes) should point. */
export function argumentRange(call: ScannedCall, param: string, axes?: readonly number[]): SourceRange | undefined {
  const arg = call.arguments.get(param);
  if (!arg) return undefined;
  const v = arg.value;
  if (axes && axes.length > 0 && v.kind === 'tuple' && v.literal && !arg.spread && inside(v.span, call.span) && v.items.length > Math.max(...axes)) {
    const items = axes.map((a) => v.items[a].span);
    return { start: Math.min(...items.map((s) => s.start)), end: Math.max(...items.map((s) => s.end)) };
  }
  return arg.span;
}
