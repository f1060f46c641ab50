// After the reload (a new window and extension host in the same browser): the run recorded
// before are still in the history (the training run with its pass), and the report renders them.
import * as assert from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import { benchmarkApi, run, ScriptedEngine } from '../../benchSupport';
import { waitFor } from '../../helpers';

describe('benchmark history, after a window reload', function () {
  this.timeout(90_000);

  it('still holds the recorded runs, the training one with its pass, and the report renders them', async () => {
    const { id, training } = JSON.parse(readFileSync(join(process.env.GNA_E2E_ARTIFACTS!, 'reload-recorded.json'), 'utf8')) as { id: string; training: string };
    const api = await benchmarkApi();
    assert.equal(api.reportOpen, false, 'a new window: the report is not open yet');
    const record = api.history().find((r) => r.id === id);
    assert.ok(record, `record ${id} in ${JSON.stringify(api.history().map((r) => r.id))}`);
    assert.equal(record.gpu?.name, 'NVIDIA H100 80GB HBM3');
    assert.equal(record.pass, 'forward');
    const trainingRecord = api.history().find((r) => r.id === training);
    assert.equal(trainingRecord?.pass, 'training');
    assert.deepEqual(trainingRecord?.backward?.passes.map((p) => [p.pass, p.available]), [['backward', false], ['training', false]]);
    const outcome = await run('gna.openBenchmarkHistory');
    assert.match(outcome.message, /^Benchmark report with 2 runs in the history\.$/);
    // The newest (the training run) is shown, with its one line on the backward.
    const rendered = await waitFor('the report', () => api.rendered()?.records === 2 && api.rendered(), 60_000);
    assert.equal(rendered.mode, 'single');
    assert.deepEqual(rendered.selected, [training]);
    assert.equal(rendered.headline, '7.78× measured vs 10.2× simulated (76% of the bound); training step 6.07× simulated, not measured');
    assert.match(rendered.passNote, /^Backward and training step not measured: no backward kernel in this build/);
  });

  it('plots a window sweep started from the reloaded run (scripted engine, not a GPU)', async () => {
    const api = await benchmarkApi();
    api.useEngine(new ScriptedEngine());
    try {
      const base = api.history().find((r) => r.pass === 'forward')!.id;
      // What the page's "Sweep windows" button sends.
      await api.fromPage({ type: 'sweep', requestId: 1, id: base, kind: 'window' });
      const rendered = await waitFor('the sweep chart', () => api.rendered()?.mode === 'sweep' && api.pending().length === 0 && api.rendered(), 60_000);
      assert.equal(rendered.chart.kind, 'series');
      assert.equal(rendered.chart.points, 6);
      assert.match(rendered.headline, /^Window sweep of 6 configs: measured .*, simulated .*$/);
      // The run page stays as it is for the runner's screenshot (report-after-reload.png).
    } finally {
      api.useEngine(undefined);
    }
  });
});
