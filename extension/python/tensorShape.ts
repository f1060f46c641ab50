// Layouts the code states: a query tensor made with a literal shape (`torch.randn(2, 56, 56, 4,
// 32)` in a test or an example) that reaches the call through plain assignments, reshapes and
// views to resolved integers (one -1 inferred), permutes and transposes. The fused ops
// read it as [batch, *layout, heads, head_dim], the unfused and legacy ops as [batch, heads,
// *layout, head_dim]; anything computed at run time leaves the layout to annotations and settings.

import type { Node } from 'web-tree-sitter';
import { assignmentsBefore, findAssignment } from './headsFirst';
import type { SourceModel } from './source';

export interface CodeLayout {
  readonly inputSize: readonly number[];
  /** The expression that gives the shape (`torch.randn(2, 56, 56, 4, 32)`). */
  readonly text: string;
}

const FACTORIES = new Set(['randn', 'rand', 'zeros', 'ones', 'empty', 'full', 'randint']);
const PASS_THROUGH = new Set(['to', 'cuda', 'half', 'float', 'bfloat16', 'contiguous', 'requires_grad_', 'clone', 'detach']);
/** Methods (and `torch.` functions taking the tensor first) that give a new shape. */
const RESHAPES = new Set(['reshape', 'view']);
const MAX_STEPS = 8;

/** The full shape of the tensor an expression holds, when a literal factory call gives it. */
function literalShape(model: SourceModel, statement: number, node: Node, offset: number, steps: number): { shape: number[]; text: string } | undefined {
  if (steps > MAX_STEPS) return undefined;
  if (node.type === 'parenthesized_expression') {
    const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
    return inner ? literalShape(model, statement, inner, offset, steps + 1) : undefined;
  }
  if (node.type === 'identifier') {
    const sites = assignmentsBefore(model, statement, node.text);
    for (let i = sites.length - 1; i >= 0; i--) {
      const parsed = model.parseStatement(sites[i]);
      const found = parsed ? findAssignment(parsed.root, node.text) : undefined;
      if (!parsed || !found) continue;
      let right: Node | null = found.right;
      if (found.position !== undefined) {
        // `q, k, v = (torch.randn(…) for _ in range(3))` or `= a, b, c`.
        if (right.type === 'generator_expression' || right.type === 'list_comprehension') right = right.childForFieldName('body');
        else if (right.type === 'expression_list' || right.type === 'tuple') right = right.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment')[found.position] ?? null;
        else return undefined;
      }
      return right ? literalShape(model, sites[i], right, parsed.offset, steps + 1) : undefined;
    }
    return undefined;
  }
  if (node.type !== 'call') return undefined;
  const fn = node.childForFieldName('function');
  const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
  const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((c): c is Node => c !== null && c.type !== 'comment' && c.type !== 'keyword_argument');
  const receiver = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
  if (receiver && name && PASS_THROUGH.has(name)) return literalShape(model, statement, receiver, offset, steps + 1);
  if (receiver && name && (RESHAPES.has(name) || name === 'permute' || name === 'transpose')) {
    // `torch.reshape(x, shape)` / `torch.permute(x, dims)` take the tensor first; `x.view(…)` is on it.
    const onTorch = receiver.text === 'torch';
    const source = onTorch ? args[0] : receiver;
    const rest = onTorch ? args.slice(1) : args;
    const from = source ? literalShape(model, statement, source, offset, steps + 1) : undefined;
    const ints = intArguments(model, statement, rest, offset);
    const shape = ints && (RESHAPES.has(name) ? reshaped(from?.shape, ints) : from ? reordered(from.shape, name, ints) : undefined);
    return shape ? { shape, text: shortText(node) } : undefined;
  }
  if (!name || !FACTORIES.has(name)) return undefined;
  // torch.full(size, value) and torch.randint(low, high, size) take the shape as one tuple.
  const dims = args.length === 1 || name === 'full' || name === 'randint' ? [args.find((a) => a.type === 'tuple' || a.type === 'list')].filter((a): a is Node => a !== undefined) : args;
  const shape = intArguments(model, statement, dims, offset);
  return shape ? { shape, text: shortText(node) } : undefined;
}

function shortText(node: Node): string {
  return node.text.length > 60 ? `${node.text.slice(0, 57)}…` : node.text;
}

/** Integer arguments `(2, 56, 56)` or one tuple `((2, 56, 56))`, resolved; undefined if any is not. */
function intArguments(model: SourceModel, statement: number, args: readonly Node[], offset: number): number[] | undefined {
  const out: number[] = [];
  for (const a of args) {
    const v = model.evaluateIn(statement, a, offset);
    if (v.kind === 'int') out.push(v.value);
    else if (v.kind === 'tuple' && args.length === 1 && v.items.every((i) => i.kind === 'int')) out.push(...v.items.map((i) => (i as { value: number }).value));
    else return undefined;
  }
  return out.length > 0 ? out : undefined;
}

/**
 * The shape a reshape or view gives: the sizes as written, one -1 inferred from the source's
 * element count (so it needs the source's shape), anything else that torch would refuse: none.
 */
export function reshaped(source: readonly number[] | undefined, sizes: readonly number[]): number[] | undefined {
  const unknown = sizes.filter((n) => n === -1).length;
  if (unknown > 1 || sizes.some((n) => n < -1 || n === 0)) return undefined;
  const known = sizes.reduce((p, n) => (n === -1 ? p : p * n), 1);
  const total = source?.reduce((p, n) => p * n, 1);
  if (unknown === 0) return total === undefined || total === known ? [...sizes] : undefined;
  if (total === undefined || total % known !== 0) return undefined;
  return sizes.map((n) => (n === -1 ? total / known : n));
}

/** The shape after `permute(dims)` or `transpose(a, b)` (negative axes count from the end). */
export function reordered(shape: readonly number[], op: 'permute' | 'transpose' | string, dims: readonly number[]): number[] | undefined {
  const axis = (d: number) => (d < 0 ? d + shape.length : d);
  const valid = (d: number) => d >= 0 && d < shape.length;
  if (op === 'transpose') {
    if (dims.length !== 2 || !dims.map(axis).every(valid)) return undefined;
    const [a, b] = dims.map(axis);
    const out = [...shape];
    [out[a], out[b]] = [out[b], out[a]];
    return out;
  }
  const order = dims.map(axis);
  if (order.length !== shape.length || !order.every(valid) || new Set(order).size !== order.length) return undefined;
  return order.map((d) => shape[d]);
}

/** The token layout of a call from its first tensor argument's literal shape. */
export function codeLayout(model: SourceModel, statement: number, tensor: Node, offset: number, headsFirst: boolean, rank: number | undefined): CodeLayout | undefined {
  const found = literalShape(model, statement, tensor, offset, 0);
  if (!found) return undefined;
  const layout = headsFirst ? found.shape.slice(2, -1) : found.shape.slice(1, -2);
  if (layout.length < 1 || layout.length > 3 || (rank !== undefined && layout.length !== rank) || layout.some((n) => n < 1)) return undefined;
  return { inputSize: layout, text: found.text };
}
