// `gna lint`: exit codes, exact compiler-style lines, JSON and SARIF shapes, folder walking.
import { strict as assert } from 'assert';
import { join } from 'path';
import { runCli } from '../../support/cli';
import { writeTempTree } from '../../support/tempTree';

const workspace = (files: Record<string, string>): string => writeTempTree('gna-lint-', files);

const BAD = ['import natten', '# gna: input_size=(64, 64)', 'y = natten.na2d(q, k, v, (7, 7), stride=(8, 1))', ''].join('\n');
/** 1-based column of the `8` in `stride=(8, 1)` on line 3 of BAD. */
const BAD_COLUMN = BAD.split('\n')[2].indexOf('(8, 1)') + 2;
const GOOD = ['from natten import na1d', '# gna: input_size=4096', 'y = na1d(q, k, v, kernel_size=512, stride=256)', ''].join('\n');

describe('gna lint', () => {
  it('prints path:line:col: severity rule: message lines and exits 1 on errors', async () => {
    const dir = workspace({ 'bad.py': BAD });
    const file = join(dir, 'bad.py');
    const r = await runCli(['lint', file]);
    assert.equal(r.code, 1, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.equal(BAD_COLUMN, 42);
    assert.equal(lines[0], `${file}:3:${BAD_COLUMN}: error gna/stride-exceeds-window: stride must be <= kernel_size on every axis, got stride=(8, 1), kernel_size=(7, 7) (axis 0: 8 > 7).`);
    assert.equal(lines[lines.length - 1], '1 error, 0 warnings, 0 infos in 1 file (1 NATTEN call).');
    assert.equal(lines.length, 2);
  });

  it('exits 0 without errors; warnings and infos do not fail', async () => {
    const dir = workspace({ 'good.py': GOOD });
    const r = await runCli(['lint', join(dir, 'good.py')]);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /good\.py:3:5: info gna\/summary: 87% sparse \(13% attended\) · 8\.00× simulated speedup · block-sparse \(hopper, Q tile 128, KV tile 128, head dim 128\)/);
  });

  it('--format json: 1-based lines and columns, exclusive end column', async () => {
    const dir = workspace({ 'bad.py': BAD });
    const r = await runCli(['lint', '--format', 'json', join(dir, 'bad.py')]);
    assert.equal(r.code, 1);
    const json = JSON.parse(r.out) as Record<string, unknown>[];
    assert.deepEqual(json, [
      {
        file: join(dir, 'bad.py'),
        line: 3,
        column: 42,
        endLine: 3,
        endColumn: 43,
        severity: 'error',
        rule: 'gna/stride-exceeds-window',
        message: 'stride must be <= kernel_size on every axis, got stride=(8, 1), kernel_size=(7, 7) (axis 0: 8 > 7).',
      },
    ]);
  });

  it('counts columns in UTF-16 units after non-ASCII text on the line', async () => {
    const dir = workspace({ 'u.py': 'import natten\n# gna: input_size=(64, 64)\nx = "é😀"; natten.na2d(q, k, v, (1, 7))\n' });
    const r = await runCli(['lint', '--format', 'json', join(dir, 'u.py')]);
    const [err] = (JSON.parse(r.out) as { rule: string; column: number; line: number }[]).filter((f) => f.rule === 'gna/window-too-small');
    // `x = "é😀"; natten.na2d(q, k, v, (` is 33 UTF-16 units (😀 is two), so `1` is column 34;
    // counting code points would give 33 and UTF-8 bytes 37.
    assert.deepEqual([err.line, err.column], [3, 34]);
  });

  it('--format sarif: SARIF 2.1.0 with rule metadata, levels and fixes', async () => {
    const dir = workspace({ 'bad.py': BAD });
    const r = await runCli(['lint', '--format', 'sarif', join(dir, 'bad.py')]);
    assert.equal(r.code, 1);
    const sarif = JSON.parse(r.out);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'gna');
    assert.equal(run.columnKind, 'utf16CodeUnits');
    const ids = run.tool.driver.rules.map((x: { id: string }) => x.id);
    assert.ok(ids.includes('gna/not-block-sparse') && ids.includes('gna/summary'));
    const [result] = run.results;
    assert.equal(result.ruleId, 'gna/stride-exceeds-window');
    assert.equal(run.tool.driver.rules[result.ruleIndex].id, 'gna/stride-exceeds-window');
    assert.equal(result.level, 'error');
    assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 3, startColumn: 42, endLine: 3, endColumn: 43 });
    const replacement = result.fixes[0].artifactChanges[0].replacements[0];
    assert.deepEqual(replacement.insertedContent, { text: '(7, 1)' });
    const info = run.tool.driver.rules.find((x: { id: string }) => x.id === 'gna/summary');
    assert.equal(info.defaultConfiguration.level, 'note');
    // Off by default (the noise policy): SARIF says so, so code scanning does not expect it.
    const unresolved = run.tool.driver.rules.find((x: { id: string }) => x.id === 'gna/unresolved');
    assert.deepEqual(unresolved.defaultConfiguration, { level: 'note', enabled: false });
    assert.equal(info.defaultConfiguration.enabled, undefined);
  });

  it('walks folders for *.py in a stable order, skipping node_modules, .git and virtualenvs', async () => {
    const dir = workspace({
      'models/b.py': BAD,
      'models/a.py': GOOD,
      'models/notes.txt': BAD,
      'node_modules/pkg/x.py': BAD,
      '.git/hooks/y.py': BAD,
      'venv/lib/z.py': BAD,
      '.venv/lib/z.py': BAD,
    });
    const r = await runCli(['lint', '--format', 'json', dir]);
    const files = [...new Set((JSON.parse(r.out) as { file: string }[]).map((f) => f.file))];
    assert.deepEqual(files, [join(dir, 'models', 'a.py'), join(dir, 'models', 'b.py')]);
  });

  it('--natten-version, --arch, --dim and --input-size change the analysis', async () => {
    const dir = workspace({ 'v.py': 'from natten import na2d\ny = na2d(q, k, v, 7, 2)\n' });
    const file = join(dir, 'v.py');
    const newer = await runCli(['lint', '--format', 'json', file]);
    const older = await runCli(['lint', '--format', 'json', '--natten-version', '0.17', file]);
    const messages = (r: { out: string }) => (JSON.parse(r.out) as { rule: string; message: string }[]).map((f) => `${f.rule}: ${f.message}`);
    assert.ok(messages(newer).some((m) => m.includes('here stride=2 with NATTEN 0.21')));
    assert.ok(messages(older).some((m) => m.includes('here dilation=2 with NATTEN 0.17')));
    const laidOut = await runCli(['lint', '--format', 'json', '-i', '64', '64', '--arch', 'blackwell', '-d', '64', file]);
    assert.ok(messages(laidOut).some((m) => /gna\/summary: .*\(blackwell, Q tile 16×16, KV tile 16×8, head dim 64\)/.test(m)), messages(laidOut).join('\n'));
    assert.ok(!messages(newer).some((m) => m.startsWith('gna/summary')), 'no layout, no simulation');
    // The layout's numbers end where the paths begin.
    const before = await runCli(['lint', '--format', 'json', '-i', '64', '64', file]);
    assert.ok(messages(before).some((m) => m.startsWith('gna/summary')), before.err);
  });

  it('exits 2 on bad usage with every problem listed', async () => {
    const none = await runCli(['lint']);
    assert.equal(none.code, 2);
    assert.match(none.err, /give one or more Python files or folders/);
    const bad = await runCli(['lint', '--format', 'xml', '--natten-version', 'latest', '-i', '0', '/no/such/path.py']);
    assert.equal(bad.code, 2);
    for (const text of ['--format must be one of text, json, sarif', '--natten-version takes a release like 0.21', '--input-size takes 1 to 3 positive integers', 'no such file or folder: /no/such/path.py']) {
      assert.ok(bad.err.includes(text), `missing "${text}" in:\n${bad.err}`);
    }
  });

  it('lints the examples folder with errors, warnings and infos (the README demo)', async () => {
    const r = await runCli(['lint', 'examples']);
    assert.equal(r.code, 1);
    const summary = r.out.trimEnd().split('\n').pop()!;
    const [, errors, warnings, infos] = /^(\d+) errors?, (\d+) warnings?, (\d+) infos? in 3 files/.exec(summary) ?? [];
    assert.ok(Number(errors) > 0 && Number(warnings) > 0 && Number(infos) > 0, summary);
  });
});
