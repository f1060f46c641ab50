import { strict as assert } from 'assert';
import { formatSpeedup } from '../../../extension/core/format';
import { recommendStride } from '../../../extension/core/recommend';
import { recommendedStrideFix } from '../../../extension/host/pure/strideFix';
import type { CallReport } from '../../../extension/lint/types';
import { callReport } from './callFixture';

// HunyuanVideo's layout on Hopper's default 3-D preset for head dim 128 (Q and KV 4×4×8): no stride
// is block-sparse on the 30-frame axis, but a larger stride still lowers the worst Q tile's count.
const SOURCE = 'out = na3d(q, k, v, kernel_size=(18, 24, 24), stride=(1, 1, 1))';
const STRIDE = { start: SOURCE.indexOf('(1, 1, 1)'), end: SOURCE.indexOf('(1, 1, 1)') + '(1, 1, 1)'.length };
const VIDEO = { rank: 3, inputSize: [30, 48, 80], windowSize: [18, 24, 24], stride: [1, 1, 1] };

function withStrideAt(call: CallReport, range = STRIDE): CallReport {
  return { ...call, argumentRanges: { ...call.argumentRanges, stride: range } };
}

describe('host: apply the recommended stride', () => {
  it('replaces the written stride with the recommendation, naming the gain', () => {
    const call = withStrideAt(callReport(VIDEO));
    const rec = recommendStride(call.check.problem!, call.tiles!);
    assert.equal(rec.atFloor, false);
    const fix = recommendedStrideFix(call, SOURCE)!;
    const value = `(${rec.stride.join(', ')})`;
    assert.deepEqual(fix.edits, [{ range: STRIDE, newText: value }]);
    assert.equal(
      fix.title,
      `Apply the recommended stride ${value}: ${formatSpeedup(rec.simulation.simulated)} simulated (now ${formatSpeedup(call.simulation!.simulated)})`,
    );
    assert.ok(rec.simulation.simulated > call.simulation!.simulated);
    const applied = SOURCE.slice(0, STRIDE.start) + value + SOURCE.slice(STRIDE.end);
    assert.match(applied, /stride=\(\d+, \d+, \d+\)\)$/);
  });

  it('writes a scalar for a 1-D op', () => {
    const source = 'out = na1d(q, k, v, kernel_size=2048, stride=1)';
    const range = { start: source.indexOf('1)'), end: source.indexOf('1)') + 1 };
    // GNA-SPEC §6: 32768 tokens, window 2048, 128-token tiles: stride 256 is block-sparse.
    const fix = recommendedStrideFix(withStrideAt(callReport({ rank: 1, inputSize: [32768], windowSize: [2048], stride: [1] }), range), source)!;
    assert.equal(fix.edits[0].newText, '256');
    assert.match(fix.title, /^Apply the recommended stride 256: 16\.0× simulated \(now 15\.1×\), block-sparse$/);
  });

  it('offers nothing at the floor, without a written stride, for `**cfg` strides, or for dict variants', () => {
    assert.equal(recommendedStrideFix(withStrideAt(callReport({ rank: 2, inputSize: [256, 256], windowSize: [80, 80], stride: [16, 16] })), SOURCE), undefined);
    assert.equal(recommendedStrideFix(callReport(VIDEO), SOURCE), undefined);
    const spread = 'out = na3d(q, k, v, **cfg)';
    assert.equal(recommendedStrideFix(withStrideAt(callReport(VIDEO), { start: 19, end: 24 }), spread), undefined);
    assert.equal(recommendedStrideFix(withStrideAt(callReport(VIDEO, { variant: 'blocks.0' })), SOURCE), undefined);
    assert.equal(recommendedStrideFix(withStrideAt(callReport({ ...VIDEO, stride: [20, 8, 8] })), SOURCE), undefined);
  });
});
