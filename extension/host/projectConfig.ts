// `[tool.gna]` for a document: the nearest pyproject.toml with the table, from the document's
// folder up to its workspace folder (the CLI looks the same way, cli/projectConfig.ts). Read
// synchronously (settings are resolved per lint) and cached until a pyproject.toml changes.
import { readFileSync, statSync } from 'fs';
import { dirname, join, relative, sep } from 'path';
import * as vscode from 'vscode';
import { layoutFor } from '../core/layoutRules';
import { parsePyproject, ProjectConfig } from '../core/pyproject';
import type { LintOptions } from '../lint/types';

const MAX_PYPROJECT_BYTES = 1024 * 1024;

interface Found {
  readonly path: string;
  readonly config: ProjectConfig;
  readonly problems: readonly string[];
}

const cache = new Map<string, Found | undefined>();

function tableIn(dir: string): Found | undefined {
  const path = join(dir, 'pyproject.toml');
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > MAX_PYPROJECT_BYTES) return undefined;
    const parsed = parsePyproject(readFileSync(path, 'utf8'));
    return parsed.config ? { path, config: parsed.config, problems: parsed.problems } : undefined;
  } catch {
    return undefined; // no file, or unreadable: look further up
  }
}

function nearest(dir: string, stop: string | undefined): Found | undefined {
  if (cache.has(dir)) return cache.get(dir);
  const parent = dirname(dir);
  const atTop = dir === stop || parent === dir || (stop !== undefined && relative(stop, dir).startsWith('..'));
  const found = tableIn(dir) ?? (atTop ? undefined : nearest(parent, stop));
  cache.set(dir, found);
  return found;
}

/** The settings' lint options with the document's `[tool.gna]` over them; problems for the output channel. */
export function withProjectConfig(document: vscode.TextDocument, options: LintOptions): { options: LintOptions; warnings: string[] } {
  if (document.uri.scheme !== 'file') return { options, warnings: [] };
  const folder = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath;
  const found = nearest(dirname(document.uri.fsPath), folder);
  if (!found) return { options, warnings: [] };
  const c = found.config;
  const layout = layoutFor(c.inputSize, relative(dirname(found.path), document.uri.fsPath).split(sep).join('/'));
  return {
    options: {
      ...options,
      ...(c.nattenVersion ? { nattenVersion: c.nattenVersion } : {}),
      ...(c.family ? { family: c.family } : {}),
      ...(c.headDim ? { headDim: c.headDim } : {}),
      ...(layout ? { defaultInputSize: layout.sizes } : {}),
      ...(c.select ? { select: c.select } : {}),
      ...(c.ignore ? { ignore: c.ignore } : {}),
    },
    warnings: found.problems.map((p) => `${vscode.workspace.asRelativePath(found.path, false)}: ${p}; that value is not used.`),
  };
}

/** Forget what was read when a pyproject.toml is created, changed or deleted, and re-lint. */
export function watchProjectConfigs(onChange: () => void): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher('**/pyproject.toml');
  const changed = (): void => {
    cache.clear();
    onChange();
  };
  return vscode.Disposable.from(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed));
}
