// After each recognised call with a complete config, under a length budget: `91% sparse · 11.1× simulated`, or
// the training step's with `gna.pass: training` (pure/hintText.ts words it, also for calls with
// one config per dict entry).

import * as vscode from 'vscode';
import { Ctx, PYTHON_DOCUMENTS } from './context';
import { toPosition } from './convert';
import { groupByRange } from './pure/calls';
import { hintText } from './pure/hintText';

export function register(ctx: Ctx): vscode.Disposable {
  return vscode.languages.registerInlayHintsProvider(PYTHON_DOCUMENTS, {
    onDidChangeInlayHints: ctx.onDidInvalidate,
    provideInlayHints: (document, range, token) =>
      ctx.provide('inlay hints', document, token, [], (lint) => {
        if (!lint.settings.inlayHints) return [];
        const hints: vscode.InlayHint[] = [];
        for (const group of groupByRange(lint.report.calls)) {
          const text = hintText(group, lint.settings.pass);
          if (!text) continue;
          const position = toPosition(document, group[0].range.end);
          if (!range.contains(position)) continue;
          const hint = new vscode.InlayHint(position, text.label);
          hint.paddingLeft = true;
          hint.tooltip = text.tooltip;
          hints.push(hint);
        }
        return hints;
      }),
  });
}
