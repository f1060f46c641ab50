// Errors: what NATTEN raises at run time. The checks themselves are the core's `checkProblem`
// (one set of checks for every surface); this maps each issue to a rule, a range (the argument,
// or the offending tuple elements when the tuple is written at the call) and fixes.

import { IssueCode, ProblemIssue, show, UNKNOWN } from '../../core';
import { compareVersions, describeSignatureRange, formatVersion, RENAMED_KEYWORDS, requiresOddWindow } from '../../python/nattenApi';
import { argumentRange, pythonTuple, setArgument, writtenAsScalar } from '../edits';
import { finding, RuleContext } from '../ruleContext';
import type { Finding, Fix, SourceRange } from '../types';
import { removeArgument } from './removal';

const RULE_OF: Record<IssueCode, string | undefined> = {
  rank: 'gna/layout-invalid',
  'tuple-length': 'gna/tuple-length',
  'not-integer': 'gna/invalid-value',
  'not-boolean': 'gna/invalid-value',
  missing: 'gna/missing-argument',
  'input-too-small': 'gna/layout-invalid',
  'window-too-small': 'gna/window-too-small',
  'stride-too-small': 'gna/stride-too-small',
  'dilation-too-small': 'gna/dilation-too-small',
  'stride-exceeds-window': 'gna/stride-exceeds-window',
  'window-exceeds-input': 'gna/window-exceeds-input',
  'too-large': 'gna/layout-invalid',
};

export function checkErrors(ctx: RuleContext): Finding[] {
  const { analysis } = ctx;
  const { call, check } = analysis;
  const findings: Finding[] = [];
  for (const issue of check.issues) {
    // A half-typed call lacks its later arguments: not an error yet.
    if (issue.code === 'missing' && (call.incomplete || call.lostPositionals)) continue;
    // `neighborhood_attention_generic` takes its rank from the tensor: without a tuple or a
    // layout there is nothing to check, which needs-layout reports.
    if (issue.code === 'rank' && call.op.rank === undefined && !Array.isArray(analysis.raw.inputSize)) continue;
    const rule = RULE_OF[issue.code];
    if (!rule) continue;
    // A value from the `# gna:` annotation is pointed at there; the fixes edit the call, not it.
    const fromAnnotation = annotationSpan(ctx, issue);
    if (fromAnnotation) findings.push(finding(ctx, rule, `${messageOf(ctx, issue)} (${issue.parameter} from the \`# gna:\` annotation)`, fromAnnotation));
    else findings.push(finding(ctx, rule, messageOf(ctx, issue), rangeOf(ctx, issue), fixesOf(ctx, issue)));
  }
  findings.push(...oddWindow(ctx));
  findings.push(...callProblems(ctx));
  return findings;
}

function messageOf(ctx: RuleContext, issue: ProblemIssue): string {
  const { layout } = ctx.analysis;
  if (issue.code === 'window-exceeds-input' || issue.code === 'input-too-small' || issue.code === 'too-large') {
    const from = layout.source === 'annotation' ? 'the `# gna:` annotation' : layout.source === 'trace' ? 'the traced run' : 'the default layout setting';
    return `${issue.message} Token layout from ${from}.${layout.source === 'trace' ? tensorOrderNote(ctx) : ''}`;
  }
  return issue.message;
}

/**
 * A traced layout is the op's own reading of the tensor's shape: when it is too small, the likely
 * cause is a tensor in another order (transformers 5's DiNAT passes [batch, width, height, heads,
 * head_dim] to natten2dqkrpb), so say how the op read it.
 */
function tensorOrderNote(ctx: RuleContext): string {
  const { call, traced } = ctx.analysis;
  if (!traced) return '';
  const order = call.op.kind === 'legacy' || call.op.kind === 'unfused' ? '[batch, heads, *layout, head_dim]' : call.op.kind === 'module' ? '[batch, *layout, channels]' : '[batch, *layout, heads, head_dim]';
  const list = (values: readonly number[]) => values.join(' or ');
  return ` ${call.op.name} reads its tensors as ${order}; the traced ones gave batch ${list(traced.batches)}, ${list(traced.heads)} heads, layout ${traced.layout.join('×')}, head dim ${traced.headDim}: if that is not the layout you meant, the tensor reached the call in another order.`;
}

/** Where the annotation writes the value an issue is about, when the value came from it. */
function annotationSpan(ctx: RuleContext, issue: ProblemIssue): SourceRange | undefined {
  const param = issue.parameter;
  if (param === 'input_size' || !(ctx.analysis.annotated as readonly string[]).includes(param)) return undefined;
  return ctx.analysis.call.annotation?.entries[param]?.span;
}

function rangeOf(ctx: RuleContext, issue: ProblemIssue): SourceRange {
  const { call, layout } = ctx.analysis;
  if (issue.parameter === 'input_size') return layout.span ?? call.calleeSpan;
  // The 0.15 3-D API writes the depth axis in its own argument.
  if (call.signature.depthSplit && issue.axes?.length === 1 && issue.axes[0] === 0) {
    const depth = issue.parameter === 'kernel_size' ? 'kernel_size_d' : issue.parameter === 'dilation' ? 'dilation_d' : undefined;
    const r = depth ? argumentRange(call, depth) : undefined;
    if (r) return r;
  }
  return argumentRange(call, issue.parameter, issue.axes) ?? call.calleeSpan;
}

function knownInts(v: unknown): number[] | undefined {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isSafeInteger(x))) return v as number[];
  return undefined;
}

function perAxis(v: unknown, rank: number): number[] | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return new Array(rank).fill(v);
  const list = knownInts(v);
  return list && list.length === rank ? list : undefined;
}

function fixesOf(ctx: RuleContext, issue: ProblemIssue): Fix[] {
  const { call, raw, rank } = ctx.analysis;
  const fix = (title: string, param: string, text: string, preferred = false): Fix[] => {
    const edits = setArgument(call, param, text, ctx.text);
    return edits ? [{ title, edits, ...(preferred ? { preferred } : {}) }] : [];
  };
  if (rank === undefined) return [];
  switch (issue.code) {
    case 'tuple-length': {
      const arg = call.arguments.get(issue.parameter);
      if (!arg || arg.value.kind !== 'tuple') return [];
      const items = arg.value.items;
      const values = items.map((i) => (i.kind === 'int' || i.kind === 'bool' ? i.value : UNKNOWN));
      if (values.some((v) => v === UNKNOWN) || values.length === 0) return [];
      const known = values as (number | boolean)[];
      const fixes: Fix[] = [];
      if (known.every((v) => v === known[0])) {
        fixes.push(...fix(`Use ${issue.parameter}=${pythonTuple([known[0]], true)} on every axis`, issue.parameter, pythonTuple([known[0]], true), true));
        if (rank > 1) fixes.push(...fix(`Use a ${rank}-tuple`, issue.parameter, pythonTuple(new Array(rank).fill(known[0]))));
      } else if (known.length > rank) {
        const kept = known.slice(known.length - rank);
        fixes.push(...fix(`Keep the last ${rank} entries: ${pythonTuple(kept)}`, issue.parameter, pythonTuple(kept)));
      }
      return fixes;
    }
    case 'stride-exceeds-window': {
      const k = perAxis(raw.windowSize, rank);
      const s = perAxis(raw.stride, rank);
      if (!k || !s) return [];
      const text = pythonTuple(s.map((v, i) => Math.min(v, k[i])), writtenAsScalar(call.arguments.get('stride')));
      return fix(`Clamp stride to kernel_size: ${text}`, 'stride', text, true);
    }
    case 'window-exceeds-input': {
      const k = perAxis(raw.windowSize, rank);
      const d = perAxis(raw.dilation ?? 1, rank);
      const n = knownInts(raw.inputSize);
      if (!k || !d || !n || n.length !== rank || call.signature.depthSplit) return [];
      const fixes: Fix[] = [];
      // The largest dilation that fits keeps the window (DiNAT-style stages shrink dilation).
      const maxDilation = d.map((v, i) => Math.max(1, Math.min(v, Math.floor(n[i] / k[i]))));
      if (d.some((v) => v > 1) && maxDilation.every((v, i) => k[i] * v <= n[i])) {
        const text = pythonTuple(maxDilation, writtenAsScalar(call.arguments.get('dilation')));
        fixes.push(...fix(`Use dilation=${text}, the largest that fits`, 'dilation', text, true));
      }
      const clamped = k.map((v, i) => Math.max(2, Math.min(v, Math.floor(n[i] / d[i]))));
      if (clamped.every((v, i) => v * d[i] <= n[i])) {
        const text = pythonTuple(clamped, writtenAsScalar(call.arguments.get('kernel_size')));
        fixes.push(...fix(`Clamp kernel_size to the layout: ${text}`, 'kernel_size', text, fixes.length === 0));
      }
      return fixes;
    }
    default:
      return [];
  }
}

/** Odd window sizes: NATTEN before 0.17.5, and its unfused and legacy ops, reject even ones. */
function oddWindow(ctx: RuleContext): Finding[] {
  const { call, raw } = ctx.analysis;
  if (!requiresOddWindow(call.op, ctx.options.version)) return [];
  const list = knownInts(raw.windowSize);
  if (!list) return [];
  const axes = list.map((k, i) => (k >= 2 && k % 2 === 0 ? i : -1)).filter((i) => i >= 0);
  if (axes.length === 0) return [];
  const since = call.op.kind === 'fused' || call.op.kind === 'module' ? ' (even sizes are allowed from NATTEN 0.17.5 in the fused ops)' : ' (even sizes are allowed only in the fused ops of NATTEN 0.17.5 and later)';
  const message = `kernel_size must be an odd number in ${call.op.name} with NATTEN ${ctx.options.versionText}, got kernel_size=${show(raw.windowSize)}${since}.`;
  const param = call.signature.depthSplit && axes.length === 1 && axes[0] === 0 && call.arguments.has('kernel_size_d') ? 'kernel_size_d' : 'kernel_size';
  return [finding(ctx, 'gna/even-window', message, argumentRange(call, param, param === 'kernel_size' && !call.signature.depthSplit ? axes : undefined) ?? call.calleeSpan)];
}

/** TypeErrors from binding the arguments: unknown keywords of other releases, surplus positionals, duplicates, missing ones. */
function callProblems(ctx: RuleContext): Finding[] {
  const { call } = ctx.analysis;
  return call.problems.map((p) => {
    let message = p.message;
    const fixes: Fix[] = [];
    if (p.kind === 'unexpected-keyword' && p.otherSignature && p.keyword) {
      const other = p.otherSignature;
      const later = compareVersions(other.from, call.signature.from) > 0;
      message += later
        ? ` It exists in NATTEN ${describeSignatureRange(other)}, not in ${ctx.options.versionText}.`
        : ` It was removed in NATTEN ${other.until ? formatVersion(other.until) : 'a later release'}${removalNote(p.keyword)}.`;
      const arg = ctx.text.slice(p.span.start, p.span.end);
      const rename = RENAMED_KEYWORDS.find((r) => r.from === p.keyword && call.signature.params.includes(r.to));
      if (rename) {
        message = `${p.message} NATTEN ${formatVersion(rename.release)} renamed it ${rename.to}.`;
        if (!arg.startsWith('**')) fixes.push({ title: `Rename to ${rename.to}`, edits: [{ range: { start: p.span.start, end: p.span.start + p.keyword.length }, newText: rename.to }], preferred: true });
      } else if (!arg.startsWith('**')) {
        const edit = removeArgument(ctx.text, p.span);
        fixes.push({ title: `Remove ${p.keyword}`, edits: [edit], preferred: !later });
      }
    }
    return finding(ctx, p.kind === 'missing-argument' ? 'gna/missing-argument' : 'gna/unexpected-argument', message, p.span, fixes);
  });
}

function removalNote(keyword: string): string {
  switch (keyword) {
    case 'rpb':
    case 'rel_pos_bias':
    case 'bias':
      return ' (relative positional biases were dropped)';
    case 'attn_drop':
      return ' (fused attention has no attention dropout)';
    default:
      return '';
  }
}

