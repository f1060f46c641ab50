// The one set of GNA argument checks (GNA-SPEC §1), worded like NATTEN's own errors: name the
// parameter, echo the values. Used by the linter, hovers, the webview, the CLI and the native
// wrapper. It never throws; every problem is reported at once.

import { GnaProblem, Rank } from './problem';

/** A value the caller could not resolve (a variable the scanner cannot follow). */
export const UNKNOWN: unique symbol = Symbol('unknown');
export type Unknown = typeof UNKNOWN;

/** Loosely typed input: scalars or tuples, possibly with unknown entries. */
export interface RawProblem {
  /** Rank imposed by the op (`na2d` → 2); otherwise taken from the tuples. */
  readonly rank?: number;
  /** Token layout; `undefined` when not known (checks that need it are skipped). */
  readonly inputSize?: unknown;
  /** `undefined` means "not given" (an error: NATTEN requires it). */
  readonly windowSize?: unknown;
  /** `undefined` means the default, 1. */
  readonly stride?: unknown;
  /** `undefined` means the default, 1. */
  readonly dilation?: unknown;
  /** `undefined` means the default, false. */
  readonly causal?: unknown;
}

export type Parameter = 'input_size' | 'kernel_size' | 'stride' | 'dilation' | 'is_causal';

/** A problem's fields, each with the NATTEN parameter it is, in NATTEN's order. */
export const PROBLEM_PARAMETERS: readonly { readonly field: 'inputSize' | 'windowSize' | 'stride' | 'dilation' | 'causal'; readonly parameter: Parameter }[] = [
  { field: 'inputSize', parameter: 'input_size' },
  { field: 'windowSize', parameter: 'kernel_size' },
  { field: 'stride', parameter: 'stride' },
  { field: 'dilation', parameter: 'dilation' },
  { field: 'causal', parameter: 'is_causal' },
];

export type IssueCode =
  | 'rank'
  | 'tuple-length'
  | 'not-integer'
  | 'not-boolean'
  | 'missing'
  | 'input-too-small'
  | 'window-too-small'
  | 'stride-too-small'
  | 'dilation-too-small'
  | 'stride-exceeds-window'
  | 'window-exceeds-input'
  | 'too-large';

export interface ProblemIssue {
  readonly code: IssueCode;
  /** The argument the message is about (where an editor should put the squiggle). */
  readonly parameter: Parameter;
  /** Offending axes, when the issue is about particular entries of a tuple. */
  readonly axes?: readonly number[];
  readonly message: string;
}

export interface CheckResult {
  /** Set only when every value is known and valid. */
  readonly problem?: GnaProblem;
  readonly rank?: Rank;
  readonly issues: readonly ProblemIssue[];
  /** Parameters whose value (or an entry of it) is unknown, so some checks were skipped. */
  readonly unknown: readonly Parameter[];
}

/** Layouts beyond this many tokens are refused: N² must stay exact in a double. */
export const MAX_TOKENS = 2 ** 26;

type Entry<T> = T | Unknown;

interface Normalized<T> {
  entries?: Entry<T>[];
  hasUnknown: boolean;
}

export function checkProblem(raw: RawProblem): CheckResult {
  const issues: ProblemIssue[] = [];
  const unknown = new Set<Parameter>();

  const rank = inferRank(raw, issues);
  if (rank === undefined) {
    return { issues, unknown: [] };
  }

  const input = normalize<number>('input_size', raw.inputSize, rank, 'int', undefined, issues);
  const window = normalize<number>('kernel_size', raw.windowSize, rank, 'int', undefined, issues);
  const stride = normalize<number>('stride', raw.stride, rank, 'int', 1, issues);
  const dilation = normalize<number>('dilation', raw.dilation, rank, 'int', 1, issues);
  const causal = normalize<boolean>('is_causal', raw.causal, rank, 'bool', false, issues);
  const all: [Parameter, Normalized<unknown>][] = [
    ['input_size', input],
    ['kernel_size', window],
    ['stride', stride],
    ['dilation', dilation],
    ['is_causal', causal],
  ];
  for (const [name, norm] of all) if (norm.hasUnknown || (name === 'input_size' && raw.inputSize === undefined)) unknown.add(name);

  const n = input.entries;
  const k = window.entries;
  const s = stride.entries;
  const d = dilation.entries;
  if (raw.windowSize === undefined) {
    issues.push({ code: 'missing', parameter: 'kernel_size', message: 'kernel_size is required.' });
  }

  axisRule(issues, 'input-too-small', 'input_size', n, (x) => x < 1, (v) =>
    `Token layout must have at least one token per axis, got input size=${v}.`);
  axisRule(issues, 'window-too-small', 'kernel_size', k, (x) => x < 2, (v) =>
    `kernel_size must be >= 2 on every axis, got kernel_size=${v}.`);
  axisRule(issues, 'stride-too-small', 'stride', s, (x) => x < 1, (v) =>
    `stride must be >= 1 on every axis, got stride=${v}.`);
  axisRule(issues, 'dilation-too-small', 'dilation', d, (x) => x < 1, (v) =>
    `dilation must be >= 1 on every axis, got dilation=${v}.`);

  const strideOver = offendingAxes(rank, (i) => known(s, i) > known(k, i));
  if (strideOver.length > 0) {
    issues.push({
      code: 'stride-exceeds-window',
      parameter: 'stride',
      axes: strideOver,
      message:
        `stride must be <= kernel_size on every axis, got stride=${show(s)}, kernel_size=${show(k)}` +
        ` (${strideOver.map((i) => `axis ${i}: ${known(s, i)} > ${known(k, i)}`).join('; ')}).`,
    });
  }

  const windowOver = offendingAxes(rank, (i) => known(k, i) * known(d, i) > known(n, i));
  if (windowOver.length > 0) {
    issues.push({
      code: 'window-exceeds-input',
      parameter: 'kernel_size',
      axes: windowOver,
      message:
        `kernel_size * dilation must be <= input size on every axis, got kernel_size=${show(k)}, ` +
        `dilation=${show(d)}, input size=${show(n)} (` +
        windowOver
          .map((i) => `axis ${i}: ${known(k, i)} * ${known(d, i)} = ${known(k, i) * known(d, i)} > ${known(n, i)}`)
          .join('; ') +
        ').',
    });
  }

  if (n && n.every(isKnown)) {
    const tokens = (n as number[]).reduce((a, b) => a * b, 1);
    if (tokens > MAX_TOKENS) {
      issues.push({
        code: 'too-large',
        parameter: 'input_size',
        message: `The token layout ${show(n)} has ${tokens} tokens; GNA Studio models at most ${MAX_TOKENS} (2^26).`,
      });
    }
  }

  const complete = [n, k, s, d, causal.entries].every((e) => e !== undefined && e.every(isKnown));
  const problem: GnaProblem | undefined =
    issues.length === 0 && complete
      ? {
          inputSize: n as number[],
          windowSize: k as number[],
          stride: s as number[],
          dilation: d as number[],
          causal: causal.entries as boolean[],
        }
      : undefined;
  return { problem, rank, issues, unknown: [...unknown] };
}

/** Convenience for callers that need a problem or a single error text (CLI, addon wrapper). */
export function problemOrIssues(raw: RawProblem): { problem: GnaProblem } | { issues: readonly ProblemIssue[] } {
  const result = checkProblem(raw);
  if (result.problem) return { problem: result.problem };
  const issues = [...result.issues];
  for (const p of result.unknown) {
    issues.push({ code: 'missing', parameter: p, message: `${p} is not known.` });
  }
  return { issues };
}

function inferRank(raw: RawProblem, issues: ProblemIssue[]): Rank | undefined {
  let rank = raw.rank;
  if (rank === undefined) {
    for (const v of [raw.inputSize, raw.windowSize, raw.stride, raw.dilation, raw.causal]) {
      if (Array.isArray(v)) {
        rank = v.length;
        break;
      }
    }
  }
  if (rank === undefined) {
    issues.push({
      code: 'rank',
      parameter: 'input_size',
      message: 'Cannot tell the rank: give the token layout or a tuple for kernel_size.',
    });
    return undefined;
  }
  if (rank !== 1 && rank !== 2 && rank !== 3) {
    issues.push({
      code: 'rank',
      parameter: Array.isArray(raw.inputSize) ? 'input_size' : 'kernel_size',
      message: `Neighborhood attention supports 1-D, 2-D and 3-D token layouts, got a ${rank}-D one.`,
    });
    return undefined;
  }
  return rank;
}

function normalize<T = number>(
  name: Parameter,
  value: unknown,
  rank: Rank,
  kind: 'int' | 'bool',
  fallback: T | undefined,
  issues: ProblemIssue[],
): Normalized<T> {
  if (value === undefined) {
    return fallback === undefined ? { hasUnknown: false } : { entries: new Array(rank).fill(fallback), hasUnknown: false };
  }
  if (value === UNKNOWN) return { entries: new Array(rank).fill(UNKNOWN), hasUnknown: true };
  let list: unknown[];
  if (Array.isArray(value)) {
    if (value.length !== rank) {
      issues.push({
        code: 'tuple-length',
        parameter: name,
        message: `${name} has ${value.length} ${value.length === 1 ? 'entry' : 'entries'} but the op is ${rank}-D: expected ${
          rank === 1 ? 'an integer or a 1-tuple' : `a ${rank}-tuple`
        }, got ${name}=${show(value)}.`,
      });
      return { hasUnknown: value.includes(UNKNOWN) };
    }
    list = value;
  } else {
    list = new Array(rank).fill(value);
  }
  const bad = list.filter((v) => v !== UNKNOWN && (kind === 'int' ? !Number.isSafeInteger(v) : typeof v !== 'boolean'));
  if (bad.length > 0) {
    issues.push(
      kind === 'int'
        ? { code: 'not-integer', parameter: name, message: `${name} must be an integer or a tuple of integers, got ${name}=${show(value)}.` }
        : { code: 'not-boolean', parameter: name, message: `${name} must be a boolean or a tuple of booleans, got ${name}=${show(value)}.` },
    );
    return { hasUnknown: list.includes(UNKNOWN) };
  }
  return { entries: list as Entry<T>[], hasUnknown: list.includes(UNKNOWN) };
}

function isKnown<T>(v: Entry<T>): v is T {
  return v !== UNKNOWN;
}

/** The entry if known; NaN otherwise, so comparisons with it are false and the rule is skipped. */
function known(entries: Entry<number>[] | undefined, i: number): number {
  const v = entries?.[i];
  return v === undefined || v === UNKNOWN ? NaN : v;
}

function offendingAxes(rank: number, bad: (i: number) => boolean): number[] {
  const axes: number[] = [];
  for (let i = 0; i < rank; i++) if (bad(i)) axes.push(i);
  return axes;
}

function axisRule(
  issues: ProblemIssue[],
  code: IssueCode,
  parameter: Parameter,
  entries: Entry<number>[] | undefined,
  bad: (x: number) => boolean,
  message: (shown: string) => string,
): void {
  if (!entries) return;
  const axes = offendingAxes(entries.length, (i) => bad(known(entries, i)));
  if (axes.length > 0) issues.push({ code, parameter, axes, message: message(show(entries)) });
}

/** Python-like echo of a value: `(7, 7)`, `3`, `True`, `?` for unknown. */
export function show(value: unknown): string {
  if (value === UNKNOWN) return '?';
  if (value === undefined) return '?';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) {
    const inner = value.map(show).join(', ');
    return value.length === 1 ? `(${inner},)` : `(${inner})`;
  }
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

export interface TileIssue {
  readonly parameter: 'q_tile_shape' | 'kv_tile_shape';
  readonly message: string;
}

/**
 * Tile shapes for multi-dimensional tiling need one positive integer per axis; single-dimensional
 * tiling takes a token count (a 1-tuple, or a box whose product is used).
 */
export function checkTiles(q: unknown, kv: unknown, rank: number, tiling: 'multi' | 'single'): TileIssue[] {
  const issues: TileIssue[] = [];
  for (const [parameter, value] of [
    ['q_tile_shape', q],
    ['kv_tile_shape', kv],
  ] as const) {
    const list = Array.isArray(value) ? value : [value];
    if (!list.every((v) => Number.isSafeInteger(v) && (v as number) >= 1)) {
      issues.push({ parameter, message: `${parameter} must hold positive integers, got ${parameter}=${show(value)}.` });
    } else if (tiling === 'multi' && list.length !== rank) {
      issues.push({
        parameter,
        message: `${parameter} must have ${rank} ${rank === 1 ? 'entry' : 'entries'} for a ${rank}-D problem, got ${parameter}=${show(value)}.`,
      });
    }
  }
  return issues;
}
