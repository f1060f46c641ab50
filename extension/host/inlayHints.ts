// After each recognised call with a complete config: `91% sparse · 11.1× sim · block-sparse`.

import * as vscode from 'vscode';
import { summaryLine } from '../core/format';
import { formatTuple } from '../core/problem';
import type { Ctx } from './context';
import { toPosition } from './convert';

export function register(ctx: Ctx): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.InlayHintsProvider = {
    onDidChangeInlayHints: changed.event,
    async provideInlayHints(document, range, token) {
      try {
        const lint = await ctx.lint(document);
        if (!lint?.settings.inlayHints || token.isCancellationRequested || lint.version !== document.version) return [];
        const hints: vscode.InlayHint[] = [];
        for (const call of lint.report.calls) {
          const sim = call.simulation;
          if (!sim) continue;
          const position = toPosition(document, call.range.end);
          if (!range.contains(position)) continue;
          const hint = new vscode.InlayHint(position, summaryLine(sim));
          hint.paddingLeft = true;
          hint.tooltip = `GNA ${call.op}: simulated on Q ${formatTuple(sim.qTile)} / KV ${formatTuple(sim.kvTile)} tiles. Hover the call for every bound.`;
          hints.push(hint);
        }
        return hints;
      } catch (e) {
        ctx.logError('inlay hints', e);
        return [];
      }
    },
  };
  return vscode.Disposable.from(
    changed,
    ctx.onDidInvalidate(() => changed.fire()),
    vscode.languages.registerInlayHintsProvider({ language: 'python' }, provider),
  );
}
