// Planning the `# gna:` annotation a call lacks (lint/annotationEdit.ts): where it goes, that an
// existing one is extended (never doubled), and the snippet's placeholders.
import { strict as assert } from 'assert';
import { annotationEdit } from '../../../extension/lint/annotationEdit';
import { applyEdits, linter } from './helpers';

async function plan(lines: string[], keys?: Parameters<typeof annotationEdit>[2]) {
  const text = lines.join('\n');
  const report = (await linter()).lint(text);
  const edit = annotationEdit(report.calls[0], text, keys);
  return { text, edit, after: edit ? applyEdits(text, [{ range: edit.range, newText: edit.text }]) : text };
}

describe('lint: the annotation quick fix', () => {
  it('adds a line above the statement, with its indentation, one placeholder per layout axis', async () => {
    const { edit, after } = await plan(['from natten import na3d', 'class A:', '    def f(self, q, k, v):', '        out = self.norm(', '            na3d(q, k, v, kernel_size=(3, 7, 7)))']);
    assert.equal(after.split('\n')[3], '        # gna: input_size=(T, H, W)');
    assert.equal(edit!.snippet, '        # gna: input_size=(${1:T}, ${2:H}, ${3:W})\n');
    assert.equal(edit!.title, 'Add # gna: input_size=… above the call');
  });

  it('extends the annotation the call has instead of adding a second one', async () => {
    const { edit, after } = await plan(['from natten import na2d', '# gna: head_dim=64  ', 'y = na2d(q, k, v, kernel_size=7)']);
    assert.equal(after.split('\n')[1], '# gna: head_dim=64, input_size=(H, W)  ');
    assert.match(edit!.title, /^Complete the # gna: annotation: input_size$/);
    // On the call's line too.
    const inline = await plan(['from natten import na2d', 'y = na2d(q, k, v, kernel_size=7)  # gna: head_dim=32']);
    assert.equal(inline.after.split('\n')[1], 'y = na2d(q, k, v, kernel_size=7)  # gna: head_dim=32, input_size=(H, W)');
  });

  it('replaces a value the annotation holds but cannot use, keeping the rest as written', async () => {
    const { edit, after } = await plan(['from natten import na2d', '# gna: input_size=LAYOUT, head_dim=64', 'y = na2d(q, k, v, kernel_size=7)']);
    assert.equal(after.split('\n')[1], '# gna: input_size=(H, W), head_dim=64');
    assert.equal(edit!.snippet, '(${1:H}, ${2:W}), head_dim=64');
  });

  it('an empty annotation gets the keys without a leading comma; CRLF text gets a CRLF line', async () => {
    const empty = await plan(['from natten import na1d', '# gna:', 'y = na1d(q, k, v, kernel_size=7)']);
    assert.equal(empty.after.split('\n')[1], '# gna: input_size=(L,)');
    const crlf = await plan(['from natten import na1d', 'y = na1d(q, k, v, kernel_size=7)', '']);
    const text = crlf.text.replace(/\n/g, '\r\n');
    const edit = annotationEdit((await linter()).lint(text).calls[0], text)!;
    assert.equal(edit.text, '# gna: input_size=(L,)\r\n');
  });

  it('is_causal is a choice; a literal `$` or `}` in kept text is escaped in the snippet', async () => {
    const { edit } = await plan(['from natten import na2d', "# gna: input_size=X, head_dim=len('${}')", 'y = na2d(q, k, v, kernel_size=7)'], ['is_causal', 'input_size']);
    assert.equal(edit!.snippet, "(${1:H}, ${2:W}), head_dim=len('\\${\\}'), is_causal=${3|False,True|}");
    const fresh = await plan(['from natten import na2d', 'y = na2d(q, k, v, kernel_size=7)'], ['is_causal']);
    assert.equal(fresh.edit!.snippet, '# gna: is_causal=${1|False,True|}\n');
  });

  it('nothing to add: no edit', async () => {
    const { edit } = await plan(['from natten import na2d', '# gna: input_size=(8, 8)', 'y = na2d(q, k, v, kernel_size=7)']);
    assert.equal(edit, undefined);
  });

  it('writes values given as text instead of placeholders (the preview’s write-back)', async () => {
    const lines = ['from natten import na2d', 'def f(q, k, v):', '    return na2d(q, k, v, kernel_size=7)'];
    const text = lines.join('\n');
    const call = (await linter()).lint(text).calls[0];
    const edit = annotationEdit(call, text, ['input_size'], { input_size: '(56, 56)' })!;
    assert.equal(applyEdits(text, [{ range: edit.range, newText: edit.text }]).split('\n')[2], '    # gna: input_size=(56, 56)');
    assert.equal(edit.snippet, edit.text, 'no placeholder is left');
    const replaced = await plan(['from natten import na2d', '# gna: input_size=LAYOUT, head_dim=64', 'y = na2d(q, k, v, kernel_size=7)']);
    const call2 = (await linter()).lint(replaced.text).calls[0];
    const edit2 = annotationEdit(call2, replaced.text, ['input_size'], { input_size: '(8, 8)' })!;
    assert.equal(applyEdits(replaced.text, [{ range: edit2.range, newText: edit2.text }]).split('\n')[1], '# gna: input_size=(8, 8), head_dim=64');
  });
});
