// Settings adapter: reads `gna.*` for one resource (so folder and language overrides apply) and
// tells the context when they, or the workspace trust, change. Checking the values is pure
// (pure/settingsModel.ts).

import * as vscode from 'vscode';
import type { Ctx } from './context';
import { ruleId } from '../lint/rules';
import { watchProjectConfigs, withProjectConfig } from './projectConfig';
import { HostSettings, resolveSettings, SETTINGS_SECTION } from './pure/settingsModel';

export function readSettings(target: vscode.TextDocument | vscode.Uri): HostSettings {
  const uri = target instanceof vscode.Uri ? target : target.uri;
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION, target);
  const path = uri.scheme === 'untitled' ? uri.path : vscode.workspace.asRelativePath(uri, false);
  const settings = resolveSettings((key) => configuration.get(key), path, (code) => ruleId(code) !== undefined);
  // The project's [tool.gna] (nearest pyproject.toml) wins over the gna.* settings, as in the CLI.
  const project = withProjectConfig(uri, settings.lint);
  return { ...settings, lint: project.options, nattenVersionSource: project.versionSource, warnings: [...settings.warnings, ...project.warnings] };
}

export function register(ctx: Ctx): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SETTINGS_SECTION)) ctx.invalidate('settings changed');
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => ctx.invalidate('workspace trusted')),
    watchProjectConfigs(() => ctx.invalidate('pyproject.toml changed')),
  );
}

/** The lint settings of the workspace as a whole, for commands that act on no document. */
export function readWorkspaceSettings(): HostSettings['lint'] {
  return readWholeWorkspace().lint;
}

/** The workspace's `gna.pass`, for commands that act on no document. */
export function readWorkspacePass(): HostSettings['pass'] {
  return readWholeWorkspace().pass;
}

function readWholeWorkspace(): HostSettings {
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return resolveSettings((key) => configuration.get(key), '');
}
