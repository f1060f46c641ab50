// Quick fixes: each fix the linter attached to a finding becomes a code action on the diagnostic
// that finding produced (the linter's preferred fix, e.g. "apply the recommended stride", first).

import * as vscode from 'vscode';
import type { Ctx } from './context';
import { DIAGNOSTIC_SOURCE, isDiagnosticOf, toWorkspaceEdit } from './convert';

export function register(ctx: Ctx): vscode.Disposable {
  const provider: vscode.CodeActionProvider = {
    async provideCodeActions(document, _range, context, token) {
      try {
        const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
        if (ours.length === 0) return [];
        const lint = await ctx.lint(document);
        if (!lint || token.isCancellationRequested || lint.version !== document.version) return [];
        const actions: vscode.CodeAction[] = [];
        for (const finding of lint.report.findings) {
          const diagnostic = ours.find((d) => isDiagnosticOf(document, d, finding));
          if (!diagnostic) continue;
          for (const fix of finding.fixes) {
            const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
            action.diagnostics = [diagnostic];
            action.isPreferred = fix.preferred === true;
            action.edit = toWorkspaceEdit(document, fix);
            actions.push(action);
          }
        }
        return actions;
      } catch (e) {
        ctx.logError('code actions', e);
        return [];
      }
    },
  };
  return vscode.languages.registerCodeActionsProvider({ language: 'python' }, provider, {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  });
}
