// A lint report as it crosses a thread boundary (the editor lints in a worker): structured clone
// keeps numbers (Infinity included), strings, arrays and plain objects, but refuses symbols, and
// the core marks values it could not resolve with the symbol UNKNOWN. So UNKNOWN travels as a
// tagged object and is restored on arrival; everything else is passed through unchanged.

import { UNKNOWN } from '../core/validate';
import type { LintReport } from './types';

const UNKNOWN_TAG = '$gna.unknown';
const KEEP = Symbol('keep');

function mapDeep(value: unknown, replace: (v: unknown) => unknown | typeof KEEP): unknown {
  const replaced = replace(value);
  if (replaced !== KEEP) return replaced;
  if (Array.isArray(value)) return value.map((item) => mapDeep(item, replace));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapDeep(v, replace);
    return out;
  }
  return value;
}

/** The report with every UNKNOWN replaced by a cloneable tag. */
export function toTransferable(report: LintReport): unknown {
  return mapDeep(report, (v) => (v === UNKNOWN ? { [UNKNOWN_TAG]: true } : KEEP));
}

/** The report as the linter made it, from what `toTransferable` gave. */
export function fromTransferable(data: unknown): LintReport {
  return mapDeep(data, (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) && (v as Record<string, unknown>)[UNKNOWN_TAG] === true ? UNKNOWN : KEEP)) as LintReport;
}
