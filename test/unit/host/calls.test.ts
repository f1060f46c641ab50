import { strict as assert } from 'assert';
import { callAt, callRef, callsAt, callTarget, commandUri, groupByRange, parseCallRef, parseCallTarget } from '../../../extension/host/pure/calls';
import { incompleteLensTitle } from '../../../extension/host/pure/incompleteCall';
import type { LintReport } from '../../../extension/lint/types';
import { callReport } from './callFixture';

const HUNYUAN = { rank: 3, inputSize: [30, 48, 80], windowSize: [18, 24, 24], stride: [16, 8, 8] };

describe('host: calls and command targets', () => {
  it('finds the innermost call holding an offset, ends included', () => {
    const outer = { ...callReport(HUNYUAN, { start: 10, end: 100 }), index: 0 };
    const inner = { ...callReport(HUNYUAN, { start: 40, end: 60 }), index: 1 };
    const report: LintReport = { calls: [outer, inner], findings: [] };
    assert.equal(callAt(report, 5), undefined);
    assert.equal(callAt(report, 10)?.index, 0);
    assert.equal(callAt(report, 50)?.index, 1);
    assert.equal(callAt(report, 60)?.index, 1);
    assert.equal(callAt(report, 61)?.index, 0);
    assert.equal(callAt(report, 100)?.index, 0);
    assert.equal(callAt(report, 101), undefined);
  });

  it('gives every variant of the innermost call, and groups a report by call range', () => {
    const outer = { ...callReport(HUNYUAN, { start: 0, end: 200 }), index: 0 };
    const a = { ...callReport(HUNYUAN, { start: 40, end: 90, variant: 'blocks.0' }), index: 1 };
    const b = { ...callReport({ ...HUNYUAN, stride: [1, 1, 1] }, { start: 40, end: 90, variant: 'blocks.1' }), index: 2 };
    const report: LintReport = { calls: [outer, a, b], findings: [] };
    assert.deepEqual(callsAt(report, 50).map((c) => c.variant), ['blocks.0', 'blocks.1']);
    assert.deepEqual(callsAt(report, 150).map((c) => c.index), [0]);
    assert.deepEqual(callsAt(report, 300), []);
    assert.deepEqual(groupByRange(report.calls).map((g) => g.map((c) => c.index)), [[0], [1, 2]]);
  });

  it('carries the variant of a dict-configured call through a command argument', () => {
    const target = callTarget('file:///m.py', callReport(HUNYUAN, { variant: 'double_blocks.0' }))!;
    assert.equal(target.variant, 'double_blocks.0');
    assert.deepEqual(parseCallTarget(JSON.parse(JSON.stringify(target))), target);
    assert.match(parseCallTarget({ ...target, variant: 3 }) as string, /variant must be text/);
  });

  it('makes a target only for a valid, complete config', () => {
    assert.ok(callTarget('file:///m.py', callReport(HUNYUAN)));
    assert.equal(callTarget('file:///m.py', callReport({ ...HUNYUAN, stride: [20, 8, 8] })), undefined);
  });

  it('round-trips a target through a command URI and checks it again', () => {
    const target = callTarget('file:///m.py', callReport(HUNYUAN, { start: 7 }))!;
    const uri = commandUri('gna.previewMask', target);
    assert.match(uri, /^command:gna\.previewMask\?/);
    const [arg] = JSON.parse(decodeURIComponent(uri.slice(uri.indexOf('?') + 1)));
    assert.deepEqual(parseCallTarget(arg), target);
  });

  it('refuses malformed or invalid arguments with a sentence, never throws', () => {
    assert.match(parseCallTarget(undefined) as string, /No GNA call/);
    assert.match(parseCallTarget({ op: 'na1d' }) as string, /malformed/);
    const base = { uri: 'file:///m.py', offset: 0, op: 'na3d' };
    const invalid = parseCallTarget({ ...base, problem: { ...HUNYUAN, stride: [20, 8, 8] } });
    assert.match(invalid as string, /stride must be <= kernel_size/);
    const badTiles = parseCallTarget({ ...base, problem: HUNYUAN, tiles: { q: [2, 8], kv: [2, 8, 8] } });
    assert.match(badTiles as string, /q_tile_shape must have 3 entries/);
    assert.match(parseCallTarget({ ...base, problem: 'x' }) as string, /not valid/);
  });

  it('a call with no complete config is referred to by place alone, checked again on arrival', () => {
    const call = callReport({ rank: 2, windowSize: [7, 7] }, { start: 12, variant: 'a' });
    assert.equal(callTarget('file:///m.py', call), undefined);
    const ref = callRef('file:///m.py', call);
    assert.deepEqual(ref, { uri: 'file:///m.py', offset: 12, op: call.op, variant: 'a' });
    assert.deepEqual(parseCallRef(JSON.parse(JSON.stringify(ref))), ref);
    assert.match(parseCallTarget(ref) as string, /config is not valid/, 'a reference is no target: commands that need a config refuse it');
    assert.match(parseCallRef({ ...ref, offset: -0.5 }) as string, /malformed/);
    assert.match(parseCallRef({ ...ref, variant: 1 }) as string, /variant must be text/);
  });

  it('the lens over such a call says what is missing in a few words', () => {
    assert.equal(incompleteLensTitle([['kernel_size']]), 'Preview mask (kernel_size unknown)');
    assert.equal(incompleteLensTitle([['input_size', 'kernel_size']]), 'Preview mask (input_size, kernel_size unknown)');
    assert.equal(incompleteLensTitle([[]]), 'Preview mask (invalid config)');
    assert.equal(incompleteLensTitle([['dilation'], ['dilation', 'stride'], []]), 'Preview mask (3 configs: dilation, stride unknown)');
  });
});
