// `# gna: ignore[…]` comments and rule selection, through the real linter.
import { strict as assert } from 'assert';
import { closestRules, editDistance, ruleId, ruleSelected } from '../../../extension/lint/suppress';
import { RULES } from '../../../extension/lint/rules';
import type { LintOptions } from '../../../extension/lint/types';
import { linter } from './helpers';

const lintText = async (text: string, options: LintOptions = {}) => (await linter()).lint(text, options);

const CALL = 'y = na2d(q, k, v, kernel_size=(7, 7), stride=(8, 1))';
const source = (...lines: string[]) => ['from natten import na2d', '# gna: input_size=(64, 64)', ...lines, ''].join('\n');
const rulesOf = async (text: string, options: LintOptions = {}) => (await lintText(text, options)).findings.map((f) => f.rule);

describe('lint: suppression comments and rule selection', () => {
  it('without a comment the call has the error the tests suppress', async () => {
    assert.ok((await rulesOf(source(CALL))).includes('gna/stride-exceeds-window'));
  });

  it('# gna: ignore[rule] hides that rule on the call, and nothing else', async () => {
    const plain = await rulesOf(source(CALL));
    const named = await rulesOf(source(`${CALL}  # gna: ignore[stride-exceeds-window]`));
    assert.deepEqual(named, plain.filter((r) => r !== 'gna/stride-exceeds-window'));
    const prefixed = await rulesOf(source(`${CALL}  # gna: ignore[gna/stride-exceeds-window, summary]`));
    assert.deepEqual(prefixed, plain.filter((r) => r !== 'gna/stride-exceeds-window' && r !== 'gna/summary'));
  });

  it('a bare # gna: ignore hides every finding of the call, not of the next one', async () => {
    const r = await lintText(source(`${CALL}  # gna: ignore`, CALL));
    assert.ok(r.findings.length > 0);
    for (const f of r.findings) assert.equal(f.callIndex, 1, f.rule);
    assert.equal(r.calls.length, 2, 'the call itself is still reported (hints, previews)');
  });

  it('works on any line of a call that spans several', async () => {
    const multi = ['y = na2d(', '    q, k, v,', '    kernel_size=(7, 7),  # gna: ignore[stride-exceeds-window]', '    stride=(8, 1),', ')'];
    assert.ok(!(await rulesOf(source(...multi))).includes('gna/stride-exceeds-window'));
    // A comment on the line above is an annotation place, not a suppression.
    assert.ok((await rulesOf(source('# gna: ignore', CALL))).includes('gna/stride-exceeds-window'));
  });

  it('an unknown rule in a suppression is a warning with the nearest rule, and is not an annotation', async () => {
    const r = await lintText(source(`${CALL}  # gna: ignore[stride-exceeds-windw]`));
    const bad = r.findings.filter((f) => f.rule === 'gna/bad-annotation');
    assert.equal(bad.length, 1);
    assert.match(bad[0].message, /Unknown rule 'stride-exceeds-windw'.*did you mean gna\/stride-exceeds-window\?/);
    assert.ok(r.findings.some((f) => f.rule === 'gna/stride-exceeds-window'), 'a typo suppresses nothing');
  });

  it('select keeps only the named rules; ignore drops rules; both take ids with or without gna/', async () => {
    const all = await rulesOf(source(CALL));
    assert.deepEqual(await rulesOf(source(CALL), { select: ['stride-exceeds-window'] }), ['gna/stride-exceeds-window']);
    assert.deepEqual(await rulesOf(source(CALL), { ignore: ['gna/stride-exceeds-window'] }), all.filter((r) => r !== 'gna/stride-exceeds-window'));
    assert.deepEqual(await rulesOf(source(CALL), { select: ['stride-exceeds-window'], ignore: ['stride-exceeds-window'] }), []);
  });

  it('rule ids, selection and nearest codes', () => {
    assert.equal(ruleId(' GNA/Summary '), 'gna/summary');
    assert.equal(ruleId('summary'), 'gna/summary');
    assert.equal(ruleId('nope'), undefined);
    assert.equal(ruleSelected('gna/summary', {}), true);
    assert.equal(ruleSelected('gna/summary', { select: ['even-window'] }), false);
    assert.deepEqual(closestRules('not-blok-sparse'), ['gna/not-block-sparse']);
    assert.deepEqual(closestRules('zzzzzzzz'), []);
    for (const id of RULES.keys()) assert.deepEqual(closestRules(id.slice(4)), [id]);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
  });
});
