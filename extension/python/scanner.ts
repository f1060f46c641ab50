// Finds every NATTEN call in a Python text and reads its arguments, for any text: a statement
// that does not parse still yields its calls, and an unclosed call (half-typed code) is read up
// to its last complete argument. Nothing here throws on bad input; problems are returned.

import type { Node } from 'web-tree-sitter';
import { annotationFor, Annotation } from './annotations';
import { HeadsFirst, headsFirstQuery } from './headsFirst';
import { CodeLayout, codeLayout } from './tensorShape';
import { calleePath, collectImports, NattenImports } from './imports';
import { describeSignatureRange, foreignKeyword, OPS, OpSpec, Signature, signatureAt, Version } from './nattenApi';
import { SourceModel } from './source';
import { scanArguments } from './statements';
import type { PythonParser } from './treeSitter';
import { LABEL_JOIN, pickName } from './choices';
import { ChoiceOption, PyValue, Span, spanOf, unknown } from './values';

export interface ScannedArgument {
  /** NATTEN's name for the parameter. */
  readonly param: string;
  /** How it was passed: by position (index), by keyword (as written) or from a `**dict`. */
  readonly position?: number;
  readonly keyword?: string;
  /** The value expression at the call; for a `**dict` entry, the `**dict` expression. */
  readonly span: Span;
  /** The whole argument, `name=` included (for a `**dict` entry, the `**dict` expression). */
  readonly argumentSpan: Span;
  /** Present when the argument came from a `**dict` expansion. */
  readonly spread?: boolean;
  readonly value: PyValue;
}

export type CallProblemKind = 'unexpected-keyword' | 'too-many-positional' | 'duplicate-argument' | 'missing-argument';

/** A TypeError Python would raise when binding the call's arguments. */
export interface CallProblem {
  readonly kind: CallProblemKind;
  readonly message: string;
  readonly span: Span;
  /** For an unexpected keyword: the release range that has it. */
  readonly otherSignature?: Signature;
  readonly keyword?: string;
}

export interface ScannedCall {
  readonly op: OpSpec;
  /** The signature the arguments were mapped with (the configured version's, or the nearest). */
  readonly signature: Signature;
  /** The NATTEN path the callee resolved to (`natten.functional.na2d`). */
  readonly path: string;
  readonly span: Span;
  readonly calleeSpan: Span;
  /** Where `, name=value` can be inserted to add an argument (after the last one). */
  readonly insertAt: number;
  /** Whether the call already has arguments (so an inserted one needs a leading comma). */
  readonly hasArguments: boolean;
  readonly statement: number;
  /** First argument given for each NATTEN parameter. */
  readonly arguments: ReadonlyMap<string, ScannedArgument>;
  /** An unresolvable `**kwargs`: parameters not given explicitly may still be set. */
  readonly openKeywords: boolean;
  /** An unresolvable `*args` before positional arguments: those could not be mapped. */
  readonly lostPositionals: boolean;
  /** Read from half-typed code: the arguments after the last complete one are missing. */
  readonly incomplete: boolean;
  readonly problems: readonly CallProblem[];
  /** The one `**config` dict the call expands (a missing parameter is added there, not at the call). */
  readonly spreadDict?: Extract<PyValue, { kind: 'dict' }>;
  /** The one `**LAYERS[name]` pick the call expands (see `variantsOf`). */
  readonly spreadChoice?: Extract<PyValue, { kind: 'choice' }>;
  /** For one option of a choice: its label (`double_blocks.0`). */
  readonly variant?: string;
  /** A fused op given a query built heads-first (see headsFirst.ts). */
  readonly headsFirst?: HeadsFirst;
  /** The token layout from a literal tensor shape in the code (see tensorShape.ts). */
  readonly codeLayout?: CodeLayout;
  readonly annotation?: Annotation;
}

export interface ScanResult {
  readonly calls: readonly ScannedCall[];
  readonly imports: NattenImports;
  /** Set when `expired` said stop: the offset of the first name occurrence left unread. */
  readonly stoppedAt?: number;
}

const STAR_NAMES: ReadonlySet<string> = new Set(OPS.keys());

/**
 * Parameters whose values the linter reads; the others (tensors, scale, backend, …) are kept as
 * ranges only, so resolving `q`, `k`, `v` never costs a lookup.
 */
const READ_PARAMS = new Set([
  'kernel_size', 'kernel_size_d', 'stride', 'dilation', 'dilation_d', 'is_causal',
  'q_tile_shape', 'kv_tile_shape', 'backward_q_tile_shape', 'backward_kv_tile_shape', 'embed_dim', 'dim', 'num_heads',
]);

/** Tensor arguments that an unresolvable leading `*qkv` is taken to fill. */
const TENSOR_PARAMS = new Set(['query', 'key', 'value', 'attn']);

export function scanCalls(model: SourceModel, version: Version, expired: () => boolean = () => false): ScanResult {
  const imports = collectImports(model);
  const names = new Set(imports.aliases.keys());
  if (imports.star) for (const n of STAR_NAMES) names.add(n);
  const calls: ScannedCall[] = [];
  const seen = new Set<number>();
  const offsets: number[] = [];
  // One by one: a spread of a name's occurrences overflows the stack past ~125k of them.
  for (const name of names) {
    if (!name.startsWith('self.')) {
      for (const at of model.occurrences(name)) offsets.push(at);
      continue;
    }
    // `self.qk(…)`: the call starts at `self`.
    const attr = name.slice(5);
    for (const at of model.occurrences(attr)) if (model.text.slice(at - 5, at) === 'self.') offsets.push(at - 5);
  }
  offsets.sort((a, b) => a - b);
  for (const at of offsets) {
    if (expired()) return { calls, imports, stoppedAt: at };
    const s = model.statementOfOffset(at);
    if (s < 0) continue;
    const st = model.statement(s);
    if (st.firstWord === 'import' || st.firstWord === 'from') continue;
    const parsed = model.parseStatement(s);
    if (!parsed) continue;
    const call = callAt(parsed.root, at - parsed.offset);
    if (call) {
      const start = call.startIndex + parsed.offset;
      if (seen.has(start)) continue;
      const fn = call.childForFieldName('function');
      const path = fn ? calleePath(fn, imports, STAR_NAMES) : undefined;
      const op = path ? OPS.get(path.slice(path.lastIndexOf('.') + 1)) : undefined;
      if (!op || !path) continue;
      seen.add(start);
      const incomplete = call.childForFieldName('arguments')?.lastChild?.isMissing ?? false;
      calls.push(readCall(model, s, call, parsed.offset, op, path, version, incomplete));
      continue;
    }
    // Not a call tree-sitter could read: repair it, if the statement has a syntax error and the
    // name is code (not in a string or comment).
    if (!parsed.root.hasError) continue;
    const token = parsed.root.descendantForIndex(at - parsed.offset);
    if (!token || token.type !== 'identifier') continue;
    const repaired = repairCall(model, s, at, imports);
    if (repaired && !seen.has(repaired.span.start)) {
      const { node, offset, op, path } = repaired;
      seen.add(repaired.span.start);
      calls.push(readCall(model, s, node, offset, op, path, version, true, repaired.span.end));
    }
  }
  calls.sort((a, b) => a.span.start - b.span.start);
  return { calls, imports };
}

/** The call whose callee starts with the name at `at` (relative to the parsed statement). */
function callAt(root: Node, at: number): Node | undefined {
  let n = root.descendantForIndex(at);
  if (!n || n.type !== 'identifier' || n.startIndex !== at) return undefined;
  // Climb the attribute chain `natten.functional.na2d` while this name is its object.
  while (n.parent && n.parent.type === 'attribute' && n.parent.childForFieldName('object')?.equals(n)) n = n.parent;
  const parent: Node | null = n.parent;
  if (parent?.type === 'call' && parent.childForFieldName('function')?.equals(n)) return parent;
  return undefined;
}

interface Repaired {
  readonly node: Node;
  readonly offset: number;
  readonly op: OpSpec;
  readonly path: string;
  readonly span: Span;
}

/**
 * Reads a call tree-sitter could not make out (an unclosed `na2d(q, k, v, kernel_size=(7,`):
 * the callee and its complete arguments are parsed on their own, with a `)` put back.
 */
function repairCall(model: SourceModel, s: number, at: number, imports: NattenImports): Repaired | undefined {
  const text = model.text;
  if (at > 0 && text[at - 1] === '.') return undefined;
  const st = model.statement(s);
  const m = /^[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*(?:\s*\.\s*[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)*\s*\(/.exec(text.slice(at, Math.min(st.end, at + 300)));
  if (!m) return undefined;
  const open = at + m[0].length - 1;
  const scan = scanArguments(text, open, st.end, st.indent);
  let source: string;
  let complete = false;
  if (scan.close !== undefined) {
    source = text.slice(at, scan.close + 1);
    complete = true;
  } else if (scan.commas.length > 0) {
    source = `${text.slice(at, scan.commas[scan.commas.length - 1])})`;
  } else {
    source = `${text.slice(at, open + 1)})`;
  }
  const parsed = model.parseSnippet(source, at);
  if (!parsed) return undefined;
  const call = callAt(parsed.root, 0);
  if (!call) return undefined;
  const fn = call.childForFieldName('function');
  const path = fn ? calleePath(fn, imports, STAR_NAMES) : undefined;
  const op = path ? OPS.get(path.slice(path.lastIndexOf('.') + 1)) : undefined;
  if (!op || !path) return undefined;
  const end = complete ? call.endIndex + at : Math.min(call.endIndex + at - 1, text.length);
  return { node: call, offset: at, op, path, span: { start: at, end } };
}

function readCall(
  model: SourceModel,
  statement: number,
  call: Node,
  offset: number,
  op: OpSpec,
  path: string,
  version: Version,
  incomplete: boolean,
  endOverride?: number,
): ScannedCall {
  const signature = signatureAt(op, version);
  const fn = call.childForFieldName('function')!;
  const argsNode = call.childForFieldName('arguments');
  const args = new Map<string, ScannedArgument>();
  const problems: CallProblem[] = [];
  let openKeywords = false;
  let lostPositionals = false;
  const spreadDicts: Extract<PyValue, { kind: 'dict' }>[] = [];
  const spreadChoices: Extract<PyValue, { kind: 'choice' }>[] = [];
  let position = 0;
  let lastArgEnd = argsNode ? argsNode.startIndex + offset + 1 : fn.endIndex + offset;
  let hasArguments = false;
  const params = signature.params;
  const evalNode = (n: Node): PyValue => model.evaluateIn(statement, n, offset);
  const read = (param: string | undefined, n: Node): PyValue => (param !== undefined && READ_PARAMS.has(param) ? evalNode(n) : unknown('not read by the linter', spanOf(n, offset)));

  const give = (arg: ScannedArgument, span: Span): void => {
    const existing = args.get(arg.param);
    if (existing) {
      problems.push({
        kind: 'duplicate-argument',
        message: `${op.name}() got multiple values for argument '${arg.param}'.`,
        span,
      });
      return;
    }
    args.set(arg.param, arg);
  };

  /** The parameter a `**dict` key sets, or undefined (with the TypeError when another release has it). */
  const keywordParam = (key: string, span: Span, from?: string): string | undefined => {
    const param = signature.aliases?.[key] ?? key;
    if (params.includes(param)) return param;
    const other = foreignKeyword(op, signature, key);
    if (other) {
      problems.push({
        kind: 'unexpected-keyword',
        message: `${op.name}() got an unexpected keyword argument '${key}'${from ? ` (from ${from})` : ''}.`,
        span,
        otherSignature: other,
        keyword: key,
      });
    }
    return undefined;
  };

  /** `**GNA_LAYERS[name]`: each parameter becomes a choice over the layers' dicts. */
  const spreadChoice = (choice: Extract<PyValue, { kind: 'choice' }>, from: string, span: Span): void => {
    const keys: string[] = [];
    for (const o of choice.options) {
      if (!o.value || o.value.kind !== 'dict' || o.value.open) openKeywords = true;
      if (o.value?.kind === 'dict') for (const e of o.value.entries) if (typeof e.key === 'string' && !keys.includes(e.key)) keys.push(e.key);
    }
    spreadChoices.push(choice);
    for (const key of keys) {
      const param = keywordParam(key, span, from);
      if (!param) continue;
      const options: ChoiceOption[] = choice.options.map((o) => {
        const entry = o.value?.kind === 'dict' ? [...o.value.entries].reverse().find((e) => e.key === key) : undefined;
        return entry ? { label: o.label, value: entry.value } : { label: o.label };
      });
      give({ param, keyword: key, span, argumentSpan: span, spread: true, value: { kind: 'choice', source: choice.source, options, span: choice.span } }, span);
    }
  };

  for (const c of argsNode?.namedChildren ?? []) {
    if (!c || c.type === 'comment') continue;
    if (c.isError || c.isMissing) continue;
    hasArguments = true;
    lastArgEnd = c.endIndex + offset;
    const span = spanOf(c, offset);
    if (c.type === 'keyword_argument') {
      const nameNode = c.childForFieldName('name');
      const valueNode = c.childForFieldName('value');
      if (!nameNode || !valueNode) continue;
      const keyword = nameNode.text;
      const param = keywordParam(keyword, span);
      if (!param) continue;
      give({ param, keyword, span: spanOf(valueNode, offset), argumentSpan: span, value: read(param, valueNode) }, span);
    } else if (c.type === 'dictionary_splat') {
      const inner = c.namedChildren[0];
      const value = inner ? evalNode(inner) : unknown('empty ** expansion', span);
      if (value.kind === 'choice') {
        spreadChoice(value, c.text, span);
        continue;
      }
      if (value.kind !== 'dict') {
        openKeywords = true;
        continue;
      }
      if (value.open) openKeywords = true;
      spreadDicts.push(value);
      for (const entry of value.entries) {
        if (typeof entry.key !== 'string') continue;
        const param = keywordParam(entry.key, span, c.text);
        if (param) give({ param, keyword: entry.key, span, argumentSpan: span, spread: true, value: entry.value }, span);
      }
    } else if (c.type === 'list_splat') {
      const inner = c.namedChildren[0];
      const value = inner ? evalNode(inner) : unknown('empty * expansion', span);
      if (value.kind === 'tuple') {
        for (const item of value.items) {
          if (position < params.length) give({ param: params[position], position, span, argumentSpan: span, value: item }, span);
          position++;
        }
      } else if (position === 0 && op.kind !== 'module') {
        // `na2d(*qkv, …)`: taken to fill the tensor parameters, the idiom this form serves.
        while (position < params.length && TENSOR_PARAMS.has(params[position])) position++;
      } else {
        lostPositionals = true;
      }
    } else {
      if (lostPositionals) continue;
      if (position >= params.length) {
        problems.push({
          kind: 'too-many-positional',
          message: `${op.name}() takes at most ${params.length} positional arguments (NATTEN ${describeSignatureRange(signature)}).`,
          span,
        });
        position++;
        continue;
      }
      give({ param: params[position], position, span, argumentSpan: span, value: read(params[position], c) }, span);
      position++;
    }
  }

  // The first tensor: its literal shape gives the layout; built heads-first for a fused op, the silent bug.
  let headsFirst: HeadsFirst | undefined;
  let layoutFromCode: CodeLayout | undefined;
  if (op.kind !== 'module') {
    const first = argsNode?.namedChildren.find((c) => c && c.type !== 'comment');
    const tensorKw = argsNode?.namedChildren.find((c) => c?.type === 'keyword_argument' && ['query', 'attn'].includes(c.childForFieldName('name')?.text ?? ''));
    const tensor = first && first.type !== 'keyword_argument' && first.type !== 'list_splat' && first.type !== 'dictionary_splat' ? first : tensorKw?.childForFieldName('value');
    const heads = op.kind === 'fused' || op.kind === 'generic';
    // Both follow the tensor back through its function: only worth it where that text permutes
    // axes or makes a tensor.
    const scopeText = model.scopeText(statement);
    if (tensor && heads && /permute|transpose|rearrange/.test(scopeText)) headsFirst = headsFirstQuery(model, statement, tensor, offset);
    if (tensor && /\b(randn|rand|zeros|ones|empty|full|randint)\s*\(/.test(scopeText)) layoutFromCode = codeLayout(model, statement, tensor, offset, !heads, op.rank);
  }
  const callSpan = spanOf(call, offset);
  const span = endOverride !== undefined ? { start: callSpan.start, end: endOverride } : callSpan;
  // Required parameters left out (kernel_size has its own check in the core).
  if (!incomplete && !openKeywords && !lostPositionals) {
    const missing = (signature.required ?? []).filter((p) => p !== 'kernel_size' && !args.has(p));
    if (missing.length > 0) {
      problems.push({
        kind: 'missing-argument',
        message: `${op.name}() missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${missing.map((m) => `'${m}'`).join(', ')}.`,
        span: spanOf(fn, offset),
      });
    }
  }
  return {
    op,
    signature,
    path,
    span,
    calleeSpan: spanOf(fn, offset),
    insertAt: lastArgEnd,
    hasArguments,
    statement,
    arguments: args,
    openKeywords,
    lostPositionals,
    incomplete,
    problems,
    ...(spreadDicts.length === 1 && spreadChoices.length === 0 ? { spreadDict: spreadDicts[0] } : {}),
    ...(spreadChoices.length === 1 && spreadDicts.length === 0 ? { spreadChoice: spreadChoices[0] } : {}),
    annotation: annotationFor(model, statement, span),
    ...(headsFirst ? { headsFirst } : {}),
    ...(layoutFromCode ? { codeLayout: layoutFromCode } : {}),
  };
}

export function scanPython(text: string, parser: PythonParser, version: Version): { model: SourceModel; result: ScanResult } {
  const model = new SourceModel(text, parser);
  return { model, result: scanCalls(model, version) };
}

/** Most variants one call is checked as (one per layer of a config dict, in practice). */
export const MAX_VARIANTS = 32;

/**
 * The call once per option of the run-time picks among its arguments (`**GNA_LAYERS[name]`,
 * `kernel_size=CFG[name]["kernel_size"]`): every argument of a pick takes that option's value, a
 * `**` pick contributes that option's dict, and a key the option lacks is left at its default.
 */
export function variantsOf(call: ScannedCall): ScannedCall[] {
  const sources: { source: string; labels: string[] }[] = [];
  const addSource = (choice: { source: string; options: readonly ChoiceOption[] }) => {
    let s = sources.find((x) => x.source === choice.source);
    if (!s) sources.push((s = { source: choice.source, labels: [] }));
    for (const o of choice.options) if (!s.labels.includes(o.label)) s.labels.push(o.label);
  };
  for (const arg of call.arguments.values()) if (arg.value.kind === 'choice') addSource(arg.value);
  if (call.spreadChoice) addSource(call.spreadChoice);
  const entries = call.annotation?.entries ?? {};
  for (const e of Object.values(entries)) if (e?.value.kind === 'choice') addSource(e.value);
  if (sources.length === 0) return [call];
  // A label nested under another (`L66›i=0` under `L66`: a call site, then a loop inside it) is
  // the finer pick; only the finest labels are enumerated, and a coarser option matches them.
  for (const s of sources) s.labels = s.labels.filter((l) => !s.labels.some((m) => m.startsWith(`${l}${LABEL_JOIN}`)));
  let combos: Map<string, string>[] = [new Map()];
  for (const s of sources) {
    const next: Map<string, string>[] = [];
    for (const c of combos) for (const l of s.labels) if (next.length < MAX_VARIANTS) next.push(new Map([...c, [s.source, l]]));
    combos = next;
  }
  const pickFrom = (choice: { source: string; options: readonly ChoiceOption[] }, pick: Map<string, string>) => {
    const label = pick.get(choice.source) ?? '';
    return choice.options.find((o) => o.label === label) ?? choice.options.find((o) => label.startsWith(`${o.label}${LABEL_JOIN}`));
  };
  return combos.map((pick) => {
    const args = new Map<string, ScannedArgument>();
    for (const [param, arg] of call.arguments) {
      if (arg.value.kind !== 'choice') {
        args.set(param, arg);
        continue;
      }
      const option = pickFrom(arg.value, pick);
      if (option?.value) args.set(param, { ...arg, value: option.value });
      // No option of this pick (its labels nest differently): not known, never a missing argument.
      else if (!option) args.set(param, { ...arg, value: unknown(`${param} depends on several run-time picks`, arg.span) });
    }
    const spreadOption = call.spreadChoice ? pickFrom(call.spreadChoice, pick) : undefined;
    let annotation = call.annotation;
    if (annotation) {
      const picked: Record<string, { value: PyValue; span: Span }> = {};
      for (const [k, e] of Object.entries(annotation.entries)) {
        if (!e) continue;
        const v = e.value.kind === 'choice' ? pickFrom(e.value, pick)?.value : e.value;
        picked[k] = { span: e.span, value: v ?? unknown(`the annotation has no entry for ${[...pick.values()].join(', ')}`, e.span) };
      }
      annotation = { ...annotation, entries: picked };
    }
    const { spreadChoice: _choice, annotation: _annotation, ...rest } = call;
    return {
      ...rest,
      arguments: args,
      variant: [...pick.values()].map(pickName).join(', '),
      ...(annotation ? { annotation } : {}),
      ...(spreadOption?.value?.kind === 'dict' ? { spreadDict: spreadOption.value } : {}),
    };
  });
}
