// The silent bug of the fused ops: na1d/na2d/na3d take q/k/v as [batch, *layout, heads,
// head_dim], the unfused ops (and most attention code) [batch, heads, *layout, head_dim]. A query
// built heads-first and handed to a fused op runs without error and attends over the wrong axes.
// This follows the query back through the assignments of its function (tuple unpacking,
// `qkv[0]`, `.unbind`, arithmetic) to the `permute`/`transpose` of a `reshape`/`view` whose heads
// axis it can name, or to an einops `rearrange` pattern, and says where the heads axis ends up.

import type { Node } from 'web-tree-sitter';
import type { SourceModel } from './source';
import type { Span } from './values';

export interface HeadsFirst {
  /** The expression that puts heads before the token axes. */
  readonly span: Span;
  readonly text: string;
  /** Its replacement with heads just before head_dim, when it is one edit. */
  readonly fix?: string;
}

const HEADS_TOKEN = /^(nh|n_?heads?|num_?heads?|heads?|nhead)$/i;
const MAX_STEPS = 8;

/** Whether the query expression of a fused call was built heads-first (undefined: fine or not known). */
export function headsFirstQuery(model: SourceModel, statement: number, query: Node, offset: number): HeadsFirst | undefined {
  return follow(model, statement, query, offset, 0, 0);
}

/** `consumed`: leading axes removed since (by `qkv[0]`, unpacking `q, k, v = …`, `.unbind(0)`). */
function follow(model: SourceModel, statement: number, node: Node, offset: number, consumed: number, steps: number): HeadsFirst | undefined {
  if (steps > MAX_STEPS) return undefined;
  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
      return inner ? follow(model, statement, inner, offset, consumed, steps + 1) : undefined;
    }
    case 'binary_operator': {
      const left = node.childForFieldName('left');
      return left ? follow(model, statement, left, offset, consumed, steps + 1) : undefined;
    }
    case 'subscript': {
      const value = node.childForFieldName('value');
      const index = node.childrenForFieldName('subscript')[0];
      if (!value || index?.type !== 'integer') return undefined;
      return follow(model, statement, value, offset, consumed + 1, steps + 1);
    }
    case 'identifier':
      return followName(model, statement, node.text, consumed, steps);
    case 'call':
      return followCall(model, statement, node, offset, consumed, steps);
    default:
      return undefined;
  }
}

/** The last assignment of `name` before `at` in the function of `statement`, followed. */
function followName(model: SourceModel, statement: number, name: string, consumed: number, steps: number): HeadsFirst | undefined {
  const sites = assignmentsBefore(model, statement, name);
  for (let i = sites.length - 1; i >= 0; i--) {
    const parsed = model.parseStatement(sites[i]);
    const assign = parsed ? findAssignment(parsed.root, name) : undefined;
    if (!parsed || !assign) continue;
    const { right, position } = assign;
    if (position === undefined) return follow(model, sites[i], right, parsed.offset, consumed, steps + 1);
    // `q, k, v = a, b, c` takes one element; `q, k, v = qkv` (or `.unbind(0)`) unpacks the first axis.
    if (right.type === 'expression_list' || right.type === 'tuple') {
      const items = right.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
      return items[position] ? follow(model, sites[i], items[position], parsed.offset, consumed, steps + 1) : undefined;
    }
    return follow(model, sites[i], right, parsed.offset, consumed + 1, steps + 1);
  }
  return undefined;
}

/** Statements of the function of `statement` before it that mention `name` (candidates for its binding). */
export function assignmentsBefore(model: SourceModel, statement: number, name: string): number[] {
  const scope = model.scopeOf(statement);
  const before = model.statement(statement).start;
  return model.statementsMentioningIn(name, scope).filter((s) => model.statement(s).start < before && model.scopeOf(s) === scope);
}

export function findAssignment(root: Node, name: string): { right: Node; position?: number } | undefined {
  let found: { right: Node; position?: number } | undefined;
  const visit = (n: Node) => {
    if (found) return;
    if (n.type === 'assignment') {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (left && right) {
        if (left.type === 'identifier' && left.text === name) found = { right };
        else if (left.type === 'pattern_list' || left.type === 'tuple_pattern') {
          const names = left.namedChildren.filter((c): c is Node => c !== null);
          const i = names.findIndex((c) => c.type === 'identifier' && c.text === name);
          if (i >= 0) found = { right, position: i };
        }
      }
    }
    for (const c of n.namedChildren) if (c && c.type !== 'function_definition' && c.type !== 'class_definition') visit(c);
  };
  visit(root);
  return found;
}

function intArgs(args: Node | null): number[] | undefined {
  const list = args?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') ?? [];
  if (list.length === 1 && (list[0].type === 'tuple' || list[0].type === 'list')) return intArgs(list[0]);
  if (list.length === 0 || list.some((c) => c.type !== 'integer')) return undefined;
  return list.map((c) => Number(c.text));
}

function followCall(model: SourceModel, statement: number, call: Node, offset: number, consumed: number, steps: number): HeadsFirst | undefined {
  const fn = call.childForFieldName('function');
  const args = call.childForFieldName('arguments');
  if (!fn || !args) return undefined;
  // einops: rearrange(x, "… -> t n nh h w e", …)
  const fname = fn.type === 'identifier' ? fn.text : fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
  if (fname === 'rearrange') {
    const pattern = args.namedChildren.find((c) => c?.type === 'string');
    const m = pattern ? /->\s*(.*?)\s*["']$/.exec(pattern.text) : null;
    if (!pattern || !m) return undefined;
    const out = m[1].split(/\s+/).filter((t) => t.length > 0);
    if (out.some((t) => t.includes('(') || t.includes(')'))) return undefined;
    const axes = out.slice(consumed);
    const h = axes.findIndex((t) => HEADS_TOKEN.test(t));
    if (h < 0 || h === axes.length - 2 || axes.length < 4) return undefined;
    const fixed = [...out];
    const [tok] = fixed.splice(consumed + h, 1);
    fixed.splice(fixed.length - 1, 0, tok);
    const quote = pattern.text.endsWith('"') ? '"' : "'";
    const text = pattern.text;
    return { span: { start: pattern.startIndex + offset, end: pattern.endIndex + offset }, text, fix: text.replace(/->\s*.*$/, `-> ${fixed.join(' ')}${quote}`) };
  }
  if (fn.type !== 'attribute') return undefined;
  const receiver = fn.childForFieldName('object');
  const method = fn.childForFieldName('attribute')?.text;
  if (!receiver) return undefined;
  if (method === 'unbind' || method === 'contiguous' || method === 'float' || method === 'to' || method === 'clone') {
    return follow(model, statement, receiver, offset, method === 'unbind' ? consumed + 1 : consumed, steps + 1);
  }
  if (method !== 'permute' && method !== 'transpose') return undefined;
  const order = intArgs(args);
  const shape = shapeOf(model, statement, receiver, steps + 1);
  if (!order || !shape) return undefined;
  let perm: number[];
  if (method === 'permute') {
    if (order.length !== shape.length) return undefined;
    perm = order;
  } else {
    if (order.length !== 2) return undefined;
    perm = shape.map((_, i) => i);
    const [a, b] = order.map((x) => (x < 0 ? x + shape.length : x));
    [perm[a], perm[b]] = [perm[b], perm[a]];
  }
  const heads = shape.findIndex((d) => d === 'heads');
  if (heads < 0) return undefined;
  const position = perm.indexOf(heads) - consumed;
  const rank = perm.length - consumed;
  if (position < 0 || position === rank - 2 || rank < 4) return undefined;
  const fixed = perm.filter((p) => p !== heads);
  fixed.splice(fixed.length - 1, 0, heads);
  const text = `.${method}(${args.text.slice(1, -1)})`;
  return {
    span: { start: fn.childForFieldName('attribute')!.startIndex + offset - 1, end: call.endIndex + offset },
    text,
    ...(method === 'permute' ? { fix: `.permute(${fixed.join(', ')})` } : {}),
  };
}

/** The axes of a `reshape`/`view` (`heads` where the size names the heads, `?` otherwise). */
function shapeOf(model: SourceModel, statement: number, node: Node, steps: number): string[] | undefined {
  if (steps > MAX_STEPS) return undefined;
  if (node.type === 'identifier') {
    const sites = assignmentsBefore(model, statement, node.text);
    for (let i = sites.length - 1; i >= 0; i--) {
      const parsed = model.parseStatement(sites[i]);
      const assign = parsed ? findAssignment(parsed.root, node.text) : undefined;
      if (parsed && assign && assign.position === undefined) return shapeOf(model, sites[i], assign.right, steps + 1);
    }
    return undefined;
  }
  if (node.type !== 'call') return undefined;
  const fn = node.childForFieldName('function');
  const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
  if (method !== 'reshape' && method !== 'view') return undefined;
  const list = node.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') ?? [];
  if (list.length < 4 || list.some((c) => c.type === 'list_splat')) return undefined;
  return list.map((c) => (/head/i.test(c.text) && !/dim|size|channel/i.test(c.text) ? 'heads' : '?'));
}
