// The hover of a recognised call, as markdown, short enough to read without scrolling: the
// headline, problems and what is missing, the stride advice, command links, the config and the
// simulator's bounds in a line each. Pure text so that it is tested in plain Node; hover.ts only
// wraps it in a MarkdownString.

import type { TrainingSimulation } from '../../core/backward';
import { formatCount, formatPercent, formatPythonBools, formatSpeedup, summaryLine } from '../../core/format';
import type { GpuFamily } from '../../core/presets';
import { formatTuple } from '../../core/problem';
import type { Simulation } from '../../core/simulator';
import { show, UNKNOWN } from '../../core/validate';
import type { CallReport } from '../../lint/types';
import { callTarget, commandUri } from './calls';
import { annotatedMarkdown, missingMarkdown } from './missingMarkdown';

export const PREVIEW_COMMAND = 'gna.previewMask';
export const BENCHMARK_COMMAND = 'gna.benchmarkConfig';

export interface HoverContext {
  /** The document's `Uri.toString()`, carried by the command links. */
  readonly uri: string;
  readonly family: GpuFamily;
  readonly headDim: number;
  /** Untrusted workspaces get no benchmark link (it would run native code), just the reason. */
  readonly trusted: boolean;
  /** The `gna.inputSize` pattern that supplied the layout, when it came from the settings. */
  readonly layoutPattern?: string;
}

/** Other configs of a dict-configured call the hover lists by name, before it only counts them. */
export const LISTED_CONFIGS = 4;

/**
 * The hover of the calls at one source range. A hover shows about 250 px before it scrolls, so it
 * says the essentials only: the first config in full (headline, problems, what is missing, the
 * stride advice, the links, the config and its bounds in two lines), the call's other configs one
 * line each (a few, then a count). Every number in detail is the preview's (its numbers' tooltips).
 */
export function callsHoverMarkdown(calls: readonly CallReport[], context: HoverContext): string {
  const [first, ...others] = calls;
  if (!first) return '';
  const sections = [callHoverMarkdown(first, context)];
  if (others.length > 0) sections.push(otherConfigsMarkdown(others, calls.length, context));
  return sections.join('\n\n---\n\n');
}

export function callHoverMarkdown(call: CallReport, context: HoverContext): string {
  const sim = call.simulation;
  // What to read or click first comes first: hovers show only their top without scrolling.
  const parts: string[] = [headline(call)];

  const problems = call.check.issues.map((i) => i.message);
  if (problems.length > 0) parts.push(problems.map((m) => `- ⚠ ${escapeMarkdown(m)}`).join('\n'));
  // What is missing, and the link that adds the annotation for it (missingMarkdown.ts).
  const missing = problems.length === 0 ? missingMarkdown(call, context.uri) : undefined;
  if (missing) parts.push(missing);
  if (call.check.problem && !sim) {
    parts.push(`Not simulated: no ${context.family} tile preset for head dim ${context.headDim} (see \`gna.gpuFamily\`, \`gna.headDim\`).`);
  }
  if (call.recommendation && sim) parts.push(recommendationLine(call, sim));
  const links = linksLine(call, context);
  if (links) parts.push(links);

  parts.push(configLine(call, context));
  if (call.layoutSource === 'trace') parts.push(tracedLine(call));
  const annotated = annotatedMarkdown(call);
  if (annotated) parts.push(annotated);
  if (sim) parts.push(boundsLine(sim, call.training));
  return parts.join('\n\n');
}

/** `**GNA `na2d`** · line 82, i=0 (2-D) — 90% sparse (10% attended) · 6.65× simulated speedup` */
function headline(call: CallReport): string {
  const variant = call.variant !== undefined ? ` · ${escapeMarkdown(call.variant)}` : '';
  return `**GNA \`${call.op}\`**${variant} (${call.rank}-D)` + (call.simulation ? ` — ${summaryLine(call.simulation)}` : '');
}

function linksLine(call: CallReport, context: HoverContext): string | undefined {
  const target = callTarget(context.uri, call);
  if (!target) return undefined;
  const preview = `[Preview mask](${commandUri(PREVIEW_COMMAND, target)})`;
  const benchmark = context.trusted
    ? `[Benchmark on GPU](${commandUri(BENCHMARK_COMMAND, target)})`
    : 'Benchmark on GPU: needs a trusted workspace (it runs native code)';
  return `${preview} · ${benchmark}`;
}

/** The call's other configs, one line each: name, summary (or why not simulated) and its preview link. */
function otherConfigsMarkdown(others: readonly CallReport[], total: number, context: HoverContext): string {
  const lines = others.slice(0, LISTED_CONFIGS).map((call) => {
    const target = callTarget(context.uri, call);
    const what = call.simulation ? summaryLine(call.simulation) : call.check.issues.length > 0 ? `⚠ ${escapeMarkdown(call.check.issues[0].message)}` : 'not simulated';
    return `- **${escapeMarkdown(call.variant ?? call.op)}** — ${what}${target ? ` · [Preview](${commandUri(PREVIEW_COMMAND, target)})` : ''}`;
  });
  const rest = others.length - LISTED_CONFIGS;
  if (rest > 0) lines.push(`- and ${rest} more (the code lens above the call picks any of them)`);
  return [`**${total} configs** of this call (the one above is the first):`, lines.join('\n')].join('\n\n');
}

/**
 * The config in one line, plain names first: `layout 56×56 (from the # gna: annotation) · window
 * 7×7 · stride 1×1 · dilation 1×1 · not causal · Q tile 16×8 · KV tile 16×8 (hopper preset, head dim 128)`.
 * An unresolved value per axis is `?`.
 */
function configLine(call: CallReport, context: HoverContext): string {
  const axes = Array.from({ length: call.rank }, (_, i) => i);
  const problem = call.check.problem;
  const raw = call.raw;
  const tuple = (resolved: readonly number[] | undefined, value: unknown, fallback: string): string =>
    axes.map((i) => (resolved ? String(resolved[i]) : rawCell(value, i, fallback))).join('×');
  const source = layoutSourceText(call, context);
  const parts = [
    `layout ${tuple(problem?.inputSize, raw.inputSize, '?')}${source ? ` (${source})` : ''}`,
    `window ${tuple(problem?.windowSize, raw.windowSize, '?')}`,
    `stride ${tuple(problem?.stride, raw.stride, '1')}`,
    `dilation ${tuple(problem?.dilation, raw.dilation, '1')}`,
    causalText(axes.map((i) => (problem ? formatPythonBools(problem.causal[i]) : rawCell(raw.causal, i, 'False')))),
  ];
  if (call.tiles) {
    parts.push(`Q tile ${formatTuple(call.tiles.q)}`, `KV tile ${formatTuple(call.tiles.kv)} (${context.family} preset, head dim ${context.headDim})`);
  }
  return parts.join(' · ');
}

/** `not causal`, `causal`, `causal on axis 0`, `causal ?` from each axis' Python spelling. */
function causalText(perAxis: readonly string[]): string {
  if (perAxis.every((c) => c === 'False')) return 'not causal';
  if (perAxis.every((c) => c === 'True')) return 'causal';
  if (perAxis.some((c) => c !== 'True' && c !== 'False')) return `causal ${perAxis.join('×')}`;
  const on = perAxis.flatMap((c, i) => (c === 'True' ? [i] : []));
  return `causal on axis ${on.join(', ')}`;
}

/**
 * One axis of a raw (unchecked) value: a tuple entry, a broadcast scalar, `?` when unresolved.
 * Any symbol means "unknown": the linter runs from its own bundle, whose UNKNOWN is a different
 * symbol from this bundle's.
 */
function rawCell(value: unknown, axis: number, fallback: string): string {
  if (value === undefined) return fallback;
  const entry = Array.isArray(value) ? value[axis] : value;
  if (entry === UNKNOWN || typeof entry === 'symbol' || entry === undefined) return '?';
  if (typeof entry === 'boolean') return formatPythonBools(entry);
  return escapeMarkdown(typeof entry === 'number' ? String(entry) : show(entry));
}

/** Where the token layout came from, in a few words; undefined when from the call itself. */
function layoutSourceText(call: CallReport, context: HoverContext): string | undefined {
  switch (call.layoutSource) {
    case 'annotation':
      return 'from the `# gna:` annotation';
    case 'code':
      return 'from a literal tensor shape in the code';
    case 'setting':
      return `from the \`gna.inputSize\` setting${context.layoutPattern ? `, pattern \`${escapeCode(context.layoutPattern)}\`` : ''}`;
    case 'trace':
      return 'traced';
    case 'none':
      return call.check.unknown.includes('input_size') ? 'unknown' : undefined;
  }
}

/** Where a traced config came from: the run's calls, batch, heads, dtype, and whether it is stale. */
function tracedLine(call: CallReport): string {
  const t = call.traced;
  if (!t) return 'Config from a traced run (`gna trace`).';
  const list = (values: readonly (number | string)[]) => values.map(String).join(', ');
  const facts = [
    `${t.count} call${t.count === 1 ? '' : 's'}`,
    `batch ${list(t.batches)}`,
    `${list(t.heads)} heads`,
    ...(t.dtypes.length > 0 ? [list(t.dtypes)] : []),
    ...(t.devices.length > 0 ? [`on ${list(t.devices)}`] : []),
  ];
  const when = t.tracedAt.slice(0, 16).replace('T', ' ');
  const line = `Traced: layout and config from a run (\`gna trace\`, ${escapeMarkdown(when)} UTC): ${escapeMarkdown(facts.join(' · '))}.`;
  return t.stale ? `${line}\n\n⚠ **Stale**: the file changed after the trace; run \`gna trace\` again to refresh.` : line;
}

/** The simulator's other bounds in one line (the headline is the first line's). */
function boundsLine(sim: Simulation, training: TrainingSimulation | undefined): string {
  const parts = [
    `tile-pair bound ${formatSpeedup(sim.tilePairBound)} (${formatCount(sim.visited)} of ${formatCount(sim.total)} tile pairs, ${formatCount(sim.partial)} partly masked)`,
    `FLOP-wise bound ${formatSpeedup(sim.flopBound)}`,
    `${formatPercent(sim.flops.wastedShare)} of computed FLOPs wasted`,
    ...(training ? [`backward ${formatSpeedup(training.backward.simulated)}`, `training step ${formatSpeedup(training.training.simulated)}`] : []),
    ...(sim.endToEnd !== undefined && sim.attentionShare !== undefined
      ? [`end-to-end ${formatSpeedup(sim.endToEnd)} if attention is ${formatPercent(sim.attentionShare)} of run time`]
      : []),
  ];
  return parts.join(' · ');
}

function recommendationLine(call: CallReport, sim: Simulation): string {
  const rec = call.recommendation!;
  if (rec.atFloor) {
    const blockSparseHint =
      !sim.blockSparse && rec.blockSparseStride ? `; stride ${formatTuple(rec.blockSparseStride)} would make it block-sparse` : '';
    return `This stride already gives the busiest Q tile the fewest KV tiles these tiles allow${blockSparseHint}.`;
  }
  return (
    `Recommended stride **${formatTuple(rec.stride)}** → ${formatSpeedup(rec.simulation.simulated)} simulated ` +
    `(now ${formatSpeedup(sim.simulated)})${rec.simulation.blockSparse ? ', block-sparse' : ''}.`
  );
}

const MARKDOWN_SPECIALS = /[\\`*_[\]<>|]/g; // inline specials; no line starts with free text

export function escapeMarkdown(text: string): string {
  return text.replace(MARKDOWN_SPECIALS, '\\$&');
}

function escapeCode(text: string): string {
  return text.replace(/`/g, "'");
}
