// Values that take several constants: a loop variable over a literal list, a parameter whose call
// sites pass different arguments, `dilations[i]` for a run-time `i`. They are `choice` values
// (values.ts); this module builds them and maps operations over their options, bounded by
// MAX_CHOICES so a deep product of loops never costs more than a few dozen checks.

import { ChoiceOption, MAX_CHOICES, PyValue, Span, unknown } from './values';

/** Separates the labels of nested picks: `L42›dilation=8` (the call site, then the loop item). */
export const LABEL_JOIN = '›';

/**
 * A pick's label in the user's words, the one name every surface shows for a variant of a call:
 * `L82›i=0›i=1` (the call site at line 82, then a loop's `i`, then an inner loop's) is
 * `line 82, i=0, i=1`; `L12#2` is `line 12, 2nd call`; a branch is `if branch` / `else branch`;
 * loop items and dict keys (`i=0`, `stage1`, `model.py:2`) stay as the code spells them.
 */
export function pickName(label: string): string {
  return label
    .split(LABEL_JOIN)
    .map((part) => {
      const site = /^L(\d+)(?:#(\d+))?$/.exec(part);
      if (site) return `line ${site[1]}${site[2] ? `, ${ordinal(Number(site[2]))} call` : ''}`;
      const other = /^(.+):(\d+)#(\d+)$/.exec(part);
      if (other) return `${other[1]}:${other[2]}, ${ordinal(Number(other[3]))} call`;
      return part === 'if' || part === 'else' ? `${part} branch` : part;
    })
    .join(', ');
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** A compact Python spelling of a value, for choice labels and reports (`(7, 7)`, `None`). */
export function reprValue(v: PyValue | undefined): string {
  if (!v) return 'default';
  switch (v.kind) {
    case 'int':
      return String(v.value);
    case 'float':
      return v.text;
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'str':
      return `'${v.value}'`;
    case 'none':
      return 'None';
    case 'tuple': {
      const inner = v.items.map(reprValue).join(', ');
      return v.list ? `[${inner}]` : v.items.length === 1 ? `(${inner},)` : `(${inner})`;
    }
    case 'dict':
      return `{${v.entries.map((e) => `${JSON.stringify(e.key)}: ${reprValue(e.value)}`).join(', ')}}`;
    case 'choice':
      return v.options.map((o) => reprValue(o.value)).join(' | ');
    default:
      return '?';
  }
}

/**
 * A choice over `options`; one option is the value itself, nested choices are flattened (their
 * labels joined after the outer one) so a pick is one flat label.
 */
export function choiceOf(source: string, options: readonly ChoiceOption[], span: Span): PyValue {
  // One call site passing a loop variable: the loop's own choice, without the call's label.
  if (options.length === 1 && options[0].value?.kind === 'choice') return options[0].value;
  const flat: ChoiceOption[] = [];
  for (const o of options) {
    if (o.value?.kind === 'choice') {
      for (const inner of o.value.options) flat.push({ label: `${o.label}${LABEL_JOIN}${inner.label}`, ...(inner.value ? { value: inner.value } : {}) });
    } else flat.push(o);
    if (flat.length > MAX_CHOICES) return unknown(`${source} takes more than ${MAX_CHOICES} values`, span);
  }
  if (flat.length === 1 && flat[0].value) return flat[0].value;
  if (flat.length === 0) return unknown(`${source} takes no value`, span);
  return { kind: 'choice', source, options: dedupeLabels(flat), span };
}

function dedupeLabels(options: ChoiceOption[]): ChoiceOption[] {
  const seen = new Set<string>();
  return options.filter((o) => (seen.has(o.label) ? false : (seen.add(o.label), true)));
}

/** The values a `for` loop or comprehension draws from an iterable, when they are known. */
export function iterationItems(v: PyValue): PyValue[] | undefined {
  if (v.kind === 'tuple') return [...v.items];
  if (v.kind === 'dict') return v.entries.map((e) => (typeof e.key === 'number' ? { kind: 'int', value: e.key, span: e.keySpan } : typeof e.key === 'string' ? { kind: 'str', value: e.key, span: e.keySpan } : { kind: 'bool', value: e.key, span: e.keySpan }));
  if (v.kind === 'choice') {
    // Iterating one of several lists: the union of their items.
    const all: PyValue[] = [];
    for (const o of v.options) {
      const items = o.value ? iterationItems(o.value) : undefined;
      if (!items) return undefined;
      all.push(...items);
      if (all.length > MAX_CHOICES) return undefined;
    }
    return all;
  }
  return undefined;
}

/**
 * A loop variable's value: one option per item. `target` is the whole loop target (`k, d`) and
 * `path` picks the variable out of each item (`k` is [0]); the label names the item, so every
 * variable bound by the same loop picks the same item (`k, d=(7, 2)`).
 */
export function loopChoice(source: string, target: string, items: readonly PyValue[], path: readonly number[], span: Span): PyValue {
  // An item that is, or starts with, a string is named by it (`stage1` for `("stage1", 2)`, like a
  // config dict's key) when that names each item once; otherwise by the whole item.
  const key = (item: PyValue) => (item.kind === 'str' ? item.value : item.kind === 'tuple' && item.items[0]?.kind === 'str' ? item.items[0].value : undefined);
  const keys = items.map(key);
  const named = keys.every((k) => k !== undefined) && new Set(keys).size === keys.length;
  const options: ChoiceOption[] = items.map((item, i) => ({ label: named ? keys[i]! : `${target}=${reprValue(item)}`, value: project(item, path, span) }));
  return choiceOf(source, options, span);
}

function project(item: PyValue, path: readonly number[], span: Span): PyValue {
  let v = item;
  for (const i of path) {
    if (v.kind !== 'tuple' || i >= v.items.length) return unknown('the loop item cannot be unpacked', span);
    v = v.items[i];
  }
  return v;
}

/** Maps `f` over a choice's options (or applies it to a plain value). */
export function mapChoice(v: PyValue, f: (x: PyValue) => PyValue, span: Span): PyValue {
  if (v.kind !== 'choice') return f(v);
  return { kind: 'choice', source: v.source, options: v.options.map((o) => (o.value ? { label: o.label, value: f(o.value) } : o)), span };
}

/** Every constant a value may be (a choice's options, flattened); undefined entries are defaults. */
export function possibleValues(v: PyValue): (PyValue | undefined)[] {
  if (v.kind !== 'choice') return [v];
  return v.options.flatMap((o) => (o.value ? possibleValues(o.value) : [undefined]));
}

/** `range(n)`, `range(a, b)`, `range(a, b, s)` as ints, when short enough to enumerate. */
export function rangeItems(args: readonly PyValue[], span: Span): PyValue | undefined {
  if (args.length < 1 || args.length > 3 || args.some((a) => a.kind !== 'int')) return undefined;
  const n = args.map((a) => (a as { value: number }).value);
  const [start, stop, step] = n.length === 1 ? [0, n[0], 1] : [n[0], n[1], n[2] ?? 1];
  if (step === 0) return undefined;
  const items: PyValue[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
    if (items.length >= MAX_CHOICES) return undefined;
    items.push({ kind: 'int', value: i, span });
  }
  return { kind: 'tuple', items, list: false, span, literal: false };
}

/** `zip(a, b, …)`, `enumerate(a)` and `itertools.product(a, b, …)` over known sequences. */
export function combineItems(kind: 'zip' | 'enumerate' | 'product', args: readonly PyValue[], span: Span): PyValue | undefined {
  const lists = args.map(iterationItems);
  if (lists.length === 0 || lists.some((l) => l === undefined)) return undefined;
  const ls = lists as PyValue[][];
  const tuple = (items: PyValue[]): PyValue => ({ kind: 'tuple', items, list: false, span, literal: false });
  let rows: PyValue[][];
  if (kind === 'enumerate') {
    if (ls.length !== 1) return undefined;
    rows = ls[0].map((v, i) => [{ kind: 'int', value: i, span }, v]);
  } else if (kind === 'zip') {
    const n = Math.min(...ls.map((l) => l.length));
    rows = Array.from({ length: n }, (_, i) => ls.map((l) => l[i]));
  } else {
    rows = [[]];
    for (const l of ls) {
      const next: PyValue[][] = [];
      for (const r of rows) for (const v of l) next.push([...r, v]);
      if (next.length > MAX_CHOICES) return undefined;
      rows = next;
    }
  }
  return tuple(rows.map(tuple));
}

/** Where `name` sits in a target pattern (`k` in `(k, d)` is [0]); undefined if not there. */
export function targetPath(target: { type: string; text: string; namedChildren: readonly (unknown | null)[] }, name: string): number[] | undefined {
  if (target.type === 'identifier') return target.text === name ? [] : undefined;
  if (!['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'parenthesized_expression', 'expression_list'].includes(target.type)) return undefined;
  const kids = target.namedChildren.filter((c): c is typeof target => c !== null && (c as { type: string }).type !== 'comment');
  for (let i = 0; i < kids.length; i++) {
    const inner = targetPath(kids[i], name);
    if (inner) return target.type === 'parenthesized_expression' ? inner : [i, ...inner];
  }
  return undefined;
}
