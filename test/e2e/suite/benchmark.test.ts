// The GPU benchmark in a real VS Code (trusted workspace): the commands are there; on this
// machine (no usable GPU) a benchmark says which reason and still shows the simulated numbers;
// the report renders from a recorded result (a fixture file in `gna bench --json` form); the
// queue, progress, sweeps and exports run end to end on a scripted engine (a labelled test double,
// see benchSupport.ts); the history is exported as JSON and CSV.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { benchmarkApi, H100_FIXTURE, Outcome, run, ScriptedEngine } from './benchSupport';
import { openFixture, waitFor } from './helpers';

const FLUX = 'models/flux_attention.py';
const COMMANDS = ['gna.benchmarkConfig', 'gna.benchmark', 'gna.showGpuInfo', 'gna.openBenchmarkHistory', 'gna.importBenchmarkResult', 'gna.exportBenchmarkHistory'];
/** Each reason a machine can have no usable GPU, and the words the warning must use for it. */
const NO_GPU_REASONS: Record<string, RegExp> = {
  'no-addon': /native addon is not built/,
  'load-failed': /native addon could not be loaded/,
  'cpu-only': /CPU-only build/,
  'no-driver': /no NVIDIA driver on this machine/,
  'old-driver': /older than the addon's CUDA runtime/,
  'no-device': /no usable CUDA GPU/,
};

/** The benchmark lenses of a file, once the linter has answered (the strided config's first). */
function benchmarkLenses(document: vscode.TextDocument, count = 1): Promise<vscode.CodeLens[]> {
  return waitFor(`${count} benchmark lens(es)`, async () => {
    const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100);
    const b = l.filter((x) => x.command?.command === 'gna.benchmarkConfig');
    return b.length >= count && b;
  });
}

/** The first (strided) FLUX config's lens run with `gna.pass: training` in the workspace, which is then set back. */
async function benchmarkTraining(): Promise<Outcome> {
  const config = () => vscode.workspace.getConfiguration('gna');
  await config().update('pass', 'training', vscode.ConfigurationTarget.Workspace);
  await waitFor('gna.pass to read back', () => config().get('pass') === 'training');
  try {
    const { document } = await openFixture(FLUX);
    const [lens] = await benchmarkLenses(document);
    return await run('gna.benchmarkConfig', ...(lens.command!.arguments ?? []));
  } finally {
    await config().update('pass', undefined, vscode.ConfigurationTarget.Workspace);
  }
}

describe('GNA benchmark in a real VS Code', function () {
  this.timeout(90_000);

  afterEach(async () => {
    (await benchmarkApi()).useEngine(undefined);
  });

  it('registers the benchmark commands, with palette titles in the GNA category', async () => {
    await benchmarkApi(); // activates the extension
    const all = await vscode.commands.getCommands(true);
    for (const id of COMMANDS) assert.ok(all.includes(id), `${id} is registered`);
    const manifest = vscode.extensions.getExtension('gna-studio.gna-studio')!.packageJSON as { contributes: { commands: { command: string; title: string; category: string }[] } };
    const titles = new Map(manifest.contributes.commands.map((c) => [c.command, `${c.category}: ${c.title}`]));
    assert.equal(titles.get('gna.benchmarkConfig'), 'GNA: Benchmark Config at Cursor');
    assert.equal(titles.get('gna.benchmark'), 'GNA: Benchmark…');
    assert.equal(titles.get('gna.showGpuInfo'), 'GNA: Show GPU Info');
    assert.equal(titles.get('gna.openBenchmarkHistory'), 'GNA: Open Benchmark History');
  });

  it('without a usable GPU, says which reason and shows the simulated numbers (the real native addon)', async () => {
    const { document } = await openFixture(FLUX);
    const [lens] = await benchmarkLenses(document);
    const outcome = await run('gna.benchmarkConfig', ...(lens.command!.arguments ?? []));
    assert.equal(outcome.shown, 'warning', outcome.message);
    const words = NO_GPU_REASONS[outcome.reason ?? ''];
    assert.ok(words, `a no-GPU reason, got ${outcome.reason}: ${outcome.message}`);
    assert.match(outcome.message, /^Not run: /);
    assert.match(outcome.message, words);
    // One short sentence: the reason, the config, its simulated speedup (the rest is in the report).
    assert.match(outcome.message, /^Not run: [^.]+\.( [^.]+\.)? na2d 256×256, window 80×80, stride 16×16: 10\.2× simulated\.$/);
    assert.equal((await benchmarkApi()).pending().length, 0, 'nothing was queued');

    const info = await run('gna.showGpuInfo');
    assert.equal(info.shown, 'warning');
    assert.equal(info.reason, outcome.reason);
    assert.match(info.message, /NVIDIA driver: CUDA .*; addon's CUDA runtime: /);

    // The report shows the config it could not measure with its simulated numbers.
    const api = await benchmarkApi();
    await run('gna.openBenchmarkHistory');
    const rendered = await waitFor('the report with the simulated-only card', () => api.rendered()?.simulatedOnly && api.rendered(), 60_000);
    assert.ok(rendered.simulatedOnly);
  });

  it('with gna.pass training and no usable GPU: the training step simulated too, and the report card shows the backward (the real native addon)', async () => {
    const api = await benchmarkApi();
    const outcome = await benchmarkTraining();
    assert.equal(outcome.shown, 'warning', outcome.message);
    assert.match(outcome.message, /^Not run: [^.]+\.( [^.]+\.)? na2d 256×256, window 80×80, stride 16×16: 10\.2× simulated, training step \d+\.\d+×\.$/);
    await run('gna.openBenchmarkHistory');
    // Six rows of the forward's simulation, three of the backward's and the training step's.
    await waitFor('the simulated-only card with the backward', () => api.rendered()?.simulatedOnly && api.rendered()?.simulatedRows === 9, 60_000);
  });

  it('with gna.pass training on a build without a backward kernel: the forward measured, one line says the backward was not (scripted engine)', async () => {
    const api = await benchmarkApi();
    const engine = new ScriptedEngine('unsupported');
    api.useEngine(engine);
    const outcome = await benchmarkTraining();
    assert.equal(outcome.shown, 'report', outcome.message);
    // One try of each backward pass (its dense baseline), on NATTEN's Hopper backward tiles for head dim 128.
    assert.deepEqual(engine.calls.map((c) => [c.pass ?? 'forward', c.dense ?? false]), [['forward', true], ['forward', false], ['backward', true], ['training', true]]);
    assert.deepEqual(engine.calls[2].tiles, { q: [8, 8], kv: [16, 8] });
    assert.match(outcome.message, /measured vs 10\.2× simulated .*\. Backward and training step not measured: no backward kernel in this build[^]*\. Simulated: backward \d+\.\d+×, training step \d+\.\d+×\.$/);
    const record = api.history().find((r) => r.id === outcome.records![0])!;
    assert.equal(record.pass, 'training');
    assert.ok(record.backward!.passes.every((p) => !p.available && p.code === 'GNA_ERR_UNSUPPORTED'));
    const rendered = await waitFor('the training report', () => {
      const r = api.rendered();
      return r && r.selected[0] === record.id && r;
    }, 60_000);
    assert.match(rendered.passNote, /^Backward and training step not measured: no backward kernel in this build[^]*\. Simulated: backward \d+\.\d+×, training step \d+\.\d+×\.$/);
    assert.match(rendered.headline, /^[\d.]+× measured vs 10\.2× simulated \(\d+% of the bound\); training step \d+\.\d+× simulated, not measured$/);
    assert.equal(rendered.chart.kind, 'bars');
    assert.equal(rendered.chart.points, 3, 'forward, backward, training step');
  });

  it('with gna.pass training: forward, backward and training step measured vs simulated; Run again times the same passes (scripted engine)', async () => {
    const api = await benchmarkApi();
    const engine = new ScriptedEngine();
    api.useEngine(engine);
    const outcome = await benchmarkTraining();
    assert.equal(outcome.shown, 'report', outcome.message);
    const passes = [['forward', true], ['forward', false], ['backward', true], ['backward', false], ['training', true], ['training', false]];
    assert.deepEqual(engine.calls.map((c) => [c.pass ?? 'forward', c.dense ?? false]), passes);
    const record = api.history().find((r) => r.id === outcome.records![0])!;
    const [backward, step] = record.backward!.passes;
    assert.ok(backward.available && step.available, JSON.stringify(record.backward));
    assert.equal(backward.simulated, record.backward!.simulation.simulated);
    assert.equal(step.simulated, record.backward!.training.simulated);
    assert.match(outcome.message, /\. Backward \d+\.\d+× measured vs \d+\.\d+× simulated \(\d+%\), training step \d+\.\d+× measured vs \d+\.\d+× simulated \(\d+%\)\.$/);
    const rendered = await waitFor('the training report', () => {
      const r = api.rendered();
      return r && r.selected[0] === record.id && r;
    }, 60_000);
    assert.equal(rendered.passNote, '');
    assert.match(rendered.headline, /; training step \d+\.\d+× measured vs \d+\.\d+× simulated$/);
    // gna.pass is back to forward: Run again still times what the run timed.
    engine.calls.length = 0;
    await api.fromPage({ type: 'rerun', requestId: 21, id: record.id });
    const again = await waitFor('the run again', () => api.pending().length === 0 && engine.calls.length === passes.length && api.history()[0].id !== record.id && api.history()[0], 60_000);
    assert.equal(again.pass, 'training');
    assert.deepEqual(engine.calls.map((c) => [c.pass ?? 'forward', c.dense ?? false]), passes);
  });

  it('renders the report from a recorded result (fixture, not a measurement)', async () => {
    const api = await benchmarkApi();
    const imported = await run('gna.importBenchmarkResult', H100_FIXTURE);
    assert.equal(imported.shown, 'report', imported.message);
    assert.equal(imported.records?.length, 1);
    const record = api.history().find((r) => r.id === imported.records![0])!;
    assert.equal(record.origin, 'imported');
    assert.equal(record.gpu?.name, 'NVIDIA H100 80GB HBM3');
    // Recomputed from the file's timings and the simulator: 131.62 / 16.91 ms, bound 10.24×.
    assert.equal(record.comparison.measured.toFixed(3), (131.62 / 16.91).toFixed(3));
    assert.equal(record.comparison.simulated.toFixed(2), '10.24');
    const rendered = await waitFor('the report of the imported run', () => {
      const r = api.rendered();
      return r && r.selected.length === 1 && r.selected[0] === record.id && r;
    }, 60_000);
    assert.equal(rendered.mode, 'single');
    assert.equal(rendered.headline, '7.78× measured vs 10.2× simulated (76% of the bound)');
    assert.equal(rendered.tableColumns, 1);
    assert.ok(rendered.tableRows >= 20, `${rendered.tableRows} rows`);
    assert.equal(rendered.chart.kind, 'bars');
    assert.equal(rendered.chart.series, 5);
    assert.ok(rendered.chart.width > 0 && rendered.chart.height > 0);
  });

  it('refuses a file that records no measurement, or is not a result, in words', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const none = vscode.Uri.joinPath(folder, 'no-gpu.json');
    await vscode.workspace.fs.writeFile(none, new TextEncoder().encode(JSON.stringify({ available: false, reason: 'no usable GPU: no CUDA device', code: 'GNA_ERR_NO_DEVICE' })));
    const refused = await run('gna.importBenchmarkResult', none);
    assert.equal(refused.shown, 'warning');
    assert.match(refused.message, /no-gpu\.json records no measurement: no usable GPU/);
    const junk = vscode.Uri.joinPath(folder, 'junk.json');
    await vscode.workspace.fs.writeFile(junk, new TextEncoder().encode('{"available": true, "problem": {"inputSize": [8]}}'));
    assert.match((await run('gna.importBenchmarkResult', junk)).message, /junk\.json is not `gna bench --json` output/);
  });

  it('queues a second run behind the first, then records both (scripted engine)', async () => {
    const api = await benchmarkApi();
    const engine = new ScriptedEngine();
    api.useEngine(engine);
    const editor = await openFixture(FLUX);
    const lenses = await benchmarkLenses(editor.document, 2);
    assert.equal(lenses.length, 2);
    engine.hold();
    const first = run('gna.benchmarkConfig', ...(lenses[0].command!.arguments ?? []));
    await waitFor('the first run to start', () => engine.calls.length === 1);
    const second = run('gna.benchmarkConfig', ...(lenses[1].command!.arguments ?? []));
    await waitFor('the second run to wait', () => api.pending().length === 2);
    assert.deepEqual(api.pending(), ['na2d 256×256, window 80×80, stride 16×16', 'na2d 256×256, window 80×80']);
    // The same config again is refused while it waits.
    const again = await run('gna.benchmarkConfig', ...(lenses[1].command!.arguments ?? []));
    assert.equal(again.shown, 'warning');
    assert.match(again.message, /already waiting to run; not queued twice/);
    assert.equal(engine.calls.length, 1, 'the second run did not start while the first held the GPU');
    engine.release();
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.shown, 'report', a.message);
    assert.equal(b.shown, 'report', b.message);
    // Dense first, then GNA, for each run in turn, on the call's tiles.
    assert.deepEqual(engine.calls.map((c) => [c.dense ?? false, c.problem.stride.join('x')]), [[true, '16x16'], [false, '16x16'], [true, '1x1'], [false, '1x1']]);
    assert.ok(engine.calls.every((c) => c.tiles.q.join('x') === '16x8'));
    const record = api.history().find((r) => r.id === a.records![0])!;
    assert.match(record.label, /^na2d 256×256, window 80×80, stride 16×16 · models\/flux_attention\.py:20$/);
    assert.equal(record.gpu?.name, 'Scripted test engine (no GPU)');
    assert.match(a.message, /measured vs 10\.2× simulated/);
    assert.equal(api.pending().length, 0);
  });

  it('runs a stride sweep as one series and plots it measured vs simulated (scripted engine)', async () => {
    const api = await benchmarkApi();
    const engine = new ScriptedEngine();
    api.useEngine(engine);
    const imported = await run('gna.importBenchmarkResult', H100_FIXTURE);
    const base = imported.records![0];
    await run('gna.openBenchmarkHistory');
    await waitFor('the report', () => api.rendered());
    const before = api.history().length;
    // What the page's "Sweep strides" button sends; a malformed message is ignored.
    await api.fromPage({ type: 'sweep', requestId: 7, id: base, kind: 'diagonal' });
    assert.equal(api.pending().length, 0);
    await api.fromPage({ type: 'sweep', requestId: 8, id: base, kind: 'stride' });
    const sweep = await waitFor('the sweep records', () => {
      const points = api.history().filter((r) => r.sweep && r.sweep.kind === 'stride');
      return points.length >= 2 && api.pending().length === 0 && points;
    }, 60_000);
    assert.equal(api.history().length, before + sweep.length);
    assert.deepEqual(sweep.map((r) => r.problem.stride.join('x')).reverse(), ['1x1', '2x2', '4x4', '8x8', '16x16']);
    assert.equal(engine.calls.filter((c) => c.dense).length, 1, 'one dense baseline for the whole sweep');
    const rendered = await waitFor('the sweep chart', () => api.rendered()?.mode === 'sweep' && api.rendered(), 60_000);
    assert.equal(rendered.chart.kind, 'series');
    assert.equal(rendered.chart.points, 5);
    assert.match(rendered.headline, /^Stride sweep of 5 configs: measured .*, simulated 6\.65×–10\.2×$/);
  });

  it('exports the history as JSON and CSV', async () => {
    const api = await benchmarkApi();
    assert.ok(api.history().length > 0);
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const json = vscode.Uri.joinPath(folder, 'exported.json');
    const csv = vscode.Uri.joinPath(folder, 'exported.csv');
    const one = api.history()[0].id;
    assert.match((await run('gna.exportBenchmarkHistory', 'json', json)).message, /^Saved \d+ runs? as JSON to exported\.json\.$/);
    assert.match((await run('gna.exportBenchmarkHistory', 'csv', csv, [one])).message, /^Saved 1 run as CSV to exported\.csv\.$/);
    const exported = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(json)));
    assert.equal(exported.format, 'gna-studio.benchmark-history');
    assert.equal(exported.records.length, api.history().length);
    const lines = new TextDecoder().decode(await vscode.workspace.fs.readFile(csv)).trim().split('\r\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^id,measured_at,origin,label,layout,window,stride/);
    assert.ok(lines[1].startsWith(`${one},`));
    // Re-importing the JSON export keeps every run (fresh ids where they clash).
    const back = await run('gna.importBenchmarkResult', json);
    assert.equal(back.records?.length, exported.records.length);
  });
});
