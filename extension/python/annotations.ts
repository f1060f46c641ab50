// `# gna:` annotations: what the code cannot say about a call: the token layout that NATTEN only
// learns from the tensor at run time, and any mask argument static analysis could not resolve.
//
//   # gna: input_size=(30, 48, 80), head_dim=64
//   y = na3d(q, k, v, kernel_size=(18, 24, 24))
//
//   # gna: kernel_size=7, dilation=(1, 8), input_size=(56, 56)
//   y = self.attn(x)                 # a module whose arguments are constructor parameters
//
// A mask argument from an annotation fills only what the code leaves unknown; where the code
// gives a value the code wins, and a disagreeing annotation is reported (lint/analyze.ts).
//
// The body is a Python keyword-argument list, parsed by tree-sitter and evaluated like any call
// argument (so `input_size=(T, H, W)` with module constants works). It applies to the calls of
// the statement it sits on, or of the statement right below a block of comment lines holding it.

import type { Node } from 'web-tree-sitter';
import type { SourceModel } from './source';
import { lineOf } from './statements';
import { PyValue, Span, spanOf } from './values';

export const ANNOTATION_KEYS = ['input_size', 'head_dim', 'kernel_size', 'stride', 'dilation', 'is_causal'] as const;
export type AnnotationKey = (typeof ANNOTATION_KEYS)[number];

export interface AnnotationEntry {
  readonly value: PyValue;
  /** The value expression inside the comment. */
  readonly span: Span;
}

export interface Annotation {
  /** The whole comment. */
  readonly span: Span;
  readonly entries: Readonly<Partial<Record<AnnotationKey, AnnotationEntry>>>;
  readonly problems: readonly { readonly message: string; readonly span: Span }[];
}

const PREFIX = /^#\s*gna\s*:/;
/** `# gna: ignore[…]` suppresses findings (lint/suppress.ts); it is not an annotation. */
const SUPPRESSION_PREFIX = /^#\s*gna\s*:\s*ignore\b/;

/** The annotation that applies to a call in statement `statement`, if any. */
export function annotationFor(model: SourceModel, statement: number, callSpan: Span): Annotation | undefined {
  const { comments, lineStarts } = model.index;
  const st = model.statement(statement);
  const text = model.text;
  const isAnnotation = (c: { start: number; end: number }): boolean => {
    const head = text.slice(c.start, Math.min(c.end, c.start + 24));
    return PREFIX.test(head) && !SUPPRESSION_PREFIX.test(head);
  };
  // On the call's own lines first, then anywhere in its statement.
  const first = lowerBound(comments, st.start);
  let inStatement: { start: number; end: number } | undefined;
  for (let i = first; i < comments.length && comments[i].start <= st.end; i++) {
    const c = comments[i];
    if (!isAnnotation(c)) continue;
    const onCallLine = lineOf(lineStarts, c.start) >= lineOf(lineStarts, callSpan.start) && c.start <= lineEndAfter(text, callSpan.end);
    if (onCallLine) return parseAnnotation(model, statement, c);
    inStatement ??= c;
  }
  if (inStatement) return parseAnnotation(model, statement, inStatement);
  // The block of comment-only lines right above the statement, nearest first.
  let line = st.line - 1;
  for (let i = first - 1; i >= 0; i--) {
    const c = comments[i];
    if (!c.standalone || c.line !== line) break;
    if (isAnnotation(c)) return parseAnnotation(model, statement, c);
    line--;
  }
  return undefined;
}

function lineEndAfter(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl < 0 ? text.length : nl;
}

function lowerBound(comments: readonly { start: number }[], at: number): number {
  let lo = 0;
  let hi = comments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (comments[mid].start < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function parseAnnotation(model: SourceModel, statement: number, comment: { start: number; end: number }): Annotation {
  const raw = model.text.slice(comment.start, comment.end);
  const head = PREFIX.exec(raw)![0].length;
  const bodyStart = comment.start + head;
  const body = model.text.slice(bodyStart, comment.end);
  const span = { start: comment.start, end: comment.end };
  const problems: { message: string; span: Span }[] = [];
  const entries: Partial<Record<AnnotationKey, AnnotationEntry>> = {};
  // `_(` + body + `)`: the body parses as the arguments of a call; index 2 is `bodyStart`.
  const parsed = model.parseSnippet(`_(${body})`, bodyStart - 2);
  const args = parsed ? firstArguments(parsed.root) : undefined;
  if (!parsed || !args || args.hasError) {
    problems.push({ message: `Cannot read the annotation: write it as \`# gna: input_size=(30, 48, 80)\`.`, span });
    if (!args) return { span, entries, problems };
  }
  for (const c of args.namedChildren) {
    if (!c || c.type === 'comment' || c.isError) continue;
    if (c.type !== 'keyword_argument') {
      problems.push({ message: `Annotation entries are \`name=value\`, got ${c.text}.`, span: spanOf(c, parsed!.offset) });
      continue;
    }
    const name = c.childForFieldName('name')?.text ?? '';
    const valueNode = c.childForFieldName('value');
    if (!valueNode) continue;
    const key = name === 'layout' ? 'input_size' : name;
    if (!(ANNOTATION_KEYS as readonly string[]).includes(key)) {
      problems.push({ message: `Unknown annotation key '${name}': expected one of ${ANNOTATION_KEYS.join(', ')}.`, span: spanOf(c, parsed!.offset) });
      continue;
    }
    entries[key as AnnotationKey] = { value: model.evaluateIn(statement, valueNode, parsed!.offset), span: spanOf(valueNode, parsed!.offset) };
  }
  return { span, entries, problems };
}

function firstArguments(root: Node): Node | undefined {
  const stmt = root.namedChildren[0];
  const call = stmt?.type === 'expression_statement' ? stmt.namedChildren[0] : undefined;
  if (call?.type !== 'call') return undefined;
  return call.childForFieldName('arguments') ?? undefined;
}
