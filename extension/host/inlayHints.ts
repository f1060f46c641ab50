// After each recognised call with a complete config, under a length budget: `91% sparse · 11.1× simulated`, or
// the training step's with `gna.pass: training` (pure/hintText.ts words it, also for calls with
// one config per dict entry). A long line gets a shorter hint, or one before the call, so that a
// 100-column editor shows it whole (`placeHint`).

import * as vscode from 'vscode';
import { Ctx, PYTHON_DOCUMENTS } from './context';
import { toPosition } from './convert';
import { groupByRange } from './pure/calls';
import { placeHint } from './pure/hintText';

export function register(ctx: Ctx): vscode.Disposable {
  return vscode.languages.registerInlayHintsProvider(PYTHON_DOCUMENTS, {
    onDidChangeInlayHints: ctx.onDidInvalidate,
    provideInlayHints: (document, range, token) =>
      ctx.provide('inlay hints', document, token, [], (lint) => {
        if (!lint.settings.inlayHints) return [];
        const hints: vscode.InlayHint[] = [];
        for (const group of groupByRange(lint.report.calls)) {
          const end = toPosition(document, group[0].range.end);
          if (!range.contains(end)) continue;
          const text = placeHint(group, end.character, lint.settings.pass);
          if (!text) continue;
          const hint = new vscode.InlayHint(text.at === 'end' ? end : toPosition(document, group[0].range.start), text.label);
          if (text.at === 'end') hint.paddingLeft = true;
          else hint.paddingRight = true;
          hint.tooltip = text.tooltip;
          hints.push(hint);
        }
        return hints;
      }),
  });
}
