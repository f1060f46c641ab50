// The choices the preview offers among a call's configs (one per variant: a backbone's layers, a
// dict's entries): each config's name in the user's words, the values that set it apart from the
// others (so a dilated one is found at a glance) and its simulated speedup.

import { formatCausal, formatSpeedup } from '../../core/format';
import { formatTuple } from '../../core/problem';
import type { CallReport } from '../../lint/types';

export interface ConfigChoice {
  /** The variant, as the report names it (what the host pins). */
  readonly variant: string;
  /** `line 82, i=0, i=1 — dilation 8×8 · 9.77×` */
  readonly label: string;
}

/** What may tell a call's configs apart, in the order a label says it. */
const VALUES: readonly { readonly name: string; readonly field: 'inputSize' | 'windowSize' | 'stride' | 'dilation' | 'causal' }[] = [
  { name: 'layout', field: 'inputSize' },
  { name: 'window', field: 'windowSize' },
  { name: 'stride', field: 'stride' },
  { name: 'dilation', field: 'dilation' },
  { name: 'causal', field: 'causal' },
];

/** The choices among `calls` (the reports of one call's variants); none for a call with one config. */
export function configChoices(calls: readonly CallReport[]): ConfigChoice[] {
  const named = calls.filter((c): c is CallReport & { variant: string } => c.variant !== undefined);
  if (named.length < 2) return [];
  // Causal as the call writes it (`is_causal=(True, False)`), the other values as tuples (`8×8`).
  const text = (call: CallReport, field: (typeof VALUES)[number]['field']): string | undefined => {
    const p = call.check.problem;
    if (!p) return undefined;
    return field === 'causal' ? formatCausal(p.causal) : formatTuple(p[field]);
  };
  // Only the values that differ among the configs tell them apart.
  const differing = VALUES.filter(({ field }) => new Set(named.map((c) => text(c, field) ?? '?')).size > 1);
  return named.map((call) => {
    const values = differing.flatMap(({ name, field }) => {
      const t = text(call, field);
      return t === undefined ? [] : [field === 'causal' ? t : `${name} ${t}`];
    });
    const speedup = call.simulation ? [formatSpeedup(call.simulation.simulated)] : call.check.problem ? [] : ['invalid config'];
    const detail = [...values, ...speedup].join(' · ');
    return { variant: call.variant, label: detail ? `${call.variant} — ${detail}` : call.variant };
  });
}
