// The lint options of one file from everything that configures it, computed alike by the CLI and
// the editor: the nearest `pyproject.toml` with a `[tool.gna]` table (core/pyproject.ts), the
// nearest NATTEN pin (requirements*.txt, pyproject.toml, setup.py/.cfg, environment.yml;
// python/projectVersion.ts), and what the user set, merged in one order:
//
//   forced (CLI flags)  >  [tool.gna]  >  preferred (editor settings)  >  project pin  >  linter defaults
//
// Pure: the shells hand over a folder reader (`ProjectFolders`) and path arithmetic, so the same
// search runs on the CLI's file system and on the editor's (which stops at the workspace folder).

import { layoutFor } from '../core/layoutRules';
import { parsePyproject, ProjectConfig } from '../core/pyproject';
import { pinInFolder, ProjectVersion, PROJECT_FILES } from '../python/projectVersion';
import type { LintOptions } from './types';

/** A file's text as a shell read it, or why it could not. */
export type ProjectFileRead = { readonly text: string } | { readonly problem: string };

/** The file system as the search sees it. */
export interface ProjectFolders {
  /** The project files of `dir` (names `PROJECT_FILES` matches) as read; empty when the folder cannot be listed. */
  files(dir: string): ReadonlyMap<string, ProjectFileRead>;
  /** The folder above `dir`; undefined at the top of the search. */
  parent(dir: string): string | undefined;
  /** `file`'s path relative to `dir`, with `/` separators (input-size patterns match it). */
  relative(dir: string, file: string): string;
}

export interface FoundTable {
  /** The folder holding the pyproject.toml. */
  readonly dir: string;
  readonly config: ProjectConfig;
  readonly problems: readonly string[];
}

export interface FoundPin extends ProjectVersion {
  readonly dir: string;
}

/** What configures the files of one folder: each found independently, the nearest first. */
export interface ProjectSettings {
  readonly table?: FoundTable;
  readonly pin?: FoundPin;
}

/** Searches upward from a folder; each folder is read once. */
export class ProjectSettingsFinder {
  private readonly byDir = new Map<string, ProjectSettings>();

  constructor(private readonly folders: ProjectFolders) {}

  forDir(dir: string): ProjectSettings {
    const cached = this.byDir.get(dir);
    if (cached) return cached;
    const here = this.readDir(dir);
    const parent = here.table && here.pin ? undefined : this.folders.parent(dir);
    const above = parent === undefined || parent === dir ? {} : this.forDir(parent);
    const table = here.table ?? above.table;
    const pin = here.pin ?? above.pin;
    const found: ProjectSettings = { ...(table ? { table } : {}), ...(pin ? { pin } : {}) };
    this.byDir.set(dir, found);
    return found;
  }

  /** Forget what was read (a project file changed). */
  clear(): void {
    this.byDir.clear();
  }

  private readDir(dir: string): ProjectSettings {
    const reads = this.folders.files(dir);
    const texts = new Map<string, string>();
    for (const [name, read] of reads) if (PROJECT_FILES.test(name) && 'text' in read) texts.set(name, read.text);
    const pyproject = reads.get('pyproject.toml');
    let table: FoundTable | undefined;
    if (pyproject && 'problem' in pyproject) table = { dir, config: { inputSize: [] }, problems: [pyproject.problem] };
    else if (pyproject) {
      const parsed = parsePyproject(pyproject.text);
      if (parsed.config) table = { dir, config: parsed.config, problems: parsed.problems };
    }
    const pin = pinInFolder(texts);
    return { ...(table ? { table } : {}), ...(pin ? { pin: { ...pin, dir } } : {}) };
  }
}

/** Where the NATTEN version of a file came from. */
export type VersionOrigin = 'forced' | 'table' | 'preferred' | 'pin' | 'default';

export interface FileOptions {
  readonly options: LintOptions;
  readonly versionFrom: VersionOrigin;
}

/**
 * The options of the file at `file` (a path the folders understand). `forced` wins over the
 * project (CLI flags: `--select` replaces the table's selection and its ignore list, `--ignore`
 * adds to its ignore list); `preferred` gives way to the table but not to the pin (the editor's
 * settings, holding `nattenVersion` only when the user set it).
 */
export function lintOptionsFor(
  file: string,
  settings: ProjectSettings,
  folders: Pick<ProjectFolders, 'relative'>,
  layers: { readonly forced?: LintOptions; readonly preferred?: LintOptions },
): FileOptions {
  const forced = layers.forced ?? {};
  const preferred = layers.preferred ?? {};
  const c = settings.table?.config;
  const layout = c && settings.table ? layoutFor(c.inputSize, folders.relative(settings.table.dir, file)) : undefined;
  const fromTable: LintOptions = c
    ? {
        ...(c.nattenVersion ? { nattenVersion: c.nattenVersion } : {}),
        ...(c.family ? { family: c.family } : {}),
        ...(c.headDim ? { headDim: c.headDim } : {}),
        ...(layout ? { defaultInputSize: layout.sizes } : {}),
        ...(c.select ? { select: c.select } : {}),
      }
    : {};
  const pinned: LintOptions = settings.pin ? { nattenVersion: settings.pin.version } : {};
  // --select is the last word on which rules run: the table's ignore list goes with its selection.
  const ignored = forced.select !== undefined ? forced.ignore : c?.ignore || forced.ignore ? [...(c?.ignore ?? []), ...(forced.ignore ?? [])] : preferred.ignore;
  const { ignore: _forcedIgnore, ...forcedRest } = forced;
  const { ignore: _preferredIgnore, ...preferredRest } = preferred;
  // Rule levels merge per rule, in the same order: the table's level of a rule beats the editor's.
  const rules = { ...preferred.rules, ...c?.rules, ...forced.rules };
  const options: LintOptions = { ...pinned, ...preferredRest, ...fromTable, ...forcedRest, ...(ignored ? { ignore: ignored } : {}), ...(Object.keys(rules).length > 0 ? { rules } : {}) };
  const versionFrom: VersionOrigin = forced.nattenVersion
    ? 'forced'
    : fromTable.nattenVersion
      ? 'table'
      : preferred.nattenVersion
        ? 'preferred'
        : pinned.nattenVersion
          ? 'pin'
          : 'default';
  return { options, versionFrom };
}

/** Where the version came from, as shown beside it: `proj/requirements.txt: natten==0.17.5`. */
export function describeVersionOrigin(
  from: VersionOrigin,
  settings: ProjectSettings,
  names: { readonly forced: string; readonly preferred: string; readonly folder: (dir: string) => string },
): string {
  if (from === 'forced') return names.forced;
  if (from === 'preferred') return names.preferred;
  if (from === 'table') return `${names.folder(settings.table!.dir)}/pyproject.toml: [tool.gna] natten-version`;
  if (from === 'pin') return `${names.folder(settings.pin!.dir)}/${settings.pin!.source}`;
  return 'default (newest)';
}
