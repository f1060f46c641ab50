// Before the reload: record a run from a recorded result (the fixture, not a measurement), open
// the report on it, then a training run (its `--backward --json` fixture), and write their ids
// where the runner and the second half can read them.
import * as assert from 'assert';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { benchmarkApi, H100_FIXTURE, H100_TRAINING_FIXTURE, run } from '../../benchSupport';
import { waitFor } from '../../helpers';

describe('benchmark history, before a window reload', function () {
  this.timeout(90_000);

  it('records an imported result and shows it in the report', async () => {
    const api = await benchmarkApi();
    assert.equal(api.history().length, 0, 'a fresh browser profile starts with no history');
    const imported = await run('gna.importBenchmarkResult', H100_FIXTURE);
    assert.equal(imported.records?.length, 1, imported.message);
    const id = imported.records![0];
    const rendered = await waitFor('the report of the imported run', () => {
      const r = api.rendered();
      return r && r.selected[0] === id && r;
    }, 60_000);
    assert.equal(rendered.headline, '7.78× measured vs 10.2× simulated (76% of the bound)');
    // A training run too: the history keeps its pass across the reload.
    const training = await run('gna.importBenchmarkResult', H100_TRAINING_FIXTURE);
    assert.equal(training.records?.length, 1, training.message);
    writeFileSync(join(process.env.GNA_E2E_ARTIFACTS!, 'reload-recorded.json'), JSON.stringify({ id, training: training.records![0] }));
  });
});
