// Which lint findings become diagnostics. The linter reports a `gna/summary` line for every
// simulated call (the CLI lists it); in the editor the inlay hint after the call says the same,
// so the summary is published as a diagnostic only when inlay hints are turned off.

import type { Finding } from '../../lint/types';

export const SUMMARY_RULE = 'gna/summary';

export function findingsToPublish(findings: readonly Finding[], inlayHints: boolean): Finding[] {
  return inlayHints ? findings.filter((f) => f.rule !== SUMMARY_RULE) : [...findings];
}
