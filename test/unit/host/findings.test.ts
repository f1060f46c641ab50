import { strict as assert } from 'assert';
import { findingsToPublish, SUMMARY_RULE } from '../../../extension/host/pure/findings';
import type { Finding } from '../../../extension/lint/types';

const finding = (rule: string): Finding => ({ rule, severity: 'info', message: rule, range: { start: 0, end: 1 }, fixes: [] });

describe('host: findings published as diagnostics', () => {
  const findings = [finding('gna/stride-exceeds-window'), finding(SUMMARY_RULE), finding('gna/not-block-sparse')];

  it('leaves the per-call summary to the inlay hint when hints are on', () => {
    assert.deepEqual(
      findingsToPublish(findings, true).map((f) => f.rule),
      ['gna/stride-exceeds-window', 'gna/not-block-sparse'],
    );
  });

  it('publishes the summary when hints are off', () => {
    assert.deepEqual(findingsToPublish(findings, false), findings);
  });
});
