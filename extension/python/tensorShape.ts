// Layouts the code states: a query tensor made with a literal shape (`torch.randn(2, 56, 56, 4,
// 32)` in a test or an example) that reaches the call through plain assignments. The fused ops
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
  if (fn?.type === 'attribute' && name && PASS_THROUGH.has(name)) {
    const receiver = fn.childForFieldName('object');
    return receiver ? literalShape(model, statement, receiver, offset, steps + 1) : undefined;
  }
  if (!name || !FACTORIES.has(name)) return undefined;
  const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((c): c is Node => c !== null && c.type !== 'comment' && c.type !== 'keyword_argument');
  // torch.full(size, value) and torch.randint(low, high, size) take the shape as one tuple.
  const dims = args.length === 1 || name === 'full' || name === 'randint' ? [args.find((a) => a.type === 'tuple' || a.type === 'list')].filter((a): a is Node => a !== undefined) : args;
  if (dims.length === 0) return undefined;
  const shape: number[] = [];
  for (const d of dims) {
    const v = model.evaluateIn(statement, d, offset);
    if (v.kind === 'int') shape.push(v.value);
    else if (v.kind === 'tuple' && dims.length === 1 && v.items.every((i) => i.kind === 'int')) shape.push(...v.items.map((i) => (i as { value: number }).value));
    else return undefined;
  }
  return { shape, text: node.text.length > 60 ? `${node.text.slice(0, 57)}…` : node.text };
}

/** The token layout of a call from its first tensor argument's literal shape. */
export function codeLayout(model: SourceModel, statement: number, tensor: Node, offset: number, headsFirst: boolean, rank: number | undefined): CodeLayout | undefined {
  const found = literalShape(model, statement, tensor, offset, 0);
  if (!found) return undefined;
  const layout = headsFirst ? found.shape.slice(2, -1) : found.shape.slice(1, -2);
  if (layout.length < 1 || layout.length > 3 || (rank !== undefined && layout.length !== rank) || layout.some((n) => n < 1)) return undefined;
  return { inputSize: layout, text: found.text };
}
