// zod schemas of what `gna trace` records: the part file each traced Python process writes at
// exit (python/gna_trace/_record.py), and the merged trace (`.gna/trace.json`) that the CLI, the
// linter and the editor read. Shape checks only; a traced config that NATTEN would have refused
// still reads, and the linter's checks say what is wrong with it.

import { z } from 'zod';
import { TRACE_FORMAT, TRACE_PART_FORMAT, TRACE_VERSION } from './traceFormat';

const Count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const Positive = z.number().int().min(1).max(2 ** 31 - 1);
const Text = (max: number) => z.string().max(max);
const PerAxis = z.array(Positive).min(1).max(3);

export const TracedTilesSchema = z.object({
  qTileShape: PerAxis.optional(),
  kvTileShape: PerAxis.optional(),
  backwardQTileShape: PerAxis.optional(),
  backwardKvTileShape: PerAxis.optional(),
});

/** Where a call came from: the user's file (relative to the trace's root when inside it) and line. */
const SiteShape = {
  file: Text(4096).min(1),
  line: Positive,
  /** The source line at trace time, stripped (finds the call again once lines have moved). */
  code: Text(200).optional(),
  /** NATTEN's name of what was called: `na2d`, `NeighborhoodAttention2D`, `natten2dqkrpb`, … */
  op: Text(100).min(1),
  count: Positive,
};

/** One call site and config, with how many times it was called (a module: where it was built). */
export const TracedCallSchema = z
  .object({
    ...SiteShape,
    layout: PerAxis,
    batch: Positive,
    heads: Positive,
    headDim: Positive,
    dtype: Text(40).optional(),
    device: Text(80).optional(),
    kernelSize: PerAxis,
    stride: PerAxis,
    dilation: PerAxis,
    isCausal: z.array(z.boolean()).min(1).max(3),
    tiles: TracedTilesSchema.optional(),
    backend: Text(80).optional(),
  })
  .superRefine((c, ctx) => {
    for (const key of ['kernelSize', 'stride', 'dilation', 'isCausal'] as const) {
      if (c[key].length !== c.layout.length) {
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} has ${c[key].length} entries for a ${c.layout.length}-D layout` });
      }
    }
  });
export type TracedCall = z.infer<typeof TracedCallSchema>;

/** A call whose tensor had no usable `.shape`: counted, not simulated. */
export const UnreadCallSchema = z.object(SiteShape);
export type UnreadCall = z.infer<typeof UnreadCallSchema>;

/** The content of a traced file when the trace was made (stale once it differs). */
export const TracedFileSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mtime: z.number().nonnegative().optional(),
});

const MAX_CALLS = 100_000;

/** What one traced process writes ($GNA_TRACE_PARTS/part-<pid>-<time>.json); paths absolute. */
export const TracePartSchema = z.object({
  format: z.literal(TRACE_PART_FORMAT),
  version: z.literal(TRACE_VERSION),
  pid: Count,
  startedAt: z.number().nonnegative(),
  finishedAt: z.number().nonnegative(),
  cwd: Text(4096),
  argv: z.array(Text(4096)).max(50),
  python: Text(100),
  natten: Text(100).nullable(),
  torch: Text(100).nullable(),
  failed: Count,
  files: z.record(Text(4096), TracedFileSchema),
  calls: z.array(TracedCallSchema).max(MAX_CALLS),
  unread: z.array(UnreadCallSchema).max(MAX_CALLS),
});
export type TracePart = z.infer<typeof TracePartSchema>;

/** `.gna/trace.json`: the run's calls merged over its processes. */
export const TraceFileSchema = z.object({
  format: z.literal(TRACE_FORMAT),
  version: z.literal(TRACE_VERSION),
  /** When the traced run finished (ISO 8601). */
  tracedAt: z.iso.datetime({ offset: true }),
  /** The command that ran, as given to `gna trace`. */
  command: z.array(Text(4096)).max(200),
  /** The folder relative `file`s are relative to, as it was on the traced machine. */
  root: Text(4096),
  python: Text(100).optional(),
  natten: Text(100).optional(),
  torch: Text(100).optional(),
  /** Traced processes that imported natten. */
  processes: Count,
  /** Calls the tracer could not record (its own failures; the calls themselves ran). */
  failed: Count,
  files: z.record(Text(4096), TracedFileSchema),
  calls: z.array(TracedCallSchema).max(MAX_CALLS),
  unread: z.array(UnreadCallSchema).max(MAX_CALLS),
});
export type TraceFile = z.infer<typeof TraceFileSchema>;

/** A trace from its JSON text, or a sentence saying why it is not one. */
export function parseTraceText(text: string): TraceFile | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return `not JSON (${e instanceof Error ? e.message : String(e)})`;
  }
  const parsed = TraceFileSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  return `not a gna trace: ${first?.message ?? 'invalid'}${first && first.path.length > 0 ? ` at ${first.path.join('.')}` : ''}`;
}
