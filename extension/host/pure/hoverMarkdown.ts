// The hover of a recognised call, as markdown: the resolved config per axis, the tiles, every
// bound from the simulator, the stride recommendation and command links. Pure text so that it
// is tested in plain Node; hover.ts only wraps it in a MarkdownString.

import type { TrainingSimulation } from '../../core/backward';
import { formatCount, formatFlops, formatPercent, formatPythonBools, formatSparsity, formatSpeedup, paperRatioNote, stepsLine, summaryLine } from '../../core/format';
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

/** The hover of the calls at one source range: one section per config-dict variant. */
export function callsHoverMarkdown(calls: readonly CallReport[], context: HoverContext): string {
  return calls.map((call) => callHoverMarkdown(call, context)).join('\n\n---\n\n');
}

export function callHoverMarkdown(call: CallReport, context: HoverContext): string {
  const sim = call.simulation;
  // What to read or click first comes first: hovers show only their top without scrolling.
  const variant = call.variant !== undefined ? ` · \`${escapeCode(call.variant)}\`` : '';
  const parts: string[] = [`**GNA \`${call.op}\`**${variant} (${call.rank}-D)` + (sim ? ` — ${summaryLine(sim)}` : '')];

  const problems = call.check.issues.map((i) => i.message);
  if (problems.length > 0) parts.push(problems.map((m) => `- ⚠ ${escapeMarkdown(m)}`).join('\n'));
  // What is missing, and the link that adds the annotation for it (missingMarkdown.ts).
  const missing = problems.length === 0 ? missingMarkdown(call, context.uri) : undefined;
  if (missing) parts.push(missing);
  if (call.check.problem && !sim) {
    parts.push(`Not simulated: no ${context.family} tile preset for head dim ${context.headDim} (see \`gna.gpuFamily\`, \`gna.headDim\`).`);
  }
  if (call.recommendation && sim) parts.push(recommendationLine(call, sim));

  const target = callTarget(context.uri, call);
  if (target) {
    const preview = `[Preview mask](${commandUri(PREVIEW_COMMAND, target)})`;
    const benchmark = context.trusted
      ? `[Benchmark on GPU](${commandUri(BENCHMARK_COMMAND, target)})`
      : 'Benchmark on GPU: needs a trusted workspace (it runs native code)';
    parts.push(`${preview} · ${benchmark}`);
  }

  parts.push(configTable(call));
  parts.push(layoutSourceLine(call, context));
  const annotated = annotatedMarkdown(call);
  if (annotated) parts.push(annotated);
  if (sim && call.tiles) {
    parts.push(
      `Tiles: Q ${formatTuple(call.tiles.q)} · KV ${formatTuple(call.tiles.kv)} ` +
        `(${context.family} preset, head dim ${context.headDim}, ${sim.tiling}-dimensional tiling)`,
    );
    parts.push(boundsTable(sim, call.check.problem?.dilation ?? [], call.training));
  }
  return parts.join('\n\n');
}

function configTable(call: CallReport): string {
  const axes = Array.from({ length: call.rank }, (_, i) => i);
  const problem = call.check.problem;
  const raw = call.raw;
  const row = (label: string, values: string[]): string => `| ${label} | ${values.join(' | ')} |`;
  const column = (resolved: readonly (number | boolean)[] | undefined, value: unknown, fallback: string): string[] =>
    axes.map((i) => (resolved ? cell(resolved[i]) : rawCell(value, i, fallback)));
  const lines = [
    row('', axes.map((i) => `axis ${i}`)),
    row('---', axes.map(() => '--:')),
    // Plain names first, then the argument as the call spells it; booleans as Python writes them.
    row('token layout (input_size)', column(problem?.inputSize, raw.inputSize, '?')),
    row('window (kernel_size)', column(problem?.windowSize, raw.windowSize, '?')),
    row('stride', column(problem?.stride, raw.stride, '1')),
    row('dilation', column(problem?.dilation, raw.dilation, '1')),
    row('causal (is_causal)', column(problem?.causal, raw.causal, 'False')),
  ];
  if (call.tiles) {
    lines.push(row('Q tile', axes.map((i) => cell(call.tiles!.q[i]))));
    lines.push(row('KV tile', axes.map((i) => cell(call.tiles!.kv[i]))));
  }
  const perAxis = call.simulation?.perAxis;
  if (perAxis) lines.push(row('KV tiles the busiest Q tile visits', axes.map((i) => cell(perAxis[i]?.worst))));
  return lines.join('\n');
}

function cell(value: number | boolean | undefined): string {
  if (value === undefined) return '?';
  return typeof value === 'boolean' ? formatPythonBools(value) : String(value);
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

function layoutSourceLine(call: CallReport, context: HoverContext): string {
  switch (call.layoutSource) {
    case 'annotation':
      return 'Token layout from the `# gna: input_size` annotation.';
    case 'code':
      return 'Token layout from the literal tensor shape that reaches the call in the code.';
    case 'setting':
      return `Token layout from the \`gna.inputSize\` setting${context.layoutPattern ? ` (pattern \`${escapeCode(context.layoutPattern)}\`)` : ''}.`;
    case 'trace':
      return tracedLine(call);
    case 'none':
      return call.check.unknown.includes('input_size') ? 'Token layout unknown.' : 'Token layout from the call itself.';
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

function boundsTable(sim: Simulation, dilation: readonly number[], training: TrainingSimulation | undefined): string {
  const rows: [string, string, string][] = [
    ['simulated speedup', formatSpeedup(sim.simulated), stepsLine(sim)],
    ...(training ? trainingRows(training) : []),
    [
      'tile-pair bound',
      formatSpeedup(sim.tilePairBound),
      `${formatCount(sim.visited)} of ${formatCount(sim.total)} tile pairs visited, ${formatCount(sim.partial)} of them partly masked`,
    ],
    ['FLOP-wise bound', formatSpeedup(sim.flopBound), `(query, key) pairs: ${formatSparsity(sim.sparsity)}`],
    [
      'wasted FLOPs',
      formatPercent(sim.flops.wastedShare),
      `${formatFlops(sim.flops.wasted)} of ${formatFlops(sim.flops.computed)} computed per head go to masked-out pairs`,
    ],
    [
      'block-sparse',
      sim.blockSparse ? 'yes' : 'no',
      sim.blockSparse ? 'every visited tile pair is fully attended: no per-element masking' : `${formatCount(sim.partial)} tile pairs need per-element masking`,
    ],
  ];
  if (sim.endToEnd !== undefined && sim.attentionShare !== undefined) {
    rows.push(['end-to-end', formatSpeedup(sim.endToEnd), `if attention is ${formatPercent(sim.attentionShare)} of run time`]);
  }
  const lines = ['| | value | how it is counted |', '|---|--:|---|', ...rows.map(([a, b, c]) => `| ${a} | ${b} | ${c} |`)];
  const paper = paperRatioNote(sim, { dilation });
  if (paper) lines.push('', `Simulated ${formatSpeedup(sim.simulated)} counts every Q tile the kernel runs; ${escapeMarkdown(paper)}.`);
  if (sim.padded) lines.push('', 'Some axis is not a multiple of its tile: the padding tokens make their tile pairs partly masked.');
  return lines.join('\n');
}

/** The backward pass (KV-parallel) and the training step, beside the forward's bound. */
function trainingRows(t: TrainingSimulation): [string, string, string][] {
  const b = t.backward;
  return [
    [
      'backward',
      formatSpeedup(b.simulated),
      `Q ${formatTuple(b.qTile)} / KV ${formatTuple(b.kvTile)} tiles: ${formatCount(b.kvTiles)} KV tiles × ${formatCount(b.worstKvTileVisits)} Q tiles (busiest KV tile) = ${formatCount(b.steps)} steps, self attention ${formatCount(b.total)}`,
    ],
    [
      'training step',
      formatSpeedup(t.training.simulated),
      `forward + backward, the backward at ${t.training.backwardFlopRatio}× the forward's FLOPs per tile pair (assumed); ${formatPercent(t.training.backwardShare)} of it backward`,
    ],
  ];
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
