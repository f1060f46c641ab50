// zod schemas of the external forms of a benchmark run: a history record (stored in the
// workspace, sent to the report webview, exported), an exported history file, and the output of
// `gna bench --json` (what a GPU machine hands back). Shape checks here; the NATTEN rules come
// from validate.ts, so a stored or imported record that would not be a valid GNA problem is
// refused, whatever produced it.

import { z } from 'zod';
import { BenchRecord, HISTORY_FORMAT, HISTORY_VERSION } from './bench';
import type { GnaProblem, TileShape, Workload } from './problem';
import { checkProblem, checkTiles } from './validate';

const Count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const Positive = z.number().int().min(1).max(2 ** 31 - 1);
/** Finite and not negative: times, ratios, TFLOP/s. */
const Amount = z.number().nonnegative();
const Text = (max: number) => z.string().max(max);

const ProblemShape = z.object({
  inputSize: z.array(Positive).min(1).max(3),
  windowSize: z.array(Positive).min(1).max(3),
  stride: z.array(Positive).min(1).max(3),
  dilation: z.array(Positive).min(1).max(3),
  causal: z.array(z.boolean()).min(1).max(3),
});

/** A complete GNA problem that passes NATTEN's checks (tuples of the layout's rank). */
export const BenchProblemSchema: z.ZodType<GnaProblem> = ProblemShape.superRefine((p, ctx) => {
  const check = checkProblem({ ...p, rank: p.inputSize.length });
  for (const issue of check.issues) ctx.addIssue({ code: 'custom', message: issue.message });
});

export const WorkloadSchema: z.ZodType<Workload> = z.object({ batch: Positive, heads: Positive, headDim: Positive });

export const BenchTilesSchema: z.ZodType<TileShape> = z.object({
  q: z.array(Positive).min(1).max(3),
  kv: z.array(Positive).min(1).max(3),
});

export const BenchDtypeSchema = z.enum(['bfloat16', 'float16']);

export const RecordedTimingSchema = z.object({
  attentionMs: Amount,
  permuteMs: Amount,
  totalMs: Amount,
  repeats: Positive,
  visited: Count,
  full: Count,
  tflops: Amount,
  kernel: Text(200).optional(),
});

export const RecordedGpuSchema = z.object({
  index: Count,
  name: Text(200),
  computeCapability: z.string().regex(/^\d{1,3}\.\d{1,3}$/),
  multiprocessors: Count,
  totalMemBytes: Count,
});

const RecordedSimulationSchema = z.object({
  simulated: Amount,
  tilePairBound: Amount,
  flopBound: Amount,
  blockSparse: z.boolean(),
  visited: Count,
  full: Count,
  total: Count,
  sparsity: z.number().min(0).max(1),
});

const ComparisonSchema = z.object({
  denseMs: Amount,
  gnaMs: Amount,
  permuteMs: Amount,
  measured: Amount,
  measuredWithPermute: Amount,
  simulated: Amount,
  tilePairBound: Amount,
  flopBound: Amount,
  shareOfBound: Amount,
  gnaTflops: Amount,
  denseTflops: Amount,
});

const SweepSchema = z.object({
  id: Text(100),
  kind: z.enum(['stride', 'window']),
  index: Count,
  count: Positive,
});

/** Tiles must have the problem's rank: checked after both are known. */
function tilesFitProblem(r: { problem: GnaProblem; tiles: TileShape }, ctx: z.RefinementCtx): void {
  for (const issue of checkTiles(r.tiles.q, r.tiles.kv, r.problem.inputSize.length, 'multi')) ctx.addIssue({ code: 'custom', message: issue.message });
}

export const BenchRecordSchema: z.ZodType<BenchRecord> = z
  .object({
    id: z.string().min(1).max(100),
    at: z.iso.datetime({ offset: true }),
    origin: z.enum(['run', 'imported']),
    label: Text(1000),
    problem: BenchProblemSchema,
    workload: WorkloadSchema,
    tiles: BenchTilesSchema,
    dtype: BenchDtypeSchema,
    gpu: RecordedGpuSchema.nullable(),
    driverVersion: Count,
    runtimeVersion: Count,
    dense: RecordedTimingSchema,
    gna: RecordedTimingSchema,
    simulation: RecordedSimulationSchema,
    comparison: ComparisonSchema,
    sweep: SweepSchema.optional(),
  })
  .superRefine(tilesFitProblem);

/** What "Export JSON" writes and "Import" reads back. */
export const HistoryFileSchema = z.object({
  format: z.literal(HISTORY_FORMAT),
  version: z.literal(HISTORY_VERSION),
  exportedAt: z.string().max(100).optional(),
  records: z.array(BenchRecordSchema).max(10_000),
});

/** One measurement as `gna bench --json` prints it (extra fields are ignored). */
export const BenchJsonSchema = z
  .object({
    available: z.literal(true),
    problem: BenchProblemSchema,
    workload: WorkloadSchema,
    tiles: BenchTilesSchema,
    dtype: BenchDtypeSchema,
    device: RecordedGpuSchema.nullable(),
    driverVersion: Count,
    runtimeVersion: Count,
    dense: RecordedTimingSchema,
    gna: RecordedTimingSchema,
  })
  .superRefine(tilesFitProblem);
export type BenchJson = z.infer<typeof BenchJsonSchema>;

/** `gna bench --json` without a GPU: no measurement, just why. */
export const BenchJsonUnavailableSchema = z.object({ available: z.literal(false), reason: z.string().max(4000) });

/** A one-line reason for the first issue, with where it is (`records.3.problem`). */
export function firstIssue(error: z.ZodError): string {
  const first = error.issues[0];
  const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
  return `${first?.message ?? 'invalid'}${where}`;
}
