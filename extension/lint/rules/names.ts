// Removed NATTEN names that are not calls of an op: `from natten import use_fused_na`,
// `natten.context.use_autotuner(...)`, `import natten.flex`, `_natten.has_fused_na()` through a
// lazily imported module object. Each is an ImportError or AttributeError under the configured
// release unless a version guard keeps it from running; the message names the release that
// removed it and the replacement.

import type { Node } from 'web-tree-sitter';
import { guardedAt } from '../../python/guards';
import { calleePath, NattenImports } from '../../python/imports';
import { formatVersion, Version } from '../../python/nattenApi';
import { removedNameAt } from '../../python/nattenNames';
import type { SourceModel } from '../../python/source';
import { ruleInfo } from '../rules';
import type { Finding } from '../types';

const NO_STAR: ReadonlySet<string> = new Set();

export function checkRemovedNames(model: SourceModel, imports: NattenImports, version: Version, versionText: string): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<number>();
  const report = (s: number, path: string, start: number, end: number, how: 'import' | 'use') => {
    const removed = removedNameAt(path, version);
    if (!removed || seen.has(start) || guardedAt(model, s, version)) return;
    seen.add(start);
    const { name } = removed;
    const message =
      `${removed.path} was removed in NATTEN ${formatVersion(name.removed)} (it existed from ${formatVersion(name.introduced)}); ` +
      `${how === 'import' ? 'importing it fails' : 'this raises AttributeError'} under NATTEN ${versionText}. Use ${name.replacement}.`;
    findings.push({ rule: 'gna/removed-api', severity: ruleInfo('gna/removed-api').severity, message, range: { start, end }, fixes: [] });
  };
  const words = new Set<string>(['natten', ...[...imports.aliases.keys()].map((k) => (k.startsWith('self.') ? k.slice(5) : k))]);
  const statements = new Set<number>();
  for (const w of words) for (const s of model.statementsMentioning(w)) statements.add(s);
  for (const s of [...statements].sort((a, b) => a - b)) {
    // Only imports and attribute uses (`natten.x`, `_natten.x`) can name a removed non-op name.
    const st = model.statement(s);
    const text = model.text.slice(st.start, st.end);
    if (st.firstWord !== 'import' && st.firstWord !== 'from' && !/\bimport\b/.test(text) && ![...words].some((w) => text.includes(`${w}.`))) continue;
    const parsed = model.parseStatement(s);
    if (!parsed) continue;
    const visit = (n: Node) => {
      if (n.type === 'import_statement' || n.type === 'import_from_statement') {
        // A removed module (`from natten.flex import …`) is the one finding of its statement.
        for (const [path, node] of importedPaths(n)) {
          if (!removedNameAt(path, version)) continue;
          report(s, path, node.startIndex + parsed.offset, node.endIndex + parsed.offset, 'import');
          if (node.equals(n.childForFieldName('module_name') ?? node.parent!)) break;
        }
        return;
      }
      if (n.type === 'attribute') {
        const path = calleePath(n, imports, NO_STAR);
        if (path && removedNameAt(path, version)) {
          report(s, path, n.startIndex + parsed.offset, n.endIndex + parsed.offset, 'use');
          return;
        }
      }
      for (const c of n.namedChildren) if (c) visit(c);
    };
    visit(parsed.root);
  }
  return findings;
}

/** The NATTEN paths an import statement names, each with the node to point at. */
function importedPaths(n: Node): [string, Node][] {
  const out: [string, Node][] = [];
  const dotted = (x: Node | null) => (x?.type === 'dotted_name' ? x.namedChildren.map((c) => c?.text ?? '').join('.') : undefined);
  if (n.type === 'import_statement') {
    for (const c of n.namedChildren) {
      if (!c) continue;
      const path = c.type === 'aliased_import' ? dotted(c.childForFieldName('name')) : dotted(c);
      if (path?.startsWith('natten')) out.push([path, c]);
    }
    return out;
  }
  const module = dotted(n.childForFieldName('module_name'));
  if (!module || !(module === 'natten' || module.startsWith('natten.'))) return out;
  const moduleNode = n.childForFieldName('module_name')!;
  out.push([module, moduleNode]);
  for (const c of n.namedChildren) {
    if (!c || c.equals(moduleNode)) continue;
    const name = c.type === 'aliased_import' ? dotted(c.childForFieldName('name')) : dotted(c);
    if (name) out.push([`${module}.${name}`, c]);
  }
  return out;
}
