// Findings about the linter itself rather than the code: a file it could not fully check is never
// reported as clean. Kept apart from linter.ts so that hosts can build them (the editor's lint
// watchdog does) without loading the parser.

import type { Finding, SourceRange } from './types';

export const FILE_START: SourceRange = { start: 0, end: 0 };

/** An exception inside the linter, on the call (or the file) it cost its checks. */
export function internalErrorFinding(error: unknown, range: SourceRange, what: string): Finding {
  const detail = error instanceof Error ? error.message : String(error);
  return {
    rule: 'gna/internal-error',
    severity: 'error',
    message: `Internal error in the GNA linter while ${what}: ${detail.slice(0, 300)}. This code was not fully checked; please report it with the file.`,
    range,
    fixes: [],
  };
}

/** The time budget ran out: `checked` calls were analysed before `range`, none after it. */
export function analysisStoppedFinding(budgetMs: number, checked: number, range: SourceRange): Finding {
  return {
    rule: 'gna/analysis-stopped',
    severity: 'warning',
    message: `GNA analysis stopped here: the file took longer than its ${budgetMs} ms budget (${checked} call${checked === 1 ? '' : 's'} checked before this one). Calls from here on are not checked; raise the budget (gna.lint.timeBudgetMs, or --time-budget) to check them.`,
    range,
    fixes: [],
  };
}
