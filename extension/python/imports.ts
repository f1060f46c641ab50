// Which local names refer to NATTEN, under any import form: `import natten`, `import
// natten.functional as F`, `from natten import functional as F`, `from natten.functional import
// na2d as attn`, `from natten import *`, … Imports are collected from the whole file (also those
// inside functions, a common lazy-import idiom); the linter does not track where they are visible.

import type { Node } from 'web-tree-sitter';
import type { SourceModel } from './source';

export interface NattenImports {
  /** Local name → the dotted NATTEN path it stands for (`F` → `natten.functional`). */
  readonly aliases: ReadonlyMap<string, string>;
  /** A `from natten… import *` was seen: NATTEN names may be used unqualified. */
  readonly star: boolean;
}

export function collectImports(model: SourceModel): NattenImports {
  const aliases = new Map<string, string>();
  let star = false;
  for (const s of model.statementsMentioning('natten')) {
    const word = model.statement(s).firstWord;
    if (word !== 'import' && word !== 'from') continue;
    const parsed = model.parseStatement(s);
    if (!parsed) continue;
    for (const node of parsed.root.namedChildren) {
      if (!node) continue;
      if (node.type === 'import_statement') {
        for (const c of node.namedChildren) {
          if (!c) continue;
          if (c.type === 'dotted_name' && isNatten(c.text)) {
            // `import natten.functional` binds `natten`.
            aliases.set(c.namedChildren[0]?.text ?? 'natten', 'natten');
          } else if (c.type === 'aliased_import') {
            const path = dotted(c.childForFieldName('name'));
            const alias = c.childForFieldName('alias')?.text;
            if (path && alias && isNatten(path)) aliases.set(alias, path);
          }
        }
      } else if (node.type === 'import_from_statement') {
        const module = dotted(node.childForFieldName('module_name'));
        if (!module || !isNatten(module)) continue;
        for (const c of node.namedChildren) {
          if (!c || c.equals(node.childForFieldName('module_name') ?? c.parent!)) continue;
          if (c.type === 'wildcard_import') star = true;
          else if (c.type === 'dotted_name') aliases.set(c.text, `${module}.${c.text}`);
          else if (c.type === 'aliased_import') {
            const name = dotted(c.childForFieldName('name'));
            const alias = c.childForFieldName('alias')?.text;
            if (name && alias) aliases.set(alias, `${module}.${name}`);
          }
        }
      }
    }
  }
  collectLazyModules(model, aliases);
  collectStoredOps(model, aliases, star);
  return { aliases, star };
}

/**
 * NATTEN reached through a module object imported at run time: `_natten =
 * OptionalImport("natten")`, `F = importlib.import_module("natten.functional")`, `self.natten =
 * try_import("natten")` (any callee with "import" in its name and the module as first argument).
 */
function collectLazyModules(model: SourceModel, aliases: Map<string, string>): void {
  for (const s of model.statementsMentioning('natten')) {
    const st = model.statement(s);
    if (st.firstWord === 'import' || st.firstWord === 'from') continue;
    const text = model.text.slice(st.start, st.end);
    const m = /^((?:self\.)?[A-Za-z_]\w*)\s*(?::[^=]*)?=\s*[\w.]*import\w*\s*\(\s*(['"])(natten(?:\.\w+)*)\2/i.exec(text);
    if (m) aliases.set(m[1], m[3]);
  }
}

/**
 * An op kept in a variable or attribute and called through it: `self.qk = natten2dqkrpb`,
 * `attn_fn = natten.functional.na2d`. Recorded as aliases (`self.qk` → the op's path).
 */
function collectStoredOps(model: SourceModel, aliases: Map<string, string>, star: boolean): void {
  const names = [...aliases.keys()].filter((k) => !k.startsWith('self.'));
  for (const name of names) {
    for (const s of model.statementsMentioning(name)) {
      const st = model.statement(s);
      if (st.firstWord === 'import' || st.firstWord === 'from' || st.header) continue;
      const m = /^((?:self\.)?[A-Za-z_]\w*)\s*=\s*([A-Za-z_][\w.]*)\s*$/.exec(model.text.slice(st.start, st.end));
      if (!m || m[1] === name) continue;
      const parts = m[2].split('.');
      const base = aliases.get(parts[0]);
      if (base && !aliases.has(m[1])) aliases.set(m[1], [base, ...parts.slice(1)].join('.'));
    }
  }
  void star;
}

function isNatten(path: string): boolean {
  return path === 'natten' || path.startsWith('natten.');
}

function dotted(node: Node | null): string | undefined {
  if (!node || node.type !== 'dotted_name') return undefined;
  return node.namedChildren.map((c) => c?.text ?? '').join('.');
}

/**
 * The NATTEN path a callee expression stands for (`natten.functional.na2d`), following the
 * import aliases of its first name; undefined when it is not NATTEN or not a plain name chain.
 */
export function calleePath(fn: Node, imports: NattenImports, starNames: ReadonlySet<string>): string | undefined {
  const parts: string[] = [];
  let n: Node | null = fn;
  while (n && n.type === 'attribute') {
    const attr = n.childForFieldName('attribute');
    if (!attr) return undefined;
    parts.unshift(attr.text);
    n = n.childForFieldName('object');
  }
  if (!n || n.type !== 'identifier') return undefined;
  // `self.qk(…)` where `self.qk = natten2dqkrpb` (see collectStoredOps).
  if (n.text === 'self' && parts.length > 0 && imports.aliases.has(`self.${parts[0]}`)) {
    return [imports.aliases.get(`self.${parts[0]}`)!, ...parts.slice(1)].join('.');
  }
  const base = imports.aliases.get(n.text) ?? (imports.star && starNames.has(n.text) && parts.length === 0 ? `natten.${n.text}` : undefined);
  if (!base) return undefined;
  return [base, ...parts].join('.');
}
