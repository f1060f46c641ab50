// The corpus of real NATTEN code patterns (test/fixtures/corpus, expectations written by hand
// from NATTEN's sources): the bars, checked on every test run.
import { strict as assert } from 'assert';
import { corpusMarkdown, noiseMarkdown, runCorpus } from '../../support/corpus';
import { linter } from './helpers';

describe('corpus of real NATTEN code', () => {
  it('finds ≥ 98% of call sites, no error on code at its own release, ≥ 95% of 0.21 breakages flagged, kernel_size resolved on ≥ 70%', async () => {
    const r = runCorpus(await linter());
    const report = corpusMarkdown(r).join('\n');
    assert.ok(r.cases.length >= 14 && r.callSites >= 29, report);
    assert.ok(r.found / r.callSites >= 0.98, report);
    assert.equal(r.errors, 0, report);
    assert.ok(r.breaksFlagged / r.breaking >= 0.95, report);
    assert.ok(r.ksResolved / r.callSites >= 0.7, report);
  });

  it('the noise policy: ≤ 1 informational diagnostic per call site, none where nothing is actionable', async () => {
    const r = runCorpus(await linter());
    for (const [noise, report] of [[r.noise, noiseMarkdown(r).join('\n')], [r.noiseAlone, noiseMarkdown(r, true).join('\n')]] as const) {
      assert.ok(noise.callSites >= r.found, report);
      assert.ok(noise.maxPerCall <= 1, report);
      assert.deepEqual(noise.onNotActionable, [], report);
      // Where a layout alone is missing, the one info says so (the policy's only info).
      assert.ok(noise.editorInfos <= noise.actionable, report);
    }
  });
});
