// Settings adapter: reads `gna.*` for one resource (so folder and language overrides apply) and
// tells the context when they, or the workspace trust, change. Checking the values is pure
// (pure/settingsModel.ts).

import * as vscode from 'vscode';
import type { Ctx } from './context';
import { HostSettings, resolveSettings, SETTINGS_SECTION } from './pure/settingsModel';

export function readSettings(document: vscode.TextDocument): HostSettings {
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION, document);
  const path = document.isUntitled ? document.fileName : vscode.workspace.asRelativePath(document.uri, false);
  return resolveSettings((key) => configuration.get(key), path);
}

export function register(ctx: Ctx): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SETTINGS_SECTION)) ctx.invalidate('settings changed');
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => ctx.invalidate('workspace trusted')),
  );
}

/** The lint settings of the workspace as a whole, for commands that act on no document. */
export function readWorkspaceSettings(): HostSettings['lint'] {
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return resolveSettings((key) => configuration.get(key), '').lint;
}
