// Above each recognised call: "Preview mask" and "Benchmark on GPU" (the latter explains itself
// in an untrusted workspace); a call whose config is incomplete or invalid gets a plain note. A
// call configured from a dict has one config per entry: its lenses ask which one to use.

import * as vscode from 'vscode';
import type { CallReport } from '../lint/types';
import { PICK_CONFIG_COMMAND } from './commands';
import { Ctx, PYTHON_DOCUMENTS } from './context';
import { toRange } from './convert';
import { callTarget, CallTarget, groupByRange } from './pure/calls';
import { BENCHMARK_COMMAND, PREVIEW_COMMAND } from './pure/hoverMarkdown';

export function register(ctx: Ctx): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider(PYTHON_DOCUMENTS, {
    onDidChangeCodeLenses: ctx.onDidInvalidate,
    provideCodeLenses: (document, token) =>
      ctx.provide('code lenses', document, token, [], (lint) => {
        if (!lint.settings.codeLens) return [];
        const uri = document.uri.toString();
        return groupByRange(lint.report.calls).flatMap((group) => lensesFor(ctx, group, toRange(document, group[0].calleeRange), uri));
      }),
  });
}

function lensesFor(ctx: Ctx, group: readonly CallReport[], range: vscode.Range, uri: string): vscode.CodeLens[] {
  const targets = group.map((call) => callTarget(uri, call)).filter((t): t is CallTarget => t !== undefined);
  const op = group[0].op;
  if (targets.length === 0) {
    const why = group.length > 1 ? `${group.length} configs, none valid` : group[0].check.issues.length > 0 ? 'invalid config' : 'config not fully known';
    return [new vscode.CodeLens(range, { title: `GNA ${op}: ${why} (hover for details)`, command: '' })];
  }
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
      tooltip: ctx.trusted ? 'Time this config against dense attention on the GPU' : 'Benchmarking runs native code',
    }),
  ];
}
