// The noise policy (docs/lint-rules.md, "Information"): at most one informational finding per
// call, and only the actionable one: every mask argument known, so the token layout the message
// names is all the check lacks. What else is unknown is listed in `CallReport.missing` (the hover
// and the lens say it); `gna/unresolved` is off unless asked for.
import { strict as assert } from 'assert';
import * as fc from 'fast-check';
import type { Finding, LintOptions } from '../../../extension/lint';
import { missingMarkdown } from '../../../extension/host/pure/missingMarkdown';
import { annotationEdit } from '../../../extension/lint/annotationEdit';
import { linter } from './helpers';

const ARGS = ['kernel_size', 'stride', 'dilation', 'is_causal'] as const;
type Arg = (typeof ARGS)[number];
const LITERAL: Record<Arg, string> = { kernel_size: '7', stride: '2', dilation: '2', is_causal: 'False' };

/** A call whose `unknown` arguments come from parameters of a function nobody calls. */
function source(unknown: readonly Arg[], layout: boolean): string {
  const args = ARGS.map((a) => `${a}=${unknown.includes(a) ? `p_${a}` : LITERAL[a]}`).join(', ');
  return [
    'from natten import na2d',
    '',
    `def attend(q, k, v, ${ARGS.map((a) => `p_${a}`).join(', ')}):`,
    ...(layout ? ['    # gna: input_size=(64, 64)'] : []),
    `    return na2d(q, k, v, ${args})`,
    '',
  ].join('\n');
}

const infos = (findings: readonly Finding[]) => findings.filter((f) => f.severity === 'info' && f.rule !== 'gna/summary');

describe('lint: the noise policy', () => {
  it('a call whose layout alone is missing gets one info naming the annotation; nothing else unknown gets one', async () => {
    const l = await linter();
    const onlyLayout = l.lint(source([], false));
    assert.deepEqual(onlyLayout.findings.map((f) => f.rule), ['gna/needs-layout']);
    assert.match(onlyLayout.findings[0].message, /add `# gna: input_size=\(H, W\)` above the call/);
    const unknownKs = l.lint(source(['kernel_size'], false));
    assert.deepEqual(unknownKs.findings, [], 'following "add input_size" would change nothing: no info');
    assert.deepEqual(unknownKs.calls[0].missing?.map((m) => m.key), ['kernel_size', 'input_size']);
    assert.match(unknownKs.calls[0].missing![0].reason, /p_kernel_size is a parameter of attend\(\)/);
  });

  it('gna/unresolved is off by default and back when selected or given a level', async () => {
    const l = await linter();
    const text = source(['kernel_size', 'dilation'], true);
    assert.deepEqual(l.lint(text).findings, []);
    const on = (options: LintOptions) => l.lint(text, options).findings.map((f) => `${f.rule}:${f.severity}`);
    assert.deepEqual(on({ select: ['unresolved'] }), ['gna/unresolved:info', 'gna/unresolved:info']);
    assert.deepEqual(on({ rules: { 'gna/unresolved': 'warning' } }), ['gna/unresolved:warning', 'gna/unresolved:warning']);
    assert.deepEqual(on({ rules: { unresolved: 'off' }, select: ['unresolved'] }), []);
  });

  it('for any subset of unknown arguments, with or without a layout: ≤ 1 info, the missing list, the hover and the fix name exactly those, and the filled-in fix completes the call', async () => {
    const l = await linter();
    await fc.assert(
      fc.asyncProperty(fc.subarray([...ARGS]), fc.boolean(), async (unknown, layout) => {
        const text = source(unknown, layout);
        const report = l.lint(text);
        assert.equal(report.calls.length, 1);
        const expected = [...unknown, ...(layout ? [] : ['input_size'])];
        const call = report.calls[0];
        assert.deepEqual((call.missing ?? []).map((m) => m.key), expected);
        const found = infos(report.findings);
        assert.ok(found.length <= 1, found.map((f) => f.message).join('\n'));
        // The one info exists exactly when the layout alone is missing (its advice completes the check).
        assert.deepEqual(found.map((f) => f.rule), unknown.length === 0 && !layout ? ['gna/needs-layout'] : []);
        // Following the advice changes what the linter can say: with the layout, the call is simulated.
        if (found.length === 1) assert.ok(l.lint(text, { defaultInputSize: [64, 64] }).calls[0].simulation);
        const hover = missingMarkdown(call, 'file:///m.py') ?? '';
        assert.deepEqual([...hover.matchAll(/^- `(\w+)`:/gm)].map((m) => m[1]), expected);
        const edit = annotationEdit(call, text);
        assert.equal(edit === undefined, expected.length === 0);
        if (!edit) return;
        assert.deepEqual([...edit.text.matchAll(/(\w+)=/g)].map((m) => m[1]), expected);
        // Filled in, the annotation completes the call: nothing missing, no info, every value it gave marked.
        const filled = edit.text.replace('=K', '=7').replace('=S', '=2').replace('=D', '=2').replace('(H, W)', '(64, 64)');
        const after = l.lint(text.slice(0, edit.range.start) + filled + text.slice(edit.range.end));
        assert.equal(after.calls[0].missing, undefined);
        assert.ok(after.calls[0].simulation);
        assert.deepEqual(after.calls[0].annotated ?? [], unknown);
        assert.deepEqual(infos(after.findings), []);
        assert.deepEqual(after.findings.filter((f) => f.rule === 'gna/bad-annotation'), []);
      }),
      { numRuns: 40 },
    );
  });
});

describe('noise policy: a warning several configs of one call share is one finding', () => {
  it('names up to three other configs, counts the rest, keeps every config\'s fix; errors stay one per config', async () => {
    const windows = [7, 5, 3, 9, 11, 13];
    const text = [
      'import natten',
      `CFG = {${windows.map((w, i) => `"c${i}": dict(kernel_size=${w})`).join(', ')}, "bad": dict(kernel_size=2, stride=3)}`,
      'def f(q, name):',
      '    # gna: input_size=(60, 60)',
      '    return natten.na2d(q, q, q, **CFG[name])',
    ].join('\n');
    const report = await (await linter()).lint(text, { nattenVersion: '0.21' });
    // Every valid config pads 60 × 60 with 16 × 8 tiles: one warning, naming its own config and
    // three others, counting the remaining two.
    const padding = report.findings.filter((f) => f.rule === 'gna/padding-waste');
    assert.equal(padding.length, 1, padding.map((f) => f.message).join('\n'));
    const named = [...padding[0].message.matchAll(/\[(c\d)\]/g)].map((m) => m[1]);
    const counted = Number(/and (\d+) more configs\)$/.exec(padding[0].message)?.[1] ?? 0);
    assert.equal(named.length, 4);
    assert.equal(named.length + counted, windows.length);
    // Some configs are not block-sparse, each with its own stride fix: one warning, every fix.
    const notBlockSparse = report.findings.filter((f) => f.rule === 'gna/not-block-sparse');
    assert.equal(notBlockSparse.length, 1);
    const configs = [...notBlockSparse[0].message.matchAll(/\[(c\d)\]/g)].map((m) => m[1]);
    assert.ok(configs.length >= 2);
    assert.equal(notBlockSparse[0].fixes.length, configs.length, 'the fix of every config it names');
    // An error is never grouped away.
    assert.equal(report.findings.filter((f) => f.rule === 'gna/stride-exceeds-window').length, 1);
  });
});
