// Version guards: code that runs only under some NATTEN releases. A removed name inside
// `if hasattr(natten, "use_fused_na"):`, inside a `try:` whose `except` catches ImportError or
// AttributeError, or inside `if natten_version < (0, 20):` under 0.21 is not a breakage: the
// branch does not run (or its failure is caught). Pure text checks over the block headers above
// a statement; nothing is evaluated.

import { availability, compareVersions, OPS, parseVersion, Version } from './nattenApi';
import { NATTEN_NAMES } from './nattenNames';
import type { SourceModel } from './source';

const CAUGHT = /^except\s*(?::|\(?[^:]*\b(ImportError|ModuleNotFoundError|AttributeError|Exception|BaseException)\b)/;

/** A version literal in a guard: `(0, 20)`, `"0.20.1"`, `version.parse("0.20")`. */
function guardVersion(text: string): { op: string; version: Version } | undefined {
  const m = /(<=|>=|<|>)\s*(?:[\w.]+\(\s*)?(?:\(\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)|["'](\d+\.\d+(?:\.\d+)?)["'])/.exec(text);
  if (!m) return undefined;
  const version = m[5] !== undefined ? parseVersion(m[5]) : ([Number(m[2]), Number(m[3]), Number(m[4] ?? 0)] as Version);
  return version ? { op: m[1], version } : undefined;
}

/** Whether `hasattr(natten…, "name")` holds at `version`; undefined for names the catalogue lacks. */
function hasName(name: string, version: Version): boolean | undefined {
  const op = OPS.get(name);
  if (op) return availability(op, version) !== 'not-yet' && availability(op, version) !== 'removed';
  const n = NATTEN_NAMES.get(name);
  if (n) return compareVersions(version, n.introduced) >= 0 && compareVersions(version, n.removed) < 0;
  return undefined;
}

/** Whether the branch of an `if`/`elif` header runs under `version`; undefined when it is no guard. */
function ifRuns(text: string, version: Version): boolean | undefined {
  const has = /\bhasattr\s*\(\s*[\w.]+\s*,\s*["'](\w+)["']\s*\)/.exec(text);
  if (has) {
    const exists = hasName(has[1], version);
    if (exists === undefined) return undefined;
    return /\bnot\s+hasattr/.test(text) ? !exists : exists;
  }
  if (/version/i.test(text)) {
    const g = guardVersion(text);
    if (!g) return undefined;
    const c = compareVersions(version, g.version);
    // `if v < X:` runs only below X; `if v >= X:` only from X.
    return g.op === '<' ? c < 0 : g.op === '<=' ? c <= 0 : g.op === '>' ? c > 0 : c >= 0;
  }
  return undefined;
}

/** Why statement `s` does not run (or its failure is caught) under `version`; undefined when it runs. */
export function guardedAt(model: SourceModel, s: number, version: Version): string | undefined {
  for (let h = model.statement(s).parent; h >= 0; h = model.statement(h).parent) {
    const st = model.statement(h);
    const text = model.text.slice(st.start, st.end);
    if (st.firstWord === 'if' || st.firstWord === 'elif') {
      if (/\bhasattr\s*\(/.test(text) && ifRuns(text, version) !== true) return 'a hasattr() guard';
      if (ifRuns(text, version) === false) return `a version guard (${text.replace(/:\s*$/, '')})`;
    }
    if (st.firstWord === 'else') {
      // The else of a guard runs only where the guard's branch does not.
      for (let p = h - 1; p >= 0; p--) {
        const prev = model.statement(p);
        if (prev.indent > st.indent) continue;
        if (prev.indent < st.indent || (prev.firstWord !== 'if' && prev.firstWord !== 'elif')) break;
        if (ifRuns(model.text.slice(prev.start, prev.end), version) === true) return 'the else branch of a guard that holds';
        break;
      }
    }
    if (st.firstWord === 'try') {
      // The except clauses follow the try block at the same indentation.
      for (let e = model.blockEnd(h) + 1; e < model.index.statements.length; e = model.blockEnd(e) + 1) {
        const ex = model.statement(e);
        if (ex.indent !== st.indent || !['except', 'else', 'finally'].includes(ex.firstWord)) break;
        if (CAUGHT.test(model.text.slice(ex.start, ex.end))) return 'a try/except that catches the failure';
      }
    }
  }
  return undefined;
}
