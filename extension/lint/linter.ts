// The linter: scan the text for NATTEN calls, analyse each with the core, run the rule families.
// It never throws: a call whose analysis fails unexpectedly is reported without findings rather
// than taking the whole report down.

import { GPU_FAMILIES, GpuFamily } from '../core';
import { NEWEST_VERSION, parseVersion } from '../python/nattenApi';
import { ScannedCall, scanCalls, variantsOf } from '../python/scanner';
import { SourceModel } from '../python/source';
import { createPythonParser, GrammarBytes, PythonParser } from '../python/treeSitter';
import { analyzeCall, CallAnalysis, ResolvedOptions } from './analyze';
import { CoreNumbers } from './numbers';
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
    ...(call.variant !== undefined ? { variant: call.variant } : {}),
  };
}

/**
 * Findings of a call checked once per config-dict entry: one that every variant reports alike
 * (a removed API, a missing layout) is listed once; the others carry their entry's key.
 */
function mergeVariants(variants: readonly ScannedCall[], perVariant: readonly Finding[][]): Finding[] {
  if (variants.length === 1 && variants[0].variant === undefined) return perVariant[0] ?? [];
  const key = (f: Finding) => `${f.rule}|${f.range.start}|${f.range.end}|${f.message}`;
  const counts = new Map<string, number>();
  for (const found of perVariant) for (const k of new Set(found.map(key))) counts.set(k, (counts.get(k) ?? 0) + 1);
  const out: Finding[] = [];
  const emitted = new Set<string>();
  perVariant.forEach((found, i) => {
    for (const f of found) {
      const k = key(f);
      if (counts.get(k) === perVariant.length && perVariant.length > 1) {
        if (!emitted.has(k)) {
          emitted.add(k);
          out.push(f);
        }
      } else out.push({ ...f, message: `[${variants[i].variant}] ${f.message}` });
    }
  });
  return out;
}

/** Lints one text with a ready parser. Exposed for tests and tools that hold a parser already. */
export function lintWith(parser: PythonParser, text: string, options?: LintOptions, numbers: CoreNumbers = new CoreNumbers()): LintReport {
  if (typeof text !== 'string') return { calls: [], findings: [] };
  const resolved = resolveOptions(options);
  let model: SourceModel | undefined;
  try {
    model = new SourceModel(text, parser);
    const { calls } = scanCalls(model, resolved.version);
    const reports: CallReport[] = [];
    const findings: Finding[] = [];
    for (const scanned of calls) {
      const variants = variantsOf(scanned);
      const perVariant: Finding[][] = [];
      for (const call of variants) {
        const index = reports.length;
        let analysis: CallAnalysis;
        try {
          analysis = analyzeCall(call, resolved, numbers);
        } catch {
          perVariant.push([]); // an analysis bug must not cost the other calls their findings
          continue;
        }
        reports.push(toReport(index, analysis));
        const ctx: RuleContext = { analysis, options: resolved, text, callIndex: index, numbers };
        const found: Finding[] = [];
        for (const rule of RULE_FAMILIES) {
          try {
            found.push(...rule(ctx));
          } catch {
            // one failing rule family loses only its own findings
          }
        }
        perVariant.push(found);
      }
      findings.push(...mergeVariants(variants, perVariant));
    }
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
  const numbers = new CoreNumbers();
  return { lint: (text, options) => lintWith(parser, text, options, numbers) };
}
