// Per-rule levels (issue 24): `rules` in the lint options (from `gna.rules`, `[tool.gna.rules]`,
// `gna lint --rules`), merged per rule flags > table > editor settings, applied inside the
// linter; errors stay errors unless the user says otherwise.
import { strict as assert } from 'assert';
import { join } from 'path';
import { parsePyproject } from '../../../extension/core/pyproject';
import { lintOptionsFor, ProjectSettingsFinder } from '../../../extension/lint/projectOptions';
import { resolveSettings } from '../../../extension/host/pure/settingsModel';
import { runCli } from '../../support/cli';
import { writeTempTree } from '../../support/tempTree';
import { linter } from './helpers';

const BAD = ['from natten import na2d', '# gna: input_size=(64, 64)', 'y = na2d(q, k, v, kernel_size=(7, 7), stride=(8, 1))', ''].join('\n');
const levels = async (text: string, rules?: Record<string, string>) =>
  (await linter()).lint(text, rules ? { rules: rules as never } : {}).findings.map((f) => `${f.rule}:${f.severity}`);

describe('lint: rule levels', () => {
  it('a level replaces the severity, off hides the rule; an error is downgraded only when asked', async () => {
    const plain = await levels(BAD);
    assert.ok(plain.includes('gna/stride-exceeds-window:error'), plain.join());
    const set = await levels(BAD, { 'stride-exceeds-window': 'warning', 'gna/summary': 'off' });
    assert.deepEqual(set, plain.filter((r) => !r.startsWith('gna/summary')).map((r) => r.replace('gna/stride-exceeds-window:error', 'gna/stride-exceeds-window:warning')));
    // Unknown codes and levels change nothing.
    assert.deepEqual(await levels(BAD, { nope: 'off', 'stride-exceeds-window': 'loud' }), plain);
  });

  it('[tool.gna.rules] is read and checked', () => {
    const { config, problems } = parsePyproject('[tool.gna.rules]\nnot-block-sparse = "error"\n"gna/summary" = "off"\nunresolved = 3\n');
    assert.deepEqual(config?.rules, { 'not-block-sparse': 'error', 'gna/summary': 'off' });
    assert.deepEqual(problems, ['[tool.gna.rules] unresolved must be one of off, info, warning, error, got 3']);
    assert.deepEqual(parsePyproject('[tool.gna]\nrules = ["x"]\n').problems, ['[tool.gna.rules] must be a table of rule = level, e.g. not-block-sparse = "error", got ["x"]']);
  });

  it('gna.rules is read and checked; bad entries are dropped with a warning each', () => {
    const read = (rules: unknown) => resolveSettings((key) => (key === 'rules' ? rules : undefined), 'a.py', (code) => code !== 'nope');
    const s = read({ 'not-block-sparse': 'error', nope: 'off', summary: 'loud' });
    assert.deepEqual(s.lint.rules, { 'not-block-sparse': 'error' });
    assert.deepEqual(s.warnings.filter((w) => w.startsWith('gna.rules')), [
      "gna.rules: unknown rule 'nope' (the rules: docs/lint-rules.md); ignored.",
      'gna.rules: summary must be one of off, info, warning, error, got "loud"; ignored.',
    ]);
    assert.equal(read(undefined).lint.rules, undefined);
    assert.match(read(['x']).warnings.join(), /gna\.rules must be an object/);
  });

  it('merged per rule: flags over the table over the editor settings', () => {
    const table = parsePyproject('[tool.gna.rules]\nsummary = "warning"\nnot-block-sparse = "error"\n').config!;
    const settings = { table: { dir: '/p', config: table, problems: [] } };
    const folders = { relative: (dir: string, file: string) => file.slice(dir.length + 1) };
    const { options } = lintOptionsFor('/p/a.py', settings, folders, {
      preferred: { rules: { summary: 'off', 'padding-waste': 'off' } },
      forced: { rules: { 'not-block-sparse': 'info' } },
    });
    assert.deepEqual(options.rules, { summary: 'warning', 'padding-waste': 'off', 'not-block-sparse': 'info' });
    assert.equal(new ProjectSettingsFinder({ files: () => new Map(), parent: () => undefined, relative: folders.relative }).forDir('/x').table, undefined);
  });

  it('gna lint --rules, over [tool.gna.rules]; unknown codes and levels are usage errors', async () => {
    const dir = writeTempTree('gna-levels-', { 'bad.py': BAD, 'pyproject.toml': '[tool.gna.rules]\nstride-exceeds-window = "warning"\nsummary = "off"\n' });
    const table = await runCli(['lint', join(dir, 'bad.py')]);
    assert.equal(table.code, 0, 'the table downgraded the only error');
    assert.match(table.out, /warning gna\/stride-exceeds-window/);
    const flag = await runCli(['lint', '--rules', 'stride-exceeds-window=error', join(dir, 'bad.py')]);
    assert.equal(flag.code, 1);
    assert.match(flag.out, /error gna\/stride-exceeds-window/);
    const bad = await runCli(['lint', '--rules', 'stride-exceds-window=error,summary', join(dir, 'bad.py')]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--rules: unknown rule 'stride-exceds-window' \(did you mean gna\/stride-exceeds-window\?\)/);
    assert.match(bad.err, /--rules takes RULE=off\|info\|warning\|error entries, got 'summary'/);
    const typo = writeTempTree('gna-levels-', { 'bad.py': BAD, 'pyproject.toml': '[tool.gna.rules]\nsumary = "off"\n' });
    const r = await runCli(['lint', join(typo, 'bad.py')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /\[tool\.gna\.rules\]: unknown rule 'sumary'/);
  });
});
