// The linter: scan the text for NATTEN calls, analyse each with the core, run the rule families.
// It never throws, and it never lets a failure look like a clean file: an exception becomes a
// `gna/internal-error` finding (on the call, or on the file), and a file that outlives its time
// budget gets `gna/analysis-stopped` at the first call left unchecked.

import { GPU_FAMILIES, GpuFamily } from '../core';
import { NEWEST_VERSION, parseVersion } from '../python/nattenApi';
import { ScannedCall, scanCalls, variantsOf } from '../python/scanner';
import { SourceModel } from '../python/source';
import { PythonWorkspace } from '../python/workspace';
import { createPythonParser, GrammarBytes, PythonParser } from '../python/treeSitter';
import { analysisStoppedFinding, FILE_START, internalErrorFinding } from './failures';
import { analyzeCall, CallAnalysis, ResolvedOptions } from './analyze';
import { CoreNumbers } from './numbers';
import { RuleContext, Rule } from './ruleContext';
import { checkApi } from './rules/api';
import { checkErrors } from './rules/errors';
import { checkLayout, unknownReason } from './rules/layout';
import { checkRemovedNames } from './rules/names';
import { guardedAt } from '../python/guards';
import { checkPerformance } from './rules/performance';
import { filterFindings } from './suppress';
import { summarize } from './rules/summary';
import { argumentSlot } from './edits';
import { placeTracedCalls, TracedVariant, tracedVariantsOf } from './traced';
import { ANNOTATABLE, MASK_PARAMETERS } from './types';
import type { AnnotationSite, MissingValue, ArgumentSlot, CallReport, Finding, Fix, LintOptions, LintReport, Linter, MaskParameter, SourceRange } from './types';

/** Findings about the NATTEN release, which a version guard around the call makes moot. */
const GUARDED_RULES = new Set(['gna/removed-api', 'gna/api-unavailable', 'gna/unexpected-argument', 'gna/missing-argument', 'gna/positional-meaning']);

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

/** What the check lacks, each with why, in the order an annotation writes them. */
function missingOf(a: CallAnalysis, unresolved: Readonly<Record<string, string>>): MissingValue[] {
  const unknown = new Set<string>(a.check.unknown);
  // A call whose rank comes from the layout has no unknown parameter, just no rank: the layout is missing.
  if (a.layout.inputSize === undefined) unknown.add('input_size');
  const layoutReason = a.layout.unreadable ?? (a.layout.annotated ? 'the annotated layout has fewer axes than the op' : 'NATTEN takes it from the input tensor at run time');
  return ANNOTATABLE.filter((key) => unknown.has(key)).map((key) => ({
    key,
    reason: key === 'input_size' ? layoutReason : unresolved[key] ?? 'not known statically',
  }));
}

/** Where the call's `# gna:` annotation is, or where a new one would go (the line above its statement). */
function annotationSiteOf(call: ScannedCall, model: SourceModel): AnnotationSite {
  const st = model.statement(call.statement);
  const lineStart = model.index.lineStarts[st.line] ?? st.start;
  const indent = /^[ \t]*/.exec(model.text.slice(lineStart, st.start))![0];
  const a = call.annotation;
  if (!a) return { lineStart, indent };
  const values: Record<string, SourceRange> = {};
  for (const [key, entry] of Object.entries(a.entries)) if (entry) values[key] = range(entry.span);
  return { lineStart, indent, existing: { range: range(a.span), values } };
}

function toReport(index: number, a: CallAnalysis, site: AnnotationSite, traced?: TracedVariant): CallReport {
  const { call } = a;
  const argumentRanges: Record<string, SourceRange> = {};
  const unresolved: Record<string, string> = {};
  const argumentSlots: Partial<Record<MaskParameter, ArgumentSlot | string>> = {};
  for (const p of MASK_PARAMETERS) {
    const arg = call.arguments.get(p);
    if (arg) argumentRanges[p] = range(arg.span);
    const reason = arg ? unknownReason(arg) : call.openKeywords && call.signature.params.includes(p) ? 'it may be set by a ** expansion the linter cannot follow' : undefined;
    if (reason && !a.annotated.includes(p)) unresolved[p] = reason;
    argumentSlots[p] = argumentSlot(call, p);
  }
  if (a.layout.span) argumentRanges.input_size = range(a.layout.span);
  const missing = missingOf(a, unresolved);
  return {
    index,
    op: call.op.name,
    rank: (a.rank ?? call.op.rank ?? 1) as CallReport['rank'],
    range: range(call.span),
    calleeRange: range(call.calleeSpan),
    argumentRanges,
    argumentSlots,
    raw: a.raw,
    layoutSource: a.layout.source,
    check: a.check,
    ...(a.tiles ? { tiles: a.tiles } : {}),
    ...(a.simulation ? { simulation: a.simulation } : {}),
    ...(a.recommendation ? { recommendation: a.recommendation } : {}),
    ...(a.backwardTiles && a.training ? { backwardTiles: a.backwardTiles, training: a.training } : {}),
    ...(call.variant !== undefined ? { variant: call.variant } : {}),
    ...(traced ? { traced: traced.summary } : {}),
    ...(Object.keys(unresolved).length > 0 ? { unresolved } : {}),
    ...(a.annotated.length > 0 ? { annotated: a.annotated } : {}),
    ...(missing.length > 0 ? { missing } : {}),
    annotationSite: site,
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
  const out: [Finding, string | undefined][] = [];
  const emitted = new Set<string>();
  perVariant.forEach((found, i) => {
    for (const f of found) {
      const k = key(f);
      if (counts.get(k) === perVariant.length && perVariant.length > 1) {
        if (!emitted.has(k)) {
          emitted.add(k);
          out.push([f, undefined]);
        }
      } else out.push([{ ...f, message: `[${variants[i].variant}] ${f.message}` }, variants[i].variant]);
    }
  });
  return groupWarnings(out);
}

/** How many other entries a grouped warning names before it only counts them. */
const NAMED_ENTRIES = 3;

/**
 * A warning that several entries report at one place (padding in 32 layers of a backbone) is one
 * finding: the first entry's message, the other entries it applies to, and every entry's fixes.
 * Errors stay one per entry (each is a config that fails), and so do the per-config summaries.
 */
function groupWarnings(findings: readonly (readonly [Finding, string | undefined])[]): Finding[] {
  const key = (f: Finding) => `${f.rule}|${f.range.start}|${f.range.end}`;
  const grouped = ([f, entry]: readonly [Finding, string | undefined]) => f.severity === 'warning' && entry !== undefined;
  const groups = new Map<string, (readonly [Finding, string | undefined])[]>();
  for (const item of findings) if (grouped(item)) groups.set(key(item[0]), [...(groups.get(key(item[0])) ?? []), item]);
  const out: Finding[] = [];
  for (const item of findings) {
    const group = grouped(item) ? groups.get(key(item[0]))! : [item];
    if (group[0] !== item) continue;
    const f = item[0];
    if (group.length === 1) {
      out.push(f);
      continue;
    }
    const others = group.slice(1).map(([, entry]) => `[${entry}]`);
    const named = others.length <= NAMED_ENTRIES ? others.join(', ') : `${others.slice(0, NAMED_ENTRIES).join(', ')} and ${others.length - NAMED_ENTRIES} more configs`;
    const fixes = new Map<string, Fix>();
    for (const [g] of group) for (const fix of g.fixes) fixes.set(fix.title + JSON.stringify(fix.edits), fix);
    out.push({ ...f, message: `${f.message} (also ${named})`, fixes: [...fixes.values()] });
  }
  return out;
}

/**
 * Lints one text with a ready parser. Exposed for tests and tools that hold a parser already.
 * `now` is the clock the time budget (`options.timeBudgetMs`) is measured with; tests pass a
 * counter so that the cut-off is decided by work done, not by the machine's speed.
 */
export function lintWith(
  parser: PythonParser,
  text: string,
  options?: LintOptions,
  numbers: CoreNumbers = new CoreNumbers(),
  now: () => number = Date.now,
): LintReport {
  if (typeof text !== 'string') return { calls: [], findings: [] };
  const report = lintAll(parser, text, options, numbers, now);
  // Rule selection and `# gna: ignore` comments hide findings; the calls stay (hints, previews).
  return { calls: report.calls, findings: filterFindings(text, report.calls, report.findings, { select: options?.select, ignore: options?.ignore, rules: options?.rules }) };
}

function lintAll(parser: PythonParser, text: string, options: LintOptions | undefined, numbers: CoreNumbers, now: () => number): LintReport {
  const resolved = resolveOptions(options);
  const budget = options?.timeBudgetMs;
  const started = budget !== undefined ? now() : 0;
  const expired = budget !== undefined && budget >= 0 ? () => now() - started >= budget : () => false;
  let model: SourceModel | undefined;
  const reports: CallReport[] = [];
  const findings: Finding[] = [];
  try {
    model = new SourceModel(text, parser, options?.workspace ? { workspace: options.workspace, ...(options.path !== undefined ? { path: options.path } : {}) } : {});
    const { calls, imports, stoppedAt } = scanCalls(model, resolved.version, expired);
    const trace = options?.trace;
    const placed = trace ? placeTracedCalls(trace, text) : [];
    for (const scanned of calls) {
      if (expired()) {
        findings.push(analysisStoppedFinding(budget!, reports.length, range(scanned.calleeSpan)));
        return { calls: reports, findings };
      }
      // A traced call is checked with each config the run used, instead of what the code says.
      const traced = trace ? tracedVariantsOf(scanned, placed, model.index.lineStarts, trace) : [];
      const variants = traced.length > 0 ? traced.map((t) => ({ ...scanned, variant: t.label })) : variantsOf(scanned);
      const perVariant: Finding[][] = [];
      for (const [i, call] of variants.entries()) {
        const index = reports.length;
        let analysis: CallAnalysis;
        try {
          analysis = analyzeCall(call, resolved, numbers, traced[i]?.config);
        } catch (e) {
          // An analysis bug costs only this call its checks, and says so.
          perVariant.push([internalErrorFinding(e, range(call.calleeSpan), `analysing this call`)]);
          continue;
        }
        reports.push(toReport(index, analysis, annotationSiteOf(call, model), traced[i]));
        const ctx: RuleContext = { analysis, options: resolved, text, callIndex: index, numbers };
        const found: Finding[] = [];
        for (const rule of RULE_FAMILIES) {
          try {
            for (const f of rule(ctx)) found.push(f);
          } catch (e) {
            // One failing rule family loses only its own findings, and says so.
            found.push(internalErrorFinding(e, range(call.calleeSpan), `checking this call (${rule.name || 'a rule'})`));
          }
        }
        perVariant.push(found);
      }
      // Version findings in a branch that does not run under this release (a guard) are moot.
      const guarded = guardedAt(model, scanned.statement, resolved.version);
      for (const f of mergeVariants(variants, perVariant)) if (!guarded || !GUARDED_RULES.has(f.rule)) findings.push(f);
    }
    try {
      for (const f of checkRemovedNames(model, imports, resolved.version, resolved.versionText)) findings.push(f);
    } catch (e) {
      findings.push(internalErrorFinding(e, FILE_START, 'checking NATTEN names'));
    }
    if (stoppedAt !== undefined) findings.push(analysisStoppedFinding(budget!, reports.length, { start: stoppedAt, end: stoppedAt }));
    return { calls: reports, findings };
  } catch (e) {
    // Whatever was found before the failure is kept; the file is marked as not fully checked.
    findings.push(internalErrorFinding(e, FILE_START, 'reading this file'));
    return { calls: reports, findings };
  } finally {
    model?.dispose();
  }
}

/** The linter for hosts that have the grammar bytes (the CLI and the extension read dist/grammars). */
export async function createLinter(grammars: GrammarBytes): Promise<Linter> {
  const parser = await createPythonParser(grammars);
  const numbers = new CoreNumbers();
  return { lint: (text, options) => lintWith(parser, text, options, numbers), workspace: (files) => new PythonWorkspace(parser, files) };
}
