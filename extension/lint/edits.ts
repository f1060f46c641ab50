// Text edits: set a NATTEN argument to a new value wherever it is written (at the call, in the
// config dict it was expanded from) or add it to the call, for the rules' fixes (on the scanned
// call) and for any user of a report (the mask arguments, `setMaskArguments`, on a CallReport:
// the preview's write-back); and where to point a finding (the offending tuple element when the
// tuple is written at the call).

import type { ScannedArgument, ScannedCall } from '../python/scanner';
import type { Span } from '../python/values';
import type { ArgumentSlot, CallReport, MaskArgumentEdits, MaskParameter, MaskValues, SourceRange, TextEdit } from './types';
import { MASK_PARAMETERS } from './types';

/** NATTEN's values of the mask arguments a call does not give. */
const MASK_DEFAULTS: Readonly<Record<Exclude<MaskParameter, 'kernel_size'>, number | boolean>> = { stride: 1, dilation: 1, is_causal: false };

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
 * Where a new value of `param` goes for this call, or why no safe edit exists. A value written at
 * the call (even a name bound elsewhere) is replaced at the call, so other users of that name keep
 * theirs; a value from a `**config` dict is replaced in the dict entry; a missing argument is added
 * to the call (or to the `**config` dict the call takes its configuration from), unless a
 * `**kwargs` that cannot be followed might already hold it (Python would then see it twice).
 */
export function argumentSlot(call: ScannedCall, param: string): ArgumentSlot | string {
  const arg = call.arguments.get(param);
  if (arg) {
    if (arg.spread && arg.value.kind === 'unknown') return `${param} comes from a **dict the linter cannot follow; change it where the dict is built`;
    return { range: arg.spread ? arg.value.span : arg.span };
  }
  if (!call.signature.params.includes(param)) return `${call.op.name} has no ${param} argument in this NATTEN version`;
  if (call.openKeywords) return `${param} may already be set by a **kwargs the linter cannot follow`;
  if (call.incomplete) return `the call is not complete yet`;
  const d = call.spreadDict;
  if (d) return { range: { start: d.insertAt, end: d.insertAt }, insert: { key: d.style === 'call' ? `${param}=` : `"${param}": `, comma: d.entries.length > 0 } };
  return { range: { start: call.insertAt, end: call.insertAt }, insert: { key: `${param}=`, comma: call.hasArguments } };
}

/** The edit that writes `newText` into a slot; none when `text` already says so there. */
export function writeSlot(slot: ArgumentSlot, newText: string, text?: string): TextEdit[] {
  if (slot.insert) return [{ range: slot.range, newText: `${slot.insert.comma ? ', ' : ''}${slot.insert.key}${newText}` }];
  if (text !== undefined && text.slice(slot.range.start, slot.range.end) === newText) return [];
  return [{ range: slot.range, newText }];
}

/** Edits that make `param` equal `newText` for this call (see `argumentSlot`), or undefined when no safe edit exists. */
export function setArgument(call: ScannedCall, param: string, newText: string, text?: string): TextEdit[] | undefined {
  const slot = argumentSlot(call, param);
  return typeof slot === 'string' ? undefined : writeSlot(slot, newText, text);
}

/** A call's value of a mask argument on every axis: NATTEN's default where it is not given; undefined where it is not known. */
export function axisValues(call: CallReport, param: MaskParameter | 'input_size'): (number | boolean)[] | undefined {
  const raw = call.raw;
  const value = param === 'input_size' ? raw.inputSize : param === 'kernel_size' ? raw.windowSize : param === 'stride' ? raw.stride : param === 'dilation' ? raw.dilation : raw.causal;
  if (value === undefined) return param === 'input_size' || param === 'kernel_size' ? undefined : new Array(call.rank).fill(MASK_DEFAULTS[param]);
  const list: unknown[] = Array.isArray(value) ? value : new Array(call.rank).fill(value);
  const fits = (v: unknown) => (param === 'is_causal' ? typeof v === 'boolean' : typeof v === 'number');
  return list.every(fits) ? (list as (number | boolean)[]) : undefined;
}

/**
 * The edits that give `call` these mask arguments, each on every axis: arguments whose value
 * differs are written where their slot is (`CallReport.argumentSlots`), keeping a tuple written as
 * a tuple and writing a scalar where every axis agrees otherwise; arguments added at one place go
 * in one edit. Lists each written `param=value`, and each changed argument not written with why.
 */
export function setMaskArguments(call: CallReport, values: MaskValues, text: string): MaskArgumentEdits {
  const edits: TextEdit[] = [];
  const written: string[] = [];
  const notWritten: string[] = [];
  const inserts = new Map<number, string[]>();
  for (const param of MASK_PARAMETERS) {
    const wanted = values[param];
    const current = axisValues(call, param);
    if (!wanted || (current && current.length === wanted.length && current.every((v, i) => v === wanted[i]))) continue;
    const slot = call.argumentSlots[param];
    if (slot === undefined || typeof slot === 'string') {
      notWritten.push(slot ?? `${param} cannot be written`);
      continue;
    }
    const tuple = !slot.insert && /^\s*[([]/.test(text.slice(slot.range.start, slot.range.end));
    const newText = pythonTuple(wanted, !tuple);
    written.push(`${param}=${newText}`);
    if (!slot.insert) {
      edits.push(...writeSlot(slot, newText, text));
      continue;
    }
    // Several arguments added at one place: one edit, in parameter order, one leading comma.
    const at = inserts.get(slot.range.start);
    if (at) at.push(`${slot.insert.key}${newText}`);
    else inserts.set(slot.range.start, [`${slot.insert.comma ? ', ' : ''}${slot.insert.key}${newText}`]);
  }
  for (const [at, parts] of inserts) edits.push({ range: { start: at, end: at }, newText: parts.join(', ') });
  return { edits, written, notWritten };
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
