import { strict as assert } from 'assert';
import { hintText } from '../../../extension/host/pure/hintText';
import { callReport } from './callFixture';

// GNA-SPEC §6: FLUX-4K, window 80×80, on Hopper's 16×8 tiles.
const FLUX = { rank: 2, inputSize: [256, 256], windowSize: [80, 80] };

describe('host: inlay hint text', () => {
  it('is the summary line for a single call (GNA-SPEC §6, FLUX stride 16)', () => {
    const text = hintText([callReport({ ...FLUX, stride: [16, 16] }, { op: 'na2d' })])!;
    assert.equal(text.label, '90% sparse · 10.2× sim · block-sparse');
    assert.match(text.tooltip, /^GNA na2d: simulated on Q 16×8 \/ KV 16×8 tiles/);
  });

  it('follows gna.pass: the training step with its forward and backward parts', () => {
    const call = callReport({ ...FLUX, stride: [16, 16] }, { op: 'na2d' });
    const t = call.training!;
    const text = hintText([call], 'training')!;
    const x = (v: number) => `${v.toFixed(2)}×`;
    assert.equal(text.label, `90% sparse · ${x(t.training.simulated)} train step (10.2× fwd, ${x(t.backward.simulated)} bwd) · block-sparse`);
    assert.match(text.tooltip, /the backward on Q 8×8 \/ KV 16×8/);
    const both = hintText([call, callReport(FLUX, { variant: 'b' })], 'training')!;
    assert.match(both.label, /^2 configs: .* · [\d.]+×–[\d.]+× train step/);
    assert.equal(hintText([call], 'forward')!.label, '90% sparse · 10.2× sim · block-sparse');
  });

  it('gives nothing for a call without a simulation', () => {
    assert.equal(hintText([callReport({ ...FLUX, stride: [90, 1] })]), undefined);
  });

  it('summarises the variants of a dict-configured call in one hint', () => {
    const calls = [
      callReport({ ...FLUX, stride: [16, 16] }, { variant: 'blocks.0' }),
      callReport(FLUX, { variant: 'blocks.1' }),
      callReport({ ...FLUX, stride: [90, 1] }, { variant: 'blocks.2' }),
    ];
    const text = hintText(calls)!;
    // The values the configs take, then the simulated range (GNA-SPEC §6: 6.65× at stride 1, 10.2× at 16).
    assert.equal(text.label, '2 of 3 configs: 80×80, stride 16×16 | 1 | 90×1 · 6.65×–10.2× sim · 1 block-sparse');
    assert.deepEqual(text.tooltip.split('\n'), [
      'blocks.0: 90% sparse · 10.2× sim · block-sparse',
      'blocks.1: 90% sparse · 6.65× sim',
      'blocks.2: not simulated (see its diagnostics)',
    ]);
    assert.equal(hintText(calls.slice(0, 1).concat(calls[0]))!.label, '2 configs: 80×80, stride 16×16 · 10.2× sim · 2 block-sparse');
  });
});
