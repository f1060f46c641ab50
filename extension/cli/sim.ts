// `gna sim`: simulate one config (flags as NATTEN's profiler has them) or every config of a JSON
// file, as a readable table or one JSON object per config.

import {
  checkProblem,
  checkTiles,
  defaultBackwardTiles,
  defaultTiles,
  GnaProblem,
  GpuFamily,
  GPU_FAMILIES,
  recommendStride,
  presetsFor,
  recommendTrainingStride,
  searchPresets,
  simulate,
  simulateTraining,
  Tiling,
  TileShape,
  WorkAboveBudget,
  WorkBudget,
  Workload,
} from '../core';
import { FlagSpec, helpText, parseArgs, unexpectedArguments } from './args';
import { CliIO, Command, EXIT, UsageError } from './io';
import { SimRequest, SimRequestSchema } from './schema';
import { renderSimulation, SimResult, simulationJson } from './simReport';
import { readBoundedFile } from './walk';

/** A config file above this is refused: the bundled examples are ~2 KB, a generated sweep ~100 KB. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
/** Problems one config file may hold; more are refused rather than held and simulated at once. */
export const MAX_CONFIG_PROBLEMS = 1000;

/** The flags that describe a problem and its tiles, shared by `gna sim` and `gna bench`. */
export const PROBLEM_FLAGS: FlagSpec[] = [
  { name: 'input-size', short: 'i', kind: 'ints', help: 'token layout, e.g. -i 30 48 80 (rank 1 to 3)' },
  { name: 'window-size', short: 'w', kind: 'ints', help: 'window (kernel_size) per axis or one for all' },
  { name: 'stride', short: 's', kind: 'ints', help: 'stride per axis or one for all (default 1)' },
  { name: 'dilation', kind: 'ints', help: 'dilation per axis or one for all (default 1)' },
  { name: 'causal', short: 'c', kind: 'bools', help: 'causal per axis: true/false/1/0 (bare -c: all axes)' },
  { name: 'heads', short: 'n', kind: 'number', help: 'attention heads (default 1)' },
  { name: 'dim', short: 'd', kind: 'number', help: 'head dim (default 128; picks tile presets)' },
  { name: 'batch', short: 'b', kind: 'number', help: 'batch size (default 1)' },
  { name: 'q-tile', kind: 'ints', help: 'Q tile shape (default: the GPU family preset)' },
  { name: 'kv-tile', kind: 'ints', help: 'KV tile shape (default: the GPU family preset)' },
  { name: 'arch', kind: 'string', choices: GPU_FAMILIES, help: 'GPU family for presets: hopper (default), blackwell, ampere' },
  { name: 'tiling', kind: 'string', choices: ['multi', 'single'], help: 'multi-dimensional (default) or single-dimensional tiling' },
];

/** The last flags of `gna sim` and `gna bench`: the output's form, and help. */
export const OUTPUT_FLAGS: FlagSpec[] = [
  { name: 'json', kind: 'flag', help: 'print JSON instead of a table' },
  { name: 'help', short: 'h', kind: 'flag', help: 'show this help' },
];

/** The backward pass and its tiles, shared by `gna sim` and `gna bench`. */
export const BACKWARD_FLAGS: FlagSpec[] = [
  { name: 'backward', kind: 'flag', help: 'add the backward pass (KV-parallel) and the training step' },
  { name: 'backward-q-tile', kind: 'ints', help: 'backward Q tile shape (default: the family\'s backward preset)' },
  { name: 'backward-kv-tile', kind: 'ints', help: 'backward KV tile shape (default: the family\'s backward preset)' },
];

const FLAGS: FlagSpec[] = [
  ...PROBLEM_FLAGS,
  { name: 'recommend', kind: 'flag', help: 'add the stride recommendation' },
  ...BACKWARD_FLAGS,
  { name: 'pass', kind: 'string', choices: ['forward', 'training'], help: 'what --recommend targets: forward (default) or training (forward + backward; implies --backward)' },
  { name: 'search', kind: 'flag', help: "rank the family's tile presets for this problem" },
  { name: 'attention-share', kind: 'number', help: "share of the model's time in this attention (0..1): end-to-end estimate" },
  { name: 'config', kind: 'string', help: 'simulate every problem of a JSON file instead of the flags' },
  ...OUTPUT_FLAGS,
];

const SUMMARY = 'Simulate a GNA config: tile pairs visited, simulated speedup, tile-pair and FLOP-wise bounds.';

/** One problem ready to simulate, with everything the report needs. */
export interface SimJob {
  readonly label?: string;
  readonly problem: GnaProblem;
  readonly tiles: TileShape;
  readonly tiling: Tiling;
  readonly family: GpuFamily;
  readonly workload: Workload;
  readonly recommend: boolean;
  readonly search: boolean;
  readonly attentionShare?: number;
  /** Set with --backward (or --pass training): the backward's tiles. */
  readonly backwardTiles?: TileShape;
  readonly pass: 'forward' | 'training';
}

/** The tiles of one pass: both given, one given (the other from the preset), or the preset. */
function passTiles(
  given: { q?: number[]; kv?: number[] },
  preset: TileShape | undefined,
  rank: number,
  tiling: Tiling,
  flags: string,
  missing: string,
  problems: string[],
): TileShape | undefined {
  const q = given.q ?? preset?.q;
  const kv = given.kv ?? preset?.kv;
  if (q === undefined || kv === undefined) {
    problems.push(`${missing}; give ${flags}`);
    return undefined;
  }
  const flat = (t: readonly number[]): number[] => [t.reduce((a, b) => a * b, 1)];
  // A preset is a box; single-dimensional tiling runs the same number of tokens per tile.
  const tiles = tiling === 'single' && given.q === undefined && given.kv === undefined ? { q: flat(q), kv: flat(kv) } : { q, kv };
  const issues = checkTiles(tiles.q, tiles.kv, rank, tiling);
  for (const t of issues) problems.push(t.message);
  return issues.length === 0 ? tiles : undefined;
}

/** Turns a request (from flags or a file) into a job, or lists every problem with it. */
export function prepareJob(req: SimRequest, where = ''): SimJob | string[] {
  const problems: string[] = [];
  const prefix = where ? `${where}: ` : '';
  const check = checkProblem({
    inputSize: req.inputSize,
    windowSize: req.windowSize,
    stride: req.stride,
    dilation: req.dilation,
    causal: req.causal,
  });
  if (req.inputSize === undefined) problems.push(`${prefix}the token layout is required (-i/--input-size)`);
  for (const issue of check.issues) problems.push(prefix + issue.message);
  const family = req.arch ?? 'hopper';
  const tiling = req.tiling ?? 'multi';
  const workload: Workload = { batch: req.batch ?? 1, heads: req.heads ?? 1, headDim: req.dim ?? 128 };
  for (const [name, v] of [
    ['--heads', workload.heads],
    ['--batch', workload.batch],
    ['--dim', workload.headDim],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 1) problems.push(`${prefix}${name} must be a positive integer, got ${v}`);
  }
  if (req.attentionShare !== undefined && !(req.attentionShare > 0 && req.attentionShare <= 1)) {
    problems.push(`${prefix}--attention-share must be in (0, 1], got ${req.attentionShare}`);
  }
  const rank = check.rank;
  let tiles: TileShape | undefined;
  let backwardTiles: TileShape | undefined;
  const pass = req.pass ?? 'forward';
  const backward = req.backward === true || pass === 'training' || req.backwardQTile !== undefined || req.backwardKvTile !== undefined;
  if (rank !== undefined) {
    const tileProblems: string[] = [];
    const noPreset = (what: string): string => `${family} kernels have no ${what} preset for head dim ${workload.headDim}`;
    tiles = passTiles({ q: req.qTile, kv: req.kvTile }, defaultTiles(family, rank, workload.headDim), rank, tiling, '--q-tile and --kv-tile', noPreset('tile'), tileProblems);
    if (backward) {
      const preset = defaultBackwardTiles(family, rank, workload.headDim);
      backwardTiles = passTiles({ q: req.backwardQTile, kv: req.backwardKvTile }, preset, rank, tiling, '--backward-q-tile and --backward-kv-tile', noPreset('backward tile'), tileProblems);
    }
    for (const t of tileProblems) problems.push(prefix + t);
  }
  if (problems.length > 0 || !check.problem || !tiles) return problems.length > 0 ? problems : [`${prefix}incomplete config`];
  return {
    ...(req.label ? { label: req.label } : {}),
    problem: check.problem,
    tiles,
    tiling,
    family,
    workload,
    recommend: req.recommend ?? false,
    search: req.search ?? false,
    ...(req.attentionShare !== undefined ? { attentionShare: req.attentionShare } : {}),
    ...(backwardTiles ? { backwardTiles } : {}),
    pass,
  };
}

export function runJob(job: SimJob): SimResult {
  const options = { tiling: job.tiling, workload: job.workload, attentionShare: job.attentionShare };
  // Every computation here is bounded by the core's work budget; what would pass it is reported
  // as skipped (or cut off, inside the recommendation and the preset search), never run on.
  const skipped: string[] = [];
  const within = <T>(compute: () => T): T | undefined => {
    try {
      return compute();
    } catch (e) {
      if (!(e instanceof WorkAboveBudget)) throw e;
      skipped.push(e.message);
      return undefined;
    }
  };
  const simulation = within(() => simulate(job.problem, job.tiles, { ...options, budget: new WorkBudget() }));
  if (!simulation) return { job, skipped };
  // The per-axis recommendation assumes box tiles; for 1-D layouts the two tilings coincide.
  const multiDim = job.tiling === 'multi' || job.problem.inputSize.length === 1;
  const recommendForward = job.recommend && multiDim && job.pass === 'forward';
  const recommendation = recommendForward ? recommendStride(job.problem, job.tiles, options) : undefined;
  const ranked = job.search ? searchPresets(job.problem, job.family, job.workload.headDim, options) : undefined;
  if (ranked && ranked.length < presetsFor(job.family, job.problem.inputSize.length, job.workload.headDim).length) {
    skipped.push(`preset search cut off after ${ranked.length} presets: work above budget`);
  }
  const trainingSimulation = job.backwardTiles ? within(() => simulateTraining(job.problem, job.tiles, job.backwardTiles!, options)) : undefined;
  const trainingRecommendation =
    trainingSimulation && job.recommend && multiDim && job.pass === 'training'
      ? within(() => recommendTrainingStride(job.problem, job.tiles, job.backwardTiles!, options))
      : undefined;
  const training = trainingSimulation ? { simulation: trainingSimulation, ...(trainingRecommendation ? { recommendation: trainingRecommendation } : {}) } : undefined;
  return { job, simulation, recommendation, ranked, ...(training ? { training } : {}), ...(skipped.length > 0 ? { skipped } : {}) };
}

export function requestFromFlags(values: Map<string, unknown>): SimRequest {
  const tuple = (name: string) => values.get(name) as number[] | undefined;
  return {
    inputSize: tuple('input-size'),
    windowSize: tuple('window-size'),
    stride: tuple('stride'),
    dilation: tuple('dilation'),
    causal: values.get('causal') as boolean[] | undefined,
    heads: values.get('heads') as number | undefined,
    dim: values.get('dim') as number | undefined,
    batch: values.get('batch') as number | undefined,
    qTile: tuple('q-tile'),
    kvTile: tuple('kv-tile'),
    arch: values.get('arch') as GpuFamily | undefined,
    tiling: values.get('tiling') as Tiling | undefined,
    recommend: values.has('recommend'),
    search: values.has('search'),
    attentionShare: values.get('attention-share') as number | undefined,
    backward: values.has('backward'),
    backwardQTile: tuple('backward-q-tile'),
    backwardKvTile: tuple('backward-kv-tile'),
    pass: values.get('pass') as 'forward' | 'training' | undefined,
  };
}

/** A single value given as a 1-tuple broadcasts, like a scalar in NATTEN. */
export function scalarize(req: SimRequest): SimRequest {
  const one = <T>(v: T[] | T | undefined): T[] | T | undefined => (Array.isArray(v) && v.length === 1 ? v[0] : v);
  return { ...req, windowSize: one(req.windowSize), stride: one(req.stride), dilation: one(req.dilation), causal: one(req.causal) };
}

function readRequests(path: string): SimRequest[] {
  const read = readBoundedFile(path, MAX_CONFIG_BYTES, 'a --config file');
  if ('problem' in read) throw new UsageError([`${path}: ${read.problem}`]);
  const text = read.text;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError([`${path} is not valid JSON: ${(e as Error).message}`]);
  }
  const list = Array.isArray(json) ? json : (json as { problems?: unknown } | null)?.problems;
  if (!Array.isArray(list) || list.length === 0) {
    throw new UsageError([`${path}: expected a non-empty list of problems, or { "problems": [...] }`]);
  }
  if (list.length > MAX_CONFIG_PROBLEMS) {
    throw new UsageError([`${path}: ${list.length} problems; at most ${MAX_CONFIG_PROBLEMS} per file (split the file)`]);
  }
  const problems: string[] = [];
  const requests: SimRequest[] = [];
  list.forEach((item, i) => {
    const parsed = SimRequestSchema.safeParse(item);
    if (parsed.success) requests.push(parsed.data);
    else for (const issue of parsed.error.issues) problems.push(`${path}: problem ${i + 1}: ${[...issue.path].join('.') || '(object)'}: ${issue.message}`);
  });
  if (problems.length > 0) throw new UsageError(problems);
  return requests;
}

/** `--config FILE` holds whole problems: a problem flag beside it would be silently ignored. */
function configConflicts(values: ReadonlyMap<string, unknown>): string[] {
  const given = PROBLEM_FLAGS.filter((f) => values.has(f.name)).map((f) => (f.short ? `-${f.short}/--${f.name}` : `--${f.name}`));
  return given.length > 0 ? [`--config reads every problem from its file; drop ${given.join(', ')} (or write them into the file's problems)`] : [];
}

export const simCommand: Command = async (argv, io: CliIO) => {
  const parsed = parseArgs(argv, FLAGS);
  if (parsed.values.has('help')) {
    io.out(helpText('sim', SUMMARY, FLAGS));
    return EXIT.ok;
  }
  const problems = [...parsed.problems, ...unexpectedArguments('sim', parsed.positionals)];
  const configPath = parsed.values.get('config') as string | undefined;
  if (configPath !== undefined) problems.push(...configConflicts(parsed.values));
  if (problems.length > 0) throw new UsageError(problems);

  const requests = configPath ? readRequests(configPath) : [scalarize(requestFromFlags(parsed.values))];
  const jobs: SimJob[] = [];
  requests.forEach((req, i) => {
    const job = prepareJob(req, configPath ? `problem ${i + 1}${req.label ? ` (${req.label})` : ''}` : '');
    if (Array.isArray(job)) problems.push(...job);
    else jobs.push(job);
  });
  if (problems.length > 0) throw new UsageError(problems);

  // Each result is printed as soon as it is computed, so a long file shows progress and no
  // result is held longer than its own printing.
  const json = parsed.values.has('json');
  jobs.forEach((job, i) => {
    const r = runJob(job);
    if (!json) io.out(`${i > 0 ? '\n' : ''}${renderSimulation(r)}`);
    else if (!configPath) io.out(JSON.stringify(simulationJson(r), null, 2));
    else {
      // The same text as JSON.stringify(list, null, 2), written one element at a time.
      const element = JSON.stringify(simulationJson(r), null, 2).replace(/\n/g, '\n  ');
      io.out(`${i === 0 ? '[\n' : ''}  ${element}${i === jobs.length - 1 ? '\n]' : ','}`);
    }
  });
  return EXIT.ok;
};
