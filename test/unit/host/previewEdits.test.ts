// Write-back from the preview: plan edits for a call the real linter found, apply them, lint the
// result again and check the call now has the panel's config (a round trip through the scanner).
import { strict as assert } from 'assert';
import { describePlan, planWriteBack } from '../../../extension/host/previewEdits';
import type { PreviewConfig } from '../../../webview/model/config';
import { ANNOTATION_KEYS } from '../../../extension/python/annotations';
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

  it('adds arguments to a multi-line call after its last argument, before a trailing comment', async () => {
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
    assert.ok(edited.includes('    kernel_size=7, stride=2,  # the window, (7, 7)\n)'), edited);
    assert.deepEqual(after.check.problem?.stride, [2, 2]);
  });

  it('rewrites the # gna: annotation when the layout changes, and says tiles are not written', async () => {
    const text = ['from natten import na2d', '# gna: input_size=(64, 64)', 'y = na2d(q, k, v, kernel_size=(7, 7))'].join('\n');
    const { plan, edited, after } = await roundTrip(text, (c) => ({ ...c, inputSize: [96, 64], qTile: [8, 16] }));
    assert.equal(edited.split('\n')[1], '# gna: input_size=(96, 64)');
    assert.deepEqual(after.check.problem?.inputSize, [96, 64]);
    assert.ok(plan.notWritten.some((n) => n.includes('tile shapes')));
  });

  it('edits and adds entries of the **dict a call is configured from (the linter\'s edit), not the layout from settings', async () => {
    const l = await linter();
    const text = ['from natten import na2d', 'cfg = dict(kernel_size=(7, 7), stride=(1, 1))', 'y = na2d(q, k, v, **cfg)'].join('\n');
    const call = l.lint(text, { defaultInputSize: [64, 64] }).calls[0];
    assert.ok(call?.check.problem, 'the linter follows the dict');
    const plan = planWriteBack(text, call, { ...call.check.problem, inputSize: [48, 64], stride: [2, 2], dilation: [2, 1], qTile: [16, 8], kvTile: [16, 8] });
    assert.ok(typeof plan !== 'string');
    const edited = applyEdits(text, plan.edits);
    assert.equal(edited.split('\n')[1], 'cfg = dict(kernel_size=(7, 7), stride=(2, 2), dilation=(2, 1))');
    assert.equal(edited.split('\n')[2], 'y = na2d(q, k, v, **cfg)');
    const after = l.lint(edited, { defaultInputSize: [64, 64] }).calls[0];
    assert.deepEqual(after.check.problem?.stride, [2, 2]);
    assert.deepEqual(after.check.problem?.dilation, [2, 1]);
    const said = describePlan(plan);
    assert.ok(said.startsWith('Wrote stride=(2, 2), dilation=(2, 1).'), said);
    assert.ok(said.includes('gna.inputSize setting'), said);
  });

  it('writes the entry of the variant shown for a call configured per layer from a dict', async () => {
    const l = await linter();
    const text = [
      'from natten import na2d',
      'LAYERS = {"a": {"kernel_size": 7}, "b": {"kernel_size": 9, "stride": 2}}',
      'def f(q, k, v, name):',
      '    return na2d(q, k, v, **LAYERS[name])  # gna: input_size=(64, 64)',
    ].join('\n');
    const calls = l.lint(text).calls;
    const b = calls.find((c) => c.variant === 'b');
    assert.ok(b?.check.problem, `variant b is valid: ${calls.map((c) => c.variant).join(', ')}`);
    const plan = planWriteBack(text, b, { ...b.check.problem, windowSize: [11, 11], stride: [3, 3], qTile: b.tiles!.q, kvTile: b.tiles!.kv });
    assert.ok(typeof plan !== 'string');
    const edited = applyEdits(text, plan.edits);
    assert.equal(edited.split('\n')[1], 'LAYERS = {"a": {"kernel_size": 7}, "b": {"kernel_size": 11, "stride": 3}}');
  });

  it('refuses a config of another rank than the op', async () => {
    const l = await linter();
    const text = ['from natten import na2d', '# gna: input_size=(64, 64)', 'y = na2d(q, k, v, kernel_size=7)'].join('\n');
    const call = l.lint(text).calls[0];
    const plan = planWriteBack(text, call, { inputSize: [8, 8, 8], windowSize: [3, 3, 3], stride: [1, 1, 1], dilation: [1, 1, 1], causal: [false, false, false], qTile: [2, 2, 2], kvTile: [2, 2, 2] });
    assert.equal(typeof plan, 'string');
    assert.match(plan as string, /na2d is a 2-D op/);
  });

  describe('values the user entered because the call does not give them', () => {
    const complete = (c: Partial<PreviewConfig>): PreviewConfig => ({ inputSize: [56, 56], windowSize: [7, 7], stride: [1, 1], dilation: [1, 1], causal: [false, false], qTile: [16, 8], kvTile: [16, 8], ...c });

    it('never replace what the code passes: they go into the annotation where the scanner reads them there', async () => {
      const text = ['from natten import na2d', 'def attend(q, k, v, window):', '    # gna: input_size=(56, 56)', '    return na2d(q, k, v, kernel_size=window, stride=1)'].join('\n');
      const call = (await linter()).lint(text).calls[0];
      const plan = planWriteBack(text, call, complete({ stride: [2, 2] }));
      assert.ok(typeof plan !== 'string');
      const edited = applyEdits(text, plan.edits).split('\n');
      assert.equal(edited[3], '    return na2d(q, k, v, kernel_size=window, stride=2)');
      if ((ANNOTATION_KEYS as readonly string[]).includes('kernel_size')) {
        assert.equal(edited[2], '    # gna: input_size=(56, 56), kernel_size=7');
        assert.deepEqual((await linter()).lint(edited.join('\n')).calls[0].check.problem?.windowSize, [7, 7]);
      } else {
        assert.equal(edited[2], '    # gna: input_size=(56, 56)');
        assert.equal(describePlan(plan), 'Wrote stride=2. Not written: kernel_size=7 is yours: the code passes `window`, left as it is.');
      }
    });

    it('are added where the call leaves the argument out', async () => {
      const text = ['from natten import na2d', '# gna: input_size=(56, 56)', 'y = na2d(q, k, v)'].join('\n');
      const call = (await linter()).lint(text).calls[0];
      const plan = planWriteBack(text, call, complete({ windowSize: [5, 5] }));
      assert.ok(typeof plan !== 'string');
      const edited = applyEdits(text, plan.edits);
      assert.equal(edited.split('\n')[2], 'y = na2d(q, k, v, kernel_size=5)');
      assert.deepEqual((await linter()).lint(edited).calls[0].check.problem?.windowSize, [5, 5]);
    });

    it('a layout the code does not give goes into a new annotation above the call, and the call then has it', async () => {
      const text = ['from natten import na2d', 'def f(q, k, v):', '    y = na2d(q, k, v, kernel_size=7)', '    return y'].join('\n');
      const call = (await linter()).lint(text).calls[0];
      const plan = planWriteBack(text, call, complete({}));
      assert.ok(typeof plan !== 'string');
      const edited = applyEdits(text, plan.edits);
      assert.deepEqual(edited.split('\n').slice(2, 4), ['    # gna: input_size=(56, 56)', '    y = na2d(q, k, v, kernel_size=7)']);
      assert.equal(describePlan(plan), 'Wrote `# gna: input_size=(56, 56)` (annotation).');
      const after = (await linter()).lint(edited).calls[0];
      assert.deepEqual([after.layoutSource, after.check.problem?.inputSize], ['annotation', [56, 56]]);
    });

    it('an annotation the call has but cannot read gets the entered layout in place', async () => {
      const text = ['from natten import na2d', '# gna: input_size=LAYOUT, head_dim=64', 'y = na2d(q, k, v, kernel_size=7)'].join('\n');
      const plan = planWriteBack(text, (await linter()).lint(text).calls[0], complete({}));
      assert.ok(typeof plan !== 'string');
      assert.equal(applyEdits(text, plan.edits).split('\n')[1], '# gna: input_size=(56, 56), head_dim=64');
    });
  });
});
