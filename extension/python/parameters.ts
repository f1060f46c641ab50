// Values that reach a function through its parameters, the way a type checker's constant
// propagation finds them: `pytest.mark.parametrize` lists, else the arguments at every call of the
// function (or of the class, for `__init__`) in this file and in the workspace files that import
// it, with the parameter's default where a call leaves it out, and one level of `**kwargs`
// forwarding. Several calls give a `choice` labelled by call site (`L42`, `nat.py:17`), so two
// parameters fed by the same call stay together. Also attributes of config objects whose class
// gives literal defaults (dataclass fields, `__init__` defaults).

import type { Node } from 'web-tree-sitter';
import { choiceOf, loopChoice, iterationItems, reprValue } from './choices';
import type { SourceModel } from './source';
import { ChoiceOption, PyValue, Span, unknown } from './values';
import { shortName } from './workspace';

/** Most call sites consulted for one function. */
const MAX_CALL_SITES = 32;

interface ParamInfo {
  readonly fn: Node;
  readonly offset: number;
  /** Position among the arguments a caller writes (`self` excluded). */
  readonly position: number;
  readonly defaultNode?: Node;
  readonly variadic?: 'args' | 'kwargs';
  /** The `**kwargs` parameter name of the function, if any. */
  readonly kwargsName?: string;
}

function findFunction(model: SourceModel, header: number): { fn: Node; offset: number } | undefined {
  const parsed = model.parseStatement(header);
  if (!parsed) return undefined;
  const fn = firstOfType(parsed.root, 'function_definition');
  return fn ? { fn, offset: parsed.offset } : undefined;
}

function firstOfType(root: Node, type: string): Node | undefined {
  if (root.type === type) return root;
  for (const c of root.namedChildren) {
    if (!c) continue;
    const f = firstOfType(c, type);
    if (f) return f;
  }
  return undefined;
}

function paramName(p: Node): string | undefined {
  if (p.type === 'identifier') return p.text;
  if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') return p.namedChildren[0]?.text;
  const n = p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier') ?? null;
  return n?.text;
}

function paramInfo(model: SourceModel, header: number, name: string): ParamInfo | undefined {
  const found = findFunction(model, header);
  if (!found) return undefined;
  const params = found.fn.childForFieldName('parameters');
  if (!params) return undefined;
  const list = params.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  const owner = model.scopeOf(header);
  const isMethod = owner >= 0 && model.statement(owner).scopeKind === 'class';
  let position = 0;
  let kwargsName: string | undefined;
  let info: Omit<ParamInfo, 'kwargsName'> | undefined;
  let keywordOnly = false;
  list.forEach((p, i) => {
    const n = paramName(p);
    if (p.type === 'dictionary_splat_pattern') kwargsName = n;
    if (p.type === 'list_splat_pattern' || p.type === 'keyword_separator') keywordOnly = true;
    if (isMethod && i === 0 && (n === 'self' || n === 'cls')) return;
    if (n === name && !info) {
      const variadic = p.type === 'list_splat_pattern' ? 'args' : p.type === 'dictionary_splat_pattern' ? 'kwargs' : undefined;
      const defaultNode = p.childForFieldName('value') ?? undefined;
      info = { fn: found.fn, offset: found.offset, position: keywordOnly ? -1 : position, ...(defaultNode ? { defaultNode } : {}), ...(variadic ? { variadic } : {}) };
    }
    if (p.type !== 'list_splat_pattern' && p.type !== 'dictionary_splat_pattern' && p.type !== 'keyword_separator' && p.type !== 'positional_separator') position++;
  });
  return info ? { ...info, ...(kwargsName ? { kwargsName } : {}) } : undefined;
}

/** The value of parameter `name` of the function whose header is statement `header`. */
export function parameterValue(model: SourceModel, header: number, name: string, span: Span): PyValue {
  const fnName = model.statement(header).name ?? 'the function';
  const info = paramInfo(model, header, name);
  if (!info) return unknown(`${name} is a parameter of ${fnName}()`, span);
  if (info.variadic) return unknown(`${name} collects the ${info.variadic === 'args' ? 'extra positional' : 'extra keyword'} arguments of ${fnName}()`, span);
  const parametrized = parametrizeValue(model, header, name, span);
  if (parametrized) return parametrized;
  const defaultValue = (): PyValue | undefined => (info.defaultNode ? model.evaluateIn(header, info.defaultNode, info.offset) : undefined);
  const sites = callSites(model, header);
  if (sites.length === 0) {
    const owner = model.scopeOf(header);
    const called = fnName === '__init__' && owner >= 0 ? model.statement(owner).name ?? fnName : fnName;
    return defaultValue() ?? unknown(`${name} is a parameter of ${fnName}() without a default, and no call of ${called}() was found`, span);
  }
  const options: ChoiceOption[] = [];
  for (const site of sites) {
    const v = argumentAt(site, info, name, span) ?? defaultValue() ?? unknown(`the call at ${site.label} does not pass ${name}`, span);
    options.push({ label: site.label, value: site.model === model ? v : respan(v, span) });
  }
  return choiceOf(`calls of ${sites[0].callee}()`, options, span);
}

interface CallSite {
  readonly model: SourceModel;
  readonly statement: number;
  readonly call: Node;
  readonly offset: number;
  readonly label: string;
  readonly callee: string;
}

/** Calls of the function of `header` (of its class, for `__init__`), here and in importing files. */
function callSites(model: SourceModel, header: number): CallSite[] {
  return model.memo(`callSites:${header}`, () => findCallSites(model, header));
}

function findCallSites(model: SourceModel, header: number): CallSite[] {
  const h = model.statement(header);
  const owner = model.scopeOf(header);
  const ownerHeader = owner >= 0 ? model.statement(owner) : undefined;
  const isInit = h.name === '__init__' && ownerHeader?.scopeKind === 'class';
  const callee = isInit ? ownerHeader!.name : h.name;
  if (!callee) return [];
  // A method (other than __init__) is called through an object; a function or class by name.
  const method = !isInit && ownerHeader?.scopeKind === 'class';
  const sites: CallSite[] = [];
  const collect = (m: SourceModel, label: (line: number) => string) => {
    for (const s of statementsCalling(m, callee)) {
      if (sites.length >= MAX_CALL_SITES) return;
      if (m === model && s === header) continue;
      const st = m.statement(s);
      if (st.firstWord === 'import' || st.firstWord === 'from' || st.firstWord === 'def' || st.firstWord === 'class') continue;
      const parsed = m.parseStatement(s);
      if (!parsed) continue;
      for (const call of callsNamed(parsed.root, callee, method)) {
        if (sites.length >= MAX_CALL_SITES) return;
        // Several calls on one line (`[Stage(…), Stage(…)]`) keep apart: `L12`, `L12#2`.
        const base = label(m.lineOfOffset(call.startIndex + parsed.offset) + 1);
        const same = sites.filter((x) => x.label === base || x.label.startsWith(`${base}#`)).length;
        sites.push({ model: m, statement: s, call, offset: parsed.offset, label: same === 0 ? base : `${base}#${same + 1}`, callee });
      }
    }
  };
  collect(model, (line) => `L${line}`);
  const ws = model.workspace;
  if (ws && !method) {
    for (const path of ws.pathsMentioning(callee, model.path)) {
      const other = ws.model(path);
      // Only files that import the name (or a module holding it) call this definition.
      if (!other || !other.statementsMentioning(callee).some((s) => ['import', 'from'].includes(other.statement(s).firstWord))) continue;
      collect(other, (line) => `${shortName(path)}:${line}`);
    }
  }
  return sites;
}

/**
 * Statements where `name` is followed by `(` (a call, or a definition, which the caller skips).
 * One pass over the text indexes every such name: resolution asks for many (each class whose
 * calls give a parameter), and a text search per name would cost a pass each.
 */
function statementsCalling(model: SourceModel, name: string): number[] {
  const index = model.memo('callIndex', () => {
    const found = new Map<string, number[]>();
    const re = /([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)\s*\(/g;
    for (let m = re.exec(model.text); m; m = re.exec(model.text)) {
      const at = m.index;
      if (at > 0 && /[\w\u0080-\uffff]/.test(model.text[at - 1])) continue;
      const list = found.get(m[1]);
      if (list) list.push(at);
      else found.set(m[1], [at]);
    }
    return found;
  });
  const statements: number[] = [];
  for (const at of index.get(name) ?? []) {
    const s = model.statementOfOffset(at);
    if (s >= 0 && statements[statements.length - 1] !== s) statements.push(s);
  }
  return statements;
}

function callsNamed(root: Node, callee: string, method: boolean): Node[] {
  const out: Node[] = [];
  const visit = (n: Node) => {
    if (n.type === 'call') {
      const fn = n.childForFieldName('function');
      const name = fn?.type === 'identifier' ? fn.text : fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
      if (name === callee && (fn?.type === 'attribute' || !method)) out.push(n);
    }
    for (const c of n.namedChildren) if (c && c.type !== 'function_definition' && c.type !== 'class_definition') visit(c);
  };
  visit(root);
  return out;
}

/** The argument a call passes for the parameter; undefined when it leaves it out. */
function argumentAt(site: CallSite, info: ParamInfo, name: string, span: Span): PyValue | undefined {
  const args = site.call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return unknown(`the call at ${site.label} is not a plain call`, span);
  let position = 0;
  let starred = false;
  let kwargsSpread: Node | undefined;
  for (const c of args.namedChildren) {
    if (!c || c.type === 'comment') continue;
    if (c.type === 'keyword_argument') {
      if (c.childForFieldName('name')?.text === name) {
        const v = c.childForFieldName('value');
        return v ? site.model.evaluateIn(site.statement, v, site.offset) : undefined;
      }
    } else if (c.type === 'dictionary_splat') {
      kwargsSpread = c;
    } else if (c.type === 'list_splat') {
      starred = true;
    } else {
      if (!starred && position === info.position) return site.model.evaluateIn(site.statement, c, site.offset);
      position++;
    }
  }
  if (starred && info.position >= position) return unknown(`the call at ${site.label} passes *args`, span);
  if (kwargsSpread) return forwardedKeyword(site, kwargsSpread, name, span);
  return undefined;
}

/**
 * `f(**kwargs)` inside `def factory(**kwargs)`: the keyword from the factory's callers (one
 * level); a `**config` dict that is known gives its entry.
 */
function forwardedKeyword(site: CallSite, spread: Node, name: string, span: Span): PyValue | undefined {
  const inner = spread.namedChildren[0];
  if (!inner) return undefined;
  const dict = site.model.evaluateIn(site.statement, inner, site.offset);
  if (dict.kind === 'dict') {
    const entry = [...dict.entries].reverse().find((e) => e.key === name);
    if (entry) return entry.value;
    return dict.open ? unknown(`${name} may come from ${spread.text} at ${site.label}`, span) : undefined;
  }
  // `**kwargs` of the enclosing function: what its callers pass by keyword.
  const enclosing = site.model.scopeOf(site.statement);
  if (inner.type !== 'identifier' || enclosing < 0) return unknown(`${name} may come from ${spread.text} at ${site.label}`, span);
  const fnInfo = paramInfo(site.model, enclosing, inner.text);
  if (!fnInfo || fnInfo.variadic !== 'kwargs') return unknown(`${name} may come from ${spread.text} at ${site.label}`, span);
  const options: ChoiceOption[] = [];
  for (const outer of callSites(site.model, enclosing)) {
    const args = outer.call.childForFieldName('arguments');
    const kw = args?.namedChildren.find((c) => c?.type === 'keyword_argument' && c.childForFieldName('name')?.text === name);
    const value = kw?.childForFieldName('value');
    if (value) options.push({ label: outer.label, value: outer.model === site.model ? outer.model.evaluateIn(outer.statement, value, outer.offset) : respan(outer.model.evaluateIn(outer.statement, value, outer.offset), span) });
    else if (args?.namedChildren.some((c) => c?.type === 'dictionary_splat')) options.push({ label: outer.label, value: unknown(`${name} may come from ** at ${outer.label}`, span) });
  }
  // No caller passes it: the callee's default applies.
  return options.length === 0 ? undefined : choiceOf(`calls of ${site.model.statement(enclosing).name}()`, options, span);
}

/** `@pytest.mark.parametrize("kernel_size,dilation", [(3, 1), (5, 2)])` above the function. */
function parametrizeValue(model: SourceModel, header: number, name: string, span: Span): PyValue | undefined {
  const indent = model.statement(header).indent;
  for (let s = header - 1; s >= 0; s--) {
    const st = model.statement(s);
    if (st.indent !== indent || model.text[st.start] !== '@') break;
    const parsed = model.parseStatement(s);
    const call = parsed ? firstOfType(parsed.root, 'call') : undefined;
    const fn = call?.childForFieldName('function');
    if (!call || !parsed || !fn || !/(^|\.)parametrize$/.test(fn.text)) continue;
    const args = call.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') ?? [];
    if (args.length < 2) continue;
    const names = model.evaluateIn(s, args[0], parsed.offset);
    const list =
      names.kind === 'str' ? names.value.split(',').map((x) => x.trim()) : names.kind === 'tuple' ? names.items.map((i) => (i.kind === 'str' ? i.value : '')) : [];
    const at = list.indexOf(name);
    if (at < 0) continue;
    const values = model.evaluateIn(s, args[1], parsed.offset);
    const items = iterationItems(values);
    if (!items) return unknown(`${name} is parametrized over ${args[1].text.slice(0, 40)}`, span);
    return loopChoice(`parametrize ${list.join(',')}`, list.join(', '), items, list.length > 1 ? [at] : [], span);
  }
  return undefined;
}

/** A value from another file, pointed at the use here (its own ranges are in the other text). */
function respan(v: PyValue, span: Span): PyValue {
  switch (v.kind) {
    case 'tuple':
      return { ...v, items: v.items.map((i) => respan(i, span)), span, literal: false };
    case 'dict':
      return { ...v, entries: v.entries.map((e) => ({ ...e, keySpan: span, value: respan(e.value, span) })), insertAt: span.end, span };
    case 'choice':
      return { ...v, options: v.options.map((o) => (o.value ? { label: o.label, value: respan(o.value, span) } : o)), span };
    default:
      return { ...v, span };
  }
}

// ------------------------------------------------------------------ config objects

const CONFIG_NAME = /^(config|cfg|conf|configs|model_config|model_cfg|hparams|hp|opt|args)$/i;

/**
 * `config.kernel_size`: the class of `config` by its annotation or its `Class(…)` assignment,
 * else, for a name that reads as a config (`config`, `cfg`), the one `*Config` class that gives
 * the attribute; the value is the class attribute or the `__init__` default behind `self.attr`.
 */
export function objectAttributeValue(model: SourceModel, object: string, attr: string, statement: number, span: Span): PyValue | undefined {
  const bound = classOfName(model, object, statement);
  const className = bound?.name;
  // `spec = Spec(kernel_size=7)`: the keyword given at construction wins over the class's default.
  if (bound?.statement !== undefined) {
    const parsed = model.parseStatement(bound.statement);
    const call = parsed ? firstOfType(parsed.root, 'call') : undefined;
    const kw = call?.childForFieldName('arguments')?.namedChildren.find((c) => c?.type === 'keyword_argument' && c.childForFieldName('name')?.text === attr);
    const value = kw?.childForFieldName('value');
    if (parsed && value) return model.evaluateIn(bound.statement, value, parsed.offset);
  }
  const candidates = className ? findClasses(model, className) : CONFIG_NAME.test(object) ? findClasses(model, undefined) : [];
  const found: PyValue[] = [];
  for (const c of candidates) {
    const v = c.model.classAttribute(c.header, attr, span);
    if (v) found.push(c.model === model ? v : respan(v, span));
  }
  if (found.length === 1) return found[0];
  if (found.length > 1) {
    const distinct = new Set(found.map(reprValue));
    if (distinct.size === 1) return found[0];
    return unknown(`${object}.${attr} is given by ${found.length} config classes`, span);
  }
  return undefined;
}

/** The class a name is annotated with (`cfg: NATConfig`) or built from (`cfg = NATConfig(…)`). */
function classOfName(model: SourceModel, name: string, statement: number): { name: string; statement?: number } | undefined {
  for (let scope = model.scopeOf(statement); ; scope = model.scopeOf(scope)) {
    if (scope >= 0 && model.statement(scope).scopeKind === 'def') {
      const found = findFunction(model, scope);
      const p = found?.fn.childForFieldName('parameters')?.namedChildren.find((c) => c && paramName(c) === name);
      if (p) {
        const type = p.childForFieldName('type');
        const t = type?.text.replace(/^["']|["']$/g, '');
        return t && /^[A-Za-z_][\w.]*$/.test(t) ? { name: t.slice(t.lastIndexOf('.') + 1) } : undefined;
      }
    }
    for (const s of model.statementsMentioningIn(name, scope)) {
      if (model.scopeOf(s) !== scope || model.statement(s).firstWord !== name) continue;
      const m = new RegExp(`^${name}\\s*(?::[^=]*)?=\\s*([A-Za-z_][\\w.]*)\\s*\\(`).exec(model.text.slice(model.statement(s).start, model.statement(s).end));
      if (m) return { name: m[1].slice(m[1].lastIndexOf('.') + 1), statement: s };
    }
    if (scope < 0) return undefined;
  }
}

/** Classes named `name` (or, without a name, every `*Config` class) here and in the workspace. */
function findClasses(model: SourceModel, name: string | undefined): { model: SourceModel; header: number }[] {
  const out: { model: SourceModel; header: number }[] = [];
  const scan = (m: SourceModel) => {
    for (const st of m.index.statements) {
      if (st.scopeKind === 'class' && st.name && (name ? st.name === name : /Config$/.test(st.name))) out.push({ model: m, header: st.index });
    }
  };
  scan(model);
  const ws = model.workspace;
  if (ws && (name === undefined || out.length === 0)) {
    const paths = name === undefined ? ws.pathsMatching(/\bclass\s+\w*Config\b/) : ws.pathsMentioning(name, model.path);
    for (const path of paths) {
      const other = path === model.path ? undefined : ws.model(path);
      if (other) scan(other);
      if (out.length > 8) break;
    }
  }
  return out;
}
