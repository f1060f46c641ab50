// The benchmark history: records from `gna bench --json`, the capped newest-first list, CSV and
// JSON export (read back through the schemas Import uses), and the configs a sweep runs.
import { strict as assert } from 'assert';
import { BenchJsonSchema, BenchRecordSchema, HistoryFileSchema } from '../../../extension/core/benchSchema';
import { DEFAULT_ENGINE_OPTIONS } from '../../../extension/core/schema';
import { GnaProblem } from '../../../extension/core/problem';
import { recommendStride } from '../../../extension/core/recommend';
import { simulate } from '../../../extension/core/simulator';
import { checkProblem } from '../../../extension/core/validate';
import {
  addRecords,
  csvCell,
  CSV_COLUMNS,
  historyCsv,
  historyJson,
  MAX_SWEEP_POINTS,
  newRecordId,
  pickRecords,
  problemText,
  recordFromBenchJson,
  removeRecords,
  strideSweep,
  sweepOf,
  thin,
  windowSweep,
} from '../../../extension/host/pure/benchHistory';
import { fixtureJson, fixtureRecord, sweepRecords } from '../../support/benchRecords';

const FLUX: GnaProblem = { inputSize: [256, 256], windowSize: [80, 80], stride: [1, 1], dilation: [1, 1], causal: [false, false] };
const HUNYUAN: GnaProblem = { inputSize: [30, 48, 80], windowSize: [18, 24, 24], stride: [1, 1, 1], dilation: [1, 1, 1], causal: [false, false, false] };

describe('host: benchmark history', () => {
  it('makes a record from `gna bench --json`, recomputing the simulation and the comparison', () => {
    const json = fixtureJson();
    const r = fixtureRecord();
    assert.equal(r.origin, 'imported');
    assert.equal(r.gpu?.name, 'NVIDIA H100 80GB HBM3');
    // GNA-SPEC §6: FLUX-4K stride 16×16 on 16×8 tiles visits 25600 of 262144 pairs, all full.
    assert.deepEqual([r.simulation.visited, r.simulation.total, r.simulation.blockSparse], [25600, 262144, true]);
    assert.equal(r.comparison.simulated.toFixed(2), '10.24');
    assert.equal(r.comparison.measured, 131.62 / 16.91);
    assert.equal(r.comparison.measuredWithPermute, 131.62 / (16.91 + 0.98));
    assert.equal(r.comparison.shareOfBound, 131.62 / 16.91 / r.comparison.simulated);
    // TFLOP/s on visited tiles: 4 · 25600 · 128 · 128 · 128 · 24 / 16.91 ms.
    assert.equal(r.comparison.gnaTflops.toFixed(6), ((4 * 25600 * 128 * 128 * 128 * 24) / 16.91e-3 / 1e12).toFixed(6));
    // The file's own copies of these numbers agree with the recomputed ones.
    assert.equal((json.measured as number).toFixed(9), r.comparison.measured.toFixed(9));
    assert.equal(r.gna.kernel, 'portable mma.sync');
    assert.ok(BenchRecordSchema.safeParse(r).success);
  });

  it('keeps the engine options of `gna bench --json` timings (how they were measured), and refuses malformed ones', () => {
    const json = fixtureJson();
    const options = { ...DEFAULT_ENGINE_OPTIONS, pdl: false, maxCtas: 3 };
    const withOptions = { ...json, dense: { ...json.dense, options }, gna: { ...json.gna, options } };
    const parsed = BenchJsonSchema.parse(withOptions);
    const r = recordFromBenchJson(parsed, { id: 'r2', at: '2026-11-22T15:04:05.000Z', label: 'flux' });
    assert.deepEqual([r.dense.options, r.gna.options], [options, options]);
    assert.ok(BenchRecordSchema.safeParse(r).success);
    assert.equal(fixtureRecord().gna.options, undefined, 'a file without options gives a record without them');
    assert.equal(BenchJsonSchema.safeParse({ ...json, gna: { ...json.gna, options: { ...options, chain: 0 } } }).success, false);
  });

  it('keeps the newest first, replaces a re-added id, and caps the length', () => {
    const a = fixtureRecord('a');
    const b = fixtureRecord('b');
    const c = fixtureRecord('c');
    assert.deepEqual(addRecords([b, a], [c]).map((r) => r.id), ['c', 'b', 'a']);
    assert.deepEqual(addRecords([c, b, a], [{ ...a, label: 'again' }]).map((r) => `${r.id}:${r.label === 'again'}`), ['a:true', 'c:false', 'b:false']);
    assert.deepEqual(addRecords([c, b, a], [fixtureRecord('d')], 2).map((r) => r.id), ['d', 'c']);
    assert.deepEqual(removeRecords([c, b, a], ['b', 'zz']).map((r) => r.id), ['c', 'a']);
    assert.deepEqual(pickRecords([c, b, a], ['a', 'c']).map((r) => r.id), ['c', 'a']);
    assert.equal(pickRecords([c, b, a], []).length, 3);
  });

  it('finds the points of a sweep in sweep order', () => {
    const points = sweepRecords([1, 4, 16].map((s) => ({ ...FLUX, stride: [s, s] })));
    const history = addRecords([fixtureRecord('x')], [...points].reverse());
    assert.deepEqual(sweepOf(history, history[1]).map((r) => r.sweep!.index), [0, 1, 2]);
    assert.deepEqual(sweepOf(history, history[3]).map((r) => r.id), ['x']);
  });

  it('makes ids that sort by time and do not repeat', () => {
    let n = 0;
    const random = () => (n++ * 0.37) % 1;
    const ids = Array.from({ length: 50 }, (_, i) => newRecordId(1_700_000_000_000 + i, random));
    assert.equal(new Set(ids).size, 50);
    assert.match(ids[0], /^[0-9a-z]+-[0-9a-z]{6}$/);
  });

  it('exports JSON that the history schema reads back, unchanged', () => {
    const records = [fixtureRecord('a'), ...sweepRecords([1, 16].map((s) => ({ ...FLUX, stride: [s, s] })))];
    const text = historyJson(records, '2026-11-22T17:00:00.000Z');
    const parsed = HistoryFileSchema.safeParse(JSON.parse(text));
    assert.ok(parsed.success, parsed.success ? '' : parsed.error.message);
    assert.deepEqual(parsed.data.records, JSON.parse(JSON.stringify(records)));
  });

  it('exports CSV with one row per run, exact numbers, and safe text cells', () => {
    const r = { ...fixtureRecord('a'), label: '=HYPERLINK("x"), "quoted"' };
    const text = historyCsv([r]);
    const [header, row, end] = text.split('\r\n');
    assert.equal(end, '');
    assert.equal(header, CSV_COLUMNS.map((c) => c.name).join(','));
    assert.match(header, /^id,measured_at,origin,label,layout,window,stride,dilation,causal,batch,heads,head_dim,dtype,q_tile,kv_tile,gpu,/);
    assert.ok(row.startsWith(`a,2026-11-22T15:04:05.000Z,imported,"'=HYPERLINK(""x""), ""quoted""",256x256,80x80,16x16,1x1,FxF,1,24,128,bfloat16,16x8,16x8,NVIDIA H100 80GB HBM3,9.0,13.0,13.0,portable mma.sync,131.62,16.91,0.98,`), row);
    const cells = row.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, ''));
    const column = (name: string) => cells[CSV_COLUMNS.findIndex((c) => c.name === name)];
    assert.equal(Number(column('measured_speedup')), 131.62 / 16.91);
    assert.equal(column('block_sparse'), 'true');
    assert.equal(column('sweep_id'), '');
    assert.deepEqual([csvCell(undefined), csvCell(3), csvCell('-1'), csvCell('a\nb'), csvCell('plain')], ['', '3', "'-1", '"a\nb"', 'plain']);
  });

  it('describes a problem with only its non-default parameters', () => {
    assert.equal(problemText(FLUX), '256×256, window 80×80');
    assert.equal(problemText({ ...HUNYUAN, stride: [16, 8, 8], dilation: [1, 2, 1], causal: [true, false, false] }), '30×48×80, window 18×24×24, stride 16×8×8, dilation 1×2×1, is_causal=(True, False, False)');
  });
});

describe('host: sweeps', () => {
  it('walks the strides from 1 to the recommendation together (FLUX-4K, 16×8 tiles)', () => {
    const plan = strideSweep(FLUX, { q: [16, 8], kv: [16, 8] });
    assert.equal(plan.kind, 'stride');
    assert.deepEqual(plan.problems.map((p) => p.stride.join('x')), ['1x1', '2x2', '4x4', '8x8', '16x16']);
    assert.equal(plan.baseIndex, 0);
    const sims = plan.problems.map((p) => simulate(p, { q: [16, 8], kv: [16, 8] }).simulated);
    assert.equal(sims[0].toFixed(2), '6.65');
    assert.equal(sims[sims.length - 1].toFixed(2), '10.24');
    for (let i = 1; i < sims.length; i++) assert.ok(sims[i] >= sims[i - 1], `simulated never falls along the series: ${sims}`);
  });

  it('stops each axis at its own recommendation (HunyuanVideo, 2×8×8 tiles) and keeps the config’s stride', () => {
    const tiles = { q: [2, 8, 8], kv: [2, 8, 8] };
    const rec = recommendStride(HUNYUAN, tiles);
    const plan = strideSweep({ ...HUNYUAN, stride: [1, 3, 3] }, tiles);
    const strides = plan.problems.map((p) => p.stride.join('x'));
    assert.ok(strides.includes(rec.stride.join('x')), `${strides} holds the recommendation ${rec.stride}`);
    assert.ok(strides.includes('1x3x3'), `${strides} holds the config's own stride`);
    assert.equal(plan.problems[plan.baseIndex!].stride.join('x'), '1x3x3');
    for (const p of plan.problems) assert.ok(checkProblem(p).problem, `${p.stride} is valid`);
  });

  it('sweeps strides up to the window when no stride helps, and never exceeds MAX_SWEEP_POINTS', () => {
    const dinat: GnaProblem = { inputSize: [56, 56], windowSize: [7, 7], stride: [1, 1], dilation: [1, 1], causal: [false, false] };
    assert.deepEqual(strideSweep(dinat, { q: [16, 8], kv: [16, 8] }).problems.map((p) => p.stride.join('x')), ['1x1', '2x2', '4x4', '7x7']);
    const long: GnaProblem = { inputSize: [32768], windowSize: [2048], stride: [1], dilation: [1], causal: [false] };
    const plan = strideSweep(long, { q: [128], kv: [128] });
    assert.equal(plan.problems.length, MAX_SWEEP_POINTS);
    assert.deepEqual([plan.problems[0].stride[0], plan.problems[plan.problems.length - 1].stride[0]], [1, 256]);
  });

  it('scales the window from a quarter to twice, inside NATTEN’s limits, lowering the stride where needed', () => {
    const plan = windowSweep({ ...HUNYUAN, stride: [16, 8, 8] });
    assert.equal(plan.kind, 'window');
    assert.deepEqual(plan.problems.map((p) => p.windowSize.join('x')), ['5x6x6', '9x12x12', '14x18x18', '18x24x24', '27x36x36', '30x48x48']);
    assert.equal(plan.problems[plan.baseIndex!].windowSize.join('x'), '18x24x24');
    assert.deepEqual(plan.problems[0].stride, [5, 6, 6]);
    for (const p of plan.problems) assert.ok(checkProblem(p).problem, `${p.windowSize} is valid`);
    // Dilation bounds the window by n/d.
    const dilated = windowSweep({ inputSize: [64], windowSize: [16], stride: [1], dilation: [2], causal: [false] });
    assert.deepEqual(dilated.problems.map((p) => p.windowSize[0]), [4, 8, 12, 16, 24, 32]);
  });

  it('thins long lists to first, last, the kept one and evenly spaced ones', () => {
    assert.deepEqual(thin([1, 2, 3], 8), [1, 2, 3]);
    const t = thin(Array.from({ length: 20 }, (_, i) => i), 5, 7);
    assert.equal(t.length, 5);
    assert.deepEqual([t[0], t[t.length - 1]], [0, 19]);
    assert.ok(t.includes(7));
    assert.deepEqual(t, [...t].sort((a, b) => a - b));
  });
});
