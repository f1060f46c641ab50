// The one place where the core's offsets, ranges, severities, findings and fixes become `vscode`
// types. Offsets are UTF-16 code units into the document text, which is what `positionAt` takes.

import * as vscode from 'vscode';
import type { Finding, Fix, Severity, SourceRange } from '../lint/types';

export const DIAGNOSTIC_SOURCE = 'GNA';

export function toRange(document: vscode.TextDocument, range: SourceRange): vscode.Range {
  return new vscode.Range(document.positionAt(range.start), document.positionAt(range.end));
}

export function toPosition(document: vscode.TextDocument, offset: number): vscode.Position {
  return document.positionAt(offset);
}

export function toOffset(document: vscode.TextDocument, position: vscode.Position): number {
  return document.offsetAt(position);
}

export function toSeverity(severity: Severity): vscode.DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'info':
      return vscode.DiagnosticSeverity.Information;
  }
}

export function toDiagnostic(document: vscode.TextDocument, finding: Finding): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(document, finding.range), finding.message, toSeverity(finding.severity));
  diagnostic.code = finding.rule;
  diagnostic.source = DIAGNOSTIC_SOURCE;
  return diagnostic;
}

/** Whether a diagnostic shown in the editor is the one a finding produced. */
export function isDiagnosticOf(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, finding: Finding): boolean {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return (
    diagnostic.source === DIAGNOSTIC_SOURCE &&
    code === finding.rule &&
    diagnostic.message === finding.message &&
    diagnostic.range.isEqual(toRange(document, finding.range))
  );
}

export function toWorkspaceEdit(document: vscode.TextDocument, fix: Fix): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits) edit.replace(document.uri, toRange(document, e.range), e.newText);
  return edit;
}
