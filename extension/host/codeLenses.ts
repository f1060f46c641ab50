// Above each recognised call: "Preview mask" and "Benchmark on GPU" (the latter explains itself
// in an untrusted workspace); a call whose config is incomplete or invalid gets one lens that
// opens the preview on it, saying what is missing. A call configured from a dict has one config
// per entry: its lenses ask which one to use.

import * as vscode from 'vscode';
import type { CallReport } from '../lint/types';
import { PICK_CONFIG_COMMAND } from './commands';
import { Ctx, PYTHON_DOCUMENTS } from './context';
import { toRange } from './convert';
import { callRef, callTarget, CallTarget, groupByRange } from './pure/calls';
import { incompleteLensTitle } from './pure/incompleteCall';
import { missingOfCall } from './previewConfig';
import { BENCHMARK_COMMAND, PREVIEW_COMMAND } from './pure/hoverMarkdown';

export function register(ctx: Ctx): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider(PYTHON_DOCUMENTS, {
    onDidChangeCodeLenses: ctx.onDidInvalidate,
    provideCodeLenses: (document, token) =>
      ctx.provide('code lenses', document, token, [], (lint) => {
        if (!lint.settings.codeLens) return [];
        const uri = document.uri.toString();
        return groupByRange(lint.report.calls).flatMap((group) => lensesFor(ctx, group, toRange(document, group[0].calleeRange), uri, lint.settings.pass));
      }),
  });
}

function lensesFor(ctx: Ctx, group: readonly CallReport[], range: vscode.Range, uri: string, pass: 'forward' | 'training'): vscode.CodeLens[] {
  const targets = group.map((call) => callTarget(uri, call)).filter((t): t is CallTarget => t !== undefined);
  if (targets.length === 0) return incompleteLenses(ctx, group, range, uri);
  // One target: the command gets it directly; several: the picker asks which variant first.
  const invoke = (command: string): { command: string; arguments: unknown[] } =>
    targets.length === 1 ? { command, arguments: [targets[0]] } : { command: PICK_CONFIG_COMMAND, arguments: [command, targets] };
  const which = targets.length > 1 ? ` (${targets.length} configs)` : targets[0].variant !== undefined ? ` (${targets[0].variant})` : '';
  return [
    new vscode.CodeLens(range, {
      title: `Preview mask${which}`,
      ...invoke(PREVIEW_COMMAND),
      tooltip: 'Draw the attention mask and tile map of this config',
    }),
    new vscode.CodeLens(range, {
      title: ctx.trusted ? `Benchmark on GPU${which}` : 'Benchmark on GPU (needs a trusted workspace)',
      ...invoke(BENCHMARK_COMMAND),
      // What the run times follows gna.pass.
      tooltip: !ctx.trusted ? 'Benchmarking runs native code' : pass === 'training' ? 'Time the forward, the backward and the training step of this config against dense attention on the GPU (gna.pass: training)' : 'Time this config against dense attention on the GPU',
    }),
  ];
}

/**
 * A call with no complete, valid config: its lens opens the preview on it, which shows what the
 * call gives and asks for the rest (or names NATTEN's errors), the title saying what is missing;
 * where values are missing, a benchmark lens asks for just those.
 */
function incompleteLenses(ctx: Ctx, group: readonly CallReport[], range: vscode.Range, uri: string): vscode.CodeLens[] {
  const missing = group.map(missingOfCall);
  const refs = group.map((call) => callRef(uri, call));
  const invoke = (command: string): { command: string; arguments: unknown[] } =>
    refs.length === 1 ? { command, arguments: [refs[0]] } : { command: PICK_CONFIG_COMMAND, arguments: [command, refs] };
  const lenses = [new vscode.CodeLens(range, { title: incompleteLensTitle(missing), ...invoke(PREVIEW_COMMAND), tooltip: 'Open the mask preview on this call: it shows the values the call gives and asks for the others' })];
  const toEnter = [...new Set(missing.flat())];
  if (toEnter.length > 0) {
    lenses.push(
      new vscode.CodeLens(range, {
        title: ctx.trusted ? `Benchmark on GPU (enter ${toEnter.join(', ')})` : 'Benchmark on GPU (needs a trusted workspace)',
        ...invoke(BENCHMARK_COMMAND),
        tooltip: ctx.trusted ? 'Asks for the values the call does not give, then times that config against dense attention' : 'Benchmarking runs native code',
      }),
    );
  }
  return lenses;
}
