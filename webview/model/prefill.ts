// A call's config as far as it is known: the values the call gives (from the code, its `# gna:`
// annotation, the settings or a trace) are kept, the others are absent and the preview asks for
// them. Nothing is drawn until every value is known, and a picture drawn with values the user
// entered says so. Pure (no DOM), shared by the host (what it sends) and the page (its form).

import type { PartialGnaConfig } from '../../extension/core/schema';
import { Parameter, PROBLEM_PARAMETERS } from '../../extension/core/validate';
import type { PreviewConfig } from './config';

/** A config whose problem values may be absent (tiles are always known: the family's presets). */
export type PartialConfig = PartialGnaConfig;

/** The problem values of a config, by field, with the NATTEN parameter each one is. */
export type ProblemField = (typeof PROBLEM_PARAMETERS)[number]['field'];
export const PROBLEM_FIELDS = PROBLEM_PARAMETERS;

/** A value the call does not give, and why (the linter's words). */
export interface MissingValue {
  readonly parameter: Parameter;
  readonly reason: string;
}

/** The NATTEN parameters whose values are absent, in the order NATTEN lists them. */
export function missingParameters(config: PartialConfig): Parameter[] {
  return PROBLEM_FIELDS.filter((f) => config[f.field] === undefined).map((f) => f.parameter);
}

/** The config when every value is known (the same object), else undefined. */
export function completeConfig(config: PartialConfig): PreviewConfig | undefined {
  return missingParameters(config).length === 0 ? (config as PreviewConfig) : undefined;
}

/** The number of axes the config is for: its layout's, else its tiles' (the op's rank). */
export function rankOf(config: PartialConfig): number {
  return config.inputSize?.length ?? config.qTile.length;
}

function sameValues(a: readonly (number | boolean)[] | undefined, b: readonly (number | boolean)[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export function samePartial(a: PartialConfig, b: PartialConfig): boolean {
  return PROBLEM_FIELDS.every(({ field }) => sameValues(a[field], b[field])) && sameValues(a.qTile, b.qTile) && sameValues(a.kvTile, b.kvTile);
}

/** Python text of a per-axis value: `7` when every axis agrees, `(56, 28)`, `(True, False)`. */
export function valueText(values: readonly (number | boolean)[]): string {
  const item = (v: number | boolean) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));
  if (values.length > 0 && values.every((v) => v === values[0])) return item(values[0]);
  return `(${values.map(item).join(', ')})`;
}

/** The fields `fields` gives that `call` does not: what the user entered. */
export function enteredFields(call: PartialConfig, fields: PartialConfig): Partial<PartialConfig> {
  return Object.fromEntries(PROBLEM_FIELDS.filter(({ field }) => call[field] === undefined && fields[field] !== undefined).map(({ field }) => [field, fields[field]]));
}

/** The values `fields` gives that `call` does not: what the user entered, as `parameter=value`. */
export function enteredValues(call: PartialConfig, fields: PartialConfig): { readonly parameter: Parameter; readonly text: string }[] {
  return PROBLEM_FIELDS.filter(({ field }) => call[field] === undefined && fields[field] !== undefined).map(({ field, parameter }) => ({
    parameter,
    text: valueText(fields[field]!),
  }));
}

/** `kernel_size`, `kernel_size and input_size`, `kernel_size, stride and input_size`. */
export function listWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** What the page says while values are missing: `enter kernel_size and input_size to draw this call`. */
export function missingMessage(missing: readonly Parameter[]): string {
  return `enter ${listWords(missing)} to draw this call`;
}
