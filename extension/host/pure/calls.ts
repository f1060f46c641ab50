// Finding the call under the cursor, and the self-contained description of a config that the
// hover links and code lenses pass to the preview and benchmark commands. Command arguments come
// back from markdown links and lenses as plain JSON, so they are checked again on arrival with
// the core's one set of NATTEN checks.

import type { GnaProblem, TileShape } from '../../core/problem';
import { checkProblem, checkTiles } from '../../core/validate';
import type { CallReport, LintReport } from '../../lint/types';

/** The innermost call whose source range holds `offset` (ends inclusive, so a cursor right after `)` counts). */
export function callAt(report: LintReport, offset: number): CallReport | undefined {
  let best: CallReport | undefined;
  for (const call of report.calls) {
    const { start, end } = call.range;
    if (offset < start || offset > end) continue;
    if (!best || end - start < best.range.end - best.range.start) best = call;
  }
  return best;
}

/**
 * Every call reported for the innermost source range holding `offset`: one call, or one per
 * variant when the call takes its config from a dict (`**GNA_LAYERS[name]`), in report order.
 */
export function callsAt(report: LintReport, offset: number): CallReport[] {
  const innermost = callAt(report, offset);
  return innermost ? report.calls.filter((c) => sameRange(c, innermost)) : [];
}

/** The report's calls grouped by source range (one definition, shared with `gna calls`). */
export { groupByRange } from '../../lint/callTable';

function sameRange(a: CallReport, b: CallReport): boolean {
  return a.range.start === b.range.start && a.range.end === b.range.end;
}

/** What `gna.previewMask` and `gna.benchmarkConfig` receive. */
export interface CallTarget {
  /** The document, as `Uri.toString()`, and the call's start offset in it (for messages and reveal). */
  readonly uri: string;
  readonly offset: number;
  readonly op: string;
  /** The dict entry the config came from, for calls reported once per variant. */
  readonly variant?: string;
  readonly problem: GnaProblem;
  readonly tiles?: TileShape;
  /** What a traced run called it with: the benchmark starts from these rather than its last values. */
  readonly traced?: TracedWorkload;
}

export interface TracedWorkload {
  readonly batch: number;
  readonly heads: number;
  readonly headDim: number;
  /** `float16`, `bfloat16`, `float32`, … as the run's tensors had it. */
  readonly dtype?: string;
}

/** The largest traced batch and head count (the costliest calls), the run's head dim and dtype. */
function tracedWorkload(call: CallReport): TracedWorkload | undefined {
  const t = call.traced;
  if (!t || t.batches.length === 0 || t.heads.length === 0) return undefined;
  return { batch: Math.max(...t.batches), heads: Math.max(...t.heads), headDim: t.headDim, ...(t.dtypes[0] ? { dtype: t.dtypes[0] } : {}) };
}

/** A target for calls whose config is complete and valid; undefined otherwise. */
export function callTarget(uri: string, call: CallReport): CallTarget | undefined {
  const problem = call.check.problem;
  if (!problem) return undefined;
  return {
    uri,
    offset: call.range.start,
    op: call.op,
    ...(call.variant !== undefined ? { variant: call.variant } : {}),
    problem,
    ...(call.tiles ? { tiles: call.tiles } : {}),
    ...(tracedWorkload(call) ? { traced: tracedWorkload(call)! } : {}),
  };
}

/** Where a call is, without its config: what the lens of a call whose config is not fully known passes. */
export type CallRef = Pick<CallTarget, 'uri' | 'offset' | 'op' | 'variant'>;

export function callRef(uri: string, call: CallReport): CallRef {
  return { uri, offset: call.range.start, op: call.op, ...(call.variant !== undefined ? { variant: call.variant } : {}) };
}

/** Checks a command argument's reference to a call (its config, if any, is not looked at). */
export function parseCallRef(value: unknown): CallRef | string {
  if (typeof value !== 'object' || value === null) return 'No GNA call was given.';
  const v = value as Record<string, unknown>;
  if (typeof v.uri !== 'string' || typeof v.op !== 'string' || !Number.isSafeInteger(v.offset)) {
    return 'The GNA call reference is malformed (uri, op and offset are required).';
  }
  if (v.variant !== undefined && typeof v.variant !== 'string') return 'The GNA call reference is malformed (variant must be text).';
  return { uri: v.uri, offset: v.offset as number, op: v.op, ...(typeof v.variant === 'string' ? { variant: v.variant } : {}) };
}

/** Checks a command argument; returns the target or a sentence saying what is wrong. */
export function parseCallTarget(value: unknown): CallTarget | string {
  const ref = parseCallRef(value);
  if (typeof ref === 'string') return ref;
  const v = value as Record<string, unknown>;
  const p = (v.problem ?? {}) as Record<string, unknown>;
  const check = checkProblem({
    inputSize: p.inputSize,
    windowSize: p.windowSize,
    stride: p.stride,
    dilation: p.dilation,
    causal: p.causal,
  });
  if (!check.problem) {
    const reasons = check.issues.map((i) => i.message).concat(check.unknown.map((u) => `${u} is not known.`));
    return `The GNA config is not valid: ${reasons.join(' ')}`;
  }
  let tiles: TileShape | undefined;
  if (v.tiles !== undefined) {
    const t = v.tiles as Record<string, unknown>;
    const issues = checkTiles(t?.q, t?.kv, check.problem.inputSize.length, 'multi');
    if (issues.length > 0) return `The tile shapes are not valid: ${issues.map((i) => i.message).join(' ')}`;
    tiles = { q: t.q as number[], kv: t.kv as number[] };
  }
  return {
    ...ref,
    problem: check.problem,
    ...(tiles ? { tiles } : {}),
    ...(parseTracedWorkload(v.traced) ? { traced: parseTracedWorkload(v.traced)! } : {}),
  };
}

/** A link's traced workload, if it is one (anything else is dropped: the benchmark asks instead). */
function parseTracedWorkload(value: unknown): TracedWorkload | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const t = value as Record<string, unknown>;
  const count = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 1 && (x as number) <= 2 ** 31 - 1;
  if (!count(t.batch) || !count(t.heads) || !count(t.headDim)) return undefined;
  const dtype = typeof t.dtype === 'string' && t.dtype.length <= 40 ? t.dtype : undefined;
  return { batch: t.batch as number, heads: t.heads as number, headDim: t.headDim as number, ...(dtype ? { dtype } : {}) };
}

/** `command:` link for markdown; the arguments travel URI-encoded as a JSON array. */
export function commandUri(command: string, ...args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}
