// The project settings of a document: the nearest `[tool.gna]` table and the nearest NATTEN pin
// (requirements*.txt, pyproject.toml, setup.py/.cfg, environment.yml), searched from the
// document's folder up to its workspace folder and merged with the gna.* settings by the same
// pure code as the CLI's (lint/projectOptions.ts). Read synchronously (settings are resolved per
// lint), each folder once, until a project file changes.
import { readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative, sep } from 'path';
import * as vscode from 'vscode';
import type { LintOptions } from '../lint/types';
import { ruleId } from '../lint/rules';
import { describeVersionOrigin, lintOptionsFor, ProjectFileRead, ProjectFolders, ProjectSettingsFinder } from '../lint/projectOptions';
import { PROJECT_FILES } from '../python/projectVersion';

const MAX_PROJECT_FILE_BYTES = 1024 * 1024;

/** Regular files only, at most the cap: a pipe or a device named like a project file is not opened. */
function readProjectFile(path: string): ProjectFileRead {
  try {
    const st = statSync(path);
    if (!st.isFile()) return { problem: 'not a regular file, not read' };
    if (st.size > MAX_PROJECT_FILE_BYTES) return { problem: `${st.size} bytes is above the ${MAX_PROJECT_FILE_BYTES} bytes limit for a project file, not read` };
    return { text: readFileSync(path, 'utf8') };
  } catch (e) {
    return { problem: `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
}

/** The folders of one workspace folder: the search stops at its root. */
function foldersUnder(root: string): ProjectFolders {
  return {
    files(dir) {
      const found = new Map<string, ProjectFileRead>();
      try {
        for (const name of readdirSync(dir).filter((n) => PROJECT_FILES.test(n)).sort()) found.set(name, readProjectFile(join(dir, name)));
      } catch {
        // an unreadable folder configures nothing
      }
      return found;
    },
    parent(dir) {
      const up = dirname(dir);
      return dir === root || up === dir || relative(root, up).startsWith('..') ? undefined : up;
    },
    relative: (dir, file) => relative(dir, file).split(sep).join('/'),
  };
}

const finders = new Map<string, { folders: ProjectFolders; finder: ProjectSettingsFinder }>();

/**
 * The settings' lint options with the file's project over them (`[tool.gna]` wins over the
 * gna.* settings, which win over the project's NATTEN pin), where the NATTEN version came from,
 * and problems for the output channel.
 */
export function withProjectConfig(uri: vscode.Uri, options: LintOptions): { options: LintOptions; versionSource: string; warnings: string[] } {
  if (uri.scheme !== 'file') return { options, versionSource: options.nattenVersion ? 'gna.nattenVersion' : 'default (newest)', warnings: [] };
  const path = uri.fsPath;
  const root = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? dirname(path);
  let search = finders.get(root);
  if (!search) {
    const folders = foldersUnder(root);
    search = { folders, finder: new ProjectSettingsFinder(folders) };
    finders.set(root, search);
  }
  const settings = search.finder.forDir(dirname(path));
  const merged = lintOptionsFor(path, settings, search.folders, { preferred: options });
  const table = settings.table;
  const shown = table ? vscode.workspace.asRelativePath(join(table.dir, 'pyproject.toml'), false) : '';
  const unknownRules = Object.keys(table?.config.rules ?? {}).filter((code) => ruleId(code) === undefined).map((code) => `[tool.gna.rules] has no rule '${code}'`);
  const versionSource = describeVersionOrigin(merged.versionFrom, settings, {
    forced: '',
    preferred: 'gna.nattenVersion',
    folder: (dir) => vscode.workspace.asRelativePath(dir, false),
  });
  return { options: merged.options, versionSource, warnings: table ? [...table.problems, ...unknownRules].map((p) => `${shown}: ${p}; that value is not used.`) : [] };
}

/** The files whose change changes a document's project settings. */
export const PROJECT_FILES_GLOB = '**/{pyproject.toml,requirements*.txt,requirements*.in,setup.py,setup.cfg,environment.yml,environment.yaml}';

/** Forget what was read when a project file is created, changed or deleted, and re-lint. */
export function watchProjectConfigs(onChange: () => void): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher(PROJECT_FILES_GLOB);
  const changed = (): void => {
    finders.clear();
    onChange();
  };
  return vscode.Disposable.from(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed));
}
