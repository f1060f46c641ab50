// The one definition of each domain concept: a zod schema, and the TypeScript type inferred from
// it, for the problem, the edited config, the workload, the tiles, a timed kernel, the device and
// the engine's options. Every surface (CLI, editor, webview, native wrapper, stored history)
// parses or types its values with these. They check shape only (numbers, booleans, tuples); the
// NATTEN rules live in validate.ts so every surface words them alike (GnaProblemSchema adds them).
//
// Only types leave this module for the bundles that must stay free of zod (the extension host's
// activation bundle): import them with `import type`, or through problem.ts and bench.ts.

import { z } from 'zod';
import { GPU_FAMILIES } from './presets';
import { checkProblem } from './validate';

/**
 * What a parsed value is to the rest of the code: nothing is written after parsing, so every
 * array and field is read-only (zod's `.readonly()` would freeze the values at run time too).
 */
export type Frozen<T> = T extends readonly (infer E)[] ? readonly Frozen<E>[] : T extends object ? { readonly [K in keyof T]: Frozen<T[K]> } : T;

/** 1 to 3 entries, one per axis of the token layout. */
const perAxis = <T extends z.ZodType>(entry: T) => z.array(entry).min(1).max(3);
/** A size, window, stride, dilation or tile extent (what the native engine takes as a C int). */
export const ExtentSchema = z.number().int().min(1).max(2 ** 31 - 1);
const Extent = ExtentSchema;
/** Any 32-bit integer: an edited value the checks have not seen yet. */
const Int32 = z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1);
export const CountSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const Count = CountSchema;
/** Finite and not negative: times, ratios, TFLOP/s. */
export const AmountSchema = z.number().nonnegative();
const Amount = AmountSchema;
const Text = (max: number) => z.string().max(max);

// ---- the problem ---------------------------------------------------------------------------

/** The five per-axis arguments of a GNA problem, over entries of the given schemas. */
const problemFields = <I extends z.ZodType, B extends z.ZodType>(int: I, bool: B) => ({
  /** Token layout `(n_1, …, n_r)` (NATTEN's input / feature-map size). */
  inputSize: perAxis(int),
  /** Window size per axis (NATTEN's `kernel_size`). */
  windowSize: perAxis(int),
  stride: perAxis(int),
  dilation: perAxis(int),
  causal: perAxis(bool),
});

/** Every per-axis value already broadcast to the layout's rank: the problem's shape. */
export const ProblemShapeSchema = z.object(problemFields(Extent, z.boolean()));

/** One neighborhood-attention problem over a token layout of rank 1 to 3 (GNA-SPEC §1). */
export type GnaProblem = Frozen<z.infer<typeof ProblemShapeSchema>>;

/** A complete GNA problem that passes NATTEN's checks (tuples of the layout's rank). */
export const GnaProblemSchema = ProblemShapeSchema.superRefine((p, ctx) => {
  for (const issue of checkProblem({ ...p, rank: p.inputSize.length }).issues) ctx.addIssue({ code: 'custom', message: issue.message });
});

/** An integer-valued field as written: a scalar (broadcast to every axis) or a tuple of 1 to 3 entries. */
export const IntTupleSchema = z.union([z.number(), z.array(z.number()).min(1).max(3)]);
export const BoolTupleSchema = z.union([z.boolean(), z.array(z.boolean()).min(1).max(3)]);

/** A problem as written in a JSON file or on the command line: scalars broadcast, defaults left out. */
export const ProblemInputSchema = z.object({
  inputSize: z.array(z.number()).min(1).max(3).describe('token layout, e.g. [30, 48, 80]'),
  windowSize: IntTupleSchema.describe('kernel_size'),
  stride: IntTupleSchema.optional(),
  dilation: IntTupleSchema.optional(),
  causal: BoolTupleSchema.optional(),
});
export type ProblemInput = z.infer<typeof ProblemInputSchema>;

// ---- tiles, workload, config ------------------------------------------------------------------

/** Q and KV tile shapes, one entry per axis (single-dimensional tiling uses entry 0 only). */
export const TileShapeSchema = z.object({ q: perAxis(Extent), kv: perAxis(Extent) });
export type TileShape = Frozen<z.infer<typeof TileShapeSchema>>;

/** Tensor dimensions that do not change the mask but do change FLOPs and timings. */
export const WorkloadSchema = z.object({ batch: Extent, heads: Extent, headDim: Extent });
export type Workload = Frozen<z.infer<typeof WorkloadSchema>>;

export const GpuFamilySchema = z.enum(GPU_FAMILIES);
export const TilingSchema = z.enum(['multi', 'single']);

/** The GPU family whose tile presets apply, at a head dim. */
export const HardwareSchema = z.object({ family: GpuFamilySchema, headDim: Extent });
export type Hardware = Frozen<z.infer<typeof HardwareSchema>>;

/**
 * A problem with its tile shapes as an editor holds it while it is edited (the mask preview):
 * every per-axis value spelled out, not yet checked, so lengths may disagree and values may be
 * out of range (validate.ts says what is wrong, in NATTEN's words).
 */
export const GnaConfigSchema = z.object({ ...problemFields(Int32, z.boolean()), qTile: perAxis(Int32), kvTile: perAxis(Int32) });
export type GnaConfig = Frozen<z.infer<typeof GnaConfigSchema>>;

/**
 * A config as far as a call gives it: a problem value is absent where neither the code, its
 * `# gna:` annotation, the settings nor a trace says it (the preview asks the user for it).
 */
export const PartialGnaConfigSchema = GnaConfigSchema.partial({ inputSize: true, windowSize: true, stride: true, dilation: true, causal: true });
export type PartialGnaConfig = Frozen<z.infer<typeof PartialGnaConfigSchema>>;

// ---- the engine: options, timings, devices ----------------------------------------------------

/** Input types of the CUDA kernel (fp32 accumulation either way). */
export const DtypeSchema = z.enum(['bfloat16', 'float16']);
export type BenchDtype = z.infer<typeof DtypeSchema>;

/** What a benchmark times (issue 21): the forward, the backward alone, or forward then backward (a training step). */
export const BenchPassSchema = z.enum(['forward', 'backward', 'training']);
export type BenchPass = z.infer<typeof BenchPassSchema>;

/**
 * How the native engine launches a kernel: the defaults run what a user gets; the others are for
 * checks and diagnosis. A benchmark answers with the options it ran under, so a recorded timing
 * says how it was measured.
 */
export const LaunchOptionsSchema = z.object({
  /** `auto`: the Hopper kernel where it can run and its build for the head dim has passed the GPU
   * check, else the portable one; `portable` forces the portable mma.sync kernel; `permuted` the
   * Hopper kernel on token-permuted buffers; `hopper` the Hopper kernel at every head dim it has a
   * build for, checked or not (the GPU check of a new build); `portable-fa2` the FA2-class portable
   * kernel (issue 23), which `auto` does not pick until it has passed the GPU check;
   * `portable-fa2-permuted` that kernel on token-permuted buffers even where it could read the
   * caller's layout (to measure what the direct layout costs or saves). */
  kernel: z.enum(['auto', 'portable', 'permuted', 'hopper', 'portable-fa2', 'portable-fa2-permuted']),
  /** Programmatic dependent launch of the Hopper kernel (may start while the previous kernel ends). */
  pdl: z.boolean(),
  /** Caps the Hopper kernel's persistent grid (0: one CTA per SM), so small problems give each CTA several items. */
  maxCtas: z.number().int().min(0).max(1 << 20),
  /** A file each Hopper launch writes its per-CTA timeline to (such launches go without PDL); '' for none. */
  trace: Text(1000), // gna_launch_options holds 1023 bytes
  /** A kernel variant, built beside the measured kernel for same-run A/B: 0 the measured kernel. The
   * Hopper kernel's are bit flags, 1 the shorter item boundary and 2 the staggered pipelines of the
   * head-dim-32/64 builds (3 both; native/PERF-NOTES.md "Issue 18: variants prepared without a GPU");
   * the FA2 kernel's 1 is its 64-key head-dim-128 build, where the device's shared memory holds it
   * ("Issue 23: the 64-key d128 variant"). Builds without it run 0 and the result's kernel name says
   * which ran. Absent from records made before it existed, hence the default. */
  variant: z.number().int().min(0).max(3).default(0),
});
export type LaunchOptions = z.infer<typeof LaunchOptionsSchema>;

/** A benchmark's options: the launch's, and what is timed. */
export const EngineOptionsSchema = LaunchOptionsSchema.extend({
  /** Back-to-back passes timed per repeat; the time per pass is reported. */
  chain: z.number().int().min(1).max(1000),
  /** Time an empty kernel of the Hopper kernel's launch shape instead of it: the launch floor. */
  emptyKernel: z.boolean(),
});
export type EngineOptions = z.infer<typeof EngineOptionsSchema>;

/** What the engine runs when a request names no options. */
export const DEFAULT_ENGINE_OPTIONS: Readonly<EngineOptions> = { kernel: 'auto', pdl: true, maxCtas: 0, trace: '', variant: 0, chain: 1, emptyKernel: false };

/**
 * The options of `schema` (the launch's, or a benchmark's) from layers of partial options, later
 * ones winning over earlier ones and all over the defaults; fields of other layers the schema does
 * not have are dropped, while a given layer (the request's) must have only the schema's fields.
 * Every malformed field is named (`options.chain: …`).
 */
export function resolveOptions<S extends typeof LaunchOptionsSchema | typeof EngineOptionsSchema>(
  schema: S,
  defaults: Partial<EngineOptions>,
  given: unknown,
): { options: z.infer<S> } | { issues: string[] } {
  const own = (o: object) => Object.fromEntries(Object.entries(o).filter(([key]) => key in schema.shape));
  const parsed = (schema as typeof EngineOptionsSchema).partial().strict().safeParse(given ?? {});
  const merged = (schema as typeof EngineOptionsSchema).safeParse({ ...own(DEFAULT_ENGINE_OPTIONS), ...own(defaults), ...(parsed.success ? parsed.data : {}) });
  const issues = [...(parsed.success ? [] : parsed.error.issues), ...(merged.success ? [] : merged.error.issues)];
  if (issues.length > 0 || !merged.success) return { issues: issues.map((i) => `options${i.path.map((p) => `.${String(p)}`).join('')}: ${i.message}`) };
  return { options: merged.data as z.infer<S> };
}

const timingFields = {
  attentionMs: Amount,
  /** Token permutation in and out (0 when the layout needs none). */
  permuteMs: Amount,
  totalMs: Amount,
  repeats: Extent,
  /** Tile pairs the kernel visited and ran unmasked (batch 0, head 0, as the kernel counted). */
  visited: Count,
  full: Count,
};
/** Which kernel variant ran (e.g. "sm90a wgmma+TMA, direct layout"), when the engine says. */
const Kernel = Text(200).optional();

/** One timed kernel as the engine measured it: medians of CUDA-event timings after warm-up. */
export const MeasuredTimingSchema = z.object({ ...timingFields, kernel: Kernel });
export type MeasuredTiming = Frozen<z.infer<typeof MeasuredTimingSchema>>;

/**
 * A timed kernel as recorded: with TFLOP/s on visited tiles (4 · visited · T_q · T_kv · head_dim ·
 * heads · batch / attention time, GNA-SPEC §7) and the engine options it ran under (absent in
 * records of older versions, which ran under the defaults unless an environment switch said otherwise).
 */
export const RecordedTimingSchema = z.object({ ...timingFields, tflops: Amount, kernel: Kernel, options: EngineOptionsSchema.optional() });
export type RecordedTiming = Frozen<z.infer<typeof RecordedTimingSchema>>;

/** A CUDA device. */
export const DeviceSchema = z.object({
  index: Count,
  name: Text(200),
  /** `"9.0"` */
  computeCapability: z.string().regex(/^\d{1,3}\.\d{1,3}$/),
  multiprocessors: Count,
  totalMemBytes: Count,
});
export type Device = Frozen<z.infer<typeof DeviceSchema>>;

/** What the engine says about this machine: the addon, CUDA's versions and the devices. */
export const DeviceInfoSchema = z.object({
  addonLoaded: z.boolean(),
  addonPath: z.string().optional(),
  builtWithCuda: z.boolean(),
  /** True when at least one CUDA device can run the kernel. */
  available: z.boolean(),
  /** "1 CUDA device(s)", or why there is none (no addon, CPU-only build, no driver, no GPU). */
  message: z.string(),
  /** Set when `available` is false: a GnaErrorCode such as GNA_ERR_NO_DEVICE or GNA_ERR_NOT_BUILT. */
  code: z.string().optional(),
  /** CUDA runtime and driver versions as CUDA reports them (13000 = 13.0); 0 = none. */
  runtimeVersion: Count,
  driverVersion: Count,
  devices: z.array(DeviceSchema),
});
export type DeviceInfo = Frozen<z.infer<typeof DeviceInfoSchema>>;
