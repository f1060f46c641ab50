// From a scanned call to the GNA problem NATTEN will see: the per-axis arguments as the core's
// RawProblem, the token layout (annotation, else setting), the tile shapes for the configured GPU
// family and head dim, and the core's check, simulation and stride recommendation. All numbers
// come from the core; this file only decides which inputs to hand it.

import {
  checkProblem,
  checkTiles,
  CheckResult,
  defaultBackwardTiles,
  defaultTiles,
  GpuFamily,
  product,
  Rank,
  RawProblem,
  Simulation,
  StrideRecommendation,
  TileShape,
  TrainingSimulation,
  show,
  UNKNOWN,
  WorkAboveBudget,
} from '../core';
import type { MaskParameter } from './types';
import type { ScannedArgument, ScannedCall } from '../python/scanner';
import type { Version } from '../python/nattenApi';
import type { PyValue, Span } from '../python/values';
import type { TracedConfig } from '../core/trace';
import type { CoreNumbers } from './numbers';

export interface ResolvedOptions {
  readonly version: Version;
  readonly versionText: string;
  readonly family: GpuFamily;
  readonly headDim: number;
  readonly defaultInputSize?: readonly number[];
}

/** A Python float kept apart from ints (`7.0` is not an int to NATTEN, though it is to JavaScript). */
class PyFloat {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** A non-numeric Python constant shown as Python writes it (`None`, `'7'`). */
class PyConstant {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** A Python value as the core's checks take it: numbers, booleans, arrays, UNKNOWN. */
export function toRaw(v: PyValue): unknown {
  switch (v.kind) {
    case 'int':
      return v.value;
    case 'bool':
      return v.value;
    case 'float':
      return new PyFloat(v.text);
    case 'str':
      return new PyConstant(`'${v.value}'`);
    case 'none':
      return new PyConstant('None');
    case 'tuple':
      return v.items.map(toRaw);
    default:
      return UNKNOWN;
  }
}

export interface Layout {
  readonly inputSize?: readonly number[];
  readonly source: 'annotation' | 'code' | 'setting' | 'trace' | 'none';
  /** Where the annotation's value is written. */
  readonly span?: Span;
  /** The layout as annotated, when the op sees it differently (a 1-D op over a 2-D layout). */
  readonly annotated?: readonly number[];
  /** An annotation value that is not a layout (unknown, not integers). */
  readonly unreadable?: string;
}

export interface CallAnalysis {
  readonly call: ScannedCall;
  readonly raw: RawProblem;
  /** Mask arguments whose value came from the `# gna:` annotation (the code left them unknown). */
  readonly annotated: readonly MaskParameter[];
  /** Annotation values not used (unreadable, or the code says otherwise), with why and where. */
  readonly annotationProblems: readonly { readonly message: string; readonly span: Span }[];
  readonly rank?: Rank;
  readonly layout: Layout;
  readonly check: CheckResult;
  readonly headDim: number;
  readonly headDimSource: 'annotation' | 'module' | 'setting' | 'trace';
  readonly tiles?: TileShape;
  readonly tilesSource?: 'call' | 'preset' | 'trace';
  /** The config a traced run called it with (`gna trace`), which replaces what the code says. */
  readonly traced?: TracedConfig;
  /** Why there are no tiles (no preset for this head dim, bad tile arguments). */
  readonly tilesNote?: string;
  readonly simulation?: Simulation;
  readonly recommendation?: StrideRecommendation;
  /** The backward's tiles (the call's `backward_*_tile_shape`, else the family's backward preset) and the training step. */
  readonly backwardTiles?: TileShape;
  readonly training?: TrainingSimulation;
}

/** The raw value of a per-axis parameter: given, absent (the default), or unknown (`**kwargs`). */
function rawArg(call: ScannedCall, param: string): unknown {
  const arg = call.arguments.get(param);
  if (arg) {
    // NATTEN's Optional stride/dilation/is_causal take None as the default.
    if (arg.value.kind === 'none' && param !== 'kernel_size' && param !== 'kernel_size_d') return undefined;
    return toRaw(arg.value);
  }
  if (call.openKeywords || call.lostPositionals) return UNKNOWN;
  return undefined;
}

/** kernel_size and dilation of the 0.15 3-D API: a depth scalar and a spatial scalar. */
function depthSplit(call: ScannedCall, spatial: string, depth: string): unknown {
  const s = rawArg(call, spatial);
  const d = rawArg(call, depth);
  if (s === undefined) return d === undefined ? undefined : [d, UNKNOWN, UNKNOWN];
  if (Array.isArray(s)) return s; // not what the API takes; let the checks say so
  return [d === undefined ? s : d, s, s];
}

export function rawProblemOf(call: ScannedCall): RawProblem {
  const hasParam = (p: string) => call.signature.params.includes(p);
  const split = call.signature.depthSplit === true;
  return {
    ...(call.op.rank !== undefined ? { rank: call.op.rank } : {}),
    windowSize: split ? depthSplit(call, 'kernel_size', 'kernel_size_d') : rawArg(call, 'kernel_size'),
    stride: hasParam('stride') ? rawArg(call, 'stride') : undefined,
    dilation: split ? depthSplit(call, 'dilation', 'dilation_d') : rawArg(call, 'dilation'),
    causal: hasParam('is_causal') ? rawArg(call, 'is_causal') : undefined,
  };
}

const RAW_FIELDS: readonly [MaskParameter, 'windowSize' | 'stride' | 'dilation' | 'causal'][] = [
  ['kernel_size', 'windowSize'],
  ['stride', 'stride'],
  ['dilation', 'dilation'],
  ['is_causal', 'causal'],
];

/** NATTEN's value of an argument the call leaves out (kernel_size has none). */
const DEFAULT_OF: Readonly<Record<MaskParameter, unknown>> = { kernel_size: undefined, stride: 1, dilation: 1, is_causal: false };

function hasUnknown(v: unknown): boolean {
  return v === UNKNOWN || (Array.isArray(v) && v.some(hasUnknown));
}

/** The per-axis entries of a raw value as text, a scalar broadcast to `axes` (for comparison). */
function perAxis(v: unknown, axes: number): string {
  return JSON.stringify((Array.isArray(v) ? v : new Array(axes).fill(v)).map(String));
}

/**
 * The call's mask arguments with the annotation's values where the code leaves them unknown. A
 * value the code gives (or NATTEN's default, for an argument left out) wins: an annotation that
 * disagrees with it is reported, as is an annotation value that is not known itself.
 */
function withAnnotation(call: ScannedCall, base: RawProblem): { raw: RawProblem; annotated: MaskParameter[]; problems: { message: string; span: Span }[] } {
  const entries = call.annotation?.entries;
  const annotated: MaskParameter[] = [];
  const problems: { message: string; span: Span }[] = [];
  if (!entries) return { raw: base, annotated, problems };
  const raw: Record<string, unknown> = { ...base };
  for (const [param, field] of RAW_FIELDS) {
    const entry = entries[param];
    if (!entry) continue;
    const value = toRaw(entry.value);
    if (hasUnknown(value)) {
      const why = entry.value.kind === 'unknown' ? entry.value.reason : 'an entry is not known';
      problems.push({ message: `${param} in the annotation is not a value (${why}); it is not used.`, span: entry.span });
      continue;
    }
    if (!call.signature.params.includes(param)) {
      problems.push({ message: `${call.op.name} takes no ${param} in this NATTEN version; the annotation's ${param} is not used.`, span: entry.span });
      continue;
    }
    const code = base[field];
    if (hasUnknown(code)) {
      raw[field] = value;
      annotated.push(param);
      continue;
    }
    const given = code === undefined ? DEFAULT_OF[param] : code;
    const axes = Math.max(Array.isArray(value) ? value.length : 1, Array.isArray(given) ? given.length : 1, call.op.rank ?? 1);
    if (given === undefined || perAxis(given, axes) !== perAxis(value, axes)) {
      const says = given === undefined ? `the call gives no ${param}` : code === undefined ? `the call leaves ${param} out, so NATTEN uses ${show(given)}` : `the call gives ${param}=${show(given)}`;
      problems.push({ message: `The annotation's ${param}=${show(value)} disagrees with the code: ${says}. The code's value is used; an annotation only gives what the code does not.`, span: entry.span });
    }
  }
  return { raw: raw as RawProblem, annotated, problems };
}

function intTuple(v: PyValue): number[] | undefined {
  if (v.kind === 'int') return [v.value];
  if (v.kind === 'tuple' && v.items.length > 0 && v.items.every((i) => i.kind === 'int')) return v.items.map((i) => (i as { value: number }).value);
  return undefined;
}

/** The token layout the op sees, and where it came from. */
export function layoutOf(call: ScannedCall, opRank: number | undefined, options: ResolvedOptions): Layout {
  const entry = call.annotation?.entries.input_size;
  if (entry) {
    const annotated = intTuple(entry.value);
    if (!annotated) {
      const why = entry.value.kind === 'unknown' ? entry.value.reason : 'expected integers';
      return { source: 'annotation', span: entry.span, unreadable: `input_size in the annotation is not a layout (${why})` };
    }
    if (opRank === undefined || annotated.length === opRank) return { inputSize: annotated, source: 'annotation', span: entry.span };
    if (opRank === 1) return { inputSize: [product(annotated)], source: 'annotation', span: entry.span, annotated };
    if (opRank < annotated.length) return { inputSize: annotated.slice(annotated.length - opRank), source: 'annotation', span: entry.span, annotated };
    return { source: 'annotation', span: entry.span, annotated };
  }
  if (call.codeLayout) return { inputSize: call.codeLayout.inputSize, source: 'code' };
  const setting = options.defaultInputSize;
  if (setting && setting.length > 0 && (opRank === undefined || setting.length === opRank)) return { inputSize: setting, source: 'setting' };
  return { source: 'none' };
}

function headDimOf(call: ScannedCall, options: ResolvedOptions): { headDim: number; source: CallAnalysis['headDimSource'] } {
  const annotated = call.annotation?.entries.head_dim?.value;
  if (annotated?.kind === 'int' && annotated.value > 0) return { headDim: annotated.value, source: 'annotation' };
  if (call.op.kind === 'module') {
    const dim = call.arguments.get('embed_dim') ?? call.arguments.get('dim');
    const heads = call.arguments.get('num_heads');
    if (dim?.value.kind === 'int' && heads?.value.kind === 'int' && heads.value.value > 0 && dim.value.value % heads.value.value === 0) {
      return { headDim: dim.value.value / heads.value.value, source: 'module' };
    }
  }
  return { headDim: options.headDim, source: 'setting' };
}

function tileArg(arg: ScannedArgument | undefined): number[] | undefined | 'bad' {
  if (!arg || arg.value.kind === 'none') return undefined;
  return intTuple(arg.value) ?? 'bad';
}

/** A traced config as the core's raw problem: every per-axis value as the run passed it. */
function tracedProblem(t: TracedConfig): RawProblem {
  return { rank: t.layout.length as Rank, inputSize: t.layout, windowSize: t.kernelSize, stride: t.stride, dilation: t.dilation, causal: t.isCausal };
}

/** The result, or nothing when it is above the work budget (the hover then shows what was computed). */
function withinBudget<T>(compute: () => T): T | undefined {
  try {
    return compute();
  } catch (e) {
    if (e instanceof WorkAboveBudget) return undefined;
    throw e;
  }
}

/** The call's backward tiles, completed from the family's backward preset; undefined when unknown or unfit. */
function backwardTilesOf(call: ScannedCall, rank: Rank, family: GpuFamily, headDim: number): TileShape | undefined {
  const preset = defaultBackwardTiles(family, rank, headDim);
  const q = tileArg(call.arguments.get('backward_q_tile_shape'));
  const kv = tileArg(call.arguments.get('backward_kv_tile_shape'));
  if (q === 'bad' || kv === 'bad') return undefined;
  const tiles = { q: q ?? preset?.q, kv: kv ?? preset?.kv };
  if (!tiles.q || !tiles.kv || checkTiles(tiles.q, tiles.kv, rank, 'multi').length > 0) return undefined;
  return { q: tiles.q, kv: tiles.kv };
}

export function analyzeCall(call: ScannedCall, options: ResolvedOptions, numbers: CoreNumbers, traced?: TracedConfig): CallAnalysis {
  const layout: Layout = traced ? { inputSize: traced.layout, source: 'trace' } : layoutOf(call, call.op.rank, options);
  // A traced config knows every value: the annotation's are for calls the code leaves open.
  const { raw: base, annotated, problems: annotationProblems } = traced ? { raw: tracedProblem(traced), annotated: [], problems: [] } : withAnnotation(call, rawProblemOf(call));
  const raw: RawProblem = layout.inputSize ? { ...base, inputSize: layout.inputSize } : base;
  const check = checkProblem(raw);
  const { headDim, source: headDimSource } = traced ? { headDim: traced.headDim, source: 'trace' as const } : headDimOf(call, options);
  const analysis: CallAnalysis = { call, raw, annotated, annotationProblems, rank: check.rank, layout, check, headDim, headDimSource, ...(traced ? { traced } : {}) };
  const problem = check.problem;
  if (!problem || check.rank === undefined) return analysis;

  let tiles: TileShape | undefined;
  let tilesSource: 'call' | 'preset' | 'trace' | undefined;
  let tilesNote: string | undefined;
  const preset = defaultTiles(options.family, check.rank, headDim);
  const q = traced ? traced.tiles?.q && [...traced.tiles.q] : tileArg(call.arguments.get('q_tile_shape'));
  const kv = traced ? traced.tiles?.kv && [...traced.tiles.kv] : tileArg(call.arguments.get('kv_tile_shape'));
  if (q === 'bad' || kv === 'bad') {
    tilesNote = 'the tile shapes in the call are not known';
  } else if (q || kv) {
    const qt = q ?? preset?.q;
    const kvt = kv ?? preset?.kv;
    if (qt && kvt && checkTiles(qt, kvt, check.rank, 'multi').length === 0) {
      tiles = { q: qt, kv: kvt };
      tilesSource = traced ? 'trace' : 'call';
    } else tilesNote = 'the tile shapes in the call do not fit the op';
  } else if (preset) {
    tiles = { q: preset.q, kv: preset.kv };
    tilesSource = 'preset';
  } else {
    tilesNote = `${options.family} kernels have no tile preset for head dim ${headDim}`;
  }
  if (!tiles) return { ...analysis, ...(tilesNote ? { tilesNote } : {}) };
  const simulation = withinBudget(() => numbers.simulate(problem, tiles));
  // Above the work budget (a long causal window on tiny tiles): said in the summary, not run on.
  if (!simulation) return { ...analysis, tiles, tilesNote: 'the simulation is above the work budget' };
  const recommendation = numbers.recommend(problem, tiles);
  const backwardTiles = backwardTilesOf(call, check.rank, options.family, headDim);
  const training = backwardTiles ? withinBudget(() => numbers.training(problem, tiles, backwardTiles)) : undefined;
  return {
    ...analysis,
    tiles,
    ...(tilesSource ? { tilesSource } : {}),
    simulation,
    recommendation,
    ...(backwardTiles && training ? { backwardTiles, training } : {}),
  };
}
