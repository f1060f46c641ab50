// The NATTEN version: names that do not exist yet (an error: the import fails), names that were
// removed or deprecated (a warning naming the replacement, with a migration where it is
// mechanical), and positional arguments whose meaning changed between releases.

import {
  availability,
  compareVersions,
  formatVersion,
  OPS,
  signatureAt,
  Version,
} from '../../python/nattenApi';
import type { ScannedArgument, ScannedCall } from '../../python/scanner';
import { finding, RuleContext } from '../ruleContext';
import type { Finding, Fix, TextEdit } from '../types';

const V020: Version = [0, 20, 0];

export function checkApi(ctx: RuleContext): Finding[] {
  const { call } = ctx.analysis;
  const version = ctx.options.version;
  const findings: Finding[] = [];
  const op = call.op;
  const state = availability(op, version);
  if (state === 'not-yet') {
    findings.push(
      finding(
        ctx,
        'gna/api-unavailable',
        `${call.path} does not exist in NATTEN ${ctx.options.versionText}: ${op.name} arrived in ${formatVersion(op.introduced)}.`,
        call.calleeSpan,
      ),
    );
  } else if (state === 'removed' || state === 'deprecated') {
    const when =
      state === 'removed'
        ? `was removed in NATTEN ${formatVersion(op.removed!)}`
        : `is deprecated since NATTEN ${formatVersion(op.deprecated!)} and removed in ${formatVersion(op.removed!)}`;
    const fixes = migrate(ctx, call, version);
    findings.push(finding(ctx, 'gna/removed-api', `${op.name} ${when}; use ${op.replacement}.`, call.calleeSpan, fixes));
  }
  findings.push(...positionalMeaning(ctx));
  return findings;
}

/**
 * `natten2dqkrpb(q, k, rpb, 7, 1)` → `na2d_qk(q, k, kernel_size=7, dilation=1, rpb=rpb)` where the
 * target release still has the unfused ops (0.15 to 0.19) and the callee is written through a
 * module (`natten.functional.natten2dqkrpb`), so renaming the call needs no import change.
 */
function migrate(ctx: RuleContext, call: ScannedCall, version: Version): Fix[] {
  if (call.op.kind !== 'legacy' || compareVersions(version, V020) >= 0 || compareVersions(version, [0, 15, 0]) < 0) return [];
  // 0.15's na3d_qk takes the depth-split scalars the legacy op already has: nothing to rewrite.
  if (call.op.rank === 3 && compareVersions(version, [0, 17, 0]) < 0) return [];
  const callee = ctx.text.slice(call.calleeSpan.start, call.calleeSpan.end);
  const dot = callee.lastIndexOf('.');
  if (dot < 0 || call.incomplete || call.openKeywords || call.lostPositionals) return [];
  const isAv = call.op.name.endsWith('av');
  const target = OPS.get(`na${call.op.rank}d_${isAv ? 'av' : 'qk'}`);
  if (!target) return [];
  const targetSig = signatureAt(target, version);
  const src = (a: ScannedArgument | undefined) => (a ? ctx.text.slice(a.span.start, a.span.end) : undefined);
  const tensors = (isAv ? ['attn', 'value'] : ['query', 'key']).map((p) => src(call.arguments.get(p)));
  if (tensors.some((t) => t === undefined)) return [];
  const parts = [...(tensors as string[])];
  const kernel = src(call.arguments.get('kernel_size'));
  const kernelD = src(call.arguments.get('kernel_size_d'));
  const dilation = src(call.arguments.get('dilation'));
  const dilationD = src(call.arguments.get('dilation_d'));
  if (!kernel) return [];
  parts.push(`kernel_size=${call.op.rank === 3 ? `(${kernelD ?? kernel}, ${kernel}, ${kernel})` : kernel}`);
  if (dilation) parts.push(`dilation=${call.op.rank === 3 ? `(${dilationD ?? dilation}, ${dilation}, ${dilation})` : dilation}`);
  const rpb = src(call.arguments.get('rpb'));
  if (rpb && rpb !== 'None') {
    if (!targetSig.params.includes('rpb')) return []; // 0.15/0.16 took the bias through another op
    parts.push(`rpb=${rpb}`);
  }
  const newCall = `${callee.slice(0, dot + 1)}${target.name}(${parts.join(', ')})`;
  const edit: TextEdit = { range: call.span, newText: newCall };
  return [{ title: `Migrate to ${target.name}`, edits: [edit], preferred: true }];
}

/**
 * The fifth positional argument of na1d/na2d/na3d (fourth of the modules) is `stride` from
 * NATTEN 0.20 on and `dilation` before: the same line means something else after an upgrade.
 */
function positionalMeaning(ctx: RuleContext): Finding[] {
  const { call } = ctx.analysis;
  const op = call.op;
  if (op.kind !== 'fused' && op.kind !== 'module') return [];
  const slot = op.kind === 'fused' ? 4 : 3;
  const positional = [...call.arguments.values()].filter((a) => a.position !== undefined && a.position >= slot).sort((a, b) => a.position! - b.position!);
  if (positional.length === 0 || positional[0].position !== slot) return [];
  const newer = compareVersions(ctx.options.version, V020) >= 0;
  const first = positional[0];
  const now = first.param;
  const other = newer ? 'dilation' : 'stride';
  const text = ctx.text.slice(first.span.start, first.span.end);
  const ordinal = slot === 4 ? 'fifth' : 'fourth';
  const message =
    `The ${ordinal} positional argument of ${op.name} is ${newer ? 'stride from NATTEN 0.20 on (it was dilation before)' : 'dilation before NATTEN 0.20 (it is stride from 0.20 on)'}: ` +
    `here ${now}=${text} with NATTEN ${ctx.options.versionText}. Pass it by keyword so an upgrade cannot change its meaning.`;
  const keywordEdits: TextEdit[] = positional.map((a) => ({ range: a.span, newText: `${a.param}=${ctx.text.slice(a.span.start, a.span.end)}` }));
  const fixes: Fix[] = [{ title: `Write ${now}=${text}`, edits: keywordEdits, preferred: true }];
  // The other reading: what the line meant under the other API (only when nothing follows it).
  if (positional.length === 1 && signatureAt(op, ctx.options.version).params.includes(other)) {
    fixes.push({ title: `Write ${other}=${text} (its meaning ${newer ? 'before' : 'from'} NATTEN 0.20)`, edits: [{ range: first.span, newText: `${other}=${text}` }] });
  }
  return [finding(ctx, 'gna/positional-meaning', message, first.span, fixes)];
}
