// Traced configs for the calls of one text: each entry of a `gna trace` run (core/trace.ts) is
// given to the scanned call whose lines hold its line and whose op it names. A call traced with
// several configs is reported once per config, like a call configured from a dict.

import { formatTuple } from '../core/problem';
import { FileTrace, groupTracedConfigs, TracedConfig } from '../core/trace';
import type { TracedCall } from '../core/traceSchema';
import type { ScannedCall } from '../python/scanner';
import { lineOf } from '../python/statements';

/** What a report says about the run that supplied its config. */
export interface TracedSummary {
  readonly count: number;
  readonly batches: readonly number[];
  readonly heads: readonly number[];
  readonly dtypes: readonly string[];
  readonly devices: readonly string[];
  readonly headDim: number;
  /** The file changed after the trace: the config is what ran then, the code may differ now. */
  readonly stale: boolean;
  readonly tracedAt: string;
}

export interface TracedVariant {
  readonly config: TracedConfig;
  /** `traced 56×56` (with the window etc. when two configs share a layout). */
  readonly label: string;
  readonly summary: TracedSummary;
}

/**
 * The traced calls with their lines in the current text. Unchanged files keep the traced lines;
 * in a changed one an entry whose recorded source line is no longer on its line moves to the
 * nearest line that reads the same, and is dropped when there is none.
 */
export function placeTracedCalls(trace: FileTrace, text: string): TracedCall[] {
  if (!trace.stale) return [...trace.calls];
  const lines = text.split(/\r\n|\r|\n/).map((l) => l.trim());
  const placed: TracedCall[] = [];
  for (const c of trace.calls) {
    if (c.code === undefined || lines[c.line - 1] === c.code) {
      placed.push(c);
      continue;
    }
    let found: number | undefined;
    for (let d = 1; d < lines.length && found === undefined; d++) {
      if (lines[c.line - 1 - d] === c.code) found = c.line - d;
      else if (lines[c.line - 1 + d] === c.code) found = c.line + d;
    }
    if (found !== undefined) placed.push({ ...c, line: found });
  }
  return placed;
}

/** The traced configs of one scanned call, or none. */
export function tracedVariantsOf(call: ScannedCall, placed: readonly TracedCall[], lineStarts: readonly number[], trace: FileTrace): TracedVariant[] {
  const first = lineOf(lineStarts, call.span.start) + 1;
  const last = lineOf(lineStarts, Math.max(call.span.start, call.span.end - 1)) + 1;
  const mine = placed.filter((c) => c.op === call.op.name && c.line >= first && c.line <= last);
  if (mine.length === 0) return [];
  const configs = groupTracedConfigs(mine);
  const layouts = configs.map((c) => formatTuple(c.layout));
  return configs.map((config, i) => {
    const shared = layouts.filter((l) => l === layouts[i]).length > 1;
    const detail = shared ? `, window ${formatTuple(config.kernelSize)}, stride ${formatTuple(config.stride)}, dilation ${formatTuple(config.dilation)}, head dim ${config.headDim}` : '';
    return {
      config,
      label: `traced ${layouts[i]}${detail}${trace.stale ? ' (stale)' : ''}`,
      summary: {
        count: config.count,
        batches: config.batches,
        heads: config.heads,
        dtypes: config.dtypes,
        devices: config.devices,
        headDim: config.headDim,
        stale: trace.stale,
        tracedAt: trace.tracedAt,
      },
    };
  });
}
