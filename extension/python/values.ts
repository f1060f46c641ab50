// Static values of Python expressions: literals, tuples, lists, dicts, negative numbers, simple
// arithmetic and names the resolver can follow. Anything else is `unknown` with a reason; a
// value is never guessed. Each value keeps the source range of the expression it came from, so a
// finding can point at (and a fix can edit) the tuple element or dict entry where it was written.

import type { Node } from 'web-tree-sitter';
import { choiceOf, combineItems, iterationItems, loopChoice, mapChoice, rangeItems, targetPath } from './choices';

export interface Span {
  readonly start: number;
  readonly end: number;
}

export type PyValue =
  | { readonly kind: 'int'; readonly value: number; readonly span: Span }
  | { readonly kind: 'float'; readonly text: string; readonly span: Span }
  | { readonly kind: 'bool'; readonly value: boolean; readonly span: Span }
  | { readonly kind: 'str'; readonly value: string; readonly span: Span }
  | { readonly kind: 'none'; readonly span: Span }
  | { readonly kind: 'tuple'; readonly items: readonly PyValue[]; readonly list: boolean; readonly span: Span; readonly literal: boolean }
  | {
      readonly kind: 'dict';
      readonly entries: readonly DictEntry[];
      /** A `**other` inside the literal that could not be followed: missing keys are unknown, not absent. */
      readonly open: boolean;
      /** Written as `{…}` or `dict(…)`, and where a new entry can be inserted (before the closer). */
      readonly style: 'literal' | 'call';
      readonly insertAt: number;
      readonly span: Span;
    }
  | {
      /**
       * One of a config dict's entries, picked by a key known only at run time
       * (`GNA_LAYERS[name]`): the linter checks every option. `source` is the key expression:
       * picks with the same key go together (`CFG[name]["stride"]` and `LAYOUT[name]`), and
       * options are matched by their label, the dict key.
       */
      readonly kind: 'choice';
      readonly source: string;
      readonly options: readonly ChoiceOption[];
      readonly span: Span;
    }
  | { readonly kind: 'unknown'; readonly reason: string; readonly span: Span };

export interface ChoiceOption {
  /** The dict key, as text (`double_blocks.0`). */
  readonly label: string;
  /** Absent when this option's dict lacks the key looked up (a parameter left at its default). */
  readonly value?: PyValue;
}

/** Most options a choice keeps (a config dict of a few dozen layers is the use case). */
export const MAX_CHOICES = 64;

export interface DictEntry {
  readonly key: string | number | boolean;
  readonly keySpan: Span;
  readonly value: PyValue;
}

/** Looks up what the evaluator cannot see from the expression alone. */
export interface NameResolver {
  /** The value a bare name refers to where `node` is used. */
  name(identifier: string, node: Node, offset: number): PyValue;
  /** The value of `self.attr` / `cls.attr` where `node` is used. */
  selfAttribute(attr: string, node: Node, offset: number): PyValue | undefined;
  /** The value of `obj.attr` for a config object `obj` (a name), when its class gives it. */
  objectAttribute?(object: string, attr: string, node: Node, offset: number): PyValue | undefined;
}

const MAX_DEPTH = 40;

export function spanOf(node: Node, offset: number): Span {
  return { start: node.startIndex + offset, end: node.endIndex + offset };
}

export function unknown(reason: string, span: Span): PyValue {
  return { kind: 'unknown', reason, span };
}

/** Evaluates an expression node; `offset` maps the node's indices into the whole text. */
export function evaluate(node: Node, offset: number, resolver: NameResolver, depth = 0): PyValue {
  const span = spanOf(node, offset);
  if (depth > MAX_DEPTH) return unknown('the expression is nested too deeply to follow', span);
  const sub = (n: Node | null): PyValue => (n ? evaluate(n, offset, resolver, depth + 1) : unknown('the expression is incomplete', span));
  switch (node.type) {
    case 'integer':
      return parseInteger(node.text, span);
    case 'float':
      return { kind: 'float', text: node.text, span };
    case 'true':
      return { kind: 'bool', value: true, span };
    case 'false':
      return { kind: 'bool', value: false, span };
    case 'none':
      return { kind: 'none', span };
    case 'string':
    case 'concatenated_string':
      return stringValue(node, span);
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c !== null && c.type !== 'comment') ?? null;
      return inner ? { ...sub(inner), span } : unknown('empty parentheses', span);
    }
    case 'tuple':
    case 'list':
    case 'expression_list': {
      const items: PyValue[] = [];
      for (const c of node.namedChildren) {
        if (!c || c.type === 'comment') continue;
        if (c.type === 'list_splat' || c.type === 'parenthesized_list_splat') {
          const spread = sub(c.namedChildren[0] ?? null);
          if (spread.kind !== 'tuple') return unknown(`the length of ${c.text} is not known`, span);
          for (const item of spread.items) items.push(item);
          continue;
        }
        items.push(sub(c));
      }
      return { kind: 'tuple', items, list: node.type === 'list', span, literal: true };
    }
    case 'unary_operator':
      return unary(node, sub, span);
    case 'binary_operator':
      return binary(node, sub, span);
    case 'identifier':
      return comprehensionVariable(node, offset, resolver, depth) ?? resolver.name(node.text, node, offset);
    case 'attribute': {
      const object = node.childForFieldName('object');
      const attr = node.childForFieldName('attribute');
      if (object?.type === 'identifier' && (object.text === 'self' || object.text === 'cls') && attr) {
        const v = resolver.selfAttribute(attr.text, node, offset);
        if (v) return v;
      } else if (object?.type === 'identifier' && attr && resolver.objectAttribute) {
        const v = resolver.objectAttribute(object.text, attr.text, node, offset);
        if (v) return v;
      }
      return unknown(`${node.text} is an attribute the linter cannot follow`, span);
    }
    case 'conditional_expression':
      return conditional(node, sub, span);
    case 'comparison_operator':
      return comparison(node, sub, span);
    case 'not_operator': {
      const v = truth(sub(node.childForFieldName('argument')));
      return v === undefined ? unknown(`${truncate(node.text)} is not a constant`, span) : { kind: 'bool', value: !v, span };
    }
    case 'boolean_operator': {
      const left = sub(node.childForFieldName('left'));
      const t = truth(left);
      if (t === undefined) return unknown(`${truncate(node.text)} is not a constant`, span);
      const isAnd = node.childForFieldName('operator')?.type === 'and';
      return isAnd === t ? sub(node.childForFieldName('right')) : left;
    }
    case 'subscript':
      return subscript(node, sub, span);
    case 'dictionary':
      return dictionary(node, offset, sub, span);
    case 'call':
      return callValue(node, offset, sub, span);
    default:
      return unknown(`${truncate(node.text)} is not a constant`, span);
  }
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 40 ? `${oneLine.slice(0, 37)}…` : oneLine;
}

function parseInteger(text: string, span: Span): PyValue {
  const t = text.replace(/_/g, '').toLowerCase();
  let v: number;
  if (t.startsWith('0x')) v = parseInt(t.slice(2), 16);
  else if (t.startsWith('0o')) v = parseInt(t.slice(2), 8);
  else if (t.startsWith('0b')) v = parseInt(t.slice(2), 2);
  else if (/^\d+$/.test(t)) v = Number(t);
  else return unknown(`${text} is not an integer literal`, span);
  return Number.isSafeInteger(v) ? { kind: 'int', value: v, span } : unknown(`${text} is too large`, span);
}

function stringValue(node: Node, span: Span): PyValue {
  const parts = node.type === 'concatenated_string' ? node.namedChildren : [node];
  let value = '';
  for (const part of parts) {
    if (!part || part.type !== 'string') continue;
    for (const c of part.namedChildren) {
      if (!c) continue;
      if (c.type === 'interpolation') return unknown(`the f-string ${truncate(node.text)} is computed at run time`, span);
      if (c.type === 'string_content' || c.type === 'escape_sequence') value += c.text;
    }
  }
  return { kind: 'str', value, span };
}

function unary(node: Node, sub: (n: Node | null) => PyValue, span: Span): PyValue {
  const operand = sub(node.childForFieldName('argument'));
  const op = node.childForFieldName('operator')?.type ?? node.child(0)?.type;
  if (operand.kind === 'unknown') return { ...operand, span };
  if (operand.kind !== 'int') return unknown(`${node.text} is not a number`, span);
  if (op === '-') return { kind: 'int', value: -operand.value, span };
  if (op === '+') return { kind: 'int', value: operand.value, span };
  if (op === '~') return { kind: 'int', value: -operand.value - 1, span };
  return unknown(`${node.text} is not a constant`, span);
}

function binary(node: Node, sub: (n: Node | null) => PyValue, span: Span): PyValue {
  const left = sub(node.childForFieldName('left'));
  const right = sub(node.childForFieldName('right'));
  const op = node.childForFieldName('operator')?.type;
  if (left.kind === 'unknown') return { ...left, span };
  if (right.kind === 'unknown') return { ...right, span };
  if (left.kind === 'choice' && right.kind === 'choice') return unknown(`${truncate(node.text)} depends on two run-time picks`, span);
  if (left.kind === 'choice') return mapChoice(left, (l) => arithmetic(node, l, right, op, span), span);
  if (right.kind === 'choice') return mapChoice(right, (r) => arithmetic(node, left, r, op, span), span);
  return arithmetic(node, left, right, op, span);
}

function arithmetic(node: Node, left: PyValue, right: PyValue, op: string | undefined, span: Span): PyValue {
  if (left.kind === 'unknown') return { ...left, span };
  if (right.kind === 'unknown') return { ...right, span };
  if (left.kind === 'int' && right.kind === 'int') {
    const a = left.value;
    const b = right.value;
    let v: number | undefined;
    switch (op) {
      case '+':
        v = a + b;
        break;
      case '-':
        v = a - b;
        break;
      case '*':
        v = a * b;
        break;
      case '//':
        if (b === 0) return unknown(`${node.text} divides by zero`, span);
        v = Math.floor(a / b);
        break;
      case '%':
        if (b === 0) return unknown(`${node.text} divides by zero`, span);
        v = a - b * Math.floor(a / b);
        break;
      case '**':
        if (b < 0) return { kind: 'float', text: String(a ** b), span };
        v = a ** b;
        break;
      case '/':
        if (b === 0) return unknown(`${node.text} divides by zero`, span);
        return { kind: 'float', text: String(a / b).includes('.') ? String(a / b) : `${a / b}.0`, span };
      case '<<':
        v = a * 2 ** b;
        break;
      case '>>':
        v = Math.floor(a / 2 ** b);
        break;
      default:
        return unknown(`${truncate(node.text)} is not a constant`, span);
    }
    return Number.isSafeInteger(v) ? { kind: 'int', value: v, span } : unknown(`${truncate(node.text)} is too large`, span);
  }
  // Tuple concatenation and repetition: `(7,) + (7, 7)`, `(7,) * 3`, `3 * [7]`.
  if (op === '+' && left.kind === 'tuple' && right.kind === 'tuple' && left.list === right.list) {
    return { kind: 'tuple', items: [...left.items, ...right.items], list: left.list, span, literal: false };
  }
  if (op === '*') {
    const [seq, times] = left.kind === 'tuple' ? [left, right] : [right, left];
    if (seq.kind === 'tuple' && times.kind === 'int' && times.value >= 0 && times.value * seq.items.length <= 64) {
      const items: PyValue[] = [];
      for (let i = 0; i < times.value; i++) for (const item of seq.items) items.push(item);
      return { kind: 'tuple', items, list: seq.list, span, literal: false };
    }
  }
  return unknown(`${truncate(node.text)} is not a constant`, span);
}

function subscript(node: Node, sub: (n: Node | null) => PyValue, span: Span): PyValue {
  const container = sub(node.childForFieldName('value'));
  const indexNodes = node.childrenForFieldName('subscript').filter((c): c is Node => c !== null);
  if (container.kind === 'unknown') return { ...container, span };
  if (indexNodes.length !== 1 || indexNodes[0].type === 'slice') return unknown(`${truncate(node.text)} is not a constant`, span);
  const key = sub(indexNodes[0]);
  const keyText = truncate(indexNodes[0].text);
  if (container.kind === 'choice') {
    // `CFG[name]["stride"]`: the same pick, one level down; a missing key leaves the default.
    if (key.kind === 'unknown' || key.kind === 'choice') {
      // `dilations[i]` where `dilations` is one of several lists: the items of the one picked.
      const itemsOf = (v: PyValue): PyValue => {
        if (v.kind !== 'tuple' || v.items.length === 0) return unknown(`the key of ${truncate(node.text)} is not known`, span);
        if (key.kind === 'choice') return mapChoice(key, (k) => index(v, k, keyText, span), span);
        return choiceOf(keyText, v.items.map((x, i) => ({ label: `${keyText}=${i}`, value: x })), span);
      };
      return choiceOf(container.source, container.options.map((o) => ({ label: o.label, ...(o.value ? { value: itemsOf(o.value) } : {}) })), span);
    }
    const options = container.options.map((o) => {
      if (!o.value || o.value.kind !== 'dict') return { label: o.label, ...(o.value ? { value: index(o.value, key, keyText, span) } : {}) };
      const entry = findEntry(o.value, key);
      if (entry) return { label: o.label, value: entry.value };
      return o.value.open ? { label: o.label, value: unknown(`${truncate(node.text)} may come from a ** expansion`, span) } : { label: o.label };
    });
    return { kind: 'choice', source: container.source, options, span };
  }
  if (key.kind === 'unknown') {
    // A config dict indexed by a run-time key: every entry is a possible value.
    if (container.kind === 'dict' && !container.open && container.entries.length > 0 && container.entries.length <= MAX_CHOICES) {
      return {
        kind: 'choice',
        source: keyText,
        options: dedupeLast(container.entries).map((e) => ({ label: String(e.key), value: e.value })),
        span,
      };
    }
    // `dilations[i]` for a loop index `i`: every item is a possible value.
    if (container.kind === 'tuple' && container.items.length > 0 && container.items.length <= MAX_CHOICES) {
      return choiceOf(`${keyText} of ${truncate(node.childForFieldName('value')?.text ?? '')}`, container.items.map((v, i) => ({ label: `${keyText}=${i}`, value: v })), span);
    }
    return unknown(`the key of ${truncate(node.text)} is not known (${key.reason})`, span);
  }
  if (key.kind === 'choice') return mapChoice(key, (k) => index(container, k, keyText, span), span);
  return index(container, key, keyText, span);
}

function index(container: PyValue, key: PyValue, keyText: string, span: Span): PyValue {
  if (container.kind === 'unknown') return { ...container, span };
  if (container.kind === 'dict') {
    const entry = findEntry(container, key);
    if (entry) return entry.value;
    if (container.open) return unknown(`[${keyText}] may come from a ** expansion the linter cannot follow`, span);
    return unknown(`the dict has no key ${key.kind === 'str' ? JSON.stringify(key.value) : keyText}`, span);
  }
  if (container.kind === 'tuple' && key.kind === 'int') {
    const i = key.value < 0 ? container.items.length + key.value : key.value;
    if (i >= 0 && i < container.items.length) return container.items[i];
    return unknown(`[${keyText}] is out of range`, span);
  }
  return unknown(`[${keyText}] of a non-container`, span);
}

function findEntry(dict: Extract<PyValue, { kind: 'dict' }>, key: PyValue): DictEntry | undefined {
  const k = keyOf(key);
  if (k === undefined) return undefined;
  for (let i = dict.entries.length - 1; i >= 0; i--) if (dict.entries[i].key === k) return dict.entries[i];
  return undefined;
}

/** Later entries with the same key win, as in Python. */
function dedupeLast(entries: readonly DictEntry[]): DictEntry[] {
  const seen = new Set<string | number | boolean>();
  const out: DictEntry[] = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    if (seen.has(entries[i].key)) continue;
    seen.add(entries[i].key);
    out.unshift(entries[i]);
  }
  return out;
}

function keyOf(v: PyValue): string | number | boolean | undefined {
  if (v.kind === 'str' || v.kind === 'int' || v.kind === 'bool') return v.value;
  return undefined;
}

function dictionary(node: Node, offset: number, sub: (n: Node | null) => PyValue, span: Span): PyValue {
  const entries: DictEntry[] = [];
  let open = false;
  for (const c of node.namedChildren) {
    if (!c || c.type === 'comment') continue;
    if (c.type === 'pair') {
      const keyNode = c.childForFieldName('key');
      const key = sub(keyNode);
      const k = keyOf(key);
      if (k === undefined || !keyNode) {
        open = true;
        continue;
      }
      entries.push({ key: k, keySpan: spanOf(keyNode, offset), value: sub(c.childForFieldName('value')) });
    } else if (c.type === 'dictionary_splat') {
      const spread = sub(c.namedChildren[0] ?? null);
      if (spread.kind === 'dict') {
        for (const entry of spread.entries) entries.push(entry);
        open = open || spread.open;
      } else open = true;
    } else open = true;
  }
  return { kind: 'dict', entries, open, style: 'literal', insertAt: closerOffset(node, offset), span };
}

/** Offset just after the last entry of a `{…}` or `(…)`, where `, new` can be inserted. */
function closerOffset(node: Node, offset: number): number {
  let last: Node | null = null;
  for (const c of node.namedChildren) if (c && c.type !== 'comment') last = c;
  return last ? last.endIndex + offset : node.startIndex + offset + 1;
}

function callValue(node: Node, offset: number, sub: (n: Node | null) => PyValue, span: Span): PyValue {
  const fn = node.childForFieldName('function');
  const args = node.childForFieldName('arguments');
  const name = fn?.type === 'identifier' ? fn.text : undefined;
  if (!args || args.type !== 'argument_list') return unknown(`${truncate(node.text)} is computed at run time`, span);
  const positional: Node[] = [];
  const keywords: Node[] = [];
  let spread = false;
  for (const c of args.namedChildren) {
    if (!c || c.type === 'comment') continue;
    if (c.type === 'keyword_argument') keywords.push(c);
    else if (c.type === 'list_splat' || c.type === 'dictionary_splat') spread = true;
    else positional.push(c);
  }
  if (name === 'dict' && positional.length === 0 && !spread) {
    const entries: DictEntry[] = [];
    for (const kw of keywords) {
      const key = kw.childForFieldName('name');
      if (!key) continue;
      entries.push({ key: key.text, keySpan: spanOf(key, offset), value: sub(kw.childForFieldName('value')) });
    }
    return { kind: 'dict', entries, open: false, style: 'call', insertAt: closerOffset(args, offset), span };
  }
  if ((name === 'tuple' || name === 'list') && positional.length === 1 && keywords.length === 0 && !spread) {
    const inner = sub(positional[0]);
    if (inner.kind === 'tuple') return { ...inner, list: name === 'list', span, literal: false };
    return inner.kind === 'unknown' ? { ...inner, span } : unknown(`${truncate(node.text)} is not a constant`, span);
  }
  const callee = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : name;
  if (keywords.length === 0 && !spread && callee !== undefined) {
    if (name === 'range') {
      const r = rangeItems(positional.map(sub), span);
      if (r) return r;
    } else if (name === 'zip' || name === 'enumerate' || callee === 'product') {
      const r = combineItems(callee as 'zip' | 'enumerate' | 'product', positional.map(sub), span);
      if (r) return r;
    } else if (name === 'len' && positional.length === 1) {
      const inner = sub(positional[0]);
      if (inner.kind === 'tuple') return { kind: 'int', value: inner.items.length, span };
    }
  }
  if (name === 'int' && positional.length === 1 && keywords.length === 0 && !spread) {
    const inner = sub(positional[0]);
    if (inner.kind === 'int') return { ...inner, span };
    if (inner.kind === 'bool') return { kind: 'int', value: inner.value ? 1 : 0, span };
  }
  return unknown(`${truncate(node.text)} is computed at run time`, span);
}

/** Python truthiness of a constant; undefined when not known. */
function truth(v: PyValue): boolean | undefined {
  switch (v.kind) {
    case 'bool':
      return v.value;
    case 'int':
      return v.value !== 0;
    case 'none':
      return false;
    case 'str':
      return v.value.length > 0;
    case 'tuple':
      return v.items.length > 0;
    case 'dict':
      return v.open ? undefined : v.entries.length > 0;
    case 'choice': {
      const all = v.options.map((o) => (o.value ? truth(o.value) : undefined));
      return all.every((t) => t === all[0]) ? all[0] : undefined;
    }
    default:
      return undefined;
  }
}

/** `a if cond else b`: the branch the condition picks, or both when it is not known. */
function conditional(node: Node, sub: (n: Node | null) => PyValue, span: Span): PyValue {
  const [then, cond, otherwise] = node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  if (!then || !cond || !otherwise) return unknown(`${truncate(node.text)} is incomplete`, span);
  const t = truth(sub(cond));
  if (t === true) return sub(then);
  if (t === false) return sub(otherwise);
  return choiceOf(`if ${truncate(cond.text)}`, [{ label: 'if', value: sub(then) }, { label: 'else', value: sub(otherwise) }], span);
}

/** `x is None`, `x is not None`, `a == b`, `a < b` on constants (one operator, as real code writes them). */
function comparison(node: Node, sub: (n: Node | null) => PyValue, span: Span): PyValue {
  const operands = node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  const ops = node.children.filter((c): c is Node => c !== null && !c.isNamed).map((c) => c.type);
  const op = ops.join(' ');
  if (operands.length !== 2) return unknown(`${truncate(node.text)} is not a constant`, span);
  const a = sub(operands[0]);
  const b = sub(operands[1]);
  const decide = (x: PyValue): boolean | undefined => {
    if (x.kind === 'unknown' || b.kind === 'unknown' || b.kind === 'choice') return undefined;
    if (op === 'is' || op === 'is not') {
      if (b.kind !== 'none') return undefined;
      return (x.kind === 'none') === (op === 'is');
    }
    if (x.kind === 'int' && b.kind === 'int') {
      switch (op) {
        case '==':
          return x.value === b.value;
        case '!=':
          return x.value !== b.value;
        case '<':
          return x.value < b.value;
        case '<=':
          return x.value <= b.value;
        case '>':
          return x.value > b.value;
        case '>=':
          return x.value >= b.value;
      }
    }
    return undefined;
  };
  const result = (x: PyValue): PyValue => {
    const d = decide(x);
    return d === undefined ? unknown(`${truncate(node.text)} is not a constant`, span) : { kind: 'bool', value: d, span };
  };
  return a.kind === 'choice' ? mapChoice(a, result, span) : result(a);
}

const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/**
 * A name bound by an enclosing comprehension's `for` clause (Python 3 gives comprehensions their
 * own scope, so an outer variable of the same name is not this one): the items it iterates.
 */
function comprehensionVariable(node: Node, offset: number, resolver: NameResolver, depth: number): PyValue | undefined {
  const name = node.text;
  let child: Node = node;
  for (let a = node.parent; a; child = a, a = a.parent) {
    if (a.type === 'lambda') {
      const params = a.childForFieldName('parameters');
      if (params && params.text.split(/[\s,*=:]+/).includes(name)) return unknown(`${name} is a lambda parameter`, spanOf(node, offset));
      continue;
    }
    if (!COMPREHENSIONS.has(a.type)) continue;
    const clauses = a.namedChildren.filter((c): c is Node => c !== null && c.type === 'for_in_clause');
    let found: { clause: Node; path: number[] } | undefined;
    for (const clause of clauses) {
      // A clause's iterable sees only the clauses before it (the first one, the enclosing scope).
      const right = clause.childForFieldName('right');
      if (right && child.startIndex >= right.startIndex && child.endIndex <= right.endIndex) break;
      const left = clause.childForFieldName('left');
      const path = left ? targetPath(left, name) : undefined;
      if (path) found = { clause, path };
    }
    if (!found) continue;
    const span = spanOf(node, offset);
    const right = found.clause.childForFieldName('right');
    const iterable = right ? evaluate(right, offset, resolver, depth + 1) : unknown('the comprehension is incomplete', span);
    const items = iterationItems(iterable);
    if (!items || items.length === 0) {
      return unknown(`${name} is a comprehension variable over ${truncate(right?.text ?? '')}${iterable.kind === 'unknown' ? ` (${iterable.reason})` : ''}`, span);
    }
    return loopChoice(`for ${truncate(found.clause.text)}`, found.clause.childForFieldName('left')?.text ?? name, items, found.path, span);
  }
  return undefined;
}
