// The token layout and values the linter could not learn: where a check needs the layout (or a
// value) it does not have, say which; a 1-D op over a layout annotated as 2-D or 3-D, say what
// goes wrong; an annotation that cannot be read, say how to write it.

import { formatTuple, product, show } from '../../core';
import type { ScannedArgument } from '../../python/scanner';
import { finding, RuleContext } from '../ruleContext';
import type { Finding } from '../types';

const PER_AXIS = ['kernel_size', 'kernel_size_d', 'stride', 'dilation', 'dilation_d', 'is_causal'];

export function checkLayout(ctx: RuleContext): Finding[] {
  const { call, layout, raw } = ctx.analysis;
  const { check } = ctx.analysis;
  const findings: Finding[] = [];
  for (const p of call.annotation?.problems ?? []) findings.push(finding(ctx, 'gna/bad-annotation', p.message, p.span));
  for (const p of ctx.analysis.annotationProblems) findings.push(finding(ctx, 'gna/bad-annotation', p.message, p.span));
  if (layout.unreadable) findings.push(finding(ctx, 'gna/bad-annotation', `${layout.unreadable}; the layout checks are skipped.`, layout.span ?? call.calleeSpan));

  if (layout.annotated && call.op.rank !== undefined) {
    const opRank = call.op.rank;
    const shown = formatTuple(layout.annotated);
    let message: string;
    if (opRank === 1) {
      const k = typeof raw.windowSize === 'number' ? raw.windowSize : Array.isArray(raw.windowSize) && typeof raw.windowSize[0] === 'number' ? raw.windowSize[0] : undefined;
      const side = k === undefined ? undefined : Math.round(Math.pow(k, 1 / layout.annotated.length));
      const same = side !== undefined && k !== undefined && side ** layout.annotated.length === k;
      const op = `na${layout.annotated.length}d`;
      message =
        `${call.op.name} runs over the ${shown} layout flattened to ${product(layout.annotated)} tokens: its windows cross row boundaries, ` +
        `so a token's neighbours are not its ${layout.annotated.length}-D neighbours. Use ${op}` +
        (same ? ` (kernel_size=${show(new Array(layout.annotated.length).fill(side))} has the same ${k} keys per query).` : ` with a ${layout.annotated.length}-D kernel_size.`);
    } else if (opRank < layout.annotated.length) {
      message = `${call.op.name} attends over ${opRank} axes but the annotated layout ${shown} has ${layout.annotated.length}: checks use the last ${opRank} (${formatTuple(layout.annotated.slice(-opRank))}), as if the leading axes were folded into the batch.`;
    } else {
      message = `${call.op.name} attends over ${opRank} axes but the annotated layout ${shown} has only ${layout.annotated.length}; the layout checks are skipped.`;
    }
    findings.push(finding(ctx, 'gna/rank-mismatch', message, call.calleeSpan));
  }

  // A traced config knows every value, however the code computes it.
  if (ctx.analysis.traced) return findings;
  const annotated = ctx.analysis.annotated as readonly string[];
  for (const param of PER_AXIS) {
    const arg = call.arguments.get(param);
    if (!arg || annotated.includes(param.replace(/_d$/, ''))) continue;
    const reason = unknownReason(arg);
    if (reason) findings.push(finding(ctx, 'gna/unresolved', `${param} is not known statically (${reason}); the checks that need it are skipped.`, arg.span));
  }
  if (call.openKeywords || call.lostPositionals) {
    const missing = ['kernel_size', 'stride', 'dilation', 'is_causal'].filter((p) => call.signature.params.includes(p) && !call.arguments.has(p) && !annotated.includes(p));
    if (missing.length > 0) {
      const via = call.openKeywords ? 'a ** expansion the linter cannot follow' : 'a * expansion the linter cannot follow';
      findings.push(finding(ctx, 'gna/unresolved', `${missing.join(', ')} may be set by ${via}; the checks that need ${missing.length === 1 ? 'it' : 'them'} are skipped.`, call.calleeSpan));
    }
  }

  const hf = call.headsFirst;
  if (hf) {
    findings.push(
      finding(
        ctx,
        'gna/heads-first',
        `${call.op.name} takes query/key/value as [batch, *layout, heads, head_dim], but the query is built heads-first here (${hf.text}): ` +
          `it runs and attends over the wrong axes. Keep heads next to head_dim${hf.fix ? ` (${hf.fix})` : ''} and read the output the same way.`,
        hf.span,
        hf.fix ? [{ title: `Put heads last: ${hf.fix}`, edits: [{ range: hf.span, newText: hf.fix }] }] : [],
      ),
    );
  }
  // The one informational finding a call may get, and only when it is actionable: every mask
  // argument is known and valid, so the layout named in the message is all that stands between
  // the call and its checks and simulation. What else is unknown is for the hover and the lens.
  if (onlyLayoutMissing(ctx) && !call.incomplete) {
    const rankless = check.rank === undefined;
    const shape = layoutPlaceholder(check.rank);
    findings.push(
      finding(
        ctx,
        'gna/needs-layout',
        `Only the token layout is missing (NATTEN takes it from the input tensor at run time): add \`# gna: input_size=${shape}\` above the call (or set a default layout) to check ${rankless ? 'the rank, ' : ''}kernel_size * dilation <= input size and to simulate the speedup.`,
        call.calleeSpan,
      ),
    );
  }
  return findings;
}

/** `(H, W)`: the layout an added annotation starts from, one name per axis of the op. */
export function layoutPlaceholder(rank: number | undefined): string {
  return rank === 1 ? '(L,)' : rank === 2 ? '(H, W)' : rank === 3 ? '(T, H, W)' : '(…)';
}

/** Whether the token layout is the only value the call's check lacks (and nothing else is wrong). */
function onlyLayoutMissing(ctx: RuleContext): boolean {
  const { layout, check, traced } = ctx.analysis;
  if (traced || layout.source !== 'none' || layout.annotated || layout.unreadable) return false;
  // Without a rank (neighborhood_attention_generic with scalars) the layout is what gives it.
  const issues = check.issues.filter((i) => !(check.rank === undefined && i.code === 'rank'));
  return issues.length === 0 && check.unknown.every((p) => p === 'input_size');
}

/** Why an argument's value (or an entry of its tuple) is not known; undefined when it is. */
export function unknownReason(arg: ScannedArgument): string | undefined {
  const v = arg.value;
  if (v.kind === 'unknown') return v.reason;
  if (v.kind === 'tuple') {
    const bad = v.items.find((i) => i.kind === 'unknown');
    if (bad && bad.kind === 'unknown') return bad.reason;
  }
  return undefined;
}

