// Code actions: each fix the linter attached to a finding becomes a quick fix on the diagnostic
// that finding produced (the linter's preferred fix, e.g. the block-sparse stride, first); and on
// any call whose stride can do better, "Apply the recommended stride" (pure/strideFix.ts) unless
// a lint fix already makes the same edit.

import * as vscode from 'vscode';
import type { Fix, TextEdit } from '../lint/types';
import { Ctx, PYTHON_DOCUMENTS } from './context';
import { DIAGNOSTIC_SOURCE, isDiagnosticOf, toRange, toWorkspaceEdit } from './convert';
import { groupByRange } from './pure/calls';
import { recommendedStrideFix } from './pure/strideFix';

const STRIDE_KIND = vscode.CodeActionKind.RefactorRewrite.append('gna.stride');

export function register(ctx: Ctx): vscode.Disposable {
  const provider: vscode.CodeActionProvider = {
    async provideCodeActions(document, range, context, token) {
      try {
        const lint = await ctx.lint(document);
        if (!lint || token.isCancellationRequested || lint.version !== document.version) return [];
        const actions: vscode.CodeAction[] = [];
        const lintFixes: Fix[] = [];
        const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
        for (const finding of lint.report.findings) {
          lintFixes.push(...finding.fixes);
          const diagnostic = ours.find((d) => isDiagnosticOf(document, d, finding));
          if (!diagnostic) continue;
          for (const fix of finding.fixes) {
            actions.push(action(document, fix, vscode.CodeActionKind.QuickFix, [diagnostic]));
          }
        }
        const text = document.getText();
        for (const [call] of groupByRange(lint.report.calls)) {
          if (!toRange(document, call.range).intersection(range)) continue;
          const fix = recommendedStrideFix(call, text);
          if (fix && !lintFixes.some((l) => sameEdits(l, fix))) actions.push(action(document, fix, STRIDE_KIND));
        }
        return actions;
      } catch (e) {
        ctx.logError('code actions', e);
        return [];
      }
    },
  };
  return vscode.languages.registerCodeActionsProvider(PYTHON_DOCUMENTS, provider, {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, STRIDE_KIND],
  });
}

function action(document: vscode.TextDocument, fix: Fix, kind: vscode.CodeActionKind, diagnostics?: vscode.Diagnostic[]): vscode.CodeAction {
  const result = new vscode.CodeAction(fix.title, kind);
  if (diagnostics) result.diagnostics = diagnostics;
  result.isPreferred = fix.preferred === true;
  result.edit = toWorkspaceEdit(document, fix);
  return result;
}

/** Whether two fixes make the same change (a lint fix that also changes the tiles is another one). */
function sameEdits(a: Fix, b: Fix): boolean {
  const same = (x: TextEdit, y: TextEdit): boolean => x.range.start === y.range.start && x.range.end === y.range.end && x.newText === y.newText;
  return a.edits.length === b.edits.length && a.edits.every((e, i) => same(e, b.edits[i]));
}
