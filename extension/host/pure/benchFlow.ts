// "GNA: Benchmark…": the steps of its quick input flow (layout, window, stride, dilation, causal,
// heads, head dim, dtype, batch), each with the text it starts from and a parser that answers
// a value or a sentence saying what is wrong, in the words of the core's NATTEN checks. The
// values of the last run are remembered by the host and offered again. Pure.

import type { BenchDtype } from '../../core/bench';
import { defaultBackwardTiles } from '../../core/backwardPresets';
import type { RunPass } from '../../core/benchSchema';
import type { GpuFamily } from '../../core/presets';
import type { TileShape } from '../../core/problem';
import type { SweepPlan } from './benchHistory';
import { formatTuple, GnaProblem, Workload } from '../../core/problem';
import { checkProblem, PROBLEM_PARAMETERS } from '../../core/validate';

/** The problem (checked step by step as it is entered), the workload and the input type. */
export type FlowValues = GnaProblem & Workload & { readonly dtype: BenchDtype };

/** The kernel's head dims (extension/native CUDA_HEAD_DIMS). */
export const FLOW_HEAD_DIMS: readonly number[] = [32, 64, 128, 256];
export const FLOW_DTYPES: readonly { readonly dtype: BenchDtype; readonly label: string; readonly detail: string }[] = [
  { dtype: 'bfloat16', label: 'bf16', detail: 'bfloat16 inputs, fp32 accumulation' },
  { dtype: 'float16', label: 'fp16', detail: 'float16 inputs, fp32 accumulation' },
];
/** Beyond these a typo is more likely than a real workload (and the GPU would run out of memory). */
export const MAX_HEADS = 1024;
export const MAX_BATCH = 1024;

/** FLUX-4K's layout and window (GNA-SPEC §6), with `gna bench`'s default workload. */
export const DEFAULT_FLOW: FlowValues = {
  inputSize: [256, 256],
  windowSize: [80, 80],
  stride: [1, 1],
  dilation: [1, 1],
  causal: [false, false],
  heads: 1,
  headDim: 128,
  dtype: 'bfloat16',
  batch: 1,
};

export type FlowTextKey = 'inputSize' | 'windowSize' | 'stride' | 'dilation' | 'causal' | 'heads' | 'batch';

export interface TextStep {
  readonly key: FlowTextKey;
  readonly prompt: string;
  readonly placeholder: string;
  /** The field's text for the values so far. */
  format(values: FlowValues): string;
  /** The field's value from text, checked against the values of the earlier steps. */
  parse(text: string, values: FlowValues): { value: FlowValues } | { error: string };
}

/** Words of a tuple as typed: `30 48 80`, `30,48,80`, `30x48x80`, `(30, 48, 80)`. */
export function tupleWords(text: string): string[] {
  return text
    .trim()
    .replace(/^[([]|[)\]]$/g, '')
    .split(/[\s,x×]+/)
    .filter((w) => w !== '');
}

function parseInts(text: string, name: string): number[] | string {
  const words = tupleWords(text);
  if (words.length === 0) return `${name} is required.`;
  if (words.length > 3) return `${name} has ${words.length} entries; GNA layouts have 1 to 3 axes.`;
  const values = words.map((w) => (/^\d+$/.test(w) ? Number(w) : NaN));
  if (values.some((v) => !Number.isSafeInteger(v) || v < 1)) return `${name} takes positive integers, got "${text.trim()}".`;
  return values;
}

function parseBools(text: string): boolean[] | string {
  const words = tupleWords(text.toLowerCase());
  if (words.length === 0) return 'is_causal is required (false, true, or one per axis).';
  const map: Record<string, boolean> = { true: true, t: true, '1': true, yes: true, false: false, f: false, '0': false, no: false };
  const values = words.map((w) => map[w]);
  if (values.some((v) => v === undefined)) return `is_causal takes true/false (or 1/0) per axis, got "${text.trim()}".`;
  return values as boolean[];
}

/** One value for every axis, or one per axis (NATTEN's broadcasting of scalars). */
function broadcast<T>(values: readonly T[], rank: number, name: string): T[] | string {
  if (values.length === 1) return new Array<T>(rank).fill(values[0]);
  if (values.length !== rank) return `${name} has ${values.length} entries but the layout has ${rank} axes: give one value or ${rank}.`;
  return [...values];
}

/** The earlier steps' values with `change`, re-broadcast to the layout's rank where needed. */
function fit(values: FlowValues, rank: number): FlowValues {
  // A value the same on every axis carries over to the new rank (80×80 → 80×80×80); others reset.
  const to = <T>(v: readonly T[], fill: T): T[] => (v.length === rank ? [...v] : new Array<T>(rank).fill(v.length > 0 && v.every((x) => x === v[0]) ? v[0] : fill));
  return {
    ...values,
    windowSize: to(values.windowSize, 2),
    stride: to(values.stride, 1),
    dilation: to(values.dilation, 1),
    causal: to(values.causal, false),
  };
}

/** NATTEN's checks over the fields entered so far (later fields at their defaults). */
function checkSoFar(values: FlowValues, upTo: 'windowSize' | 'stride' | 'dilation' | 'causal'): string | undefined {
  const rank = values.inputSize.length;
  const ones = new Array<number>(rank).fill(1);
  const order = ['windowSize', 'stride', 'dilation', 'causal'];
  const known = (key: string) => order.indexOf(key) <= order.indexOf(upTo);
  const check = checkProblem({
    rank,
    inputSize: values.inputSize,
    windowSize: values.windowSize,
    stride: known('stride') ? values.stride : ones,
    dilation: known('dilation') ? values.dilation : ones,
    causal: known('causal') ? values.causal : new Array<boolean>(rank).fill(false),
  });
  return check.issues.length > 0 ? check.issues.map((i) => i.message).join(' ') : undefined;
}

const tupleText = (values: readonly (number | boolean)[]): string =>
  values.every((v) => v === values[0]) && values.length > 1 ? String(values[0]) : values.map(String).join(' ');

function tupleStep(key: 'windowSize' | 'stride' | 'dilation', name: string, prompt: string, placeholder: string): TextStep {
  return {
    key,
    prompt,
    placeholder,
    format: (v) => tupleText(v[key]),
    parse(text, values) {
      const ints = parseInts(text, name);
      if (typeof ints === 'string') return { error: ints };
      const full = broadcast(ints, values.inputSize.length, name);
      if (typeof full === 'string') return { error: full };
      const next = { ...values, [key]: full };
      const error = checkSoFar(next, key);
      return error ? { error } : { value: next };
    },
  };
}

function countStep(key: 'heads' | 'batch', prompt: string, max: number): TextStep {
  return {
    key,
    prompt,
    placeholder: key === 'heads' ? 'e.g. 24' : 'e.g. 1',
    format: (v) => String(v[key]),
    parse(text, values) {
      const t = text.trim();
      if (!/^\d+$/.test(t) || Number(t) < 1) return { error: `${key} must be a positive integer, got "${t}".` };
      if (Number(t) > max) return { error: `${key} must be at most ${max}, got ${t}.` };
      return { value: { ...values, [key]: Number(t) } };
    },
  };
}

/** The text steps in order; head dim and dtype are picks between heads and batch (see FLOW_ORDER). */
export const TEXT_STEPS: Readonly<Record<FlowTextKey, TextStep>> = {
  inputSize: {
    key: 'inputSize',
    prompt: 'Token layout (input size): 1 to 3 axes, e.g. 30 48 80',
    placeholder: 'e.g. 256 256',
    format: (v) => v.inputSize.join(' '),
    parse(text, values) {
      const ints = parseInts(text, 'input size');
      if (typeof ints === 'string') return { error: ints };
      const check = checkProblem({ rank: ints.length, inputSize: ints, windowSize: ints.map(() => 2) });
      const tooBig = check.issues.find((i) => i.parameter === 'input_size');
      if (tooBig) return { error: tooBig.message };
      return { value: fit({ ...values, inputSize: ints }, ints.length) };
    },
  },
  windowSize: tupleStep('windowSize', 'kernel_size', 'Window size (kernel_size): one for every axis or one per axis', 'e.g. 80'),
  stride: tupleStep('stride', 'stride', 'Stride: 1 is a sliding window, the window size is blocked attention', 'e.g. 1'),
  dilation: tupleStep('dilation', 'dilation', 'Dilation', 'e.g. 1'),
  causal: {
    key: 'causal',
    prompt: 'Causal (is_causal): false, true, or one per axis, e.g. true false false',
    placeholder: 'false',
    format: (v) => tupleText(v.causal),
    parse(text, values) {
      const bools = parseBools(text);
      if (typeof bools === 'string') return { error: bools };
      const full = broadcast(bools, values.inputSize.length, 'is_causal');
      if (typeof full === 'string') return { error: full };
      const next = { ...values, causal: full };
      const error = checkSoFar(next, 'causal');
      return error ? { error } : { value: next };
    },
  },
  heads: countStep('heads', 'Attention heads', MAX_HEADS),
  batch: countStep('batch', 'Batch size', MAX_BATCH),
};

export type FlowStep = FlowTextKey | 'headDim' | 'dtype';
export const FLOW_ORDER: readonly FlowStep[] = ['inputSize', 'windowSize', 'stride', 'dilation', 'causal', 'heads', 'headDim', 'dtype', 'batch'];

/** The checked problem and workload of a finished flow, or every problem with it. */
export function flowProblem(values: FlowValues): { problem: GnaProblem; workload: Workload } | { error: string } {
  const check = checkProblem({ ...values, rank: values.inputSize.length });
  if (!check.problem) return { error: check.issues.map((i) => i.message).join(' ') || 'The config is incomplete.' };
  if (!FLOW_HEAD_DIMS.includes(values.headDim)) return { error: `head dim must be one of ${FLOW_HEAD_DIMS.join(', ')}, got ${values.headDim}.` };
  return { problem: check.problem, workload: { batch: values.batch, heads: values.heads, headDim: values.headDim } };
}

/**
 * Remembered values as stored (anything from an older version or a hand edit): the parts that
 * still make a valid config are kept, the rest fall back to the defaults.
 */
export function restoreFlow(stored: unknown): FlowValues {
  if (typeof stored !== 'object' || stored === null) return DEFAULT_FLOW;
  const s = stored as Record<string, unknown>;
  const ints = (v: unknown): v is number[] => Array.isArray(v) && v.length >= 1 && v.length <= 3 && v.every((x) => Number.isSafeInteger(x) && x >= 1);
  const count = (v: unknown, max: number): v is number => Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= max;
  const workload = {
    heads: count(s.heads, MAX_HEADS) ? (s.heads as number) : DEFAULT_FLOW.heads,
    batch: count(s.batch, MAX_BATCH) ? (s.batch as number) : DEFAULT_FLOW.batch,
    headDim: FLOW_HEAD_DIMS.includes(s.headDim as number) ? (s.headDim as number) : DEFAULT_FLOW.headDim,
    dtype: FLOW_DTYPES.some((d) => d.dtype === s.dtype) ? (s.dtype as BenchDtype) : DEFAULT_FLOW.dtype,
  };
  const candidate = {
    inputSize: s.inputSize,
    windowSize: s.windowSize,
    stride: s.stride,
    dilation: s.dilation,
    causal: s.causal,
  };
  const check =
    ints(candidate.inputSize) && ints(candidate.windowSize) && ints(candidate.stride) && ints(candidate.dilation) && Array.isArray(candidate.causal)
      ? checkProblem({ ...candidate, rank: candidate.inputSize.length })
      : undefined;
  return check?.problem ? { ...check.problem, ...workload } : { ...DEFAULT_FLOW, ...workload };
}

/** The values a call's config starts the flow from (the remembered workload kept). */
export function flowFromProblem(problem: GnaProblem, remembered: FlowValues): FlowValues {
  return { ...remembered, ...problem };
}

/** The problem values a call gives, each absent where the call does not give it. */
export type KnownProblem = { readonly [K in 'inputSize' | 'windowSize' | 'stride' | 'dilation' | 'causal']?: GnaProblem[K] };

export interface FlowStart {
  /** The call's values over the remembered ones (which only stand in where the call gives none). */
  readonly values: FlowValues;
  /** The steps whose value the call does not give, in flow order: asked with an empty field. */
  readonly missing: readonly FlowTextKey[];
}

/**
 * The flow's start from a call as far as it is known (its `rank`: the op's): the values it gives
 * prefill their steps; the others are missing, asked for with an empty field and never taken from
 * an earlier run. The remembered values only keep the steps' checks working until then.
 */
export function flowFromCall(known: KnownProblem, rank: number, remembered: FlowValues): FlowStart {
  const r = known.inputSize?.length ?? rank;
  const layout = known.inputSize ?? (remembered.inputSize.length === r ? remembered.inputSize : new Array<number>(r).fill(remembered.inputSize[0]));
  const values: FlowValues = { ...fit({ ...remembered, inputSize: [...layout] }, r) };
  const keys = PROBLEM_PARAMETERS.map((p) => p.field);
  const given = Object.fromEntries(keys.filter((k) => known[k] !== undefined).map((k) => [k, [...known[k]!]]));
  return { values: { ...values, ...given }, missing: keys.filter((k) => known[k] === undefined) };
}

/** A missing step's prompt: that the call does not give it, then the step's own words. */
export function missingPrompt(key: FlowTextKey): string {
  const name = PROBLEM_PARAMETERS.find((p) => p.field === key)?.parameter ?? key;
  return `The call does not give ${name}: enter it. ${TEXT_STEPS[key].prompt}`;
}

/**
 * The workload of a traced call (batch, heads, and the head dim and dtype where the kernel has
 * them) over the remembered one: a benchmark of a traced call times what the run ran.
 */
export function flowWorkload(traced: { batch: number; heads: number; headDim: number; dtype?: string } | undefined, remembered: FlowValues): FlowValues {
  if (!traced) return remembered;
  const dtype = FLOW_DTYPES.find((d) => d.dtype === traced.dtype)?.dtype;
  return {
    ...remembered,
    batch: Math.min(traced.batch, MAX_BATCH),
    heads: Math.min(traced.heads, MAX_HEADS),
    ...(FLOW_HEAD_DIMS.includes(traced.headDim) ? { headDim: traced.headDim } : {}),
    ...(dtype ? { dtype } : {}),
  };
}

/**
 * `256×256, window 80×80 · 24 heads × 128, bf16, batch 1`: the flow's title line; a value still to
 * be entered (`unknown`) is `?`, never the stand-in it has until then.
 */
export function describeFlow(values: FlowValues, unknown: readonly FlowTextKey[] = []): string {
  const dtype = FLOW_DTYPES.find((d) => d.dtype === values.dtype)?.label ?? values.dtype;
  const shown = (key: 'inputSize' | 'windowSize') => (unknown.includes(key) ? '?' : formatTuple(values[key]));
  return `${shown('inputSize')}, window ${shown('windowSize')} · ${values.heads} head${values.heads === 1 ? '' : 's'} × ${values.headDim}, ${dtype}, batch ${values.batch}`;
}

// ---- which pass a run times (gna.pass) -------------------------------------------------------

/**
 * What a run times: the forward, or the training step on these backward tiles; and why not the
 * training step where it was asked for and cannot be timed (no backward tiles for the head dim).
 */
export interface RunOn {
  readonly pass: RunPass;
  readonly backwardTiles?: TileShape;
  readonly backwardUnavailable?: string;
}

/** `gna.pass` for a config: `training` on the family's backward tiles; where it has none, the forward alone and why. */
export function passOn(pass: RunPass, family: GpuFamily, rank: number, headDim: number): RunOn {
  if (pass !== 'training') return { pass: 'forward' };
  const preset = defaultBackwardTiles(family, rank, headDim);
  if (preset) return { pass: 'training', backwardTiles: { q: [...preset.q], kv: [...preset.kv] } };
  return { pass: 'forward', backwardUnavailable: `Backward not timed: no ${family} backward tiles for head dim ${headDim} (NATTEN has none), so the forward alone was.` };
}

export interface RunChoice {
  readonly label: string;
  readonly description: string;
  /** A sweep; undefined for the config alone. */
  readonly plan: SweepPlan | undefined;
  readonly on: RunOn;
}

/**
 * The last step of "GNA: Benchmark…": the config as `gna.pass` says, then the other pass (where
 * it can be timed), then the sweeps (as `gna.pass` says). Each says what it times.
 */
export function runChoices(config: string, plans: readonly SweepPlan[], setting: RunPass, family: GpuFamily, rank: number, headDim: number): RunChoice[] {
  const asked = passOn(setting, family, rank, headDim);
  const training = passOn('training', family, rank, headDim);
  const other: RunOn | undefined = asked.pass === 'training' ? { pass: 'forward' } : training.pass === 'training' && setting !== 'training' ? training : undefined;
  const words = (on: RunOn) => (on.pass === 'training' ? 'forward, backward and training step' : `forward pass${on.backwardUnavailable ? ' (no backward tiles for this head dim)' : ''}`);
  return [
    { label: 'Benchmark this config', description: `${config} · ${words(asked)}`, plan: undefined, on: asked },
    ...(other ? [{ label: other.pass === 'training' ? 'Benchmark this config with its backward and training step' : 'Benchmark the forward pass only', description: words(other), plan: undefined, on: other }] : []),
    ...plans.map((plan) => ({
      label: plan.kind === 'stride' ? `Sweep strides from the recommendation (${plan.problems.length} configs)` : `Sweep window sizes (${plan.problems.length} configs)`,
      description: `${plan.description} · ${words(asked)}`,
      plan,
      on: asked,
    })),
  ];
}
