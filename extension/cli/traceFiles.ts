// The Node side of `gna trace`, shared by the CLI and the editor: where the Python tracer ships,
// the environment that makes a child Python load it, reading the parts the traced processes
// wrote, and reading a trace back (zod-checked) for the file being linted.

import { createHash } from 'crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'fs';
import { basename, delimiter, dirname, join, resolve } from 'path';
import { FileTrace, traceForFile } from '../core/trace';
import { TraceFile, TracePart, TracePartSchema } from '../core/traceSchema';
import { readBoundedFile } from './walk';
export { parseTraceText as parseTrace } from '../core/traceSchema';

/** A trace, or all the parts of one run together, above this is refused (a day-long traced run of a large model writes a few MiB). */
export const MAX_TRACE_BYTES = 64 * 1024 * 1024;

/** The default trace file, relative to the folder a command runs in. */
export const DEFAULT_TRACE = join('.gna', 'trace.json');
export const PARTS_ENV = 'GNA_TRACE_PARTS';

/**
 * The folder holding `gna_trace/` (python/ in the package), searched upward from this bundle:
 * dist/cli.js and dist/extension.js sit one level below it, the compiled tests three.
 */
export function tracerRoot(from: string = __dirname): string | undefined {
  let dir = from;
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'python', 'gna_trace', 'boot', 'sitecustomize.py'))) return join(dir, 'python');
    dir = dirname(dir);
  }
  return undefined;
}

/** The environment of a traced child: the tracer's boot folder first on PYTHONPATH. */
export function tracedEnv(env: NodeJS.ProcessEnv, root: string, partsDir: string): NodeJS.ProcessEnv {
  const boot = join(root, 'gna_trace', 'boot');
  const rest = env.PYTHONPATH ? `${delimiter}${env.PYTHONPATH}` : '';
  return { ...env, PYTHONPATH: `${boot}${delimiter}${root}${rest}`, [PARTS_ENV]: partsDir };
}

/**
 * The parts in `partsDir`, each checked; a part that does not read is named in `problems`. Read
 * like every other input: regular files only (a pipe or a device named `part-*.json` is refused
 * before it is read), each and all together at most `maxBytes`.
 */
export function readParts(partsDir: string, maxBytes: number = MAX_TRACE_BYTES): { parts: TracePart[]; problems: string[] } {
  const parts: TracePart[] = [];
  const problems: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(partsDir).filter((n) => n.startsWith('part-') && n.endsWith('.json')).sort();
  } catch {
    return { parts, problems };
  }
  let left = maxBytes;
  for (const [i, name] of names.entries()) {
    const read = readBoundedFile(join(partsDir, name), left, "one run's trace parts");
    if ('problem' in read) {
      problems.push(`${name}: ${read.problem}`);
      // Past the size budget the rest are named once, not read.
      const rest = names.length - i - 1;
      if (/ limit for /.test(read.problem) && rest > 0) {
        problems.push(`${rest} more part${rest === 1 ? '' : 's'} not read`);
        break;
      }
      continue;
    }
    left = Math.max(0, left - Buffer.byteLength(read.text, 'utf8'));
    try {
      const parsed = TracePartSchema.safeParse(JSON.parse(read.text));
      if (parsed.success) parts.push(parsed.data);
      else problems.push(`${name}: ${parsed.error.issues[0]?.message ?? 'invalid'} at ${parsed.error.issues[0]?.path.join('.')}`);
    } catch (e) {
      problems.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { parts, problems };
}

/** The folder a trace's relative paths are relative to: the one holding `.gna/`, else `fallback`. */
export function traceBaseDir(tracePath: string, fallback: string): string {
  const folder = dirname(resolve(tracePath));
  return basename(folder) === '.gna' ? dirname(folder) : fallback;
}

/** Writes the trace through a temporary file, so a reader never sees half of it. */
export function writeTrace(path: string, trace: TraceFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(trace, null, 1)}\n`);
  renameSync(temporary, path);
}

export function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What `trace` recorded for the file at `path` whose content is `content`. */
export function fileTrace(trace: TraceFile, baseDir: string, path: string, content: string | Uint8Array): FileTrace | undefined {
  return traceForFile(trace, { path: resolve(path), sha256: sha256(content) }, baseDir);
}
