// Token layouts keyed by file pattern, `{ "**/video_*.py": [30, 48, 80], … }`: the editor's
// `gna.inputSize` setting and `[tool.gna.input-size]` in pyproject.toml. Bad entries are dropped
// with a warning that names where they came from; the most specific matching pattern wins.
import { compileGlob, Glob, GlobError } from './glob';

export interface LayoutRule {
  readonly glob: Glob;
  readonly sizes: readonly number[];
}

/** `source` names the setting or table in warnings (`gna.inputSize`, `[tool.gna.input-size]`). */
export function compileLayoutRules(value: unknown, source: string): { rules: LayoutRule[]; warnings: string[] } {
  const rules: LayoutRule[] = [];
  const warnings: string[] = [];
  if (value === undefined || value === null) return { rules, warnings };
  if (typeof value !== 'object' || Array.isArray(value)) {
    warnings.push(`${source} must map file patterns to token layouts, e.g. { "**/video_*.py": [30, 48, 80] }; got ${JSON.stringify(value)}.`);
    return { rules, warnings };
  }
  for (const [pattern, sizes] of Object.entries(value as Record<string, unknown>)) {
    const valid =
      Array.isArray(sizes) && sizes.length >= 1 && sizes.length <= 3 && sizes.every((n) => Number.isSafeInteger(n) && n >= 1);
    if (!valid || pattern.trim() === '') {
      warnings.push(`${source}: "${pattern}" must map to 1 to 3 positive integers, e.g. [30, 48, 80]; got ${JSON.stringify(sizes)}.`);
      continue;
    }
    let glob: Glob;
    try {
      glob = compileGlob(pattern);
    } catch (e) {
      if (!(e instanceof GlobError)) throw e;
      warnings.push(`${source}: "${pattern.slice(0, 200)}" is not a valid file pattern (${e.message}); it is ignored.`);
      continue;
    }
    rules.push({ glob, sizes: sizes as number[] });
  }
  return { rules, warnings };
}

/** The most specific matching pattern wins (most literal characters); ties go to the first written. */
export function layoutFor(rules: readonly LayoutRule[], relativePath: string): LayoutRule | undefined {
  let best: LayoutRule | undefined;
  for (const rule of rules) {
    if (rule.glob.matches(relativePath) && (!best || rule.glob.specificity > best.glob.specificity)) best = rule;
  }
  return best;
}
