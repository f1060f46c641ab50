// Above each recognised call: "Preview mask" and "Benchmark on GPU" (the latter explains itself
// in an untrusted workspace); a call whose config is incomplete or invalid gets a plain note.

import * as vscode from 'vscode';
import type { Ctx } from './context';
import { toRange } from './convert';
import { callTarget } from './pure/calls';
import { BENCHMARK_COMMAND, PREVIEW_COMMAND } from './pure/hoverMarkdown';

export function register(ctx: Ctx): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    async provideCodeLenses(document, token) {
      try {
        const lint = await ctx.lint(document);
        if (!lint?.settings.codeLens || token.isCancellationRequested || lint.version !== document.version) return [];
        const uri = document.uri.toString();
        const lenses: vscode.CodeLens[] = [];
        for (const call of lint.report.calls) {
          const range = toRange(document, call.calleeRange);
          const target = callTarget(uri, call);
          if (!target) {
            const why = call.check.issues.length > 0 ? 'invalid config' : 'config not fully known';
            lenses.push(new vscode.CodeLens(range, { title: `GNA ${call.op}: ${why} (hover for details)`, command: '' }));
            continue;
          }
          lenses.push(
            new vscode.CodeLens(range, {
              title: 'Preview mask',
              command: PREVIEW_COMMAND,
              arguments: [target],
              tooltip: 'Draw the attention mask and tile map of this config',
            }),
            new vscode.CodeLens(range, {
              title: ctx.trusted ? 'Benchmark on GPU' : 'Benchmark on GPU (needs a trusted workspace)',
              command: BENCHMARK_COMMAND,
              arguments: [target],
              tooltip: ctx.trusted ? 'Time this config against dense attention on the GPU' : 'Benchmarking runs native code',
            }),
          );
        }
        return lenses;
      } catch (e) {
        ctx.logError('code lenses', e);
        return [];
      }
    },
  };
  return vscode.Disposable.from(
    changed,
    ctx.onDidInvalidate(() => changed.fire()),
    vscode.languages.registerCodeLensProvider({ language: 'python' }, provider),
  );
}
