// The Python files `gna lint` reads: a folder walk and a file reader that stay bounded whatever
// the tree holds. Only regular files are read; symbolic links found inside folders are not
// followed (a link to `.` or to `/` would make the walk endless or unbounded), while a path the
// user names is taken as given, links included. Devices, FIFOs and sockets are refused before
// they are opened (a FIFO blocks the opener, `/dev/zero` never ends), files above a size cap are
// refused with a message, and an unreadable folder or file is reported and skipped, never fatal.

import { closeSync, constants, Dirent, fstatSync, lstatSync, openSync, readdirSync, readSync, Stats, statSync } from 'fs';
import { join, relative, sep } from 'path';
// Folders never searched (dependencies, environments, VCS data): the editor's index skips the same.
import { SKIPPED_DIRS } from '../python/workspaceFiles';

/** Larger Python sources than this are not linted (the largest real model files are ~1 MB). */
export const MAX_SOURCE_BYTES = 8 * 1024 * 1024;


export interface SourceFile {
  readonly path: string;
  /** The path as printed (relative to where the user pointed, forward slashes). */
  readonly shown: string;
}

/** What the walk found: files to read, entries it could not use, links it did not follow. */
export interface WalkResult {
  readonly files: SourceFile[];
  /** Paths the user named that do not exist: a usage error. */
  readonly missing: string[];
  /** Entries skipped for a reason the user should hear (unreadable, not a regular file). */
  readonly skipped: string[];
  linksNotFollowed: number;
}

function toSlash(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? String(e);
}

/** Why a file of this type is not read, or undefined for a regular file. */
function notRegular(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Python files under the given paths, in a stable order, each shown relative to its argument. */
export function walkSources(paths: readonly string[]): WalkResult {
  const result: WalkResult = { files: [], missing: [], skipped: [], linksNotFollowed: 0 };
  const seen = new Set<string>();
  const add = (path: string, shown: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    result.files.push({ path, shown: toSlash(shown) });
  };
  // Depth first in name order, as a recursion would go, but on an explicit stack of open folders:
  // the depth of a tree is bounded by the file system, not by the JavaScript stack.
  const walk = (root: string, shownRoot: string) => {
    const stack: { dir: string; shown: string; entries: Dirent[]; next: number }[] = [];
    const open = (dir: string, shown: string) => {
      try {
        const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        stack.push({ dir, shown, entries, next: 0 });
      } catch (e) {
        result.skipped.push(`${toSlash(shown)}: cannot read the folder (${errCode(e)})`);
      }
    };
    open(root, shownRoot);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next >= top.entries.length) {
        stack.pop();
        continue;
      }
      const entry = top.entries[top.next++];
      const full = join(top.dir, entry.name);
      const shown = join(top.shown, entry.name);
      if (entry.isSymbolicLink()) {
        if (!SKIPPED_DIRS.has(entry.name)) result.linksNotFollowed++;
      } else if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) open(full, shown);
      } else if (entry.name.endsWith('.py')) {
        if (entry.isFile()) add(full, shown);
        else result.skipped.push(`${toSlash(shown)}: ${entry.isFIFO() ? 'a named pipe (FIFO)' : 'not a regular file'}, not read`);
      }
    }
  };
  for (const p of paths) {
    let st: Stats;
    try {
      st = statSync(p);
    } catch (e) {
      if (errCode(e) === 'ENOENT' || errCode(e) === 'ENOTDIR') {
        // A dangling link is named as such, not as a missing file.
        let link = false;
        try {
          link = lstatSync(p).isSymbolicLink();
        } catch {
          // nothing there at all
        }
        if (link) result.skipped.push(`${toSlash(p)}: a link to nothing, not read`);
        else result.missing.push(p);
      } else result.skipped.push(`${toSlash(p)}: cannot read (${errCode(e)})`);
      continue;
    }
    if (st.isDirectory()) walk(p, relative(process.cwd(), p) === '' ? '.' : p.replace(/[\\/]+$/, ''));
    else {
      const why = notRegular(st);
      if (why) result.skipped.push(`${toSlash(p)}: ${why}, not read`);
      else add(p, p);
    }
  }
  return result;
}

/** A source's text, or why it was not read. */
export type ReadResult = { readonly text: string } | { readonly problem: string };

/**
 * Reads one file (a source, a config): opened without blocking (a FIFO put in a file's place after the walk does not
 * hang the open), checked to be a regular file on the open descriptor, and read up to the cap.
 */
export function readBoundedFile(path: string, maxBytes: number = MAX_SOURCE_BYTES, what = 'a Python source'): ReadResult {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return { problem: `cannot read (${errCode(e)})` };
  }
  try {
    const st = fstatSync(fd);
    const why = notRegular(st);
    if (why) return { problem: `${why}, not read` };
    if (st.size > maxBytes) return { problem: `${formatBytes(st.size)} is above the ${formatBytes(maxBytes)} limit for ${what}, not read` };
    // Read until the end, never past the cap: a file that grew since fstat is refused, not read forever.
    let buffer = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) return { problem: `grew above the ${formatBytes(maxBytes)} limit for ${what} while read, not read` };
        const bigger = Buffer.alloc(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(bigger);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    let text = buffer.toString('utf8', 0, length);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { text };
  } catch (e) {
    return { problem: `cannot read (${errCode(e)})` };
  } finally {
    closeSync(fd);
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MiB` : `${n} bytes`;
}
