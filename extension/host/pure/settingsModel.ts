// The extension's settings as one typed value, read per resource: the adapter (settings.ts) hands
// in a reader over `vscode.workspace.getConfiguration('gna', uri)`, this module checks every value
// and falls back to the default with a warning rather than letting a typo break linting.

import type { Pass } from '../../core/format';
import { GPU_FAMILIES, GpuFamily, supportedHeadDims } from '../../core/presets';
import type { LintOptions } from '../../lint/types';
import { isRuleLevel, RULE_LEVELS, type RuleLevel } from '../../core/ruleLevel';
import { compileLayoutRules, layoutFor, LayoutRule } from '../../core/layoutRules';

export { layoutFor, type LayoutRule };

export const SETTINGS_SECTION = 'gna';

export const DEFAULT_SETTINGS = {
  gpuFamily: 'hopper' as GpuFamily,
  headDim: 128,
  inlayHints: true,
  codeLens: true,
  /** Per file, in the lint worker: far above a real file's time, short enough to free the worker. */
  lintTimeBudgetMs: 5000,
  pass: 'forward' as Pass,
};

/** The largest `gna.lint.timeBudgetMs` honoured: a longer one would let one file hold the worker. */
export const MAX_LINT_TIME_BUDGET_MS = 60_000;

/** Every key this module reads, relative to the `gna` section (package.json declares the same). */
export const SETTING_KEYS = ['gpuFamily', 'headDim', 'nattenVersion', 'inputSize', 'inlayHints.enabled', 'codeLens.enabled', 'lint.timeBudgetMs', 'pass', 'rules'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];
export type SettingReader = (key: SettingKey) => unknown;

export interface HostSettings {
  /** What the linter needs; also the cache key of a lint (see `lintOptionsKey`). */
  readonly lint: LintOptions;
  /** The `gna.inputSize` pattern that gave `lint.defaultInputSize`, if any. */
  readonly layoutPattern?: string;
  readonly inlayHints: boolean;
  readonly codeLens: boolean;
  /** What the inlay hints speak of: the forward pass or the training step (`gna.pass`). */
  readonly pass: Pass;
  /** Values that were ignored, worded for the output channel. */
  readonly warnings: readonly string[];
  /** Where `lint.nattenVersion` came from (`proj/requirements.txt: natten==0.17.5`), once the project is read. */
  readonly nattenVersionSource?: string;
}

/** `relativePath`: the document's workspace-relative path (`/` separators), or its name. */
/**
 * `knownRule`: whether a code names a rule (the adapter passes the linter's catalogue; host/pure
 * does not import it), so a typo in `gna.rules` is said rather than silently ignored.
 */
export function resolveSettings(read: SettingReader, relativePath: string, knownRule: (code: string) => boolean = () => true): HostSettings {
  const warnings: string[] = [];

  let family = DEFAULT_SETTINGS.gpuFamily;
  const rawFamily = read('gpuFamily');
  if (rawFamily !== undefined) {
    if (typeof rawFamily === 'string' && (GPU_FAMILIES as readonly string[]).includes(rawFamily)) family = rawFamily as GpuFamily;
    else warnings.push(`gna.gpuFamily must be one of ${GPU_FAMILIES.join(', ')}, got ${JSON.stringify(rawFamily)}; using ${family}.`);
  }

  let headDim = DEFAULT_SETTINGS.headDim;
  const rawHeadDim = read('headDim');
  if (rawHeadDim !== undefined) {
    if (Number.isSafeInteger(rawHeadDim) && (rawHeadDim as number) > 0) headDim = rawHeadDim as number;
    else warnings.push(`gna.headDim must be a positive integer, got ${JSON.stringify(rawHeadDim)}; using ${headDim}.`);
  }
  if (!supportedHeadDims(family).includes(headDim)) {
    // Kept as given: the user may be checking a config for a future kernel; the linter then has
    // no tile preset and reports the config without a simulation.
    warnings.push(
      `gna.headDim ${headDim} has no ${family} tile preset (supported: ${supportedHeadDims(family).join(', ')}); calls are checked but not simulated.`,
    );
  }

  // Unset (the default): the project's pin decides, else the newest release (lint/projectOptions.ts).
  let nattenVersion: string | undefined;
  const rawVersion = read('nattenVersion');
  if (rawVersion !== undefined && rawVersion !== '') {
    if (typeof rawVersion === 'string' && /^\d+\.\d+(\.\d+)?$/.test(rawVersion.trim())) nattenVersion = rawVersion.trim();
    else warnings.push(`gna.nattenVersion must look like "0.21" or "0.17.5", got ${JSON.stringify(rawVersion)}; using the project's pin or the newest release.`);
  }

  let timeBudgetMs = DEFAULT_SETTINGS.lintTimeBudgetMs;
  const rawBudget = read('lint.timeBudgetMs');
  if (rawBudget !== undefined) {
    if (Number.isSafeInteger(rawBudget) && (rawBudget as number) >= 0 && (rawBudget as number) <= MAX_LINT_TIME_BUDGET_MS) timeBudgetMs = rawBudget as number;
    else warnings.push(`gna.lint.timeBudgetMs must be a whole number of milliseconds in 0..${MAX_LINT_TIME_BUDGET_MS}, got ${JSON.stringify(rawBudget)}; using ${timeBudgetMs}.`);
  }

  const layout = parseLayoutSetting(read('inputSize'));
  warnings.push(...layout.warnings);
  const rule = layoutFor(layout.rules, relativePath);

  return {
    lint: {
      ...(nattenVersion ? { nattenVersion } : {}),
      family,
      headDim,
      ...(rule ? { defaultInputSize: rule.sizes } : {}),
      timeBudgetMs,
      ...ruleLevelsOf(read('rules'), knownRule, warnings),
    },
    ...(rule ? { layoutPattern: rule.glob.pattern } : {}),
    inlayHints: readBoolean(read, 'inlayHints.enabled', DEFAULT_SETTINGS.inlayHints, warnings),
    codeLens: readBoolean(read, 'codeLens.enabled', DEFAULT_SETTINGS.codeLens, warnings),
    pass: readPass(read('pass'), warnings),
    warnings,
  };
}

/** `gna.rules`: `{ "not-block-sparse": "error", "gna/summary": "off" }`; bad entries dropped with a warning. */
function ruleLevelsOf(value: unknown, knownRule: (code: string) => boolean, warnings: string[]): { rules?: Record<string, RuleLevel> } {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    warnings.push(`gna.rules must be an object of rule: level, e.g. { "not-block-sparse": "error" }, got ${JSON.stringify(value)}; ignored.`);
    return {};
  }
  const rules: Record<string, RuleLevel> = {};
  for (const [code, level] of Object.entries(value as Record<string, unknown>)) {
    if (!knownRule(code)) warnings.push(`gna.rules: unknown rule '${code}' (the rules: docs/lint-rules.md); ignored.`);
    else if (!isRuleLevel(level)) warnings.push(`gna.rules: ${code} must be one of ${RULE_LEVELS.join(', ')}, got ${JSON.stringify(level)}; ignored.`);
    else rules[code] = level;
  }
  return Object.keys(rules).length > 0 ? { rules } : {};
}

function readPass(value: unknown, warnings: string[]): Pass {
  if (value === undefined || value === 'forward' || value === 'training') return value ?? DEFAULT_SETTINGS.pass;
  warnings.push(`gna.pass must be "forward" or "training", got ${JSON.stringify(value)}; using ${DEFAULT_SETTINGS.pass}.`);
  return DEFAULT_SETTINGS.pass;
}

function readBoolean(read: SettingReader, key: SettingKey, fallback: boolean, warnings: string[]): boolean {
  const value = read(key);
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  warnings.push(`gna.${key} must be true or false, got ${JSON.stringify(value)}; using ${fallback}.`);
  return fallback;
}

/**
 * The last few `gna.inputSize` values, compiled: settings are resolved for every lint, and a
 * pattern is compiled once per value the setting takes, not once per lint.
 */
const compiledLayouts = new Map<string, { rules: LayoutRule[]; warnings: string[] }>();
const COMPILED_LAYOUTS_KEPT = 16;

/** `gna.inputSize`: `{ "<glob>": [30, 48, 80], … }`; bad entries are dropped with a warning. */
export function parseLayoutSetting(value: unknown): { rules: LayoutRule[]; warnings: string[] } {
  let key: string;
  try {
    key = JSON.stringify(value) ?? 'undefined';
  } catch {
    return compileLayoutRules(value, 'gna.inputSize');
  }
  let parsed = compiledLayouts.get(key);
  if (!parsed) {
    parsed = compileLayoutRules(value, 'gna.inputSize');
    if (compiledLayouts.size >= COMPILED_LAYOUTS_KEPT) compiledLayouts.delete(compiledLayouts.keys().next().value as string);
    compiledLayouts.set(key, parsed);
  }
  return parsed;
}

/** Two lints with equal keys give equal reports for the same text. */
export function lintOptionsKey(options: LintOptions): string {
  return JSON.stringify([options.nattenVersion, options.family, options.headDim, options.defaultInputSize, options.timeBudgetMs, options.select, options.ignore, options.rules]);
}
