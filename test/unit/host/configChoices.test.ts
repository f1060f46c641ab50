import { strict as assert } from 'assert';
import { configChoices } from '../../../extension/host/pure/configChoices';
import { callReport } from './callFixture';

// A DiNAT stage: 56×56 tokens, window 7×7, dilation 1 and 8 by layer.
const LAYER = { rank: 2, inputSize: [56, 56], windowSize: [7, 7] };

describe('host: the preview\'s choice among a call\'s configs', () => {
  it('names each config and says what sets it apart (the dilation) and its simulated speedup', () => {
    const calls = [1, 8, 1].map((d, i) => callReport({ ...LAYER, dilation: [d, d] }, { variant: `line 82, i=0, i=${i}` }));
    assert.deepEqual(
      configChoices(calls).map((c) => c.variant),
      ['line 82, i=0, i=0', 'line 82, i=0, i=1', 'line 82, i=0, i=2'],
    );
    const labels = configChoices(calls).map((c) => c.label);
    assert.match(labels[0], /^line 82, i=0, i=0 — dilation 1×1 · [\d.]+×$/);
    assert.match(labels[1], /^line 82, i=0, i=1 — dilation 8×8 · [\d.]+×$/);
    assert.notEqual(labels[0].split(' · ')[1], labels[1].split(' · ')[1], 'their speedups differ');
    assert.doesNotMatch(labels.join('\n'), /window|layout/, 'values all configs share are left out');
  });

  it('writes a differing causal as the call does', () => {
    const calls = [false, true].map((c, i) => callReport({ ...LAYER, causal: [c, false] }, { variant: `v${i}` }));
    assert.deepEqual(
      configChoices(calls).map((c) => c.label.split(' · ')[0]),
      ['v0 — is_causal=(False, False)', 'v1 — is_causal=(True, False)'],
    );
  });

  it('offers nothing for a call with one config, and marks an invalid config', () => {
    assert.deepEqual(configChoices([callReport(LAYER)]), []);
    const [, bad] = configChoices([callReport(LAYER, { variant: 'a' }), callReport({ ...LAYER, stride: [9, 1] }, { variant: 'b' })]);
    assert.equal(bad.label, 'b — invalid config');
  });
});
