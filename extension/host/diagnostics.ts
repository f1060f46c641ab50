// Diagnostics for Python documents: linted when opened, after a pause in typing, and again when
// settings change; cleared when the document closes. The rule id is the diagnostic's code.
// The per-call summary is left to the inlay hint unless hints are off (pure/findings.ts).

import * as vscode from 'vscode';
import type { Ctx } from './context';
import { toDiagnostic } from './convert';
import { findingsToPublish } from './pure/findings';

/** Long enough to skip the intermediate states of a word being typed, short enough to feel live. */
export const LINT_DEBOUNCE_MS = 250;

export function register(ctx: Ctx): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('gna');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  const publish = async (document: vscode.TextDocument): Promise<void> => {
    try {
      const lint = await ctx.lint(document);
      // A stale lint is dropped: the edit that made it stale has scheduled a newer one.
      if (!lint || document.isClosed || lint.version !== document.version) return;
      collection.set(
        document.uri,
        findingsToPublish(lint.report.findings, lint.settings.inlayHints).map((finding) => toDiagnostic(document, finding)),
      );
    } catch (e) {
      ctx.logError('diagnostics', e);
    }
  };

  const schedule = (document: vscode.TextDocument, delayMs: number): void => {
    if (!ctx.isLinted(document)) return;
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        void publish(document);
      }, delayMs),
    );
  };

  const forget = (document: vscode.TextDocument): void => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.delete(key);
    collection.delete(document.uri);
  };

  for (const document of vscode.workspace.textDocuments) schedule(document, 0);
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenTextDocument((document) => schedule(document, 0)),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length > 0) schedule(event.document, LINT_DEBOUNCE_MS);
    }),
    vscode.workspace.onDidCloseTextDocument(forget),
    ctx.onDidInvalidate(() => {
      for (const document of vscode.workspace.textDocuments) schedule(document, 0);
    }),
    { dispose: () => timers.forEach((timer) => clearTimeout(timer)) },
  );
}
