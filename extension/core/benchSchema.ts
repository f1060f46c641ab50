// zod schemas of the external forms of a benchmark run, and the types inferred from them: a
// history record (stored in the workspace, sent to the report webview, exported), an exported
// history file, and the output of `gna bench --json` (what a GPU machine hands back). They are
// built from the domain schemas of schema.ts; the NATTEN rules come from validate.ts, so a stored
// or imported record that would not be a valid GNA problem is refused, whatever produced it.

import { z } from 'zod';
import { HISTORY_FORMAT, HISTORY_VERSION } from './bench';
import {
  AmountSchema as Amount,
  BenchPassSchema,
  CountSchema as Count,
  DeviceSchema,
  DtypeSchema,
  ExtentSchema as Positive,
  Frozen,
  GnaProblem,
  GnaProblemSchema,
  RecordedTimingSchema,
  TileShape,
  TileShapeSchema,
  WorkloadSchema,
} from './schema';
import { checkTiles } from './validate';

const Text = (max: number) => z.string().max(max);

/** The simulator's numbers for the config on the run's tiles, kept with the measurement. */
export const RecordedSimulationSchema = z.object({
  simulated: Amount,
  /** The GNA paper's ratio, where padding or dilation groups make it differ (GNA-SPEC §5). */
  paperSimulated: Amount.optional(),
  tilePairBound: Amount,
  flopBound: Amount,
  blockSparse: z.boolean(),
  visited: Count,
  full: Count,
  total: Count,
  sparsity: z.number().min(0).max(1),
});
export type RecordedSimulation = Frozen<z.infer<typeof RecordedSimulationSchema>>;

/** Measured versus simulated (GNA-SPEC §7): the numbers a benchmark report shows (measured.ts). */
export const ComparisonSchema = z.object({
  denseMs: Amount,
  gnaMs: Amount,
  permuteMs: Amount,
  /** t_dense / t_gna, attention kernels only. */
  measured: Amount,
  /** The same with the GNA side's token permutation counted in. */
  measuredWithPermute: Amount,
  simulated: Amount,
  tilePairBound: Amount,
  flopBound: Amount,
  /** measured / simulated: the share of the simulator's bound the kernel reached. */
  shareOfBound: Amount,
  /** TFLOP/s on visited tiles: 4 · visited · T_q · T_kv · head_dim · heads · batch / t. */
  gnaTflops: Amount,
  denseTflops: Amount,
});
export type MeasuredComparison = Frozen<z.infer<typeof ComparisonSchema>>;

export const SweepKindSchema = z.enum(['stride', 'window']);
export type SweepKind = z.infer<typeof SweepKindSchema>;

/** Set on the points of a sweep: which sweep, what it varies, and where this point sits. */
const SweepSchema = z.object({ id: Text(100), kind: SweepKindSchema, index: Count, count: Positive });

/**
 * One pass of `gna bench --backward` (issue 21): the backward alone or the training step, dense
 * and GNA timed on the backward's tiles, measured against the simulator (benchBackward.ts); or,
 * where the build has no backward kernel, why not.
 */
export const PassComparisonSchema = z.discriminatedUnion('available', [
  z.object({
    available: z.literal(true),
    pass: BenchPassSchema,
    denseMs: Amount,
    gnaMs: Amount,
    /** t_dense / t_gna. */
    measured: Amount,
    /** backward.simulated or training.simulated of simulateTraining. */
    simulated: Amount,
    /** measured / simulated (the issue's target: at least 85% for the backward). */
    shareOfSimulated: Amount,
  }),
  z.object({ available: z.literal(false), pass: BenchPassSchema, simulated: Amount, reason: z.string().max(4000), code: z.string().max(100).nullable() }),
]);
export type PassComparison = Frozen<z.infer<typeof PassComparisonSchema>>;


/** The pass a run timed: the forward alone, or the training step (forward, backward and both together). */
export const RunPassSchema = z.enum(['forward', 'training']);
export type RunPass = z.infer<typeof RunPassSchema>;

/**
 * What a training run records beside the forward's: the backward kernel's tiles, the simulator's
 * backward and training-step numbers on them (simulateTraining), and each pass measured or why not.
 */
export const RecordedBackwardSchema = z.object({
  tiles: TileShapeSchema,
  simulation: z.object({
    simulated: Amount,
    paperSimulated: Amount.optional(),
    tilePairBound: Amount,
    /** Q tiles that visit the worst KV tile, and a KV tile's in self attention. */
    worstKvTileVisits: Count,
    denseKvTileVisits: Count,
    blockSparse: z.boolean(),
  }),
  training: z.object({ simulated: Amount, backwardFlopRatio: Amount, backwardShare: z.number().min(0).max(1) }),
  passes: z.array(PassComparisonSchema).max(2),
});
export type RecordedBackward = Frozen<z.infer<typeof RecordedBackwardSchema>>;

/** Tiles must have the problem's rank: checked after both are known. */
function tilesFitProblem(r: { problem: GnaProblem; tiles: TileShape; backward?: { tiles: TileShape } | undefined }, ctx: z.RefinementCtx): void {
  for (const tiles of [r.tiles, ...(r.backward ? [r.backward.tiles] : [])]) {
    for (const issue of checkTiles(tiles.q, tiles.kv, r.problem.inputSize.length, 'multi')) ctx.addIssue({ code: 'custom', message: issue.message });
  }
}

// The fields a record and `gna bench --json` share (in two parts: the device goes between).
/** What was measured. */
const configFields = { problem: GnaProblemSchema, workload: WorkloadSchema, tiles: TileShapeSchema, dtype: DtypeSchema };
/** With which CUDA, and how long it took. */
const timingFields = {
  /** CUDA driver and runtime versions as CUDA reports them (13000 = 13.0); 0 = none. */
  driverVersion: Count,
  runtimeVersion: Count,
  dense: RecordedTimingSchema,
  gna: RecordedTimingSchema,
};

export const BenchRecordSchema = z
  .object({
    /** Unique in a history. */
    id: z.string().min(1).max(100),
    /** When it was measured (ISO 8601). */
    at: z.iso.datetime({ offset: true }),
    /** Measured by this editor, or read from a `gna bench --json` file or an exported history. */
    origin: z.enum(['run', 'imported']),
    /** `na2d 256×256, window 80×80, stride 16×16` and where it came from. */
    label: Text(1000),
    ...configFields,
    gpu: DeviceSchema.nullable(),
    ...timingFields,
    simulation: RecordedSimulationSchema,
    comparison: ComparisonSchema,
    sweep: SweepSchema.optional(),
    /** What was timed; absent (records before the backward) is the forward. */
    pass: RunPassSchema.optional(),
    /** With pass `training`: the backward pass and the training step. */
    backward: RecordedBackwardSchema.optional(),
  })
  .superRefine(tilesFitProblem);
export type BenchRecord = Frozen<z.infer<typeof BenchRecordSchema>>;

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
    ...configFields,
    device: DeviceSchema.nullable(),
    ...timingFields,
    /** With --backward: the backward's tiles and each pass (the simulations are computed again on import). */
    backward: z.object({ tiles: TileShapeSchema, passes: z.array(PassComparisonSchema).max(2) }).optional(),
  })
  .superRefine(tilesFitProblem);
export type BenchJson = Frozen<z.infer<typeof BenchJsonSchema>>;

/** `gna bench --json` without a GPU: no measurement, just why. */
export const BenchJsonUnavailableSchema = z.object({ available: z.literal(false), reason: z.string().max(4000) });

/** A one-line reason for the first issue, with where it is (`records.3.problem`). */
export function firstIssue(error: z.ZodError): string {
  const first = error.issues[0];
  const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
  return `${first?.message ?? 'invalid'}${where}`;
}
