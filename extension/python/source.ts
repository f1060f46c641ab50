// One Python text under analysis: its statement index, the tree-sitter parses of the statements
// the scanner asked for (each parsed once, on demand), and name resolution over Python's scopes
// (function → enclosing functions → module; a class body sees its own names, its methods do not).
// A name resolves only when it is bound exactly once in the scope that owns it, by a plain
// assignment whose value is itself static; everything else is `unknown` with the reason.

import type { Node, Tree } from 'web-tree-sitter';
import { indexStatements, isWordAt, lineOf, scopeOf, Statement, statementAt, StatementIndex, wordOccurrences } from './statements';
import { loopChoice, iterationItems, targetPath } from './choices';
import { objectAttributeValue, parameterValue } from './parameters';
import type { PythonParser } from './treeSitter';
import { evaluate, NameResolver, PyValue, Span, spanOf, unknown } from './values';
import { MAX_PARAMETER_DEPTH, PythonWorkspace, ResolutionBudget } from './workspace';

export interface ParsedStatement {
  readonly root: Node;
  /** Add to a node's indices to get offsets in the whole text. */
  readonly offset: number;
}

interface BindingSite {
  readonly statement: number;
  /** The assigned expression, for a plain `name = value`; absent for other kinds of binding. */
  readonly value?: Node;
  readonly offset: number;
  /** `for` loop, `import`, parameter, … (for the message when the value is not followed). */
  readonly how: string;
  /** A `for` loop's target and iterable: the variable takes each item. */
  readonly loop?: { readonly target: Node; readonly iterable: Node };
  /** A parameter of the function whose header is this statement. */
  readonly parameter?: boolean;
}

export interface ModelContext {
  /** The other files, for call sites and classes defined elsewhere. */
  readonly workspace?: PythonWorkspace;
  /** This file's path in the workspace (labels call sites, excluded from cross-file searches). */
  readonly path?: string;
}

export class SourceModel {
  readonly index: StatementIndex;
  private readonly trees: Tree[] = [];
  private readonly parsedStatements = new Map<number, ParsedStatement | null>();
  private readonly occurrenceCache = new Map<string, number[]>();
  private readonly nameCache = new Map<string, PyValue>();
  private readonly resolving = new Set<string>();
  private readonly blockEnds = new Map<number, number>();

  readonly workspace?: PythonWorkspace;
  readonly path?: string;
  readonly budget: ResolutionBudget;

  constructor(
    readonly text: string,
    private readonly python: PythonParser,
    context: ModelContext = {},
  ) {
    this.index = indexStatements(text);
    this.workspace = context.workspace;
    this.path = context.path;
    this.budget = context.workspace?.budget ?? { depth: 0 };
  }

  /** Frees every tree-sitter tree this model created; nodes from them are invalid afterwards. */
  dispose(): void {
    for (const t of this.trees) t.delete();
    this.trees.length = 0;
    this.parsedStatements.clear();
  }

  statement(i: number): Statement {
    return this.index.statements[i];
  }

  /** Parses statement `i` on its own (block headers get a stand-in body so they parse). */
  parseStatement(i: number): ParsedStatement | undefined {
    const cached = this.parsedStatements.get(i);
    if (cached !== undefined) return cached ?? undefined;
    const s = this.index.statements[i];
    let source = this.text.slice(s.start, s.end);
    if (s.header) source += '\n pass';
    const parsed = this.parseSnippet(source, s.start);
    this.parsedStatements.set(i, parsed ?? null);
    return parsed;
  }

  /** Parses any snippet whose index 0 is at `offset` in the whole text. */
  parseSnippet(source: string, offset: number): ParsedStatement | undefined {
    const tree = this.python.parser.parse(source);
    if (!tree) return undefined;
    this.trees.push(tree);
    return { root: tree.rootNode, offset };
  }

  private readonly memos = new Map<string, unknown>();

  /** A value computed once per model (resolution helpers cache their per-function work here). */
  memo<T>(key: string, compute: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = compute();
    this.memos.set(key, value);
    return value;
  }

  /** The text of the function (or module) that statement `s` belongs to. */
  scopeText(s: number): string {
    const scope = this.scopeOf(s);
    if (scope < 0) return this.text;
    return this.text.slice(this.index.statements[scope].start, this.index.statements[this.blockEnd(scope)].end);
  }

  /** Word occurrences of `word` in the text (cached). */
  occurrences(word: string): readonly number[] {
    let found = this.occurrenceCache.get(word);
    if (!found) {
      found = wordOccurrences(this.text, word);
      this.occurrenceCache.set(word, found);
    }
    return found;
  }

  /**
   * Statements of scope `scope` (a header index, or -1 for the module) in which `word` occurs
   * as a word. A function's block is searched directly, so a common word like `q` costs a scan
   * of that function only, not of the whole file.
   */
  statementsMentioningIn(word: string, scope: number): number[] {
    if (scope < 0) return this.statementsMentioning(word);
    const statements = this.index.statements;
    const last = this.blockEnd(scope);
    const result: number[] = [];
    const from = statements[scope].start;
    const to = statements[last].end;
    let at = this.text.indexOf(word, from);
    while (at >= 0 && at < to) {
      if (isWordAt(this.text, at, word.length)) {
        const st = statementAt(this.index, at);
        if (st >= 0 && result[result.length - 1] !== st) result.push(st);
      }
      at = this.text.indexOf(word, at + word.length);
    }
    return result;
  }

  /** Index of the last statement in the block of header `h` (h itself when the block is empty). */
  blockEnd(h: number): number {
    let end = this.blockEnds.get(h);
    if (end === undefined) {
      const statements = this.index.statements;
      const indent = statements[h].indent;
      end = h;
      while (end + 1 < statements.length && statements[end + 1].indent > indent) end++;
      this.blockEnds.set(h, end);
    }
    return end;
  }

  /** Statements in which `word` occurs as a word (possibly in a string or comment). */
  statementsMentioning(word: string): number[] {
    const result: number[] = [];
    for (const at of this.occurrences(word)) {
      const s = statementAt(this.index, at);
      if (s >= 0 && result[result.length - 1] !== s) result.push(s);
    }
    return result;
  }

  scopeOf(statement: number): number {
    return scopeOf(this.index, statement);
  }

  /** The statement a node of a parsed statement belongs to. */
  statementOfOffset(offset: number): number {
    return statementAt(this.index, offset);
  }

  /** A resolver for expressions in statement `statement`. */
  resolverAt(statement: number): NameResolver {
    return {
      name: (identifier, node, offset) => this.lookupName(identifier, statement, spanOf(node, offset)),
      selfAttribute: (attr, node, offset) => this.lookupSelfAttribute(attr, statement, spanOf(node, offset)),
      objectAttribute: (object, attr, node, offset) => objectAttributeValue(this, object, attr, statement, spanOf(node, offset)),
    };
  }

  evaluateIn(statement: number, node: Node, offset: number): PyValue {
    return evaluate(node, offset, this.resolverAt(statement));
  }

  // ---------------------------------------------------------------- names

  lookupName(name: string, statement: number, span: Span): PyValue {
    let scope = this.scopeOf(statement);
    let innermost = true;
    for (;;) {
      const header = scope >= 0 ? this.index.statements[scope] : undefined;
      // Functions do not see the names of an enclosing class body.
      if (header?.scopeKind === 'class' && !innermost) {
        scope = this.scopeOf(scope);
        continue;
      }
      const resolved = this.resolveInScope(name, scope, span);
      if (resolved) return resolved;
      if (scope < 0) return unknown(`${name} is not defined in this file`, span);
      scope = this.scopeOf(scope);
      innermost = false;
    }
  }

  /** `self.attr` in a method: a class attribute, else the one `self.attr = …` in the class's methods. */
  lookupSelfAttribute(attr: string, statement: number, span: Span): PyValue | undefined {
    const method = this.scopeOf(statement);
    if (method < 0 || this.index.statements[method].scopeKind !== 'def') return undefined;
    const cls = this.scopeOf(method);
    if (cls < 0 || this.index.statements[cls].scopeKind !== 'class') return undefined;
    return this.classAttribute(cls, attr, span);
  }

  /** An attribute of instances of the class `cls` (a header): class level, else `self.attr = …`. */
  classAttribute(cls: number, attr: string, span: Span): PyValue | undefined {
    const classLevel = this.resolveInScope(attr, cls, span);
    if (classLevel) return classLevel;
    const key = `self:${cls}:${attr}`;
    const cached = this.nameCache.get(key);
    if (cached) return cached;
    const sites: BindingSite[] = [];
    for (const s of this.statementsMentioningIn(attr, cls)) {
      const owner = this.scopeOf(s);
      if (owner < 0 || this.index.statements[owner].scopeKind !== 'def' || this.scopeOf(owner) !== cls) continue;
      const parsed = this.parseStatement(s);
      if (parsed) collectSelfBindings(parsed.root, attr, s, parsed.offset, sites);
    }
    if (sites.length === 0) return undefined;
    const className = this.index.statements[cls].name ?? 'the class';
    const value = this.decide(`self.${attr}`, sites, `the methods of ${className}`, span);
    this.nameCache.set(key, value);
    return value;
  }

  /** The value `name` has in `scope` if the scope binds it; undefined if it does not. */
  private resolveInScope(name: string, scope: number, span: Span): PyValue | undefined {
    const key = `${scope}:${name}`;
    const cached = this.nameCache.get(key);
    if (cached) return cached.kind === 'unknown' ? { ...cached, span } : cached;
    const sites: BindingSite[] = [];
    const header = scope >= 0 ? this.index.statements[scope] : undefined;
    if (header?.scopeKind === 'def') {
      const parsed = this.parseStatement(scope);
      const fn = parsed ? findFirst(parsed.root, 'function_definition') : undefined;
      const params = fn?.childForFieldName('parameters');
      if (params && parameterNames(params).includes(name)) {
        sites.push({ statement: scope, offset: parsed!.offset, how: `a parameter of ${header.name ?? 'the function'}()`, parameter: true });
      }
    }
    for (const s of this.statementsMentioningIn(name, scope)) {
      if (this.scopeOf(s) !== scope) continue;
      const parsed = this.parseStatement(s);
      if (parsed) collectBindings(parsed.root, name, s, parsed.offset, sites);
    }
    if (sites.length === 0) return undefined;
    const where = header ? `${header.scopeKind === 'class' ? 'class' : 'function'} ${header.name ?? ''}`.trim() : 'the module';
    const value = this.decide(name, sites, where, span);
    this.nameCache.set(key, value);
    return value;
  }

  private decide(name: string, sites: BindingSite[], where: string, span: Span): PyValue {
    if (sites.length > 1) return unknown(`${name} is bound ${sites.length} times in ${where}`, span);
    const site = sites[0];
    if (!site.value && !site.loop && !site.parameter) return unknown(`${name} is ${site.how}`, span);
    const guard = `${site.statement}:${name}`;
    if (this.resolving.has(guard)) return unknown(`${name} refers to itself`, span);
    this.resolving.add(guard);
    try {
      if (site.loop) return this.loopValue(name, site, span);
      if (site.parameter) {
        if (this.budget.depth >= MAX_PARAMETER_DEPTH) return unknown(`${name} comes through more than ${MAX_PARAMETER_DEPTH} calls`, span);
        this.budget.depth++;
        try {
          return parameterValue(this, site.statement, name, span);
        } finally {
          this.budget.depth--;
        }
      }
      return this.evaluateIn(site.statement, site.value!, site.offset);
    } finally {
      this.resolving.delete(guard);
    }
  }

  /** A `for` loop variable: one option per item of a known iterable. */
  private loopValue(name: string, site: BindingSite, span: Span): PyValue {
    const { target, iterable } = site.loop!;
    const items = iterationItems(this.evaluateIn(site.statement, iterable, site.offset));
    const path = targetPath(target, name);
    if (!items || items.length === 0 || !path) return unknown(`${name} is a loop variable over ${iterable.text.length > 40 ? `${iterable.text.slice(0, 37)}…` : iterable.text}`, span);
    return loopChoice(`for ${target.text} in ${iterable.text}`, target.text, items, path, span);
  }

  /** Physical line (0-based) of an offset. */
  lineOfOffset(offset: number): number {
    return lineOf(this.index.lineStarts, offset);
  }
}

// ------------------------------------------------------------------ binding forms

/** Node types whose inside is another scope (or a place where names are not bound for us). */
const OWN_SCOPE = new Set(['function_definition', 'class_definition', 'lambda', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

export function findFirst(root: Node, type: string): Node | undefined {
  if (root.type === type) return root;
  for (const c of root.namedChildren) {
    if (!c) continue;
    const found = findFirst(c, type);
    if (found) return found;
  }
  return undefined;
}

export function parameterNames(params: Node): string[] {
  const names: string[] = [];
  for (const p of params.namedChildren) {
    if (!p) continue;
    if (p.type === 'identifier') names.push(p.text);
    else {
      const n = p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier') ?? null;
      if (n) names.push(n.text);
    }
  }
  return names;
}

/** Whether a target pattern binds `name`. */
function targetBinds(target: Node, name: string): boolean {
  if (target.type === 'identifier') return target.text === name;
  if (target.type === 'attribute' || target.type === 'subscript') return false;
  for (const c of target.namedChildren) if (c && targetBinds(c, name)) return true;
  return false;
}

/** Every binding of `name` in one parsed statement (outside nested scopes). */
function collectBindings(node: Node, name: string, statement: number, offset: number, sites: BindingSite[]): void {
  switch (node.type) {
    case 'assignment': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left && targetBinds(left, name)) {
        // `name = value` (possibly `name: T = value`); a chained `a = name = v` has the value at the end.
        let value = right;
        while (value?.type === 'assignment') value = value.childForFieldName('right');
        const unpacked = value ? unpackedValue(left, value, name) : undefined;
        if (left.type === 'identifier' && value) sites.push({ statement, value, offset, how: 'assigned' });
        else if (unpacked) sites.push({ statement, value: unpacked, offset, how: 'assigned' });
        else if (!value && node.childForFieldName('type')) return; // a bare annotation binds nothing
        else sites.push({ statement, offset, how: 'bound by unpacking' });
      }
      if (right) collectBindings(right, name, statement, offset, sites);
      return;
    }
    case 'augmented_assignment': {
      const left = node.childForFieldName('left');
      if (left && targetBinds(left, name)) sites.push({ statement, offset, how: 'updated in place' });
      return;
    }
    case 'for_statement': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left && targetBinds(left, name)) sites.push({ statement, offset, how: 'a loop variable', ...(right ? { loop: { target: left, iterable: right } } : {}) });
      break;
    }
    case 'as_pattern_target':
      if (targetBinds(node, name)) sites.push({ statement, offset, how: 'bound by `as`' });
      return;
    case 'named_expression': {
      const n = node.childForFieldName('name');
      if (n?.text === name) sites.push({ statement, offset, how: 'bound by `:=`' });
      break;
    }
    case 'import_statement':
    case 'import_from_statement':
      for (const c of node.namedChildren) {
        if (!c || c.equals(node.childForFieldName('module_name') ?? c.parent!)) continue;
        const local = c.type === 'aliased_import' ? c.childForFieldName('alias')?.text : c.type === 'dotted_name' ? c.namedChildren[0]?.text : undefined;
        if (local === name) sites.push({ statement, offset, how: 'imported' });
      }
      return;
    case 'function_definition':
    case 'class_definition': {
      if (node.childForFieldName('name')?.text === name) sites.push({ statement, offset, how: `a ${node.type === 'class_definition' ? 'class' : 'function'}` });
      return;
    }
    case 'global_statement':
    case 'nonlocal_statement':
      return;
    default:
      if (OWN_SCOPE.has(node.type)) return;
  }
  for (const c of node.namedChildren) if (c) collectBindings(c, name, statement, offset, sites);
}

/** `B, H = 2, 4`: the element a flat unpacking of a literal tuple gives `name`. */
function unpackedValue(left: Node, value: Node, name: string): Node | undefined {
  if (!['pattern_list', 'tuple_pattern', 'list_pattern'].includes(left.type) || !['expression_list', 'tuple', 'list'].includes(value.type)) return undefined;
  const targets = left.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  const values = value.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  if (targets.length !== values.length || targets.some((t) => t.type !== 'identifier')) return undefined;
  const i = targets.findIndex((t) => t.text === name);
  return i >= 0 ? values[i] : undefined;
}

/** Every `self.attr = …` (or `self.attr += …`) in one parsed statement of a method. */
function collectSelfBindings(node: Node, attr: string, statement: number, offset: number, sites: BindingSite[]): void {
  if (node.type === 'assignment' || node.type === 'augmented_assignment') {
    const left = node.childForFieldName('left');
    const isSelfAttr = (t: Node | null): boolean =>
      t?.type === 'attribute' && t.childForFieldName('object')?.text === 'self' && t.childForFieldName('attribute')?.text === attr;
    if (left && isSelfAttr(left)) {
      let value = node.childForFieldName('right');
      while (value?.type === 'assignment') value = value.childForFieldName('right');
      if (node.type === 'assignment' && value) sites.push({ statement, value, offset, how: 'assigned' });
      else sites.push({ statement, offset, how: 'updated in place' });
    } else if (left && left.type !== 'identifier') {
      for (const c of left.namedChildren) if (c && isSelfAttr(c)) sites.push({ statement, offset, how: 'bound by unpacking' });
    }
  }
  if (OWN_SCOPE.has(node.type) && node.type !== 'function_definition') return;
  for (const c of node.namedChildren) if (c) collectSelfBindings(c, attr, statement, offset, sites);
}
