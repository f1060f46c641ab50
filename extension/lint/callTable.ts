// One row per NATTEN call site, from the linter's reports: each mask argument's values (all of
// them when the call is checked once per config) or why it is unknown, the token layout and its
// source, and the simulated numbers. `gna calls` prints these rows; the inlay hint words the same
// values (`4 configs (7×7, dilation 1–8), simulated speedup 2.10–9.80×`). Pure: no Node, no `vscode`, no zod (the
// editor's pure modules import it too).

import { formatSparsityRange, formatSpeedupRange } from '../core/format';
import { formatTuple } from '../core/problem';
import { formatPythonBools } from '../core/format';
import { UNKNOWN } from '../core/validate';
import type { CallReport, SourceRange } from './types';

export const TABLE_PARAMS = ['kernel_size', 'stride', 'dilation', 'is_causal'] as const;
export type TableParam = (typeof TABLE_PARAMS)[number];

const RAW_FIELD: Record<TableParam, 'windowSize' | 'stride' | 'dilation' | 'causal'> = {
  kernel_size: 'windowSize',
  stride: 'stride',
  dilation: 'dilation',
  is_causal: 'causal',
};

const DEFAULTS: Record<TableParam, unknown> = { kernel_size: undefined, stride: 1, dilation: 1, is_causal: false };

export interface ArgumentValues {
  readonly resolved: boolean;
  /** Each distinct value the argument takes over the call's configs (the default where left out). */
  readonly values: readonly unknown[];
  /** Why it is not resolved (or, with `values`, that some configs are not). */
  readonly reason?: string;
  /** Left out of the call: NATTEN's default applies. */
  readonly defaulted?: boolean;
  /** Given by the call's `# gna:` annotation (the code leaves it unknown). */
  readonly annotated?: boolean;
}

export interface CallRow {
  readonly op: string;
  readonly range: SourceRange;
  /** How many configs the call is checked as (1, or one per value combination). */
  readonly configs: number;
  readonly args: Readonly<Record<TableParam, ArgumentValues>>;
  readonly layout: { readonly values: readonly (readonly number[])[]; readonly source: CallReport['layoutSource'] };
  /** For a call whose configs come from a traced run: its calls over them, and whether the file changed since. */
  readonly traced?: { readonly calls: number; readonly stale: boolean };
  /** Simulated speedup and sparsity over the configs that could be simulated. */
  readonly simulated?: { readonly count: number; readonly speedup: readonly [number, number]; readonly sparsity: readonly [number, number]; readonly blockSparse: number };
}

/** Plain JSON for a raw argument value (UNKNOWN entries become null). */
function plain(v: unknown): unknown {
  if (v === UNKNOWN) return null;
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object' && v !== null) return String(v);
  return v;
}

function hasUnknown(v: unknown): boolean {
  return v === UNKNOWN || (Array.isArray(v) && v.some(hasUnknown));
}

function distinct(values: unknown[]): unknown[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = JSON.stringify(v);
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

function argumentValues(group: readonly CallReport[], param: TableParam): ArgumentValues {
  const raws = group.map((c) => c.raw[RAW_FIELD[param]]);
  const reason = group.map((c) => c.unresolved?.[param]).find((r) => r !== undefined);
  const known = raws.filter((r) => !hasUnknown(r));
  const defaulted = raws.every((r) => r === undefined) && group.every((c) => !c.argumentRanges[param]);
  const values = distinct(known.map((r) => plain(r === undefined ? DEFAULTS[param] : r)).filter((v) => v !== undefined));
  const resolved = known.length === raws.length && values.length > 0;
  return {
    resolved,
    values,
    ...(resolved ? {} : { reason: reason ?? (values.length === 0 && param === 'kernel_size' ? 'not given' : 'not known statically') }),
    ...(defaulted && resolved ? { defaulted: true } : {}),
    ...(group.some((c) => c.annotated?.includes(param)) ? { annotated: true } : {}),
  };
}

/** The report's calls grouped by source range: a group holds a call's variants (its configs). */
export function groupByRange(calls: readonly CallReport[]): CallReport[][] {
  const groups = new Map<string, CallReport[]>();
  for (const call of calls) {
    const key = `${call.range.start}:${call.range.end}`;
    const group = groups.get(key);
    if (group) group.push(call);
    else groups.set(key, [call]);
  }
  return [...groups.values()];
}

/** The rows of one file's calls, one per source range. */
export function callRows(calls: readonly CallReport[]): CallRow[] {
  return groupByRange(calls).map((group) => {
    const args = Object.fromEntries(TABLE_PARAMS.map((p) => [p, argumentValues(group, p)])) as Record<TableParam, ArgumentValues>;
    const layouts = distinct(group.map((c) => c.raw.inputSize).filter((v) => Array.isArray(v) && !hasUnknown(v))) as number[][];
    const sims = group.filter((c) => c.simulation).map((c) => c.simulation!);
    const row: CallRow = {
      op: group[0].op,
      range: group[0].range,
      configs: group.length,
      args,
      layout: { values: layouts, source: group[0].layoutSource },
      ...(group[0].traced ? { traced: { calls: group.reduce((n, c) => n + (c.traced?.count ?? 0), 0), stale: group[0].traced.stale } } : {}),
      ...(sims.length > 0
        ? {
            simulated: {
              count: sims.length,
              speedup: [Math.min(...sims.map((s) => s.simulated)), Math.max(...sims.map((s) => s.simulated))],
              sparsity: [Math.min(...sims.map((s) => s.sparsity)), Math.max(...sims.map((s) => s.sparsity))],
              blockSparse: sims.filter((s) => s.blockSparse).length,
            },
          }
        : {}),
    };
    return row;
  });
}

/** `7×7`, `3–9` (several scalars), `7×7 | 5×5`: an argument's values in a few characters. */
export function describeValues(values: readonly unknown[]): string {
  const scalars = values.every((v) => typeof v === 'number');
  if (scalars && values.length > 2) {
    const n = values as number[];
    return `${Math.min(...n)}–${Math.max(...n)}`;
  }
  // Booleans (is_causal) as Python writes them: `False`, `(True, False)`.
  const one = (v: unknown) =>
    typeof v === 'boolean' || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'boolean'))
      ? formatPythonBools(v as boolean | boolean[])
      : Array.isArray(v)
        ? formatTuple(v.map((x) => (x === null ? NaN : (x as number | boolean))))
        : String(v);
  const shown = values.slice(0, 3).map(one).join(' | ');
  return values.length > 3 ? `${shown} | …` : shown;
}

/** The arguments of a call's configs in a few words: `7×7, dilation 1–8, causal`. */
export function configValues(row: CallRow): string {
  const parts: string[] = [];
  const ks = row.args.kernel_size;
  if (ks.values.length > 0) parts.push(describeValues(ks.values));
  for (const p of ['stride', 'dilation'] as const) {
    const a = row.args[p];
    if (a.values.length > 0 && !a.defaulted && !(a.values.length === 1 && a.values[0] === 1)) parts.push(`${p} ${describeValues(a.values)}`);
  }
  if (row.args.is_causal.values.some((v) => v === true || (Array.isArray(v) && v.includes(true)))) parts.push('causal');
  return parts.join(', ');
}

/** A row where it is and with the NATTEN release it was checked against: what `gna calls` and the editor's calls list show. */
export type LocatedCallRow = Pick<CallRow, 'op' | 'configs' | 'args' | 'layout' | 'simulated' | 'traced'> & {
  readonly file: string;
  readonly line: number;
  readonly nattenVersion: { readonly version: string; readonly source: string };
};

export const TABLE_HEADER: readonly string[] = ['call', 'op', 'configs', ...TABLE_PARAMS, 'layout', 'NATTEN', 'simulated'];

function cell(a: ArgumentValues): string {
  if (!a.resolved) return a.values.length > 0 ? `${describeValues(a.values)} ?` : '?';
  return a.defaulted ? `${describeValues(a.values)} (default)` : a.annotated ? `${describeValues(a.values)} (annotation)` : describeValues(a.values);
}

/** The row's cells, in `TABLE_HEADER`'s order. */
export function tableCells(r: LocatedCallRow): string[] {
  return [
    `${r.file}:${r.line}`,
    r.op,
    String(r.configs),
    ...TABLE_PARAMS.map((p) => cell(r.args[p])),
    r.layout.values.length > 0 ? `${describeValues(r.layout.values)} (${r.traced ? `traced ×${r.traced.calls}${r.traced.stale ? ', stale' : ''}` : r.layout.source})` : '?',
    r.nattenVersion.version,
    r.simulated
      ? `${formatSpeedupRange(r.simulated.speedup[0], r.simulated.speedup[1])}, ${formatSparsityRange(r.simulated.sparsity[0], r.simulated.sparsity[1])}`
      : '',
  ];
}

/** What follows the table: the count and the NATTEN releases, then why each unresolved argument is. */
export function tableFooter(rows: readonly LocatedCallRow[]): { summary: string; unresolved: string[] } {
  const unresolved: string[] = [];
  for (const r of rows) {
    for (const p of TABLE_PARAMS) {
      const a = r.args[p];
      if (!a.resolved && a.reason) unresolved.push(`${r.file}:${r.line} ${p}: ${a.reason}`);
    }
  }
  const versions = new Set(rows.map((r) => `${r.nattenVersion.version} from ${r.nattenVersion.source}`));
  return { summary: `${rows.length} call site${rows.length === 1 ? '' : 's'}; NATTEN ${[...versions].join('; ')}.`, unresolved };
}
