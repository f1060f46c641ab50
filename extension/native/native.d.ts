// The shape of the compiled addon (native/src/addon.cc) as JavaScript sees it. Only the loader
// and the wrapper in this folder touch it; everything else uses the wrapper's API (index.ts).
// Every problem here is a checked one (the wrapper checks first); the types are the core's.

import type { AxisTiling } from '../core/tiling';
import type { BenchDtype, BenchPass, DeviceInfo, EngineOptions, GnaProblem, LaunchOptions, MeasuredTiming, TileShape, Workload } from '../core/schema';

/** The tensor dimensions and the softmax scale. */
export interface RawShape extends Workload {
  readonly scale: number;
}

/** deviceInfo() as the addon answers; the wrapper adds whether and where it was loaded. */
export type RawDeviceInfo = Omit<DeviceInfo, 'addonLoaded' | 'addonPath'>;

/** Per axis: every Q tile's dilation group and its visited and full KV tile ranges. */
export type RawAxisTileRanges = Pick<AxisTiling, 'qTiles' | 'kvTiles' | 'group' | 'kvLo' | 'kvHi' | 'fullLo' | 'fullHi'>;

export interface RawReferenceArgs<T extends Float32Array | Float64Array> {
  readonly problem: GnaProblem;
  readonly shape: RawShape;
  readonly q: T;
  readonly k: T;
  readonly v: T;
}

/** The reference backward's inputs: the forward's plus dO, the loss's gradient with respect to the output. */
export interface RawReferenceBackwardArgs extends RawReferenceArgs<Float64Array> {
  readonly dO: Float64Array;
}

/** The forward's output and log-sum-exp ([batch, *layout, heads], natural log) and the gradients (layout of q). */
export interface RawGradients<T extends Float32Array | Float64Array> {
  readonly output: T;
  readonly lse: T;
  readonly dq: T;
  readonly dk: T;
  readonly dv: T;
}

export interface RawRunArgs {
  readonly problem: GnaProblem;
  readonly shape: RawShape;
  readonly tiles: TileShape;
  readonly dtype: BenchDtype;
  readonly device: number;
}

export interface RawCudaForwardArgs extends RawRunArgs {
  readonly q: Float32Array;
  readonly k: Float32Array;
  readonly v: Float32Array;
  /** 1 to 16 (default 1): each pass's output is the next one's Q. */
  readonly passes?: number;
  readonly options: LaunchOptions;
}

/** Tile pairs the kernel visited (batch 0, head 0), how many of them needed no mask, and which kernel ran. */
export type RawCounts = Pick<MeasuredTiming, 'visited' | 'full'> & { readonly kernel: string };

export interface RawCudaForwardResult extends RawCounts {
  readonly output: Float32Array;
}

export interface RawCudaBackwardArgs extends RawRunArgs {
  readonly q: Float32Array;
  readonly k: Float32Array;
  readonly v: Float32Array;
  readonly dO: Float32Array;
  readonly options: LaunchOptions;
}

export type RawCudaBackwardResult = RawGradients<Float32Array> & RawCounts;

export interface RawBenchmarkArgs extends RawRunArgs {
  readonly warmup: number;
  readonly repeats: number;
  readonly seed: number;
  /** The launch's options and what is timed (chain, emptyKernel). */
  readonly options: EngineOptions;
  /** What is timed between the events (default forward). */
  readonly pass?: BenchPass;
}

export type RawBenchmarkResult = MeasuredTiming & RawCounts;

/** The Hopper kernel's choice on a compute capability 9.0 GPU, device checks aside; why says why not. */
export interface RawHopperChoice {
  readonly path: 'direct' | 'permuted' | 'none';
  readonly why: string;
}

export interface RawCancelToken {
  cancel(): void;
  readonly cancelled: boolean;
}

export interface NativeAddon {
  /** Bumped when this interface changes; the loader refuses a stale build. */
  readonly abiVersion: number;
  readonly builtWithCuda: boolean;
  deviceInfo(): RawDeviceInfo;
  referenceForward(args: RawReferenceArgs<Float32Array>): Promise<Float32Array>;
  referenceForward(args: RawReferenceArgs<Float64Array>): Promise<Float64Array>;
  referenceBackward(args: RawReferenceBackwardArgs): Promise<RawGradients<Float64Array>>;
  cudaForward(args: RawCudaForwardArgs): Promise<RawCudaForwardResult>;
  cudaBackward(args: RawCudaBackwardArgs): Promise<RawCudaBackwardResult>;
  benchmark(args: RawBenchmarkArgs, cancel?: RawCancelToken): Promise<RawBenchmarkResult>;
  tileRanges(problem: GnaProblem, tiles: TileShape): RawAxisTileRanges[];
  hopperChoice(problem: GnaProblem, shape: RawShape, tiles: TileShape, kernel: EngineOptions['kernel']): RawHopperChoice;
  quantize(values: Float32Array, dtype: BenchDtype): Float32Array;
  readonly CancelToken: new () => RawCancelToken;
}
