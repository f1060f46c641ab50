// Hover on a recognised call: the headline, advice, links and the config in a few lines (the first
// config in full, a dict-configured call's others a line each; pure/hoverMarkdown.ts words it).

import * as vscode from 'vscode';
import { Ctx, PYTHON_DOCUMENTS } from './context';
import { toOffset, toRange } from './convert';
import { callsAt } from './pure/calls';
import { BENCHMARK_COMMAND, callsHoverMarkdown, PREVIEW_COMMAND } from './pure/hoverMarkdown';
import { ANNOTATE_COMMAND } from './pure/missingMarkdown';

export function register(ctx: Ctx): vscode.Disposable {
  return vscode.languages.registerHoverProvider(PYTHON_DOCUMENTS, {
    provideHover: (document, position, token) =>
      ctx.provide('hover', document, token, undefined, (lint) => {
        const calls = callsAt(lint.report, toOffset(document, position));
        if (calls.length === 0) return undefined;
        const options = lint.settings.lint;
        const markdown = new vscode.MarkdownString(
          callsHoverMarkdown(calls, {
            uri: document.uri.toString(),
            family: options.family ?? 'hopper',
            headDim: options.headDim ?? 128,
            trusted: ctx.trusted,
            ...(lint.settings.layoutPattern ? { layoutPattern: lint.settings.layoutPattern } : {}),
          }),
        );
        // Only our own commands may run from this hover's links.
        markdown.isTrusted = { enabledCommands: [PREVIEW_COMMAND, BENCHMARK_COMMAND, ANNOTATE_COMMAND] };
        return new vscode.Hover(markdown, toRange(document, calls[0].range));
      }),
  });
}
