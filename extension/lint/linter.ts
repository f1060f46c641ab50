// The linter: scan the text for NATTEN calls, analyse each with the core, run the rule families.
// It never throws: a call whose analysis fails unexpectedly is reported without findings rather
// than taking the whole report down.

import { GPU_FAMILIES, GpuFamily } from '../core';
import { NEWEST_VERSION, parseVersion } from '../python/nattenApi';
import { scanCalls } from '../python/scanner';
import { SourceModel } from '../python/source';
import { createPythonParser, GrammarBytes, PythonParser } from '../python/treeSitter';
import { analyzeCall, CallAnalysis, ResolvedOptions } from './analyze';
import { RuleContext, Rule } from './ruleContext';
import { checkApi } from './rules/api';
import { checkErrors } from './rules/errors';
import { checkLayout } from './rules/layout';
import { checkPerformance } from './rules/performance';
import { summarize } from './rules/summary';
import type { CallReport, Finding, LintOptions, LintReport, Linter, SourceRange } from './types';

/** Rule families in the order their findings are listed for a call. */
const RULE_FAMILIES: readonly Rule[] = [checkApi, checkErrors, checkLayout, checkPerformance, summarize];

export const DEFAULT_HEAD_DIM = 128;
export const DEFAULT_FAMILY: GpuFamily = 'hopper';

export function resolveOptions(options: LintOptions = {}): ResolvedOptions {
  const versionText = options.nattenVersion && parseVersion(options.nattenVersion) ? options.nattenVersion.trim().replace(/^v/, '') : NEWEST_VERSION;
  const family = options.family && (GPU_FAMILIES as readonly string[]).includes(options.family) ? options.family : DEFAULT_FAMILY;
  const headDim = options.headDim !== undefined && Number.isSafeInteger(options.headDim) && options.headDim > 0 ? options.headDim : DEFAULT_HEAD_DIM;
  const input = options.defaultInputSize;
  const defaultInputSize =
    input && input.length >= 1 && input.length <= 3 && input.every((n) => Number.isSafeInteger(n) && n > 0) ? [...input] : undefined;
  return {
    version: parseVersion(versionText)!,
    versionText,
    family,
    headDim,
    ...(defaultInputSize ? { defaultInputSize } : {}),
  };
}

function range(span: { start: number; end: number }): SourceRange {
  return { start: span.start, end: span.end };
}

function toReport(index: number, a: CallAnalysis): CallReport {
  const { call } = a;
  const argumentRanges: Record<string, SourceRange> = {};
  for (const p of ['kernel_size', 'stride', 'dilation', 'is_causal'] as const) {
    const arg = call.arguments.get(p);
    if (arg) argumentRanges[p] = range(arg.span);
  }
  if (a.layout.span) argumentRanges.input_size = range(a.layout.span);
  return {
    index,
    op: call.op.name,
    rank: (a.rank ?? call.op.rank ?? 1) as CallReport['rank'],
    range: range(call.span),
    calleeRange: range(call.calleeSpan),
    argumentRanges,
    raw: a.raw,
    layoutSource: a.layout.source,
    check: a.check,
    ...(a.tiles ? { tiles: a.tiles } : {}),
    ...(a.simulation ? { simulation: a.simulation } : {}),
    ...(a.recommendation ? { recommendation: a.recommendation } : {}),
  };
}

/** Lints one text with a ready parser. Exposed for tests and tools that hold a parser already. */
export function lintWith(parser: PythonParser, text: string, options?: LintOptions): LintReport {
  if (typeof text !== 'string') return { calls: [], findings: [] };
  const resolved = resolveOptions(options);
  let model: SourceModel | undefined;
  try {
    model = new SourceModel(text, parser);
    const { calls } = scanCalls(model, resolved.version);
    const reports: CallReport[] = [];
    const findings: Finding[] = [];
    calls.forEach((call) => {
      const index = reports.length;
      let analysis: CallAnalysis;
      try {
        analysis = analyzeCall(call, resolved);
      } catch {
        return; // an analysis bug must not cost the other calls their findings
      }
      reports.push(toReport(index, analysis));
      const ctx: RuleContext = { analysis, options: resolved, text, callIndex: index };
      for (const rule of RULE_FAMILIES) {
        try {
          findings.push(...rule(ctx));
        } catch {
          // Same: one failing rule family loses only its own findings.
        }
      }
    });
    return { calls: reports, findings };
  } catch {
    return { calls: [], findings: [] };
  } finally {
    model?.dispose();
  }
}

/** The linter for hosts that have the grammar bytes (the CLI and the extension read dist/grammars). */
export async function createLinter(grammars: GrammarBytes): Promise<Linter> {
  const parser = await createPythonParser(grammars);
  return { lint: (text, options) => lintWith(parser, text, options) };
}
