// After each recognised call with a complete config: `91% sparse · 11.1× sim · block-sparse`
// (pure/hintText.ts words it, also for calls with one config per dict entry).

import * as vscode from 'vscode';
import { Ctx, PYTHON_DOCUMENTS } from './context';
import { toPosition } from './convert';
import { groupByRange } from './pure/calls';
import { hintText } from './pure/hintText';

export function register(ctx: Ctx): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.InlayHintsProvider = {
    onDidChangeInlayHints: changed.event,
    async provideInlayHints(document, range, token) {
      try {
        const lint = await ctx.lint(document);
        if (!lint?.settings.inlayHints || token.isCancellationRequested || lint.version !== document.version) return [];
        const hints: vscode.InlayHint[] = [];
        for (const group of groupByRange(lint.report.calls)) {
          const text = hintText(group);
          if (!text) continue;
          const position = toPosition(document, group[0].range.end);
          if (!range.contains(position)) continue;
          const hint = new vscode.InlayHint(position, text.label);
          hint.paddingLeft = true;
          hint.tooltip = text.tooltip;
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
    vscode.languages.registerInlayHintsProvider(PYTHON_DOCUMENTS, provider),
  );
}
