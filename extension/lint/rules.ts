// Every rule the linter can report: its stable id, default severity and the one-line and longer
// descriptions that SARIF uploads, hovers and docs show. Ids never change once published.

import type { Severity } from './types';

export interface RuleInfo {
  readonly id: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly help: string;
  /** Reported only when the user turns it on (`select`, or a level in `rules`): too noisy by default. */
  readonly defaultOff?: boolean;
}

const RULE_LIST: RuleInfo[] = [
  // Errors: NATTEN raises on these at run time.
  { id: 'gna/window-too-small', severity: 'error', summary: 'kernel_size below 2', help: 'NATTEN requires kernel_size >= 2 on every axis.' },
  { id: 'gna/even-window', severity: 'error', summary: 'Even kernel_size where NATTEN needs odd', help: 'Before NATTEN 0.17.5, and in the unfused and legacy ops always, kernel_size must be odd.' },
  { id: 'gna/tuple-length', severity: 'error', summary: "Tuple length differs from the op's rank", help: 'Every per-axis argument (kernel_size, stride, dilation, is_causal) must be a scalar or have one entry per axis of the op.' },
  { id: 'gna/invalid-value', severity: 'error', summary: 'Argument of the wrong type', help: 'kernel_size, stride and dilation take integers; is_causal takes booleans.' },
  { id: 'gna/missing-argument', severity: 'error', summary: 'Required argument not given', help: 'kernel_size has no default in NATTEN; the legacy ops also require dilation.' },
  { id: 'gna/stride-too-small', severity: 'error', summary: 'stride below 1', help: 'NATTEN requires stride >= 1 on every axis.' },
  { id: 'gna/dilation-too-small', severity: 'error', summary: 'dilation below 1', help: 'NATTEN requires dilation >= 1 on every axis.' },
  { id: 'gna/stride-exceeds-window', severity: 'error', summary: 'stride larger than kernel_size', help: 'NATTEN requires stride <= kernel_size on every axis (stride == kernel_size is blocked attention).' },
  { id: 'gna/window-exceeds-input', severity: 'error', summary: 'Window larger than the token layout', help: 'NATTEN requires kernel_size * dilation <= input size on every axis.' },
  { id: 'gna/layout-invalid', severity: 'error', summary: 'Invalid token layout', help: 'The token layout needs at least one token per axis, one to three axes, and at most 2^26 tokens.' },
  { id: 'gna/unexpected-argument', severity: 'error', summary: 'Argument the NATTEN version does not take', help: 'Python raises TypeError for a keyword the function does not have, too many positional arguments, or a parameter given twice.' },
  { id: 'gna/api-unavailable', severity: 'error', summary: 'Name not yet in the NATTEN version', help: 'The op was introduced in a later NATTEN release than the one configured; importing it fails.' },
  // Warnings: it runs, but not fast (or not for long).
  { id: 'gna/not-block-sparse', severity: 'warning', summary: 'Not block-sparse where a nearby stride would be', help: 'Partial tile pairs need per-element masking; a stride that aligns windows with tiles removes them and reaches the simulated speedup bound.' },
  { id: 'gna/padding-waste', severity: 'warning', summary: 'Tile shape pads the token layout', help: 'A layout axis that is not a multiple of the tile size is padded up; padded queries and keys are computed and thrown away.' },
  { id: 'gna/dense-fallback', severity: 'warning', summary: 'Window equals the token layout', help: 'With kernel_size equal to the layout (and no causal axis) NATTEN runs dense self attention: no sparsity, no speedup.' },
  { id: 'gna/rank-mismatch', severity: 'warning', summary: "Op rank differs from the annotated layout's", help: 'A 1-D op over flattened 2-D or 3-D tokens makes windows cross row boundaries; use the op of the layout\'s rank.' },
  { id: 'gna/removed-api', severity: 'warning', summary: 'API removed or deprecated in the NATTEN version', help: 'The name or argument no longer exists in the configured NATTEN release (or is deprecated); the message names the replacement.' },
  { id: 'gna/heads-first', severity: 'warning', summary: 'Heads-first q/k/v given to a heads-last fused op', help: 'na1d/na2d/na3d take [batch, *layout, heads, head_dim]; a tensor permuted to [batch, heads, *layout, head_dim] (the unfused ops\' layout) runs without error and attends over the wrong axes.' },
  { id: 'gna/positional-meaning', severity: 'warning', summary: 'Positional argument whose meaning changed between NATTEN releases', help: "The fifth positional argument of na1d/na2d/na3d (the fourth of the modules) is stride from NATTEN 0.20 on and dilation before; pass it by keyword." },
  { id: 'gna/bad-annotation', severity: 'warning', summary: 'Unreadable `# gna:` annotation', help: 'Annotations are keyword lists of input_size, head_dim, kernel_size, stride, dilation and is_causal: `# gna: input_size=(30, 48, 80), kernel_size=7, head_dim=64`. A mask argument from an annotation fills only what the code leaves unknown: one that disagrees with the value the code gives (or NATTEN\'s default for an argument left out) is reported and not used.' },
  // The linter itself: a file it could not fully check is never reported as clean.
  { id: 'gna/internal-error', severity: 'error', summary: 'The linter failed on this file', help: 'An unexpected exception inside the GNA linter: the file, or the call the finding marks, was not fully checked. Please report it with the file.' },
  { id: 'gna/analysis-stopped', severity: 'warning', summary: 'Analysis stopped at the time budget', help: 'The file took longer than its time budget (gna.lint.timeBudgetMs in the editor, --time-budget in the CLI); the calls after the marked one are not checked.' },
  // Information: at most one per call, and only where acting on it changes what the linter can say.
  { id: 'gna/needs-layout', severity: 'info', summary: 'Only the token layout is missing', help: 'Every mask argument of the call is known but NATTEN learns the layout from the tensor at run time: the message names the `# gna: input_size=(…)` annotation (or the `gna.inputSize` / `[tool.gna.input-size]` layout) that makes the call checked and simulated.' },
  { id: 'gna/unresolved', severity: 'info', defaultOff: true, summary: 'Argument value not known statically (off by default)', help: 'The value comes from a parameter, a run-time computation or a name bound more than once; checks that need it are skipped. Off by default: the hover lists what is missing; turn it on with `--select unresolved` or a level in `gna.rules` / `[tool.gna.rules]`.' },
  { id: 'gna/summary', severity: 'info', summary: 'Sparsity and simulated speedup', help: "Share of attention skipped and the GNA simulator's speedup over dense attention for the configured GPU family's tile shapes." },
];

export const RULES: ReadonlyMap<string, RuleInfo> = new Map(RULE_LIST.map((r) => [r.id, r]));

export function ruleInfo(id: string): RuleInfo {
  const r = RULES.get(id);
  if (!r) throw new Error(`unknown rule ${id}`);
  return r;
}

/** `not-block-sparse` or `gna/not-block-sparse` → `gna/not-block-sparse`; undefined if no such rule. */
export function ruleId(code: string): string | undefined {
  const trimmed = code.trim().toLowerCase();
  const id = trimmed.startsWith('gna/') ? trimmed : `gna/${trimmed}`;
  return RULES.has(id) ? id : undefined;
}
