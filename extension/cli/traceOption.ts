// `--trace FILE` of `gna lint` and `gna calls`: the trace read once and checked, then asked per
// linted file for what the run recorded there.

import type { FileTrace } from '../core/trace';
import { fileTrace, MAX_TRACE_BYTES, parseTrace, traceBaseDir } from './traceFiles';
import { readBoundedFile } from './walk';

export interface TraceOption {
  /** What the trace says about the file at `path` (content as read, before any BOM is dropped). */
  forFile(path: string, text: string): FileTrace | undefined;
}

/** The trace at `path`; a problem (pushed to `problems`) when it cannot be read or is not a trace. */
export function loadTraceOption(path: string | undefined, problems: string[]): TraceOption | undefined {
  if (path === undefined) return undefined;
  // Bounded and regular files only: `--trace /dev/zero` or a FIFO is refused, never read forever.
  const read = readBoundedFile(path, MAX_TRACE_BYTES, 'a trace file');
  if ('problem' in read) {
    problems.push(`--trace ${path}: ${read.problem === 'cannot read (ENOENT)' ? 'no such file (make one with gna trace -- <command>)' : read.problem}`);
    return undefined;
  }
  const trace = parseTrace(read.text);
  if (typeof trace === 'string') {
    problems.push(`--trace ${path}: ${trace}`);
    return undefined;
  }
  const baseDir = traceBaseDir(path, trace.root);
  return { forFile: (file, content) => fileTrace(trace, baseDir, file, content) };
}
