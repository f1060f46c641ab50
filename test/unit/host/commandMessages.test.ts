import { strict as assert } from 'assert';
import { simulate } from '../../../extension/core/simulator';
import { CallTarget } from '../../../extension/host/pure/calls';
import { describeConfig, previewComingMessage } from '../../../extension/host/pure/commandMessages';

const problem = { inputSize: [30, 48, 80], windowSize: [18, 24, 24], stride: [16, 8, 8], dilation: [1, 1, 1], causal: [false, false, false] };
const target: CallTarget = { uri: 'file:///v.py', offset: 0, op: 'na3d', problem, tiles: { q: [2, 8, 8], kv: [2, 8, 8] } };

describe('host: command messages', () => {
  it('describes a config with only the non-default parameters', () => {
    assert.equal(describeConfig(target), 'na3d 30×48×80, window 18×24×24, stride 16×8×8');
    const causal = { ...target, problem: { ...problem, stride: [1, 1, 1], dilation: [1, 2, 1], causal: [true, false, false] } };
    assert.equal(describeConfig(causal), 'na3d 30×48×80, window 18×24×24, dilation 1×2×1, is_causal=(True, False, False)');
    assert.equal(describeConfig({ ...target, variant: 'double_blocks.0' }), 'na3d [double_blocks.0] 30×48×80, window 18×24×24, stride 16×8×8');
  });

  it('says what the preview will show', () => {
    const message = previewComingMessage(target, simulate(problem, target.tiles!));
    assert.match(message, /^Mask preview is coming.*na3d 30×48×80.*For now: 91% sparse \(9% attended\) · 11\.1× simulated speedup · block-sparse\.$/);
  });
});
