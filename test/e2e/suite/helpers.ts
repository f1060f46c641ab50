// Helpers for tests that run inside the real extension host: wait for a condition (the shared
// waitFor, never a sleep), open fixtures, reach the extension's API.
import * as assert from 'assert';
import * as vscode from 'vscode';

export { waitFor } from '../lib/waitFor';

export const EXTENSION_ID = 'gna-studio.gna-studio';

export interface GnaApiShape {
  readonly activation: { readonly loadMs: number; readonly activateMs: number };
  readonly stats: { readonly lints: number; readonly lintsByDocument: Readonly<Record<string, number>>; readonly linterLoadMs?: number; readonly linterError?: string; readonly lintTimeouts?: number };
}

export function fixtureUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the e2e workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, relativePath);
}

export async function openFixture(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
  return vscode.window.showTextDocument(document);
}

export async function gnaApi(): Promise<GnaApiShape> {
  const extension = vscode.extensions.getExtension<GnaApiShape>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return extension.activate();
}

export function gnaDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'GNA');
}

export function codeOf(diagnostic: vscode.Diagnostic): string | number | undefined {
  return typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
}

/** Position of the `occurrence`-th (0-based) match of `needle`, plus `delta` characters. */
export function positionOf(document: vscode.TextDocument, needle: string, delta = 0, occurrence = 0): vscode.Position {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) {
    index = document.getText().indexOf(needle, index + 1);
    assert.ok(index >= 0, `"${needle}" (occurrence ${occurrence}) in ${document.uri.path}`);
  }
  return document.positionAt(index + delta);
}

export function wholeDocument(document: vscode.TextDocument): vscode.Range {
  return new vscode.Range(new vscode.Position(0, 0), document.positionAt(document.getText().length));
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

export function hintLabel(hint: vscode.InlayHint): string {
  return typeof hint.label === 'string' ? hint.label : hint.label.map((p) => p.value).join('');
}
