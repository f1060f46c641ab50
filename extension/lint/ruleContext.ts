// What every rule gets: the call's analysis, the resolved options, the text (for edits that
// need to see around an argument) and a helper that stamps findings with the rule's severity.

import type { CallAnalysis, ResolvedOptions } from './analyze';
import type { CoreNumbers } from './numbers';
import { ruleInfo } from './rules';
import type { Finding, Fix, SourceRange } from './types';

export interface RuleContext {
  readonly analysis: CallAnalysis;
  readonly options: ResolvedOptions;
  readonly text: string;
  readonly callIndex: number;
  /** The core's simulator and recommendation, remembered across lints. */
  readonly numbers: CoreNumbers;
}

export function finding(ctx: RuleContext, rule: string, message: string, range: SourceRange, fixes: readonly Fix[] = []): Finding {
  return { rule, severity: ruleInfo(rule).severity, message, range: { start: range.start, end: range.end }, fixes, callIndex: ctx.callIndex };
}

export type Rule = (ctx: RuleContext) => Finding[];
