// The linter end to end on small texts: exact rules, messages' key facts and ranges.
import { strict as assert } from 'assert';
import { byRule, covered, linter } from './helpers';

describe('createLinter', () => {
  it('finds a NATTEN call under an alias and reports what NATTEN would reject', async () => {
    const l = await linter();
    const text = ['from natten import na2d as attn', '# gna: input_size=(64, 64)', 'y = attn(q, k, v, (7, 7), stride=(8, 1))'].join('\n');
    const report = l.lint(text);
    assert.equal(report.calls.length, 1);
    assert.equal(report.calls[0].op, 'na2d');
    assert.equal(report.calls[0].layoutSource, 'annotation');
    const [err] = byRule(report.findings, 'gna/stride-exceeds-window');
    assert.equal(err.severity, 'error');
    assert.equal(covered(text, err), '8', 'points at the offending tuple element');
  });

  it('never throws, whatever the input', async () => {
    const l = await linter();
    for (const text of ['', 'import natten\nnatten.na2d(', '\u0000\uffff', 'na2d(' + '('.repeat(500)]) {
      const report = l.lint(text);
      assert.ok(Array.isArray(report.findings));
    }
  });
});
