// The editor's training benchmark (issue 21) without a GPU: the backward series on a scripted
// engine (dense once per pass, every point, the unsupported path), the record it leaves (the
// pass, the backward's simulation and passes), `gna bench --backward --json` read back into the
// same record, the CSV columns, the notifications, and the report's rows, headline, chart and the
// one line that says the backward was not measured.
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import { defaultBackwardTiles, GnaProblem, simulate, simulateTraining, TileShape } from '../../../extension/core';
import { backwardNotMeasured, measureBackwardSeries, passesFromTimes, passText, recordedBackward } from '../../../extension/core/benchBackward';
import { BenchJsonSchema, BenchRecord, BenchRecordSchema, PassComparison, PassComparisonSchema } from '../../../extension/core/benchSchema';
import { measureSeries } from '../../../extension/core/bench';
import { passOn, runChoices } from '../../../extension/host/pure/benchFlow';
import { historyCsv, recordFromBenchJson, runRecords, strideSweep } from '../../../extension/host/pure/benchHistory';
import { measuredMessage, notMeasuredMessage, runFailedMessage, sweepMessage, unavailableReason } from '../../../extension/host/pure/benchMessages';
import { GnaNativeError } from '../../../extension/native';
import type { BenchmarkRequest } from '../../../extension/native';
import { parseReportHostMessage } from '../../../webview/protocol/report';
import { buildView, historyRows } from '../../../webview/report/model';
import { FIXTURE_PATH, fixtureRecord } from '../../support/benchRecords';
import { runBench } from '../../support/cli';
import { msOf, scriptedEngine } from '../../support/passEngine';

const TILES: TileShape = { q: [16, 8], kv: [16, 8] };
const BACKWARD_TILES: TileShape = { q: [...defaultBackwardTiles('hopper', 2, 64)!.q], kv: [...defaultBackwardTiles('hopper', 2, 64)!.kv] };
const WORKLOAD = { batch: 1, heads: 2, headDim: 64 };
const BASE = { workload: WORKLOAD, dtype: 'bfloat16' as const, device: 0, warmup: 0, repeats: 1 };
const problem = (s: number): GnaProblem => ({ inputSize: [64, 64], windowSize: [16, 16], stride: [s, s], dilation: [1, 1], causal: [false, false] });
const UNSUPPORTED = new GnaNativeError('GNA_ERR_UNSUPPORTED', 'no backward kernel in this build: the fused backward (issue 21) is not compiled in yet');

/** A training run as the editor's queue makes it: the forward series, then the backward series, then the records. */
async function trainingRun(points: GnaProblem[], failure?: Error): Promise<{ records: BenchRecord[]; requests: BenchmarkRequest[] }> {
  const requests: BenchmarkRequest[] = [];
  const engine = scriptedEngine(requests, failure);
  const series = points.map((p) => ({ problem: p, simulation: simulate(p, TILES, { workload: WORKLOAD }) }));
  const run = await measureSeries(engine, { ...BASE, tiles: TILES }, series);
  const trainings = points.map((p) => simulateTraining(p, TILES, BACKWARD_TILES, { workload: WORKLOAD }));
  const passes = await measureBackwardSeries(engine, BASE, points.map((p, i) => ({ problem: p, training: trainings[i] })), BACKWARD_TILES);
  const records = runRecords(
    { at: '2026-12-05T04:00:00.000Z', gpu: null, driverVersion: 13000, runtimeVersion: 13000, workload: WORKLOAD, tiles: TILES, dtype: 'bfloat16' },
    { ...run, backward: { tiles: BACKWARD_TILES, trainings, passes } },
    { id: (i) => `t${i}`, label: (p) => `point ${points.indexOf(p)}` },
    points.length > 1 ? { id: 'sw', kind: 'stride' } : undefined,
  );
  return { records, requests };
}

describe('training benchmark: what is timed (gna.pass)', () => {
  it('training runs on the family’s backward tiles; where there are none, the forward alone, saying why', () => {
    assert.deepEqual(passOn('forward', 'hopper', 2, 64), { pass: 'forward' });
    assert.deepEqual(passOn('training', 'hopper', 2, 64), { pass: 'training', backwardTiles: BACKWARD_TILES });
    // NATTEN has no Hopper backward at head dim 256.
    const none = passOn('training', 'hopper', 2, 256);
    assert.equal(none.pass, 'forward');
    assert.equal(none.backwardTiles, undefined);
    assert.match(none.backwardUnavailable!, /^Backward not timed: no hopper backward tiles for head dim 256/);
  });

  it('Benchmark…: the setting’s pass first, the other one second, the sweeps as the setting says', () => {
    const plans = [strideSweep(problem(4), TILES)];
    const forward = runChoices('64×64', plans, 'forward', 'hopper', 2, 64);
    assert.deepEqual(forward.map((c) => [c.label, c.on.pass]), [
      ['Benchmark this config', 'forward'],
      ['Benchmark this config with its backward and training step', 'training'],
      [`Sweep strides from the recommendation (${plans[0].problems.length} configs)`, 'forward'],
    ]);
    const training = runChoices('64×64', plans, 'training', 'hopper', 2, 64);
    assert.deepEqual(training.map((c) => [c.label, c.on.pass]), [
      ['Benchmark this config', 'training'],
      ['Benchmark the forward pass only', 'forward'],
      [`Sweep strides from the recommendation (${plans[0].problems.length} configs)`, 'training'],
    ]);
    assert.equal(training[0].description, '64×64 · forward, backward and training step');
    assert.deepEqual(training[2].on.backwardTiles, BACKWARD_TILES);
    // No backward tiles: no second choice, and the first says the forward alone is timed.
    const d256 = runChoices('64×64', [], 'training', 'hopper', 2, 256);
    assert.deepEqual(d256.map((c) => c.description), ['64×64 · forward pass (no backward tiles for this head dim)']);
  });
});

describe('training benchmark: the backward series', () => {
  it('times each pass dense once, then every point, on the backward tiles; each measured against its own simulation', async () => {
    const points = [problem(1), problem(4), problem(8)];
    const { records, requests } = await trainingRun(points);
    assert.deepEqual(
      requests.map((r) => `${r.pass ?? 'forward'}:${r.dense ? 'dense' : (r.problem as GnaProblem).stride[0]}`),
      ['forward:dense', 'forward:1', 'forward:4', 'forward:8', 'backward:dense', 'backward:1', 'backward:4', 'backward:8', 'training:dense', 'training:1', 'training:4', 'training:8'],
    );
    for (const r of requests.filter((q) => (q.pass ?? 'forward') !== 'forward')) assert.deepEqual(r.tiles, BACKWARD_TILES);
    for (const [i, record] of records.entries()) {
      assert.equal(record.pass, 'training');
      assert.ok(BenchRecordSchema.safeParse(record).success, 'the record passes the history schema');
      const training = simulateTraining(points[i], TILES, BACKWARD_TILES, { workload: WORKLOAD });
      const [backward, step] = record.backward!.passes;
      const time = (pass: 'backward' | 'training', dense: boolean) => msOf({ problem: points[i], workload: WORKLOAD, tiles: BACKWARD_TILES, pass, dense });
      assert.ok(backward.available && step.available);
      assert.equal(backward.measured, time('backward', true) / time('backward', false));
      assert.equal(backward.simulated, training.backward.simulated);
      assert.equal(step.measured, time('training', true) / time('training', false));
      assert.equal(step.simulated, training.training.simulated);
      assert.equal(record.backward!.simulation.worstKvTileVisits, training.backward.worstKvTileVisits);
      assert.equal(backwardNotMeasured(record.backward!), undefined);
    }
  });

  it('a build without a backward kernel: every point says why, with its simulated numbers; the forward stands', async () => {
    const { records, requests } = await trainingRun([problem(2), problem(4)], UNSUPPORTED);
    // One try per pass (the dense baseline), not one per point.
    assert.deepEqual(requests.map((r) => r.pass ?? 'forward'), ['forward', 'forward', 'forward', 'backward', 'training']);
    for (const record of records) {
      assert.ok(record.comparison.measured > 1, 'the forward was measured');
      for (const p of record.backward!.passes) {
        assert.ok(!p.available);
        assert.equal(p.code, 'GNA_ERR_UNSUPPORTED');
        assert.match(p.reason, /^no backward kernel in this build/);
      }
      assert.equal(
        backwardNotMeasured(record.backward!),
        `Backward and training step not measured: no backward kernel in this build: the fused backward (issue 21) is not compiled in yet. Simulated: backward ${record.backward!.simulation.simulated.toFixed(2)}×, training step ${record.backward!.training.simulated.toFixed(2)}×.`,
      );
    }
  });

  it('any other failure (out of memory) rejects the run, as the forward would', async () => {
    await assert.rejects(trainingRun([problem(4)], new GnaNativeError('GNA_ERR_OOM', 'out of memory')), /out of memory/);
  });
});

describe('training benchmark: records and files', () => {
  it('`gna bench --backward --json` read back gives the CLI’s passes, compared again from their times', async () => {
    const args = ['-i', '64', '64', '-w', '16', '-s', '4', '-d', '64', '--heads', '2', '--backward', '--json'];
    for (const failure of [undefined, UNSUPPORTED]) {
      const json = JSON.parse((await runBench(args, scriptedEngine([], failure))).out);
      const record = recordFromBenchJson(BenchJsonSchema.parse(json), { id: 'i1', at: '2026-12-05T04:00:00.000Z', label: 'imported' });
      assert.equal(record.pass, 'training');
      assert.deepEqual(record.backward!.tiles, json.backward.tiles);
      assert.deepEqual(record.backward!.passes, json.backward.passes.map((p: unknown) => PassComparisonSchema.parse(p)));
      assert.equal(record.backward!.simulation.simulated, json.backward.simulation.simulated);
      assert.equal(record.backward!.training.simulated, json.backward.training.simulated);
    }
    // A file cannot claim a speedup its times do not give, nor a simulation the simulator does not.
    const sim = simulateTraining(problem(4), TILES, BACKWARD_TILES);
    const claimed: PassComparison[] = [{ available: true, pass: 'backward', denseMs: 10, gnaMs: 4, measured: 99, simulated: 99, shareOfSimulated: 1 }];
    const [fixed] = passesFromTimes(claimed, sim);
    assert.ok(fixed.available);
    assert.equal(fixed.measured, 2.5);
    assert.equal(fixed.simulated, sim.backward.simulated);
    assert.equal(fixed.shareOfSimulated, 2.5 / sim.backward.simulated);
  });

  it('the recorded `--backward --json` fixture of a build without a backward kernel reads as FLUX-4K’s training record', () => {
    const json = BenchJsonSchema.parse(JSON.parse(readFileSync(join(FIXTURE_PATH, '..', 'h100-flux-strided-backward-unsupported.fixture.json'), 'utf8')));
    const record = recordFromBenchJson(json, { id: 'f', at: '2026-12-05T04:00:00.000Z', label: 'flux' });
    assert.equal(record.pass, 'training');
    assert.equal(record.comparison.measured.toFixed(3), (131.62 / 16.91).toFixed(3));
    // The FLUX-4K numbers: 10.24× forward, about 5.2× backward (on the Hopper backward tiles 8×8 / 16×8).
    assert.equal(record.backward!.simulation.simulated.toFixed(2), '5.22');
    assert.equal(buildView([record], []).passNote, `Backward and training step not measured: no backward kernel in this build: the fused backward (issue 21) is not compiled in yet. Simulated: backward 5.22×, training step ${record.backward!.training.simulated.toFixed(2)}×.`);
  });

  it('a forward run records its pass too; records from before the backward still read', () => {
    const forward = fixtureRecord();
    assert.equal(forward.pass, 'forward');
    assert.equal(forward.backward, undefined);
    const old = { ...forward } as Record<string, unknown>;
    delete old.pass;
    assert.ok(BenchRecordSchema.safeParse(old).success);
    const wrongRank = { ...forward, pass: 'training', backward: { ...recordedBackward({ q: [8], kv: [8] }, simulateTraining(forward.problem, forward.tiles, { q: [16, 8], kv: [16, 8] }), []) } };
    assert.ok(!BenchRecordSchema.safeParse(wrongRank).success, 'backward tiles of another rank are refused');
  });

  it('CSV: the pass and each pass measured and simulated, empty where not timed or not measured', async () => {
    const measured = (await trainingRun([problem(4)])).records[0];
    const unsupported = (await trainingRun([problem(4)], UNSUPPORTED)).records[0];
    const [head, ...rows] = historyCsv([measured, { ...unsupported, id: 'u' }, { ...fixtureRecord(), label: 'forward run' }]).trim().split('\r\n');
    // (every label here is free of commas, so a row splits at each comma)
    const columns = head.split(',');
    const cell = (row: string, name: string) => row.split(',')[columns.indexOf(name)];
    assert.deepEqual(rows.map((r) => cell(r, 'pass')), ['training', 'training', 'forward']);
    const b = measured.backward!.passes[0];
    assert.ok(b.available);
    assert.equal(cell(rows[0], 'backward_measured_speedup'), String(b.measured));
    assert.equal(cell(rows[0], 'backward_simulated_speedup'), String(b.simulated));
    assert.equal(cell(rows[0], 'backward_q_tile'), BACKWARD_TILES.q.join('x'));
    assert.equal(cell(rows[1], 'training_measured_speedup'), '');
    assert.equal(cell(rows[1], 'training_simulated_speedup'), String(unsupported.backward!.training.simulated));
    assert.match(cell(rows[1], 'backward_not_measured'), /^no backward kernel in this build/);
    assert.equal(cell(rows[2], 'backward_simulated_speedup'), '');
  });
});

describe('training benchmark: messages', () => {
  it('after a run: the forward, then the backward measured against simulated, or the one line why not', async () => {
    const measured = (await trainingRun([problem(4)])).records[0];
    const [b, t] = measured.backward!.passes;
    assert.ok(b.available && t.available);
    assert.ok(
      measuredMessage(measured).endsWith(
        ` Backward ${b.measured.toFixed(2)}× measured vs ${b.simulated.toFixed(2)}× simulated (${Math.round(b.shareOfSimulated * 100)}%), training step ${t.measured.toFixed(2)}× measured vs ${t.simulated.toFixed(2)}× simulated (${Math.round(t.shareOfSimulated * 100)}%).`,
      ),
      measuredMessage(measured),
    );
    const unsupported = (await trainingRun([problem(4)], UNSUPPORTED)).records[0];
    assert.match(measuredMessage(unsupported), /\. Backward and training step not measured: no backward kernel in this build[^]*Simulated: backward [\d.]+×, training step [\d.]+×\.$/);
    assert.doesNotMatch(measuredMessage(fixtureRecord()), /backward/i);
  });

  it('a sweep names each point’s training step, or says it was not measured', async () => {
    const { records } = await trainingRun([problem(2), problem(4)]);
    const text = sweepMessage('stride sweep', records, 'the GPU');
    assert.match(text, /^stride sweep: 2 configs measured on the GPU, [\d.]+×, [\d.]+× \(simulated [\d.]+×, [\d.]+×\); training step [\d.]+×, [\d.]+× \(simulated [\d.]+×, [\d.]+×\)\.$/);
    const none = sweepMessage('stride sweep', (await trainingRun([problem(2), problem(4)], UNSUPPORTED)).records, 'the GPU');
    assert.match(none, /; training step not measured, not measured \(simulated/);
  });

  it('without a GPU: the training step’s simulated speedup beside the forward’s', () => {
    const reason = unavailableReason({ addonLoaded: true, builtWithCuda: true, available: false, message: '', runtimeVersion: 13000, driverVersion: 0, devices: [] }, true)!;
    const p = problem(4);
    const training = simulateTraining(p, TILES, BACKWARD_TILES);
    assert.equal(
      notMeasuredMessage(reason, 'na2d 64×64', training.forward, training),
      `Not run: no NVIDIA driver on this machine. na2d 64×64: ${training.forward.simulated.toFixed(2)}× simulated, training step ${training.training.simulated.toFixed(2)}×.`,
    );
  });

  it('out of memory in the backward says so, and how to time the forward alone', () => {
    assert.match(runFailedMessage('GNA_ERR_OOM', 'cudaMalloc failed', 'backward'), /^The GPU ran out of memory in the backward pass .*cudaMalloc failed .*set gna\.pass to forward/);
    assert.doesNotMatch(runFailedMessage('GNA_ERR_OOM', 'cudaMalloc failed'), /backward/);
  });
});

describe('training benchmark: the report', () => {
  it('one training run: the pass, both passes measured vs simulated (the CLI’s words), bars per pass', async () => {
    const r = (await trainingRun([problem(4)])).records[0];
    const v = buildView([r], []);
    const [b, t] = r.backward!.passes;
    assert.ok(b.available && t.available);
    const cell = (metric: string) => v.rows.find((row) => row.metric === metric)?.cells[0];
    assert.equal(cell('pass'), 'training: forward, backward and training step');
    assert.equal(cell('backward'), passText(b));
    assert.equal(cell('training step'), passText(t));
    assert.match(cell('backward simulated')!, /^[\d.]+× \(worst KV tile: \d+ Q-tile visits, \d+ in self attention; tile-pair bound [\d.]+×\)$/);
    assert.equal(cell('backward Q / KV tile'), `${BACKWARD_TILES.q.join('×')} / ${BACKWARD_TILES.kv.join('×')}`);
    assert.match(v.headline, /\(\d+% of the bound\); training step [\d.]+× measured vs [\d.]+× simulated$/);
    assert.equal(v.passNote, '');
    assert.deepEqual(v.chart.labels, ['forward', 'backward', 'training step']);
    assert.deepEqual(v.chart.series.find((s) => s.role === 'measured')!.values, [r.comparison.measured, b.measured, t.measured]);
    assert.deepEqual(v.chart.series.find((s) => s.role === 'simulated')!.values, [r.comparison.simulated, b.simulated, t.simulated]);
    assert.equal(historyRows([r])[0].pass, 'training');
  });

  it('the backward not measured: one line says why with the simulated backward; no bar where nothing was measured', async () => {
    const r = (await trainingRun([problem(4)], UNSUPPORTED)).records[0];
    const v = buildView([r], []);
    assert.equal(v.passNote, backwardNotMeasured(r.backward!));
    assert.match(v.headline, /; training step [\d.]+× simulated, not measured$/);
    assert.match(v.rows.find((row) => row.metric === 'backward')!.cells[0], /^not measured: no backward kernel in this build.*; simulated [\d.]+×$/);
    const measured = v.chart.series.find((s) => s.role === 'measured')!.values;
    assert.equal(measured[0], r.comparison.measured);
    assert.ok(Number.isNaN(measured[1]) && Number.isNaN(measured[2]));
    assert.match(v.chartText, /backward measured not measured, simulated [\d.]+×/);
  });

  it('compared with a forward run: the backward rows say the forward run did not time them', async () => {
    const r = (await trainingRun([problem(4)], UNSUPPORTED)).records[0];
    const forward = fixtureRecord('f');
    const v = buildView([r, forward], [r.id, forward.id]);
    assert.equal(v.mode, 'compare');
    assert.deepEqual(v.rows.find((row) => row.metric === 'backward')!.cells.slice(1), ['not timed (forward run)']);
    assert.deepEqual(v.rows.find((row) => row.metric === 'pass')!.cells, ['training: forward, backward and training step', 'forward']);
    assert.match(v.passNote, /^point 0: Backward and training step not measured/);
    // A forward-only view has no backward rows at all.
    assert.equal(buildView([forward], []).rows.find((row) => row.metric === 'backward'), undefined);
  });

  it('a training sweep plots its training step, measured only where every point was', async () => {
    const measured = (await trainingRun([problem(1), problem(2), problem(4)])).records;
    const v = buildView(measured, [measured[0].id]);
    assert.equal(v.mode, 'sweep');
    assert.deepEqual(v.chart.series.map((s) => s.role), ['measured', 'simulated', 'tilePair', 'trainingMeasured', 'trainingSimulated']);
    const unsupported = (await trainingRun([problem(1), problem(2), problem(4)], UNSUPPORTED)).records;
    assert.deepEqual(buildView(unsupported, [unsupported[0].id]).chart.series.map((s) => s.role), ['measured', 'simulated', 'tilePair', 'trainingSimulated']);
  });

  it('the protocol carries training records and the simulated-only card’s backward', async () => {
    const r = (await trainingRun([problem(4)], UNSUPPORTED)).records[0];
    const training = simulateTraining(problem(4), TILES, BACKWARD_TILES);
    const simulatedOnly = {
      label: 'na2d 64×64',
      reason: 'Not run: no NVIDIA driver on this machine.',
      qTile: TILES.q,
      kvTile: TILES.kv,
      simulated: training.forward.simulated,
      tilePairBound: training.forward.tilePairBound,
      flopBound: training.forward.flopBound,
      sparsity: training.forward.sparsity,
      blockSparse: training.forward.blockSparse,
      visited: training.forward.visited,
      total: training.forward.total,
      backward: recordedBackward(BACKWARD_TILES, training, []),
    };
    assert.ok(parseReportHostMessage({ type: 'show', records: [r], canRun: true, simulatedOnly }).ok);
    const bad = { ...r, backward: { ...r.backward!, passes: [{ available: false, pass: 'backward', simulated: -1, reason: 'x', code: null }] } };
    assert.ok(!parseReportHostMessage({ type: 'show', records: [bad], canRun: true }).ok);
  });
});
