// Which findings a user asked not to see: rule selection (`select` / `ignore`, from CLI flags,
// `[tool.gna]` or the editor) and suppression comments on a call's line:
//
//   y = na2d(q, k, v, kernel_size=7)  # gna: ignore[not-block-sparse, summary]
//   y = na2d(q, k, v, kernel_size=7)  # gna: ignore
//
// Levels (`rules`: off / info / warning / error per rule) then set each kept finding's severity.
//
// A comment suppresses the findings of every call that has a line in common with it (all rules
// when bare). Rule codes are the ids of docs/lint-rules.md, with or without the `gna/` prefix.

import { indexStatements, lineOf, StatementIndex } from '../python/statements';
import { RULES, ruleId } from './rules';
import { isRuleLevel } from './types';
import type { CallReport, Finding, RuleLevel, SourceRange } from './types';

const SUPPRESSION = /^#\s*gna\s*:\s*ignore\b\s*(?:\[([^\]]*)\])?\s*$/;

export { ruleId };

/** The rule ids closest to a mistyped code, for "did you mean". */
export function closestRules(code: string): string[] {
  return nearest(code.trim().toLowerCase().replace(/^gna\//, ''), [...RULES.keys()].map((id) => id.slice(4))).map((id) => `gna/${id}`);
}

/** The candidates nearest to `word`, if near enough to be a typo (a third of its length, at least 2). */
export function nearest(word: string, candidates: readonly string[]): string[] {
  if (candidates.length === 0) return [];
  const scored = candidates.map((c) => ({ c, d: editDistance(word, c) }));
  const best = Math.min(...scored.map((s) => s.d));
  return best <= Math.max(2, Math.floor(word.length / 3)) ? scored.filter((s) => s.d === best).map((s) => s.c) : [];
}

/** Levenshtein distance (small strings: flags, rule codes). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[b.length];
}

export interface RuleSelection {
  /** Rules to report (all when absent); ids with or without `gna/`. */
  readonly select?: readonly string[];
  readonly ignore?: readonly string[];
  /** A level per rule over its default severity; ids with or without `gna/`. */
  readonly rules?: Readonly<Record<string, RuleLevel>>;
}

/** The level a selection gives a rule, if it names one (the last spelling of an id wins). */
export function ruleLevel(rule: string, selection: RuleSelection): RuleLevel | undefined {
  let level: RuleLevel | undefined;
  for (const [code, l] of Object.entries(selection.rules ?? {})) if (ruleId(code) === rule && isRuleLevel(l)) level = l;
  return level;
}

/**
 * Whether a rule is reported under a selection (unknown codes in it select nothing): named by
 * `select` when there is one, not named by `ignore`, not set `off`; a rule that is off by default
 * (`gna/unresolved`) only when `select` names it or `rules` gives it a level.
 */
export function ruleSelected(rule: string, selection: RuleSelection): boolean {
  const ids = (codes: readonly string[] | undefined) => new Set((codes ?? []).map(ruleId));
  const selected = selection.select !== undefined && ids(selection.select).has(rule);
  if (selection.select !== undefined && !selected) return false;
  if (ids(selection.ignore).has(rule)) return false;
  const level = ruleLevel(rule, selection);
  if (level === 'off') return false;
  return !RULES.get(rule)?.defaultOff || selected || level !== undefined;
}

/** The finding with the severity its rule's level gives (the user's word, errors included). */
function withLevel(finding: Finding, selection: RuleSelection): Finding {
  const level = ruleLevel(finding.rule, selection);
  return level === undefined || level === 'off' || level === finding.severity ? finding : { ...finding, severity: level };
}

interface Suppression {
  readonly line: number;
  /** Rule ids; undefined: every rule. */
  readonly rules?: ReadonlySet<string>;
  readonly range: SourceRange;
  readonly unknown: readonly string[];
}

/** The `# gna: ignore[…]` comments of a text. */
function suppressionsIn(text: string, index: StatementIndex): Suppression[] {
  const out: Suppression[] = [];
  for (const c of index.comments) {
    const m = SUPPRESSION.exec(text.slice(c.start, c.end));
    if (!m) continue;
    const codes = m[1] === undefined ? undefined : m[1].split(',').map((s) => s.trim()).filter((s) => s !== '');
    const known = codes?.map(ruleId).filter((id): id is string => id !== undefined);
    out.push({
      line: c.line,
      ...(known ? { rules: new Set(known) } : {}),
      range: { start: c.start, end: c.end },
      unknown: codes?.filter((code) => ruleId(code) === undefined) ?? [],
    });
  }
  return out;
}

/**
 * The findings left after the selection and the text's suppression comments; a suppression naming
 * an unknown rule is reported (as `gna/bad-annotation`) so a typo does not silently suppress nothing.
 */
export function filterFindings(text: string, calls: readonly CallReport[], findings: readonly Finding[], selection: RuleSelection): Finding[] {
  return suppressed(text, calls, findings, selection).map((f) => withLevel(f, selection));
}

function suppressed(text: string, calls: readonly CallReport[], findings: readonly Finding[], selection: RuleSelection): Finding[] {
  const kept = findings.filter((f) => ruleSelected(f.rule, selection));
  if (!/gna\s*:\s*ignore/.test(text)) return kept;
  const index = indexStatements(text);
  const suppressions = suppressionsIn(text, index);
  const lineStarts = index.lineStarts;
  const byLine = new Map(suppressions.map((s) => [s.line, s]));
  const linesOf = (r: SourceRange): number[] => {
    const first = lineOf(lineStarts, r.start);
    const last = lineOf(lineStarts, Math.max(r.start, r.end - 1));
    return Array.from({ length: last - first + 1 }, (_, i) => first + i);
  };
  const out = kept.filter((f) => {
    const call = f.callIndex !== undefined ? calls[f.callIndex] : undefined;
    return !linesOf(call ? call.range : f.range).some((line) => {
      const s = byLine.get(line);
      return s !== undefined && (s.rules === undefined || s.rules.has(f.rule));
    });
  });
  for (const s of suppressions) {
    for (const code of s.unknown) {
      const near = closestRules(code);
      const finding: Finding = {
        rule: 'gna/bad-annotation',
        severity: 'warning',
        message: `Unknown rule '${code}' in \`# gna: ignore[…]\`${near.length ? `: did you mean ${near.join(' or ')}?` : '; the rules are listed in docs/lint-rules.md.'}`,
        range: s.range,
        fixes: [],
      };
      if (ruleSelected(finding.rule, selection)) out.push(finding);
    }
  }
  return out;
}
