// The project settings of a file on the command line: the search and the merge are the shared,
// pure lint/projectOptions.ts (the editor runs the same); this reads the folders, bounded like
// every other input, from the file's folder up to the file system's root.
import { readdirSync } from 'fs';
import { basename, dirname, join, relative, resolve, sep } from 'path';
import type { LintOptions } from '../lint';
import { NEWEST_VERSION } from '../python/nattenApi';
import { PROJECT_FILES } from '../python/projectVersion';
import { describeVersionOrigin, FoundTable, lintOptionsFor, ProjectFileRead, ProjectFolders, ProjectSettingsFinder } from '../lint/projectOptions';
import { readBoundedFile } from './walk';

/** Far above any real pyproject.toml or requirements file. */
const MAX_PROJECT_FILE_BYTES = 1024 * 1024;

export const cliProjectFolders: ProjectFolders = {
  files(dir) {
    const found = new Map<string, ProjectFileRead>();
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => PROJECT_FILES.test(n)).sort();
    } catch {
      return found; // an unreadable folder configures nothing
    }
    for (const name of names) found.set(name, readBoundedFile(join(dir, name), MAX_PROJECT_FILE_BYTES, 'a project file'));
    return found;
  },
  parent(dir) {
    const up = dirname(dir);
    return up === dir ? undefined : up;
  },
  relative: (dir, file) => relative(dir, file).split(sep).join('/'),
};

/** Where a file's NATTEN version came from, as `gna calls` prints it. */
export interface VersionChoice {
  readonly version: string;
  /** `--natten-version`, `proj/requirements.txt: natten==0.17.5`, `proj/pyproject.toml: [tool.gna] natten-version`, or `default (newest)`. */
  readonly source: string;
}

export interface FileSettings {
  readonly options: LintOptions;
  readonly nattenVersion: VersionChoice;
}

export class ProjectConfigs {
  private readonly finder = new ProjectSettingsFinder(cliProjectFolders);

  /** The `[tool.gna]` table for a file (or, for stdin, a folder: pass `isDir`). */
  tableFor(file: string, isDir = false): FoundTable | undefined {
    return this.finder.forDir(isDir ? resolve(file) : dirname(resolve(file))).table;
  }

  /** Lint options for one file: the command line's flags, then [tool.gna], then the project's pin. */
  forFile(file: string, flags: LintOptions, isDir = false): FileSettings {
    const path = resolve(file);
    const settings = this.finder.forDir(isDir ? path : dirname(path));
    const { options, versionFrom } = lintOptionsFor(path, settings, cliProjectFolders, { forced: flags });
    const source = describeVersionOrigin(versionFrom, settings, { forced: '--natten-version', preferred: '', folder: basename });
    return { options, nattenVersion: { version: options.nattenVersion ?? NEWEST_VERSION, source } };
  }
}

/** The pyproject.toml holding a table, as shown to the user. */
export function shownTablePath(table: FoundTable): string {
  const path = join(table.dir, 'pyproject.toml');
  return relative(process.cwd(), path) || path;
}
