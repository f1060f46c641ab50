// What to benchmark: a call's config (from a lens, a hover or the cursor), or the "GNA: Benchmark…"
// input flow (layout, window, stride, dilation, causal, heads, head dim, dtype, batch, then one
// config or a sweep), which starts from the call at the cursor and remembers its last values.

import * as vscode from 'vscode';
import { defaultTiles } from '../core/presets';
import type { Workload } from '../core/problem';
import type { BenchmarkOutcome } from './benchOutcome';
import type { RunRequest } from './benchQueue';
import { targetsAtCursor } from './commands';
import type { Ctx } from './context';
import { toPosition } from './convert';
import type { CallReport } from '../lint/types';
import type { DocumentLint } from './context';
import { CallConfig, configOfCall } from './previewConfig';
import {
  describeFlow,
  FLOW_DTYPES,
  FLOW_HEAD_DIMS,
  FLOW_ORDER,
  flowFromCall,
  flowFromProblem,
  flowProblem,
  FlowStart,
  FlowStep,
  FlowTextKey,
  FlowValues,
  flowWorkload,
  missingPrompt,
  passOn,
  restoreFlow,
  RunOn,
  runChoices,
  TEXT_STEPS,
} from './pure/benchFlow';
import { problemText, strideSweep, SweepPlan, windowSweep } from './pure/benchHistory';
import { CallRef, callRef, CallTarget } from './pure/calls';
import { describeConfig } from './pure/commandMessages';
import { readWorkspacePass, readWorkspaceSettings } from './settings';

const FLOW_KEY = 'gna.benchmark.lastValues';

/** A call's config, with the flow's last batch, heads and dtype and the settings' head dim. */
export function callRequest(ctx: Ctx, target: CallTarget): RunRequest {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.uri);
  const settings = document ? ctx.settings(document).lint : readWorkspaceSettings();
  const family = settings.family ?? 'hopper';
  const remembered = flowWorkload(target.traced, { ...restoreFlow(ctx.workspaceState.get(FLOW_KEY)), headDim: settings.headDim ?? 128 });
  const workload: Workload = { batch: remembered.batch, heads: remembered.heads, headDim: remembered.headDim };
  const tiles = target.tiles ?? defaultTiles(family, target.problem.inputSize.length, workload.headDim);
  const pass = passOn(document ? ctx.settings(document).pass : readWorkspacePass(), family, target.problem.inputSize.length, workload.headDim);
  const where = document ? ` · ${vscode.workspace.asRelativePath(document.uri, false)}:${toPosition(document, target.offset).line + 1}` : '';
  return {
    spec: {
      title: describeConfig(target),
      prefix: `${target.op}${target.variant !== undefined ? ` [${target.variant}]` : ''} `,
      suffix: where,
      points: [target.problem],
      workload,
      tiles: tiles ?? { q: [], kv: [] },
      dtype: remembered.dtype,
      ...pass,
    },
    config: describeConfig(target),
    tiles,
  };
}

/**
 * `gna.benchmark`'s steps; an outcome instead when the user cancelled or gave a bad config. A call
 * at the cursor starts them: a complete one with its config, a partly known one with the values
 * it gives and empty fields for the others (never an earlier run's values passed off as the call's).
 */
export async function askRequest(ctx: Ctx): Promise<RunRequest | BenchmarkOutcome> {
  let start: FlowStart = { values: restoreFlow(ctx.workspaceState.get(FLOW_KEY)), missing: [] };
  const atCursor = (await targetsAtCursor(ctx))[0];
  const partial = atCursor ? undefined : await partialCallAt(ctx);
  if (atCursor) start = { values: flowWorkload(atCursor.traced, flowFromProblem(atCursor.problem, start.values)), missing: [] };
  else if (partial) start = flowFromCall(partial.known.config, partial.call.rank, start.values);
  const total = FLOW_ORDER.length + 1;
  const asked = await askSteps(FLOW_ORDER, start, (i) => `GNA: Benchmark (${i + 1}/${total})`);
  if (!('values' in asked)) return asked;
  const values = asked.values;
  const checked = flowProblem(values);
  if ('error' in checked) {
    void vscode.window.showWarningMessage(checked.error);
    return { shown: 'warning', message: checked.error };
  }
  await ctx.workspaceState.update(FLOW_KEY, values);
  const family = readWorkspaceSettings().family ?? 'hopper';
  const rank = checked.problem.inputSize.length;
  const tiles = defaultTiles(family, rank, checked.workload.headDim);
  const plans = tiles ? [strideSweep(checked.problem, tiles), windowSweep(checked.problem)] : [];
  const choices = runChoices(problemText(checked.problem), plans, readWorkspacePass(), family, rank, checked.workload.headDim);
  const run = await vscode.window.showQuickPick(choices, { title: `GNA: Benchmark (${total}/${total}) · ${describeFlow(values)}`, placeHolder: 'What to run', ignoreFocusOut: true });
  if (!run) return cancelled();
  const request = sweepRequest(checked.problem, run.plan, { workload: checked.workload, tiles: tiles ?? { q: [], kv: [] }, dtype: values.dtype, ...run.on });
  return { ...request, tiles };
}

/** A call whose config is not complete: where it is, and what it gives. */
export interface PartialCall {
  readonly uri: string;
  readonly call: CallReport;
  readonly known: CallConfig;
}

/**
 * The benchmark of a partly known call (its lens, or "Benchmark Config at Cursor" on it): only the
 * values the call does not give are asked for, then that config runs like a complete call's.
 */
export async function askMissing(ctx: Ctx, partial: PartialCall): Promise<RunRequest | BenchmarkOutcome> {
  const start = flowFromCall(partial.known.config, partial.call.rank, restoreFlow(ctx.workspaceState.get(FLOW_KEY)));
  const steps = FLOW_ORDER.filter((s): s is FlowTextKey => (start.missing as readonly string[]).includes(s));
  const asked = await askSteps(steps, start, (i) => `GNA: Benchmark ${partial.call.op} (${i + 1}/${steps.length})`);
  if (!('values' in asked)) return asked;
  const checked = flowProblem(asked.values);
  if ('error' in checked) {
    void vscode.window.showWarningMessage(checked.error);
    return { shown: 'warning', message: checked.error };
  }
  const target: CallTarget = { ...callRef(partial.uri, partial.call), problem: checked.problem };
  const request = callRequest(ctx, target);
  // The history's label says which values were the user's, not the call's.
  const entered = partial.known.missing.map((m) => m.parameter).join(', ');
  return { ...request, spec: { ...request.spec, suffix: `${request.spec.suffix} · ${entered} entered` } };
}

/** The call at the cursor, or the one a lens names, when its config is not complete (its first such variant). */
export async function partialCallAt(ctx: Ctx, ref?: CallRef): Promise<PartialCall | undefined> {
  let found: { uri: string; calls: readonly CallReport[]; settings: DocumentLint['settings'] } | undefined;
  if (ref) {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === ref.uri);
    const lint = document && (await ctx.lint(document));
    if (lint && lint.version === document.version) found = { uri: ref.uri, calls: lint.report.calls.filter((c) => c.range.start === ref.offset && (ref.variant === undefined || c.variant === ref.variant)), settings: lint.settings };
  } else {
    const at = await ctx.callAt(vscode.window.activeTextEditor);
    if (typeof at !== 'string') found = { uri: at.document.uri.toString(), calls: at.calls, settings: at.lint.settings };
  }
  const call = found?.calls.find((c) => !c.check.problem);
  if (!found || !call) return undefined;
  return { uri: found.uri, call, known: configOfCall(call, found.settings.lint.family ?? 'hopper', found.settings.lint.headDim ?? 128) };
}

/** Asks `steps` in turn, starting from `start` (a missing step with an empty field); the values, or why not. */
async function askSteps(steps: readonly FlowStep[], start: FlowStart, heading: (i: number) => string): Promise<{ values: FlowValues } | BenchmarkOutcome> {
  let values = start.values;
  const unknown = new Set(start.missing);
  for (const [i, step] of steps.entries()) {
    const title = `${heading(i)} · ${describeFlow(values, [...unknown])}`;
    if (step === 'headDim') {
      const items = FLOW_HEAD_DIMS.map((d) => ({ label: String(d), description: d === values.headDim ? 'last used' : '', value: d }));
      const picked = await vscode.window.showQuickPick(sortCurrentFirst(items, values.headDim), { title, placeHolder: 'Head dim (the CUDA kernel has 32, 64 and 128)', ignoreFocusOut: true });
      if (!picked) return cancelled();
      values = { ...values, headDim: picked.value };
    } else if (step === 'dtype') {
      const items = FLOW_DTYPES.map((d) => ({ label: d.label, description: d.detail, value: d.dtype }));
      const picked = await vscode.window.showQuickPick(sortCurrentFirst(items, values.dtype), { title, placeHolder: 'Input type', ignoreFocusOut: true });
      if (!picked) return cancelled();
      values = { ...values, dtype: picked.value };
    } else {
      const text = TEXT_STEPS[step];
      const current = values;
      const missing = start.missing.includes(step);
      const answer = await vscode.window.showInputBox({
        title,
        prompt: missing ? missingPrompt(step) : text.prompt,
        placeHolder: text.placeholder,
        value: missing ? '' : text.format(current),
        ignoreFocusOut: true,
        validateInput: (t) => {
          const r = text.parse(t, current);
          return 'error' in r ? r.error : undefined;
        },
      });
      if (answer === undefined) return cancelled();
      const parsed = text.parse(answer, current);
      if ('error' in parsed) return { shown: 'warning', message: parsed.error };
      values = parsed.value;
      unknown.delete(step);
    }
  }
  return { values };
}

/** One config, or a sweep around it, on a known workload, tiles, dtype and pass (the flow, a report action). */
export function sweepRequest(problem: CallTarget['problem'], plan: SweepPlan | undefined, on: Pick<RunRequest['spec'], 'workload' | 'tiles' | 'dtype'> & RunOn, config = problemText(problem)): RunRequest {
  return {
    spec: {
      title: plan ? `${plan.kind} sweep of ${problemText(problem)}` : problemText(problem),
      prefix: '',
      suffix: '',
      points: plan ? plan.problems : [problem],
      ...(plan ? { sweep: { kind: plan.kind, ...(plan.baseIndex !== undefined ? { baseIndex: plan.baseIndex } : {}) } } : {}),
      ...on,
    },
    config,
    tiles: on.tiles,
  };
}

function cancelled(): BenchmarkOutcome {
  return { shown: 'info', message: 'Benchmark cancelled.' };
}

function sortCurrentFirst<T extends { value: unknown }>(items: T[], current: unknown): T[] {
  return [...items.filter((i) => i.value === current), ...items.filter((i) => i.value !== current)];
}
