// Code actions: each fix the linter attached to a finding becomes a quick fix on the diagnostic
// that finding produced (the linter's preferred fix, e.g. the block-sparse stride, first); and on
// any call whose stride can do better, "Apply the recommended stride" (pure/strideFix.ts) unless
// a lint fix already makes the same edit; and on any call with missing values, "Add `# gna: …`"
// (lint/annotationEdit.ts, as a snippet: one placeholder per missing value), with or without a
// diagnostic, which `gna.addAnnotation` (the hover's link, the palette) also inserts.

import * as vscode from 'vscode';
import { annotationEdit, AnnotationEdit } from '../lint/annotationEdit';
import type { Annotatable, CallReport, Fix, TextEdit } from '../lint/types';
import { Ctx, PYTHON_DOCUMENTS } from './context';
import { DIAGNOSTIC_SOURCE, isDiagnosticOf, toRange, toWorkspaceEdit } from './convert';
import { groupByRange } from './pure/calls';
import { ANNOTATE_COMMAND, AnnotateTarget, parseAnnotateTarget } from './pure/missingMarkdown';
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
        for (const group of groupByRange(lint.report.calls)) {
          const [call] = group;
          if (!toRange(document, call.range).intersection(range)) continue;
          const fix = recommendedStrideFix(call, text);
          if (fix && !lintFixes.some((l) => sameEdits(l, fix))) actions.push(action(document, fix, STRIDE_KIND));
          const annotate = annotationEdit(call, text, missingKeys(group));
          if (annotate) {
            // Offered at the call with or without a diagnostic; it is the fix of the layout info.
            const layoutInfo = ours.filter((d) => codeOf(d) === NEEDS_LAYOUT_RULE && toRange(document, call.calleeRange).isEqual(d.range));
            actions.push(snippetAction(document, annotate, layoutInfo));
          }
        }
        return actions;
      } catch (e) {
        ctx.logError('code actions', e);
        return [];
      }
    },
  };
  return vscode.Disposable.from(
    vscode.languages.registerCodeActionsProvider(PYTHON_DOCUMENTS, provider, {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, STRIDE_KIND],
    }),
    ctx.registerCommand(ANNOTATE_COMMAND, (arg: unknown) => annotate(ctx, arg)),
  );
}

const NEEDS_LAYOUT_RULE = 'gna/needs-layout';

function codeOf(d: vscode.Diagnostic): unknown {
  return typeof d.code === 'object' ? d.code.value : d.code;
}

/** Every value any config of the call lacks (a dict-configured call's variants may differ). */
function missingKeys(group: readonly CallReport[]): Annotatable[] {
  return [...new Set(group.flatMap((c) => (c.missing ?? []).map((m) => m.key)))];
}

function snippetAction(document: vscode.TextDocument, plan: AnnotationEdit, diagnostics: vscode.Diagnostic[]): vscode.CodeAction {
  const result = new vscode.CodeAction(plan.title, vscode.CodeActionKind.QuickFix);
  if (diagnostics.length > 0) {
    result.diagnostics = diagnostics;
    result.isPreferred = true;
  }
  result.edit = new vscode.WorkspaceEdit();
  result.edit.set(document.uri, [new vscode.SnippetTextEdit(toRange(document, plan.range), new vscode.SnippetString(plan.snippet))]);
  return result;
}

/**
 * `gna.addAnnotation`: from a hover link (the call and the keys) or the palette (the call at the
 * cursor, everything it misses): inserts the annotation as a snippet in the call's editor.
 */
async function annotate(ctx: Ctx, arg: unknown): Promise<string | undefined> {
  const why = await insertAnnotation(ctx, parseAnnotateTarget(arg));
  if (why) void vscode.window.showInformationMessage(why);
  return why;
}

/** Inserts the annotation; why not, when it cannot. */
async function insertAnnotation(ctx: Ctx, target: AnnotateTarget | undefined): Promise<string | undefined> {
  const editor = target
    ? await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.parse(target.uri)))
    : vscode.window.activeTextEditor;
  const found = await ctx.callAt(editor, target?.offset);
  if (typeof found === 'string') return found === 'changing' ? 'The document changed meanwhile; try again.' : 'Put the cursor on a NATTEN call first.';
  const plan = annotationEdit(found.calls[0], found.document.getText(), target?.keys ?? missingKeys(found.calls));
  if (!plan) return 'Nothing is missing for this call: every value its check needs is known.';
  const inserted = await editor!.insertSnippet(new vscode.SnippetString(plan.snippet), toRange(found.document, plan.range));
  return inserted ? undefined : 'The annotation could not be inserted (the document changed).';
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
