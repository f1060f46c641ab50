// The native GNA engine as the rest of the extension sees it: device info, the CPU reference
// forward, the fused CUDA forward (for checks) and the GPU benchmark. Every request is checked
// with the core's one set of NATTEN rules before native code runs; every failure is a
// GnaNativeError with a code and the caller's stack. The addon loads on first use.

import { checkTiles, defaultTiles, denseBaseline, GnaProblem, problemOrIssues, product, RawProblem, TileShape, visitedTileTflops, Workload } from '../core';
import { BenchPassSchema, DEFAULT_ENGINE_OPTIONS, EngineOptions, EngineOptionsSchema, LaunchOptions, LaunchOptionsSchema, resolveOptions } from '../core/schema';
import { BenchCall, BenchDtype, DeviceInfo, RecordedTiming, RUN_COUNT_LIMITS } from '../core/bench';
import { callSite, GnaErrorCode, GnaNativeError, rethrow } from './errors';
import { AddonLoader } from './loader';
import type { NativeAddon, RawCudaBackwardResult, RawCudaForwardResult, RawGradients, RawHopperChoice } from './native';

export { GnaNativeError } from './errors';
export type { GnaErrorCode } from './errors';
export { addonCandidates, AddonLoader } from './loader';
export { engineOptionsFromEnv } from './envOptions';
export type { RawAxisTileRanges as AxisTileRanges, RawGradients as Gradients } from './native';
export type { Device, DeviceInfo } from '../core/bench';

/** Input types of the CUDA kernel (fp32 accumulation either way). */
export type InputDtype = BenchDtype;
export const INPUT_DTYPES: readonly InputDtype[] = ['float16', 'bfloat16'];
export const CUDA_HEAD_DIMS: readonly number[] = [32, 64, 128, 256];

/** Every request names its problem loosely (RawProblem: scalars, unknown values); the wrapper checks it. */
export interface ReferenceRequest<T extends Float32Array | Float64Array> {
  readonly problem: RawProblem;
  readonly workload: Workload;
  /** Softmax scale; NATTEN's default head_dim^-0.5. */
  readonly scale?: number;
  /** `[batch, *layout, heads, head_dim]`, row-major. The output has the same type and layout. */
  readonly q: T;
  readonly k: T;
  readonly v: T;
}

export interface CudaForwardRequest {
  readonly problem: RawProblem;
  readonly workload: Workload;
  readonly scale?: number;
  /** Multi-dimensional tile shapes; default: the Hopper preset for the rank and head dim. */
  readonly tiles?: TileShape;
  readonly dtype: InputDtype;
  readonly device?: number;
  /** float32 values, rounded to `dtype` on the way in (see `quantize`). */
  readonly q: Float32Array;
  readonly k: Float32Array;
  readonly v: Float32Array;
  /**
   * Passes run back to back on the GPU, each one's output the next one's Q (default 1, at most
   * 16): checks that a kernel allowed to start before the previous one ends still reads that
   * kernel's finished output.
   */
  readonly passes?: number;
  /** How the kernel is chosen and launched; unset fields take the engine's defaults. */
  readonly options?: Partial<LaunchOptions>;
}

/** The reference backward's request: the forward's, in float64, plus dO (the loss's gradient with respect to the output). */
export interface ReferenceBackwardRequest extends ReferenceRequest<Float64Array> {
  readonly dO: Float64Array;
}

/** The fused backward on given inputs: the forward's request plus dO (float32 values rounded to `dtype`). */
export interface CudaBackwardRequest extends Omit<CudaForwardRequest, 'passes'> {
  readonly dO: Float32Array;
}

/** The forward's output and log-sum-exp, the gradients, the tiles and options used and the backward kernel's counts. */
export interface CudaBackwardResult extends RawCudaBackwardResult {
  readonly tiles: TileShape;
  readonly options: LaunchOptions;
}

/** The output, the tiles used, and the kernel's counts (RawCounts: visited and full tile pairs of batch 0, head 0; which kernel ran). */
export interface CudaForwardResult extends RawCudaForwardResult {
  readonly tiles: TileShape;
  readonly options: LaunchOptions;
}

/** A benchmark call (core/bench.ts) with everything but the problem and workload defaulted. */
export interface BenchmarkRequest extends Partial<Omit<BenchCall, 'problem' | 'workload'>> {
  readonly problem: RawProblem;
  readonly workload: Workload;
  readonly seed?: number;
}

/** The timing (medians over `repeats`, CUDA events, after warm-up) and what was timed. */
export interface BenchmarkResult extends RecordedTiming {
  readonly problem: GnaProblem;
  readonly tiles: TileShape;
  readonly dtype: InputDtype;
  readonly device: number;
  /** Every option the kernel ran under, defaults included: how it was measured. */
  readonly options: EngineOptions;
}

const DEFAULTS = { device: 0, warmup: 3, repeats: 10, seed: 1, dtype: 'bfloat16' as InputDtype };

export class GnaNative {
  /**
   * `defaults`: engine options for every request that does not set them (the GPU scripts map
   * their environment switches to these, see engineOptionsFromEnv).
   */
  constructor(
    private readonly loader: AddonLoader = new AddonLoader(),
    private readonly defaults: Partial<EngineOptions> = {},
  ) {}

  /** Whether the addon is loaded, without throwing. */
  status(): ReturnType<AddonLoader['status']> {
    return this.loader.status();
  }

  /**
   * Devices and versions. "No addon", "CPU-only build", "no driver" and "no GPU" are normal
   * answers (`available: false` with the reason); only an unexpected CUDA failure throws.
   */
  deviceInfo(): DeviceInfo {
    const site = callSite();
    const status = this.loader.status();
    if (!status.loaded) {
      return {
        addonLoaded: false,
        builtWithCuda: false,
        available: false,
        message: status.error.message,
        code: status.error.code,
        runtimeVersion: 0,
        driverVersion: 0,
        devices: [],
      };
    }
    try {
      const raw = this.loader.get().deviceInfo();
      return {
        addonLoaded: true,
        addonPath: status.path,
        builtWithCuda: raw.builtWithCuda,
        available: raw.available,
        message: raw.message,
        ...(raw.code ? { code: raw.code as GnaErrorCode } : {}),
        runtimeVersion: raw.runtimeVersion,
        driverVersion: raw.driverVersion,
        devices: raw.devices,
      };
    } catch (e) {
      throw rethrow(e, site);
    }
  }

  /** The CPU reference forward (float32 or float64, any rank, head dim, stride, dilation, causal). */
  referenceForward(request: ReferenceRequest<Float32Array>): Promise<Float32Array>;
  referenceForward(request: ReferenceRequest<Float64Array>): Promise<Float64Array>;
  async referenceForward(request: ReferenceRequest<Float32Array | Float64Array>): Promise<Float32Array | Float64Array> {
    const site = callSite();
    try {
      const issues: string[] = [];
      const problem = checkedProblem(request.problem, issues);
      checkWorkload(request.workload, issues);
      const scale = checkedScale(request.scale, request.workload, issues);
      if (problem) checkTensors(request, problem, request.workload, issues);
      const f64 = request.q instanceof Float64Array;
      for (const name of ['k', 'v'] as const) {
        if (request[name] instanceof Float64Array !== f64) issues.push(`${name} must be a ${f64 ? 'Float64Array' : 'Float32Array'} like q.`);
      }
      throwIfAny(issues);
      const addon = this.loader.get();
      const args = { problem: problem!, shape: { ...request.workload, scale } };
      return f64
        ? await addon.referenceForward({ ...args, q: request.q as Float64Array, k: request.k as Float64Array, v: request.v as Float64Array })
        : await addon.referenceForward({ ...args, q: request.q as Float32Array, k: request.k as Float32Array, v: request.v as Float32Array });
    } catch (e) {
      throw rethrow(e, site);
    }
  }

  /**
   * The CPU reference gradients in float64 (issue 21): the forward's output and log-sum-exp
   * ([batch, *layout, heads], natural log) and dQ, dK, dV for the loss gradient dO. The ground
   * truth of the fused backward's GPU check.
   */
  async referenceBackward(request: ReferenceBackwardRequest): Promise<RawGradients<Float64Array>> {
    const site = callSite();
    try {
      const issues: string[] = [];
      const problem = checkedProblem(request.problem, issues);
      checkWorkload(request.workload, issues);
      const scale = checkedScale(request.scale, request.workload, issues);
      if (problem) checkTensors(request, problem, request.workload, issues, ['q', 'k', 'v', 'dO']);
      for (const name of ['q', 'k', 'v', 'dO'] as const) {
        if (!(request[name] instanceof Float64Array)) issues.push(`${name} must be a Float64Array.`);
      }
      throwIfAny(issues);
      const { q, k, v, dO } = request;
      return await this.loader.get().referenceBackward({ problem: problem!, shape: { ...request.workload, scale }, q, k, v, dO });
    } catch (e) {
      throw rethrow(e, site);
    }
  }

  /**
   * The fused CUDA backward on given inputs (the forward runs first and saves its output and
   * log-sum-exp), for checks against referenceBackward. A build without a backward kernel
   * rejects with GNA_ERR_UNSUPPORTED, the CPU-only build with GNA_ERR_NOT_BUILT.
   */
  async cudaBackward(request: CudaBackwardRequest): Promise<CudaBackwardResult> {
    const site = callSite();
    try {
      const issues: string[] = [];
      const { problem, scale, device, options, tiles } = this.checkedKernelRequest(request, ['q', 'k', 'v', 'dO'], issues);
      throwIfAny(issues);
      const { q, k, v, dO, dtype } = request;
      const r = await this.loader.get().cudaBackward({ problem: problem!, shape: { ...request.workload, scale }, tiles: tiles!, dtype, device, q, k, v, dO, options });
      return { ...r, tiles: tiles!, options };
    } catch (e) {
      throw rethrow(e, site);
    }
  }

  /** What a fused-kernel run on given float32 tensors checks, forward and backward alike. */
  private checkedKernelRequest(request: CudaForwardRequest | CudaBackwardRequest, tensors: readonly ('q' | 'k' | 'v' | 'dO')[], issues: string[]) {
    const problem = checkedProblem(request.problem, issues);
    checkWorkload(request.workload, issues, true);
    const scale = checkedScale(request.scale, request.workload, issues);
    checkDtype(request.dtype, issues);
    const device = checkedInt('device', request.device ?? DEFAULTS.device, RUN_COUNT_LIMITS.device.min, RUN_COUNT_LIMITS.device.max, issues);
    const options = checkedOptions(LaunchOptionsSchema, this.defaults, request.options, issues);
    const tiles = problem ? checkedTiles(request.tiles, problem, request.workload, issues) : undefined;
    if (problem) checkTensors(request, problem, request.workload, issues, tensors);
    for (const name of tensors) {
      if (!((request as unknown as Record<string, unknown>)[name] instanceof Float32Array)) issues.push(`${name} must be a Float32Array.`);
    }
    return { problem, scale, device, options, tiles };
  }

  /** The fused CUDA forward on given inputs, for checks against the reference. */
  async cudaForward(request: CudaForwardRequest): Promise<CudaForwardResult> {
    const site = callSite();
    try {
      const issues: string[] = [];
      const passes = checkedInt('passes', request.passes ?? 1, 1, 16, issues);
      const { problem, scale, device, options, tiles } = this.checkedKernelRequest(request, ['q', 'k', 'v'], issues);
      throwIfAny(issues);
      const r = await this.loader.get().cudaForward({
        problem: problem!,
        shape: { ...request.workload, scale },
        tiles: tiles!,
        dtype: request.dtype,
        device,
        q: request.q,
        k: request.k,
        v: request.v,
        passes,
        options,
      });
      return { output: r.output, tiles: tiles!, visited: r.visited, full: r.full, kernel: r.kernel, options };
    } catch (e) {
      throw rethrow(e, site);
    }
  }

  /**
   * Times the fused kernel on inputs it generates on the GPU (random, never zero): warm-up,
   * then the median of `repeats`, separately for the attention kernel and the token
   * permutation. `signal` cancels between repeats (rejects with GNA_ERR_CANCELLED). `pass`
   * 'backward' or 'training' times the fused backward (issue 21); a build without one rejects
   * with GNA_ERR_UNSUPPORTED ("no backward kernel in this build").
   */
  async benchmark(request: BenchmarkRequest, signal?: AbortSignal): Promise<BenchmarkResult> {
    const site = callSite();
    try {
      const issues: string[] = [];
      const checked = checkedProblem(request.problem, issues);
      checkWorkload(request.workload, issues, true);
      const dtype = request.dtype ?? DEFAULTS.dtype;
      checkDtype(dtype, issues);
      const device = checkedInt('device', request.device ?? DEFAULTS.device, RUN_COUNT_LIMITS.device.min, RUN_COUNT_LIMITS.device.max, issues);
      const warmup = checkedInt('warmup', request.warmup ?? DEFAULTS.warmup, RUN_COUNT_LIMITS.warmup.min, RUN_COUNT_LIMITS.warmup.max, issues);
      const repeats = checkedInt('repeats', request.repeats ?? DEFAULTS.repeats, RUN_COUNT_LIMITS.repeats.min, RUN_COUNT_LIMITS.repeats.max, issues);
      const seed = checkedInt('seed', request.seed ?? DEFAULTS.seed, 0, 2 ** 31 - 1, issues);
      const options = checkedOptions(EngineOptionsSchema, this.defaults, request.options, issues);
      const pass = request.pass ?? 'forward';
      if (!BenchPassSchema.safeParse(pass).success) issues.push(`pass must be 'forward', 'backward' or 'training', got ${JSON.stringify(pass)}.`);
      const gnaTiles = checked ? checkedTiles(request.tiles, checked, request.workload, issues) : undefined;
      // The dense baseline is self attention over the flattened tokens (GNA-SPEC §7).
      const baseline = checked && gnaTiles && request.dense ? denseBaseline(checked, gnaTiles) : undefined;
      const problem = baseline?.problem ?? checked;
      const tiles = baseline?.tiles ?? gnaTiles;
      throwIfAny(issues);
      if (signal?.aborted) throw new GnaNativeError('GNA_ERR_CANCELLED', 'benchmark cancelled before it started');
      const addon = this.loader.get();
      const token = new addon.CancelToken();
      const onAbort = (): void => token.cancel();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const r = await addon.benchmark(
          { problem: problem!, shape: { ...request.workload, scale: request.workload.headDim ** -0.5 }, tiles: tiles!, dtype, device, warmup, repeats, seed, options, pass },
          token,
        );
        return { problem: problem!, tiles: tiles!, dtype, device, ...r, tflops: visitedTileTflops(r.visited, tiles!, request.workload, r.attentionMs), options };
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    } catch (e) {
      throw rethrow(e, site);
    }
  }

  /** Debug: the KV tile ranges the kernel walks per Q tile, per axis (compare with tileAxes()). */
  tileRanges(problem: RawProblem, tiles: TileShape): ReturnType<NativeAddon['tileRanges']> {
    const site = callSite();
    try {
      const issues: string[] = [];
      const checked = checkedProblem(problem, issues);
      if (checked) for (const t of checkTiles(tiles.q, tiles.kv, checked.inputSize.length, 'multi')) issues.push(t.message);
      throwIfAny(issues);
      return this.loader.get().tileRanges(checked!, tiles);
    } catch (e) {
      throw rethrow(e, site);
    }
  }

  /**
   * Debug: which variant of the Hopper kernel a compute capability 9.0 GPU would run for this
   * problem, workload and tiles (default: the Hopper preset), device checks aside; the selection
   * table is the simulator's Hopper presets (native/src/gna_hopper_tiles.h).
   */
  hopperChoice(problem: RawProblem, workload: Workload, tiles?: TileShape, kernel: EngineOptions['kernel'] = 'auto'): RawHopperChoice {
    const site = callSite();
    try {
      const issues: string[] = [];
      const checked = checkedProblem(problem, issues);
      checkWorkload(workload, issues);
      const chosen = checked ? checkedTiles(tiles, checked, workload, issues) : undefined;
      throwIfAny(issues);
      return this.loader.get().hopperChoice(checked!, { ...workload, scale: workload.headDim ** -0.5 }, chosen!, kernel);
    } catch (e) {
      throw rethrow(e, site);
    }
  }

  /** float32 values rounded through a 16-bit type exactly as cudaForward rounds its inputs. */
  quantize(values: Float32Array, dtype: InputDtype): Float32Array {
    const site = callSite();
    try {
      const issues: string[] = [];
      checkDtype(dtype, issues);
      if (!(values instanceof Float32Array)) issues.push('values must be a Float32Array.');
      throwIfAny(issues);
      return this.loader.get().quantize(values, dtype);
    } catch (e) {
      throw rethrow(e, site);
    }
  }
}

// ---- request checks: collect every problem, then fail once ----

function throwIfAny(issues: readonly string[]): void {
  if (issues.length > 0) throw new GnaNativeError('GNA_ERR_INVALID', `Invalid GNA request:\n  - ${issues.join('\n  - ')}`, issues);
}

function checkedOptions<S extends typeof LaunchOptionsSchema | typeof EngineOptionsSchema>(
  schema: S,
  engineDefaults: Partial<EngineOptions>,
  given: unknown,
  issues: string[],
): ReturnType<S['parse']> {
  const r = resolveOptions(schema, engineDefaults, given);
  if ('issues' in r) issues.push(...r.issues);
  return ('options' in r ? r.options : DEFAULT_ENGINE_OPTIONS) as ReturnType<S['parse']>;
}

function checkedProblem(raw: RawProblem, issues: string[]): GnaProblem | undefined {
  const r = problemOrIssues(raw);
  if ('problem' in r) return r.problem;
  for (const i of r.issues) issues.push(i.message);
  return undefined;
}

function checkWorkload(w: Workload, issues: string[], cuda = false): void {
  for (const key of ['batch', 'heads', 'headDim'] as const) {
    const v = w?.[key];
    if (!Number.isSafeInteger(v) || v < 1) issues.push(`${key} must be a positive integer, got ${String(v)}.`);
  }
  if (cuda && Number.isSafeInteger(w?.headDim) && !CUDA_HEAD_DIMS.includes(w.headDim)) {
    issues.push(`The CUDA kernel supports head dims ${CUDA_HEAD_DIMS.join(', ')}, got headDim=${w.headDim}.`);
  }
}

function checkedScale(scale: number | undefined, w: Workload, issues: string[]): number {
  if (scale === undefined) return (w?.headDim ?? 1) ** -0.5;
  if (!Number.isFinite(scale) || scale <= 0) issues.push(`scale must be a positive finite number, got ${scale}.`);
  return scale;
}

function checkDtype(dtype: unknown, issues: string[]): void {
  if (!INPUT_DTYPES.includes(dtype as InputDtype)) issues.push(`dtype must be 'float16' or 'bfloat16', got ${JSON.stringify(dtype)}.`);
}

function checkedInt(name: string, v: number, min: number, max: number, issues: string[]): number {
  if (!Number.isSafeInteger(v) || v < min || v > max) issues.push(`${name} must be an integer in ${min}..${max}, got ${v}.`);
  return v;
}

function checkedTiles(tiles: TileShape | undefined, problem: GnaProblem, w: Workload, issues: string[]): TileShape | undefined {
  const rank = problem.inputSize.length;
  const chosen = tiles ?? defaultTiles('hopper', rank, w?.headDim);
  if (!chosen) {
    issues.push(`No default tile shapes for head dim ${w?.headDim}; give tiles.`);
    return undefined;
  }
  const tileIssues = checkTiles(chosen.q, chosen.kv, rank, 'multi');
  for (const t of tileIssues) issues.push(t.message);
  return tileIssues.length === 0 ? { q: [...chosen.q], kv: [...chosen.kv] } : undefined;
}

/** Each named tensor (q, k, v; dO for the backward) must hold batch * tokens * heads * head_dim values. */
function checkTensors(r: object, problem: GnaProblem, w: Workload, issues: string[], names: readonly string[] = ['q', 'k', 'v']): void {
  const expected = w.batch * product(problem.inputSize) * w.heads * w.headDim;
  for (const name of names) {
    const t = (r as Record<string, unknown>)[name];
    if (!(t instanceof Float32Array || t instanceof Float64Array)) {
      issues.push(`${name} must be a Float32Array or Float64Array.`);
    } else if (t.length !== expected) {
      issues.push(`${name} has ${t.length} elements, expected batch * tokens * heads * head_dim = ${expected}.`);
    }
  }
}

let shared: GnaNative | undefined;

/** The process-wide engine (one addon per process); tests construct their own. */
export function gnaNative(): GnaNative {
  shared ??= new GnaNative();
  return shared;
}
