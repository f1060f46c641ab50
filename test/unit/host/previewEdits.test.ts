// Write-back from the preview: plan edits for a call the real linter found, apply them, lint the
// result again and check the call now has the panel's config (a round trip through the scanner).
import { strict as assert } from 'assert';
import { describePlan, planWriteBack } from '../../../extension/host/previewEdits';
import type { PreviewConfig } from '../../../webview/model/config';
import { applyEdits, linter } from '../lint/helpers';

async function roundTrip(text: string, change: (c: PreviewConfig) => PreviewConfig, callIndex = 0) {
  const l = await linter();
  const before = l.lint(text).calls[callIndex];
  assert.ok(before?.check.problem, `the fixture call is valid: ${before?.check.issues.map((i) => i.message).join(' ')}`);
  const p = before.check.problem;
  const tiles = before.tiles ?? { q: p.inputSize.map(() => 8), kv: p.inputSize.map(() => 8) };
  const config = change({ ...p, qTile: tiles.q, kvTile: tiles.kv });
  const plan = planWriteBack(text, before, config);
  assert.ok(typeof plan !== 'string', String(plan));
  const edited = applyEdits(text, plan.edits);
  const after = l.lint(edited).calls[callIndex];
  return { plan, edited, after, config };
}

describe('host: writing a preview config back into the call', () => {
  it('replaces written arguments and adds missing ones, keeping tuple spelling and a trailing comment', async () => {
    const text = ['from natten import na2d', '# gna: input_size=(64, 64)', 'y = na2d(q, k, v, kernel_size=(7, 7))  # local attention', ''].join('\n');
    const { plan, edited, after } = await roundTrip(text, (c) => ({ ...c, windowSize: [9, 11], stride: [2, 3], causal: [true, false] }));
    assert.equal(edited.split('\n')[2], 'y = na2d(q, k, v, kernel_size=(9, 11), stride=(2, 3), is_causal=(True, False))  # local attention');
    assert.deepEqual(after.check.problem?.windowSize, [9, 11]);
    assert.deepEqual(after.check.problem?.stride, [2, 3]);
    assert.deepEqual(after.check.problem?.causal, [true, false]);
    assert.deepEqual(plan.notWritten, []);
    assert.equal(describePlan(plan), 'Wrote kernel_size=(9, 11), stride=(2, 3), is_causal=(True, False).');
  });

  it('a scalar stays a scalar when every axis agrees, and unchanged arguments are left alone', async () => {
    const text = ['import natten', '# gna: input_size=(30, 48, 80)', 'out = natten.na3d(q, k, v, kernel_size=7, dilation=1)'].join('\n');
    const { plan, edited, after } = await roundTrip(text, (c) => ({ ...c, windowSize: [9, 9, 9] }));
    assert.equal(edited.split('\n')[2], 'out = natten.na3d(q, k, v, kernel_size=9, dilation=1)');
    assert.equal(plan.edits.length, 1);
    assert.deepEqual(after.check.problem?.windowSize, [9, 9, 9]);
  });

  it('adds arguments to a multi-line call whose last line is a comment, before the closing parenthesis', async () => {
    const text = [
      'from natten import NeighborhoodAttention2D',
      '# gna: input_size=(32, 32)',
      'layer = NeighborhoodAttention2D(',
      '    dim=128,',
      '    num_heads=4,',
      '    kernel_size=7,  # the window, (7, 7)',
      ')',
    ].join('\n');
    const { edited, after } = await roundTrip(text, (c) => ({ ...c, stride: [2, 2] }));
    assert.ok(edited.includes('    kernel_size=7, stride=2  # the window, (7, 7)\n)'), edited);
    assert.deepEqual(after.check.problem?.stride, [2, 2]);
  });

  it('rewrites the # gna: annotation when the layout changes, and says tiles are not written', async () => {
    const text = ['from natten import na2d', '# gna: input_size=(64, 64)', 'y = na2d(q, k, v, kernel_size=(7, 7))'].join('\n');
    const { plan, edited, after } = await roundTrip(text, (c) => ({ ...c, inputSize: [96, 64], qTile: [8, 16] }));
    assert.equal(edited.split('\n')[1], '# gna: input_size=(96, 64)');
    assert.deepEqual(after.check.problem?.inputSize, [96, 64]);
    assert.ok(plan.notWritten.some((n) => n.includes('tile shapes')));
  });

  it('does not touch a **dict expansion or a layout from settings; says why', async () => {
    const l = await linter();
    const text = ['from natten import na2d', "cfg = dict(kernel_size=(7, 7), stride=(1, 1))", 'y = na2d(q, k, v, **cfg)'].join('\n');
    const call = l.lint(text, { defaultInputSize: [64, 64] }).calls[0];
    assert.ok(call?.check.problem, 'the linter follows the dict');
    const plan = planWriteBack(text, call, { ...call.check.problem, inputSize: [48, 64], stride: [2, 2], qTile: [16, 8], kvTile: [16, 8] });
    assert.ok(typeof plan !== 'string');
    for (const e of plan.edits) assert.ok(!text.slice(e.range.start, e.range.end).startsWith('**'), 'never replaces **cfg');
    const said = describePlan(plan);
    assert.ok(said.includes('gna.inputSize setting'), said);
  });

  it('refuses a config of another rank than the op', async () => {
    const l = await linter();
    const text = ['from natten import na2d', '# gna: input_size=(64, 64)', 'y = na2d(q, k, v, kernel_size=7)'].join('\n');
    const call = l.lint(text).calls[0];
    const plan = planWriteBack(text, call, { inputSize: [8, 8, 8], windowSize: [3, 3, 3], stride: [1, 1, 1], dilation: [1, 1, 1], causal: [false, false, false], qTile: [2, 2, 2], kvTile: [2, 2, 2] });
    assert.equal(typeof plan, 'string');
    assert.match(plan as string, /na2d is a 2-D op/);
  });
});
