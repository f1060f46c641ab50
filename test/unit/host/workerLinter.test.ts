// The editor's linter in a worker thread (issue 22): the same reports as the in-thread linter,
// the host's event loop free while a file is analysed, and a stuck or crashing worker replaced
// with a finding that says so. Waits are on the promised reports, never on time; stand-in workers
// (a script that never answers, one that exits) make the watchdog's cases deterministic.
import { strict as assert } from 'assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { lintWith } from '../../../extension/lint';
import { fromTransferable, toTransferable } from '../../../extension/lint/transfer';
import { UNKNOWN } from '../../../extension/core/validate';
import { WorkerLinter } from '../../../extension/host/workerLinter';
import { createPythonParser } from '../../../extension/python/treeSitter';
import { grammarBytes, repoPath } from '../lint/helpers';

const WORKER = join(__dirname, '..', '..', '..', 'extension', 'host', 'lintWorker.js');

/** A stand-in worker script: says ready, then does what `onMessage` says with each request. */
function standIn(onMessage: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'gna-worker-')), 'worker.js');
  writeFileSync(file, `const { parentPort } = require('worker_threads');\nparentPort.on('message', (request) => { ${onMessage} });\nparentPort.postMessage({ kind: 'ready' });\n`);
  return file;
}

describe('host: the linter in a worker thread', function () {
  this.timeout(120_000);
  const linters: WorkerLinter[] = [];
  after(() => linters.forEach((l) => l.dispose()));
  const start = async (script: string, graceMs?: number) => {
    const linter = await WorkerLinter.start(script, grammarBytes(), graceMs);
    linters.push(linter);
    return linter;
  };

  it('gives the in-thread report, UNKNOWN values included, for every fixture', async () => {
    const worker = await start(WORKER);
    const parser = await createPythonParser(grammarBytes());
    for (const name of ['video_dit.py', 'dinat_backbone.py', 'flux_hunyuan.py']) {
      const text = readFileSync(repoPath('test', 'fixtures', 'python', name), 'utf8');
      const options = { defaultInputSize: [32, 32] };
      // The worker's report also says what it consulted of the workspace (test/unit/python/workspaceIndex.test.ts).
      const { dependencies: _consulted, ...report } = await worker.lint(text, options);
      assert.deepEqual(report, lintWith(parser, text, options), name);
    }
  });

  it('UNKNOWN survives the thread boundary as the same symbol', () => {
    const report = { calls: [{ raw: { inputSize: UNKNOWN, windowSize: [7, UNKNOWN] } }], findings: [] } as never;
    const back = fromTransferable(structuredClone(toTransferable(report))) as unknown as { calls: { raw: { inputSize: unknown; windowSize: unknown[] } }[] };
    assert.equal(back.calls[0].raw.inputSize, UNKNOWN);
    assert.equal(back.calls[0].raw.windowSize[1], UNKNOWN);
  });

  it("the host's event loop turns while a large file is analysed", async () => {
    const worker = await start(WORKER);
    const big = `from natten import na1d\n# gna: input_size=(64,)\ny = na1d(q, k, v, kernel_size=7)\nx = [${new Array(130_000).fill('na1d').join(', ')}]\n`;
    const order: string[] = [];
    // A budget no loaded machine reaches: this test is about the event loop, not the watchdog.
    const report = worker.lint(big, { timeBudgetMs: 60_000 }).then((r) => {
      order.push('report');
      return r;
    });
    await new Promise((resolve) => setImmediate(resolve));
    order.push('host turn');
    assert.equal((await report).calls.length, 1);
    assert.deepEqual(order, ['host turn', 'report']);
  });

  it('a budget of 0 is answered by the worker itself with gna/analysis-stopped', async () => {
    const worker = await start(WORKER);
    const report = await worker.lint('from natten import na1d\n# gna: input_size=64\nna1d(q, k, v, kernel_size=7)\n', { timeBudgetMs: 0 });
    assert.deepEqual(report.findings.map((f) => f.rule), ['gna/analysis-stopped']);
    assert.equal(worker.stats.timeouts, 0);
  });

  it('a worker that never answers is terminated past budget + grace; the file gets gna/analysis-stopped and the next request a fresh worker', async () => {
    const worker = await start(standIn('/* stuck in one call */'), 20);
    const first = await worker.lint('anything', { timeBudgetMs: 0 });
    assert.equal(first.findings.length, 1);
    assert.equal(first.findings[0].rule, 'gna/analysis-stopped');
    assert.match(first.findings[0].message, /longer than its 0 ms budget/);
    assert.deepEqual(worker.stats, { timeouts: 1, starts: 1 }); // the next worker starts with the next request
    const second = await worker.lint('more', { timeBudgetMs: 10 });
    assert.equal(second.findings[0].rule, 'gna/analysis-stopped');
    assert.deepEqual(worker.stats, { timeouts: 2, starts: 2 });
  });

  it('a worker that dies on a request gives that file a gna/internal-error and serves the next one', async () => {
    const worker = await start(standIn("if (request.text === 'crash') process.exit(3); parentPort.postMessage({ kind: 'report', id: request.id, report: { calls: [], findings: [] } });"));
    const crashed = await worker.lint('crash', {});
    assert.equal(crashed.findings[0].rule, 'gna/internal-error');
    assert.match(crashed.findings[0].message, /the lint worker exited \(code 3\)/);
    assert.deepEqual(await worker.lint('fine', {}), { calls: [], findings: [], dependencies: { paths: [], words: [], patterns: [] } });
    assert.equal(worker.stats.starts, 2);
  });

  it('a worker that cannot load the linter makes start() reject with its reason', async () => {
    const script = join(mkdtempSync(join(tmpdir(), 'gna-worker-')), 'worker.js');
    writeFileSync(script, "require('worker_threads').parentPort.postMessage({ kind: 'failed', message: 'no grammar' });\n");
    await assert.rejects(WorkerLinter.start(script, grammarBytes()), /no grammar/);
  });
});
