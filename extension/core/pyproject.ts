// `[tool.gna]` in pyproject.toml: a project's GNA Studio settings, read by the CLI and the editor
// alike (the caller finds the nearest pyproject.toml and hands over its text; this parses it):
//
//   [tool.gna]
//   natten-version = "0.17.5"     # the NATTEN release the code targets
//   arch = "hopper"               # hopper | blackwell | ampere: tile presets
//   head-dim = 64
//   select = ["gna/stride-exceeds-window", "not-block-sparse"]   # default: every rule
//   ignore = ["summary"]
//
//   [tool.gna.input-size]        # token layouts for calls without `# gna: input_size=…`
//   "**/video_*.py" = [30, 48, 80]
//
//   [tool.gna.rules]             # a level per rule: off | info | warning | error
//   not-block-sparse = "error"
//   "gna/summary" = "off"
//
// Keys may use `_` for `-`. Bad values are dropped with a problem each (worded for a terminal or an
// output channel); rule codes are checked by the linter's users, who know the rules.
import { parse } from 'smol-toml';
import { compileLayoutRules, LayoutRule } from './layoutRules';
import { GPU_FAMILIES, GpuFamily } from './presets';
import { isRuleLevel, RULE_LEVELS, RuleLevel } from './ruleLevel';

export interface ProjectConfig {
  readonly nattenVersion?: string;
  readonly family?: GpuFamily;
  readonly headDim?: number;
  readonly inputSize: readonly LayoutRule[];
  readonly select?: readonly string[];
  readonly ignore?: readonly string[];
  /** Rule code → level, as written (codes are checked by the linter's users). */
  readonly rules?: Readonly<Record<string, RuleLevel>>;
}

export interface ParsedPyproject {
  /** Absent when the file has no `[tool.gna]` table (the search for a nearer one goes on). */
  readonly config?: ProjectConfig;
  readonly problems: readonly string[];
  /**
   * The project's own requirements on NATTEN, as written: PEP 621 `dependencies` and
   * `optional-dependencies` entries naming natten, and Poetry's `natten = "…"` or `{ version = "…" }`
   * (main and group tables). python/projectVersion.ts reads the release from them.
   */
  readonly nattenRequirements: readonly string[];
}

const KEYS = ['natten-version', 'arch', 'head-dim', 'input-size', 'select', 'ignore', 'rules'] as const;

/** Parses a pyproject.toml's text; never throws. */
export function parsePyproject(text: string): ParsedPyproject {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    // A broken file that mentions the table is reported; one that does not is not ours to judge.
    const ours = /^\s*\[\s*tool\s*\.\s*gna\s*[\].]/m.test(text);
    return ours ? { config: { inputSize: [] }, problems: [`not valid TOML: ${firstLine(e)}`], nattenRequirements: [] } : { problems: [], nattenRequirements: [] };
  }
  const nattenRequirements = requirementsOnNatten(doc);
  const tool = doc.tool;
  const table = isTable(tool) ? tool.gna : undefined;
  if (table === undefined) return { problems: [], nattenRequirements };
  if (!isTable(table)) return { config: { inputSize: [] }, problems: ['[tool.gna] must be a table'], nattenRequirements };
  const problems: string[] = [];
  const values = new Map<string, unknown>();
  for (const [rawKey, value] of Object.entries(table)) {
    const key = rawKey.replace(/_/g, '-');
    if ((KEYS as readonly string[]).includes(key)) values.set(key, value);
    else problems.push(`[tool.gna] has no key '${rawKey}' (known: ${KEYS.join(', ')})`);
  }
  const config: { -readonly [K in keyof ProjectConfig]: ProjectConfig[K] } = { inputSize: [] };
  const version = values.get('natten-version');
  if (version !== undefined) {
    if (typeof version === 'string' && /^v?\d+\.\d+(\.\d+)?$/.test(version.trim())) config.nattenVersion = version.trim().replace(/^v/, '');
    else problems.push(`[tool.gna] natten-version must be a release like "0.21" or "0.17.5", got ${show(version)}`);
  }
  const arch = values.get('arch');
  if (arch !== undefined) {
    if (typeof arch === 'string' && (GPU_FAMILIES as readonly string[]).includes(arch)) config.family = arch as GpuFamily;
    else problems.push(`[tool.gna] arch must be one of ${GPU_FAMILIES.join(', ')}, got ${show(arch)}`);
  }
  const headDim = values.get('head-dim');
  if (headDim !== undefined) {
    const n = typeof headDim === 'bigint' ? Number(headDim) : headDim;
    if (typeof n === 'number' && Number.isSafeInteger(n) && n > 0) config.headDim = n;
    else problems.push(`[tool.gna] head-dim must be a positive integer, got ${show(headDim)}`);
  }
  for (const key of ['select', 'ignore'] as const) {
    const codes = values.get(key);
    if (codes === undefined) continue;
    if (Array.isArray(codes) && codes.every((c) => typeof c === 'string')) config[key] = codes as string[];
    else problems.push(`[tool.gna] ${key} must be a list of rule codes, e.g. ["not-block-sparse"], got ${show(codes)}`);
  }
  const levels = values.get('rules');
  if (levels !== undefined) {
    if (!isTable(levels)) problems.push(`[tool.gna.rules] must be a table of rule = level, e.g. not-block-sparse = "error", got ${show(levels)}`);
    else {
      const rules: Record<string, RuleLevel> = {};
      for (const [code, level] of Object.entries(levels)) {
        if (isRuleLevel(level)) rules[code] = level;
        else problems.push(`[tool.gna.rules] ${code} must be one of ${RULE_LEVELS.join(', ')}, got ${show(level)}`);
      }
      config.rules = rules;
    }
  }
  const layouts = values.get('input-size');
  if (layouts !== undefined) {
    const plain = isTable(layouts)
      ? Object.fromEntries(Object.entries(layouts).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => (typeof x === 'bigint' ? Number(x) : x)) : v]))
      : layouts;
    const compiled = compileLayoutRules(plain, '[tool.gna.input-size]');
    config.inputSize = compiled.rules;
    for (const w of compiled.warnings) problems.push(w.replace(/\.$/, ''));
  }
  return { config, problems, nattenRequirements };
}

/** PEP 508 strings naming natten (`natten==0.17.5`, `natten[cu121]>=0.17; …`): the part after the name. */
const PEP508_NATTEN = /^\s*natten\s*(?:\[[^\]]*\])?\s*([^;]*)/i;

function requirementsOnNatten(doc: Record<string, unknown>): string[] {
  const found: string[] = [];
  const pep508 = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const entry of list) {
      const m = typeof entry === 'string' ? PEP508_NATTEN.exec(entry) : null;
      if (m && m[1].trim() !== '') found.push(m[1].trim());
    }
  };
  const poetry = (deps: unknown) => {
    const natten = isTable(deps) ? deps.natten : undefined;
    const spec = typeof natten === 'string' ? natten : isTable(natten) && typeof natten.version === 'string' ? natten.version : undefined;
    if (spec) found.push(spec);
  };
  const project = doc.project;
  if (isTable(project)) {
    pep508(project.dependencies);
    if (isTable(project['optional-dependencies'])) for (const list of Object.values(project['optional-dependencies'])) pep508(list);
  }
  const tool = doc.tool;
  const tables = isTable(tool) && isTable(tool.poetry) ? tool.poetry : undefined;
  if (tables) {
    poetry(tables.dependencies);
    if (isTable(tables.group)) for (const group of Object.values(tables.group)) if (isTable(group)) poetry(group.dependencies);
  }
  return found;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}
