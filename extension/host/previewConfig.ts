// The config of a linted call as the preview page (and the benchmark flow) takes it: every value
// the call gives spelled out per axis, with tiles, and the values it does not give listed as
// missing, with why. Nothing is guessed: a value the linter cannot follow stays absent.
// Pure (no `vscode`), tested in plain Node.

import { defaultTiles } from '../core/presets';
import type { Parameter } from '../core/validate';
import { axisValues } from '../lint/edits';
import type { CallReport } from '../lint/types';
import { missingMessage, MissingValue, PROBLEM_FIELDS } from '../../webview/model/prefill';
import type { PartialConfigMessage, PreviewSource } from '../../webview/protocol/preview';

export interface CallConfig {
  /** The call's values; absent where not known. Values of the wrong length are kept as written. */
  readonly config: PartialConfigMessage;
  /** The absent values, in NATTEN's parameter order, each with why it is not known. */
  readonly missing: readonly MissingValue[];
}

/** The call's config as far as it is known, tiles from the linter (or the family's default). */
export function configOfCall(call: CallReport, family: Parameters<typeof defaultTiles>[0], headDim: number): CallConfig {
  const tiles = call.tiles ?? defaultTiles(family, call.rank, headDim) ?? { q: new Array(call.rank).fill(8), kv: new Array(call.rank).fill(8) };
  const values: Record<string, (number | boolean)[]> = {};
  for (const { field, parameter } of PROBLEM_FIELDS) {
    const v = axisValues(call, parameter);
    if (v) values[field] = v;
  }
  const missing = missingOfCall(call).map((parameter) => ({ parameter, reason: whyMissing(call, parameter) }));
  // The page's checks report values of the wrong length or kind in NATTEN's words.
  return { config: { ...(values as Partial<PartialConfigMessage>), qTile: [...tiles.q], kvTile: [...tiles.kv] }, missing };
}

/** The values the call does not give (nor its annotation, the settings or a trace), in NATTEN's order. */
export function missingOfCall(call: CallReport): Parameter[] {
  return PROBLEM_FIELDS.filter(({ parameter }) => !axisValues(call, parameter)).map((f) => f.parameter);
}

function whyMissing(call: CallReport, parameter: Parameter): string {
  const field = PROBLEM_FIELDS.find((f) => f.parameter === parameter)!.field;
  const raw: unknown = call.raw[field];
  // A tuple with some axes known says which, so the user enters only what the code leaves open.
  const item = (v: unknown) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : typeof v === 'number' ? String(v) : '?');
  const someAxes = Array.isArray(raw) && raw.some((v) => item(v) !== '?') ? `the code gives (${raw.map(item).join(', ')}); ` : '';
  if (parameter === 'input_size') return `${someAxes}the token layout is known only at run time: add \`# gna: input_size=(…)\` above the call, set gna.inputSize, or trace a run`;
  const why = call.unresolved?.[parameter];
  if (why) return `${someAxes}${why}`;
  if (parameter === 'kernel_size' && call.raw.windowSize === undefined) return 'the call does not give kernel_size (NATTEN requires it)';
  return `${parameter} is not known from the code`;
}

/** What a `show` is of, in words, for the preview command's answer. */
export function describeShow(show: { source: PreviewSource; missing?: readonly MissingValue[] } | undefined): string {
  const source = show?.source;
  if (!source) return 'no call';
  if (source.kind === 'free') return `no call: ${source.reason}`;
  const missing = show.missing ?? [];
  return `${source.op} at ${source.label}${missing.length > 0 ? ` (${missingMessage(missing.map((m) => m.parameter))})` : ''}`;
}
