// Which Python files make up a workspace for resolution across files, and which lints a change to
// one of them can alter. Pure and light (no parser): the CLI's folder walk, the editor's index and
// its re-lint decisions share it.

import { wordOccurrences } from './statements';

/** Folders never searched: dependencies, environments, VCS data. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn', 'venv', '.venv', 'env', '.tox', '__pycache__', 'site-packages', '.mypy_cache']);

/** True when a folder of the `/`-separated path is one the walk skips. */
export function inSkippedDir(relativePath: string): boolean {
  const parts = relativePath.split('/');
  return parts.slice(0, -1).some((p) => SKIPPED_DIRS.has(p));
}

/**
 * What one lint consulted of the workspace: the files whose models it read, the words it searched
 * the workspace for (a callee, a class name) and the patterns it matched (`class …Config`). A lint
 * can only change when one of these files changes, or when a file starts to mention a word or
 * match a pattern it searched for.
 */
export interface WorkspaceDependencies {
  readonly paths: readonly string[];
  readonly words: readonly string[];
  readonly patterns: readonly string[];
}

export const NO_DEPENDENCIES: WorkspaceDependencies = { paths: [], words: [], patterns: [] };

/** Whether a lint with `deps` can change when the file at `path` gets `text` (undefined: deleted). */
export function dependsOnChange(deps: WorkspaceDependencies, path: string, text: string | undefined): boolean {
  if (deps.paths.includes(path)) return true;
  if (text === undefined) return false;
  for (const word of deps.words) if (text.includes(word) && wordOccurrences(text, word).length > 0) return true;
  for (const pattern of deps.patterns) if (new RegExp(pattern).test(text)) return true;
  return false;
}

/** One file of the workspace changed: its new text, or undefined when it is gone. */
export interface FileChange {
  readonly path: string;
  readonly text?: string;
}

/**
 * The documents (by their workspace path) to lint again after `changes`: those whose last lint
 * depended on a changed file, never a document for its own change (its edit re-lints it anyway).
 */
export function documentsToRelint(lints: ReadonlyMap<string, WorkspaceDependencies>, changes: readonly FileChange[]): string[] {
  const out: string[] = [];
  for (const [document, deps] of lints) {
    if (changes.some((c) => c.path !== document && dependsOnChange(deps, c.path, c.text))) out.push(document);
  }
  return out;
}
