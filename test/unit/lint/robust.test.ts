// The linter never lets a failure or a runaway file look clean (issue 22): an exception becomes a
// `gna/internal-error` finding, and the time budget stops analysis with `gna/analysis-stopped`.
// The budget's clock here is driven by work (each simulation "costs" 10 ms), so the cut-off
// is decided by the calls analysed, not by this machine's speed.
import { strict as assert } from 'assert';
import { CoreNumbers, lintWith } from '../../../extension/lint';
import { createPythonParser, PythonParser } from '../../../extension/python/treeSitter';
import { grammarBytes } from './helpers';

const THREE_CALLS = [
  'from natten import na1d',
  '# gna: input_size=4096',
  'a = na1d(q, k, v, kernel_size=511)',
  '# gna: input_size=4096',
  'b = na1d(q, k, v, kernel_size=255)',
  '# gna: input_size=4096',
  'c = na1d(q, k, v, kernel_size=127)',
  '',
].join('\n');

/** CoreNumbers whose simulations advance a shared clock by 10 ms each. */
function workClock(): { numbers: CoreNumbers; now: () => number } {
  let t = 0;
  const numbers = new CoreNumbers();
  const simulate = numbers.simulate.bind(numbers);
  numbers.simulate = (problem, tiles) => {
    t += 10;
    return simulate(problem, tiles);
  };
  return { numbers, now: () => t };
}

describe('linter: loud failures and the time budget', () => {
  let parser: PythonParser;
  before(async () => {
    parser = await createPythonParser(grammarBytes());
  });

  it('an exception while analysing a call is a gna/internal-error on that call; the other calls are still checked', () => {
    const numbers = new CoreNumbers();
    const simulate = numbers.simulate.bind(numbers);
    numbers.simulate = (problem, tiles) => {
      if (problem.windowSize[0] === 255) throw new Error('boom');
      return simulate(problem, tiles);
    };
    const report = lintWith(parser, THREE_CALLS, {}, numbers);
    const internal = report.findings.filter((f) => f.rule === 'gna/internal-error');
    assert.equal(internal.length, 1);
    assert.equal(internal[0].severity, 'error');
    assert.equal(THREE_CALLS.slice(internal[0].range.start, internal[0].range.end), 'na1d');
    assert.ok(internal[0].range.start > THREE_CALLS.indexOf('b = '));
    assert.match(internal[0].message, /Internal error in the GNA linter while analysing this call: boom\./);
    assert.equal(report.calls.length, 2);
    assert.equal(report.findings.filter((f) => f.rule === 'gna/summary').length, 2);
  });

  it('an exception outside any call (the source model) is a gna/internal-error at the file start, never an empty report', () => {
    const broken = { ...parser, parser: { parse: () => { throw new Error('parser down'); } } } as unknown as PythonParser;
    const report = lintWith(broken, THREE_CALLS);
    assert.equal(report.findings.length, 1);
    assert.equal(report.findings[0].rule, 'gna/internal-error');
    assert.deepEqual(report.findings[0].range, { start: 0, end: 0 });
    assert.match(report.findings[0].message, /parser down/);
  });

  it('a budget of 15 work-ms checks two calls of three and marks the third as where analysis stopped', () => {
    const { numbers, now } = workClock();
    const report = lintWith(parser, THREE_CALLS, { timeBudgetMs: 15 }, numbers, now);
    assert.equal(report.calls.length, 2);
    const stopped = report.findings.filter((f) => f.rule === 'gna/analysis-stopped');
    assert.equal(stopped.length, 1);
    assert.equal(stopped[0].range.start, THREE_CALLS.indexOf('na1d(q, k, v, kernel_size=127)'));
    assert.match(stopped[0].message, /longer than its 15 ms budget \(2 calls checked before this one\)/);
  });

  it('without a budget, or with one the work stays under, nothing is stopped', () => {
    for (const options of [{}, { timeBudgetMs: 1000 }]) {
      const { numbers, now } = workClock();
      const report = lintWith(parser, THREE_CALLS, options, numbers, now);
      assert.equal(report.calls.length, 3);
      assert.ok(!report.findings.some((f) => f.rule === 'gna/analysis-stopped' || f.rule === 'gna/internal-error'));
    }
  });

  it('a budget of 0 stops before any name is read: deterministic on any machine', () => {
    const report = lintWith(parser, THREE_CALLS, { timeBudgetMs: 0 });
    assert.equal(report.calls.length, 0);
    assert.deepEqual(report.findings.map((f) => f.rule), ['gna/analysis-stopped']);
  });
});
