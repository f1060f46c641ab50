// Our side of the side-by-side benchmark (native/bench/run.sh runs it beside native/bench/peers.py
// and native/bench/table.py prints one table): the project's fused kernel through the
// extension's own benchmark API, dense and GNA, on the GNA-SPEC §8 problems and the same layouts
// at stride 1. Bundled into the carry folder as bench.js (native/scripts/make-carry.sh).
//   node bench.js [--out FILE.json] [--set issue18] [--only NAME[,NAME]] [--config LABEL[,LABEL]] [--repeats N]
//                 [--portable] [--diag] [--chain N] [--backward]
// --backward (issue 21) also times the backward pass and the training step after the forward rows
// (benchBackwardRows.ts; "backwardRows" in the JSON, or meta.backward saying why there are none).
// --set issue18 times issue 18's problem set instead (issue18.json beside this script: every Hopper
// head dim, small and large windows, causal 1-D with many heads, batch > 1, layouts the tiles do
// not divide; problem names carry the head dim, d32 … d256); peers.py --set issue18 times the peers.
// --set issue23 (issue23.json): the portable kernels' set (GNA-SPEC §8 and issue 18's problems at
// head dims 32, 64 and 128 on 128-token tiles), run under GNA_KERNEL=fa2 (bench.sh --kernel fa2).
// --config keeps only the named rows of each problem ('dense', 'launch floor' or a config label),
// e.g. to trace one launch (GNA_SM90_TRACE=FILE records the last one: the environment switches
// become the engine's default options, extension/native/envOptions.ts).
// --chain N times N back-to-back passes per repeat and reports the time per pass (the engine's
// `chain` option); peers.py --chain N does the same for the peers.
// --portable also times the portable mma.sync kernel (the `kernel: 'portable'` option) on the 2-D problem,
// for the before/after in the same run. --diag adds blocked 1-D problems with 1, 4 and 16 KV
// tiles per Q tile at 1 and 2 heads (2 and 4 items per CTA), and 1, 2 and 16 at one item per
// CTA: fixed costs per launch and per item fall out of a fit (problem names "diag-…", left out
// of the table's targets).

import { writeFileSync } from 'fs';
import { defaultTiles, denseBaseline, EngineOptions, GnaProblem, MeasuredTiming, product, simulate, TileShape } from '../../extension/core';
import { BenchmarkResult, engineOptionsFromEnv } from '../../extension/native';
import { runMain, scriptEngine } from './script';
import { BenchConfig, BenchProblem, problemOf, setProblems } from './benchProblems';
import { criticalSteps } from './schedule';
import { timeBackwardRows } from './benchBackwardRows';

/**
 * GNA-SPEC §8 (bf16, batch 1, head dim 128) plus each layout at stride 1. Shortest first: after
 * seconds of dense Hunyuan the GPU runs hot and power-capped, and a sub-millisecond 1-D kernel
 * then measured up to 18% slower (run D, PERF-NOTES), which distorts its ratios.
 */
export const PROBLEMS: readonly BenchProblem[] = [
  {
    name: '1d-32k',
    layout: [32768],
    heads: 1,
    tiles: { q: [128], kv: [128] },
    configs: [
      { label: 'w2048 s256', window: [2048], stride: [256] },
      { label: 'w2048 s1', window: [2048], stride: [1] },
    ],
  },
  {
    name: 'flux',
    layout: [256, 256],
    heads: 24,
    tiles: { q: [16, 8], kv: [16, 8] },
    configs: [
      { label: 'w80x80 s16x16', window: [80, 80], stride: [16, 16] },
      { label: 'w80x80 s1', window: [80, 80], stride: [1, 1] },
    ],
  },
  {
    name: 'hunyuan',
    layout: [30, 48, 80],
    heads: 24,
    tiles: { q: [2, 8, 8], kv: [2, 8, 8] },
    configs: [
      { label: 'w18x24x24 s16x8x8', window: [18, 24, 24], stride: [16, 8, 8] },
      { label: 'w18x24x24 s1', window: [18, 24, 24], stride: [1, 1, 1] },
    ],
  },
];

/** One timed kernel (MeasuredTiming: medians, tile pairs visited and full) and what it was. */
export interface BenchRow extends Omit<MeasuredTiming, 'kernel'> {
  readonly problem: string;
  readonly layout: number[];
  readonly heads: number;
  readonly config: string; // 'dense' or the config label
  readonly window: number[];
  readonly stride: number[];
  readonly tiles: TileShape;
  readonly kernel: string;
  /** Tile pairs of the dense kernel over the same tiles (visited of a dense run). */
  readonly total: number;
  readonly simulated: number;
  readonly tilePairBound: number;
  readonly tflopsVisited: number;
  /**
   * Steps (tile pairs) of the busiest CTA: the Hopper kernel hands item w (128 query rows; items
   * ordered head, Q tile row-major, chunk) to CTA w mod CTAs, one CTA per SM. 0 for the launch
   * floor row.
   */
  readonly criticalSteps: number;
  /** The engine options it ran under. */
  readonly options: EngineOptions;
}

/** The row of an empty kernel launched as the attention kernel is (the `emptyKernel` option). */
const LAUNCH_FLOOR = 'launch floor';

function args(): {
  out?: string;
  only?: string[];
  configs?: string[];
  repeats: number;
  portable: boolean;
  diag: boolean;
  chain: number;
  set?: string;
  backward: boolean;
} {
  const a = process.argv.slice(2);
  const value = (flag: string) => {
    const i = a.indexOf(flag);
    return i >= 0 ? a[i + 1] : undefined;
  };
  return {
    out: value('--out'),
    only: value('--only')?.split(','),
    configs: value('--config')?.split(','),
    repeats: Number(value('--repeats') ?? 10),
    portable: a.includes('--portable'),
    diag: a.includes('--diag'),
    chain: Math.max(1, Number(value('--chain') ?? 1)),
    set: value('--set'),
    backward: a.includes('--backward'),
  };
}

/**
 * The Hopper kernel's schedule for a problem: query rows per item (its presets' Q tile tokens) and
 * how many items run at once per CTA (two, one per consumer warpgroup, in the split builds of
 * head dims 32 and 64: gna_sm90_attention.cuh Config<D>).
 */
function itemSlots(bp: BenchProblem): { rows: number; perCta: number } {
  const preset = defaultTiles('hopper', bp.layout.length, bp.headDim ?? 128);
  const rows = preset ? product(preset.q) : 128;
  return { rows, perCta: rows === 64 ? 2 : 1 };
}

/** The tiles a run used: the dense baseline runs the flattened problem on 1-D tiles of as many tokens. */
function tilesOf(ran: GnaProblem, tiles: TileShape): TileShape {
  return ran.inputSize.length === tiles.q.length ? tiles : denseBaseline(ran, tiles).tiles;
}

function toRow(bp: BenchProblem, config: string, c: BenchConfig, r: BenchmarkResult, ctas: number): BenchRow {
  const sim = simulate(r.problem, bp.tiles);
  return {
    problem: bp.name,
    layout: bp.layout,
    heads: bp.heads,
    config,
    window: c.window,
    stride: c.stride,
    tiles: bp.tiles,
    kernel: r.kernel ?? '?',
    attentionMs: r.attentionMs,
    permuteMs: r.permuteMs,
    totalMs: r.totalMs,
    repeats: r.repeats,
    visited: r.visited,
    full: r.full,
    total: sim.total,
    simulated: sim.simulated,
    tilePairBound: sim.tilePairBound,
    tflopsVisited: r.tflops,
    criticalSteps:
      config === LAUNCH_FLOOR ? 0 : criticalSteps(r.problem, tilesOf(r.problem, bp.tiles), (bp.batch ?? 1) * bp.heads, ctas * itemSlots(bp).perCta, itemSlots(bp).rows),
    options: r.options,
  };
}

async function main(): Promise<number> {
  const opts = args();
  const native = scriptEngine();
  const switches = engineOptionsFromEnv(process.env);
  const info = native.deviceInfo();
  if (!info.available) {
    console.error(`no GPU: ${info.message}`);
    return 3;
  }
  const d = info.devices[0];
  const rows: BenchRow[] = [];
  const say = (r: BenchRow) =>
    console.log(
      `ours ${r.problem} ${r.config.padEnd(18)} ${r.kernel.padEnd(36)} attention ${r.attentionMs.toFixed(3)} ms + permutation ${r.permuteMs.toFixed(3)} ms; ` +
        `${r.tflopsVisited.toFixed(0)} TFLOP/s on visited tiles; pairs ${r.visited}/${r.total}`,
    );
  // The kernel's grid: one CTA per SM, or fewer (the maxCtas option, gna_sm90.cu).
  const ctas = Math.min(d?.multiprocessors ?? 132, switches.maxCtas || Infinity);
  const run = async (bp: BenchProblem, c: BenchConfig, dense: boolean, repeats: number, label?: string, options: Partial<EngineOptions> = {}) => {
    const config = label ?? (dense ? 'dense' : c.label);
    if (opts.configs && !opts.configs.includes(config)) return;
    const workload = { batch: bp.batch ?? 1, heads: bp.heads, headDim: bp.headDim ?? 128 };
    const r = await native.benchmark({ problem: problemOf(bp, c), workload, tiles: bp.tiles, dtype: bp.dtype ?? 'bfloat16', dense, warmup: 3, repeats, options: { ...(opts.chain > 1 ? { chain: opts.chain } : {}), ...options } });
    const row = toRow(bp, config, dense ? { label: 'dense', window: bp.layout, stride: bp.layout.map(() => 1) } : c, r, ctas);
    rows.push(row);
    say(row);
  };
  // An empty kernel of the attention kernel's launch shape, timed the same way: what no kernel
  // of that shape can go under (table.py turns it into the share any kernel could reach).
  // Only where the direct Hopper path runs (the engine refuses it elsewhere): then no floor row.
  const floor = (bp: BenchProblem) =>
    run(bp, bp.configs[0], false, opts.repeats, LAUNCH_FLOOR, { emptyKernel: true }).catch((e) =>
      console.log(`ours ${bp.name} launch floor: not timed (${e instanceof Error ? e.message : String(e)})`),
    );
  // The diagnostics first too (short kernels, cool GPU).
  if (opts.diag) {
    for (const heads of [1, 2]) {
      const bp: BenchProblem = {
        name: `diag-1d-h${heads}`,
        layout: [32768],
        heads,
        tiles: { q: [128], kv: [128] },
        configs: [1, 4, 16].map((t) => ({ label: `blocked ${t} tiles`, window: [128 * t], stride: [128 * t] })),
      };
      for (const c of bp.configs) await run(bp, c, false, opts.repeats);
    }
    // One item per CTA (132 Q tiles on 132 SMs): the time of a 1-step item is the launch's
    // fixed cost plus one item's, with nothing to amortise it over.
    const single: BenchProblem = {
      name: 'diag-1d-1item',
      layout: [128 * 132],
      heads: 1,
      tiles: { q: [128], kv: [128] },
      configs: [1, 2, 16].map((t) => ({ label: `blocked ${t} tiles`, window: [128 * t], stride: [128 * t] })),
    };
    for (const c of single.configs) await run(single, c, false, opts.repeats);
  }
  const problems = opts.set && opts.set !== 'spec8' ? setProblems(__dirname, opts.set) : PROBLEMS;
  for (const bp of problems) {
    if (opts.only && !opts.only.includes(bp.name)) continue;
    await floor(bp);
    await run(bp, bp.configs[0], true, opts.repeats);
    for (const c of bp.configs) await run(bp, c, false, opts.repeats);
  }
  if (opts.portable) {
    const bp = PROBLEMS.find((b) => b.name === 'flux')!;
    await run(bp, bp.configs[0], true, 3, undefined, { kernel: 'portable' });
    for (const c of bp.configs) await run(bp, c, false, 5, undefined, { kernel: 'portable' });
  }
  const selected = problems.filter((bp) => !opts.only || opts.only.includes(bp.name));
  const backward = opts.backward ? await timeBackwardRows(native, selected, opts.repeats, (line) => console.log(line)) : undefined;
  const meta = {
    device: d ? `${d.name}, sm_${d.computeCapability.replace('.', '')}, ${d.multiprocessors} SMs` : 'unknown',
    runtime: info.runtimeVersion,
    driver: info.driverVersion,
    node: process.version,
    date: new Date().toISOString(),
    flopsNote: 'TFLOP/s on visited tiles = 4 * visited * Tq * Tkv * head_dim * heads / attention time',
    chain: opts.chain,
    set: opts.set ?? 'spec8',
    ...(backward?.unavailable ? { backward: backward.unavailable } : {}),
  };
  const text = JSON.stringify({ meta, rows, ...(backward ? { backwardRows: backward.rows } : {}) }, null, 1);
  if (opts.out) writeFileSync(opts.out, text + '\n');
  else console.log(text);
  return 0;
}

runMain(main);
