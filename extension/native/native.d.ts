// The shape of the compiled addon (native/src/addon.cc) as JavaScript sees it. Only the loader
// and the wrapper in this folder touch it; everything else uses the wrapper's API (index.ts).

export interface RawProblem {
  readonly inputSize: readonly number[];
  readonly windowSize: readonly number[];
  readonly stride: readonly number[];
  readonly dilation: readonly number[];
  readonly causal: readonly boolean[];
}

export interface RawShape {
  readonly batch: number;
  readonly heads: number;
  readonly headDim: number;
  readonly scale: number;
}

export interface RawTiles {
  readonly q: readonly number[];
  readonly kv: readonly number[];
}

export type RawDtype = 'float16' | 'bfloat16' | 'float32' | 'float64';

export interface RawDevice {
  readonly index: number;
  readonly name: string;
  /** `"9.0"` */
  readonly computeCapability: string;
  readonly multiprocessors: number;
  readonly totalMemBytes: number;
}

export interface RawDeviceInfo {
  readonly builtWithCuda: boolean;
  /** cudaRuntimeGetVersion, e.g. 13000; 0 in the CPU-only build. */
  readonly runtimeVersion: number;
  /** cudaDriverGetVersion; 0 when no driver is installed. */
  readonly driverVersion: number;
  readonly available: boolean;
  readonly message: string;
  /** Set when `available` is false: GNA_ERR_NO_DEVICE or GNA_ERR_NOT_BUILT. */
  readonly code?: string;
  readonly devices: readonly RawDevice[];
}

export interface RawAxisTileRanges {
  readonly qTiles: number;
  readonly kvTiles: number;
  readonly group: Int32Array;
  readonly kvLo: Int32Array;
  readonly kvHi: Int32Array;
  readonly fullLo: Int32Array;
  readonly fullHi: Int32Array;
}

export interface RawReferenceArgs<T extends Float32Array | Float64Array> {
  readonly problem: RawProblem;
  readonly shape: RawShape;
  readonly q: T;
  readonly k: T;
  readonly v: T;
}

export interface RawRunArgs {
  readonly problem: RawProblem;
  readonly shape: RawShape;
  readonly tiles: RawTiles;
  readonly dtype: 'float16' | 'bfloat16';
  readonly device: number;
}

export interface RawCudaForwardArgs extends RawRunArgs {
  readonly q: Float32Array;
  readonly k: Float32Array;
  readonly v: Float32Array;
  /** 1 to 16 (default 1): each pass's output is the next one's Q. */
  readonly passes?: number;
}

export interface RawCudaForwardResult {
  readonly output: Float32Array;
  /** Tile pairs the kernel visited (batch 0, head 0), and how many of them needed no mask. */
  readonly visited: number;
  readonly full: number;
  /** Which kernel ran, e.g. "sm90a wgmma+TMA, direct layout" or "portable mma.sync". */
  readonly kernel: string;
}

export interface RawBenchmarkArgs extends RawRunArgs {
  readonly warmup: number;
  readonly repeats: number;
  readonly seed: number;
}

export interface RawBenchmarkResult {
  readonly attentionMs: number;
  readonly permuteMs: number;
  readonly totalMs: number;
  readonly repeats: number;
  readonly visited: number;
  readonly full: number;
  readonly kernel: string;
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
  cudaForward(args: RawCudaForwardArgs): Promise<RawCudaForwardResult>;
  benchmark(args: RawBenchmarkArgs, cancel?: RawCancelToken): Promise<RawBenchmarkResult>;
  tileRanges(problem: RawProblem, tiles: RawTiles): RawAxisTileRanges[];
  quantize(values: Float32Array, dtype: 'float16' | 'bfloat16'): Float32Array;
  readonly CancelToken: new () => RawCancelToken;
}
