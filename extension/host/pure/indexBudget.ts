// The bounds of the editor's workspace index (host/workspaceIndex.ts): which files it may hold
// and how much, so that a huge workspace never stalls the editor or fills its memory. Pure: the
// index asks before it reads or keeps a file, and says in the output channel when a bound cut it.

import { compileGlob, Glob } from '../../core/glob';

/** Default of `gna.workspaceIndex.maxFiles` (0 turns the index off); above the largest real model repositories. */
export const DEFAULT_MAX_INDEXED_FILES = 2000;
/** The largest `gna.workspaceIndex.maxFiles` honoured. */
export const MAX_INDEXED_FILES = 20_000;
/** Larger files are not indexed: no real model file comes close (the CLI reads up to 8 MiB for lint). */
export const MAX_INDEXED_FILE_BYTES = 2 * 1024 * 1024;
/** All indexed texts together; the host mirrors them for a fresh worker. */
export const MAX_INDEXED_BYTES = 48 * 1024 * 1024;
/** The first scan of the workspace stops reading after this long, and says so. */
export const SCAN_TIME_BUDGET_MS = 20_000;

export type Refusal = 'too-many-files' | 'file-too-large' | 'index-full';

/** Counts what the index holds; `admit` answers whether one more (or a changed) file fits. */
export class IndexBudget {
  private readonly sizes = new Map<string, number>();
  private total = 0;

  constructor(
    readonly maxFiles: number,
    readonly maxFileBytes = MAX_INDEXED_FILE_BYTES,
    readonly maxBytes = MAX_INDEXED_BYTES,
  ) {}

  get files(): number {
    return this.sizes.size;
  }

  get bytes(): number {
    return this.total;
  }

  has(path: string): boolean {
    return this.sizes.has(path);
  }

  /** Takes the file (new or changed) at `bytes`, or says why not; a refused file is no longer held. */
  admit(path: string, bytes: number): Refusal | undefined {
    const before = this.sizes.get(path);
    const refusal =
      bytes > this.maxFileBytes
        ? 'file-too-large'
        : before === undefined && this.sizes.size >= this.maxFiles
          ? 'too-many-files'
          : this.total - (before ?? 0) + bytes > this.maxBytes
            ? 'index-full'
            : undefined;
    if (refusal) {
      this.remove(path);
      return refusal;
    }
    this.sizes.set(path, bytes);
    this.total += bytes - (before ?? 0);
    return undefined;
  }

  /** True when the file was held. */
  remove(path: string): boolean {
    const before = this.sizes.get(path);
    if (before === undefined) return false;
    this.sizes.delete(path);
    this.total -= before;
    return true;
  }
}

/** What the output channel says when a bound cuts the index (once per bound and scan). */
export function refusalMessage(refusal: Refusal, budget: IndexBudget, example: string): string {
  const lead = 'Workspace index for resolution across files';
  if (refusal === 'too-many-files') {
    return `${lead}: stopped at ${budget.maxFiles} Python files (gna.workspaceIndex.maxFiles); values passed from other files are found in those only (first left out: ${example}).`;
  }
  if (refusal === 'file-too-large') return `${lead}: ${example} is above ${budget.maxFileBytes / 2 ** 20} MiB and is not indexed.`;
  return `${lead}: full at ${budget.maxBytes / 2 ** 20} MiB of Python text; ${example} and later files are not indexed.`;
}

/** The folders the CLI's walk skips, plus the `files.exclude` patterns set to true. */
export function excludedGlobs(skippedDirs: Iterable<string>, filesExclude: unknown): string[] {
  const globs = [...skippedDirs].map((d) => `**/${d}`);
  if (filesExclude && typeof filesExclude === 'object') {
    for (const [pattern, on] of Object.entries(filesExclude)) if (on === true && !globs.includes(pattern)) globs.push(pattern);
  }
  return globs;
}

/**
 * Matches a folder-relative path (`/` separators) against exclusion globs the way a search does:
 * a pattern that matches a folder excludes everything under it. Patterns that do not compile are
 * dropped (files.exclude is VS Code's to validate).
 */
export function exclusionMatcher(globs: readonly string[]): (relativePath: string) => boolean {
  const compiled: Glob[] = [];
  for (const g of globs) {
    try {
      compiled.push(compileGlob(g.replace(/\/\*\*$/, '')));
    } catch {
      // not ours to report
    }
  }
  return (relativePath) => {
    const parts = relativePath.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      if (compiled.some((g) => g.matches(prefix))) return true;
    }
    return false;
  };
}
