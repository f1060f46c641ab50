// The `[tool.gna]` table that applies to a file: the nearest pyproject.toml above it that has one
// (as ruff finds its table), parsed by the core. Lookups are cached per folder for a run.
import { existsSync, statSync } from 'fs';
import { dirname, join, relative, resolve, sep } from 'path';
import { layoutFor } from '../core/layoutRules';
import { parsePyproject, ProjectConfig } from '../core/pyproject';
import type { LintOptions } from '../lint';
import { readBoundedFile } from './walk';

/** Far above any real pyproject.toml. */
const MAX_PYPROJECT_BYTES = 1024 * 1024;

export interface FoundConfig {
  /** The pyproject.toml, as given to the user. */
  readonly path: string;
  readonly dir: string;
  readonly config: ProjectConfig;
  readonly problems: readonly string[];
}

export class ProjectConfigs {
  private readonly byDir = new Map<string, FoundConfig | undefined>();

  /** The table for a file (or, for stdin, a folder: pass `dir`). */
  forFile(file: string, isDir = false): FoundConfig | undefined {
    return this.forDir(isDir ? resolve(file) : dirname(resolve(file)));
  }

  private forDir(dir: string): FoundConfig | undefined {
    if (this.byDir.has(dir)) return this.byDir.get(dir);
    let found: FoundConfig | undefined;
    const candidate = join(dir, 'pyproject.toml');
    if (existsSync(candidate) && statSync(candidate).isFile()) {
      const read = readBoundedFile(candidate, MAX_PYPROJECT_BYTES, 'a pyproject.toml');
      const shown = relative(process.cwd(), candidate) || candidate;
      if ('problem' in read) found = { path: shown, dir, config: { inputSize: [] }, problems: [read.problem] };
      else {
        const parsed = parsePyproject(read.text);
        if (parsed.config) found = { path: shown, dir, config: parsed.config, problems: parsed.problems };
      }
    }
    const parent = dirname(dir);
    if (!found && parent !== dir) found = this.forDir(parent);
    this.byDir.set(dir, found);
    return found;
  }
}

/** Lint options for one file: the table's values, then the command line's (flags win). */
export function optionsFor(file: string, found: FoundConfig | undefined, flags: LintOptions): LintOptions {
  if (!found) return flags;
  const c = found.config;
  const path = relative(found.dir, resolve(file)).split(sep).join('/');
  const layout = layoutFor(c.inputSize, path);
  return {
    ...(c.nattenVersion ? { nattenVersion: c.nattenVersion } : {}),
    ...(c.family ? { family: c.family } : {}),
    ...(c.headDim ? { headDim: c.headDim } : {}),
    ...(layout ? { defaultInputSize: layout.sizes } : {}),
    ...(c.select ? { select: c.select } : {}),
    ...flags,
    // --select replaces the table's selection (its ignore list too, as the later word on those
    // rules); --ignore adds to the table's ignore list.
    ...(flags.select === undefined && (c.ignore || flags.ignore) ? { ignore: [...(c.ignore ?? []), ...(flags.ignore ?? [])] } : {}),
  };
}
