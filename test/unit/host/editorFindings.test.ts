// Suppression comments and rule levels through the editor's path (issue 24): the gna.* settings
// (pure/settingsModel) under the project's [tool.gna] (lint/projectOptions, as host/projectConfig
// merges them), linted in the worker thread the editor uses (host/workerLinter over lintWorker),
// and what diagnostics.ts publishes (pure/findings). The same findings as `gna lint`.
import { strict as assert } from 'assert';
import { join } from 'path';
import { parsePyproject } from '../../../extension/core/pyproject';
import { WorkerLinter } from '../../../extension/host/workerLinter';
import { findingsToPublish } from '../../../extension/host/pure/findings';
import { resolveSettings } from '../../../extension/host/pure/settingsModel';
import { lintOptionsFor } from '../../../extension/lint/projectOptions';
import { linter as inThread, grammarBytes } from '../lint/helpers';

const WORKER = join(__dirname, '..', '..', '..', 'extension', 'host', 'lintWorker.js');
const CALL = 'na2d(q, k, v, kernel_size=(7, 7), stride=(8, 1))';
const TEXT = [
  'from natten import na2d',
  '# gna: input_size=(64, 64)',
  `a = ${CALL}`,
  '# gna: input_size=(64, 64)',
  `b = ${CALL}  # gna: ignore[stride-exceeds-window]`,
  '# gna: input_size=(64, 64)',
  `c = ${CALL}  # gna: ignore`,
  '# gna: input_size=(64, 64)',
  `d = ${CALL}  # gna: ignore[stride-exceeds-windows]`,
  '',
].join('\n');

describe('host: suppressions and rule levels on the editor path', function () {
  this.timeout(60_000);
  let worker: WorkerLinter;
  before(async () => {
    worker = await WorkerLinter.start(WORKER, grammarBytes());
  });
  after(() => worker.dispose());

  const published = async (settings: Record<string, unknown>, pyproject?: string) => {
    const host = resolveSettings((key) => settings[key], 'model.py', () => true);
    const table = pyproject ? { dir: '/p', config: parsePyproject(pyproject).config!, problems: [] } : undefined;
    const { options } = lintOptionsFor('/p/model.py', table ? { table } : {}, { relative: (d, f) => f.slice(d.length + 1) }, { preferred: host.lint });
    const report = await worker.lint(TEXT, options);
    // The CLI's linter gives the same findings for the same options.
    assert.deepEqual(report.findings, (await inThread()).lint(TEXT, options).findings);
    const line = (offset: number) => TEXT.slice(0, offset).split('\n').length;
    return findingsToPublish(report.findings, host.inlayHints).map((f) => `${line(f.range.start)} ${f.rule}:${f.severity}`);
  };

  it('# gna: ignore hides the named rule on its call only, a bare one every rule, a typo is reported', async () => {
    const shown = await published({});
    assert.deepEqual(shown.filter((s) => s.includes('stride-exceeds-window')), ['3 gna/stride-exceeds-window:error', '9 gna/stride-exceeds-window:error']);
    assert.ok(!shown.some((s) => s.startsWith('7 ')), shown.join('\n'));
    assert.ok(shown.some((s) => /^9 gna\/bad-annotation:warning$/.test(s)), shown.join('\n'));
  });

  it('gna.rules sets levels; [tool.gna.rules] wins for the rules it names', async () => {
    const shown = await published({ rules: { 'stride-exceeds-window': 'info', 'bad-annotation': 'off' } });
    assert.deepEqual(shown.filter((s) => /stride|bad-annotation/.test(s)), ['3 gna/stride-exceeds-window:info', '9 gna/stride-exceeds-window:info']);
    const table = await published({ rules: { 'stride-exceeds-window': 'info' } }, '[tool.gna.rules]\nstride-exceeds-window = "warning"\n');
    assert.deepEqual(table.filter((s) => s.includes('stride')), ['3 gna/stride-exceeds-window:warning', '9 gna/stride-exceeds-window:warning']);
  });
});
