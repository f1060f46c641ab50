// `--trace FILE` of `gna lint` and `gna calls`: the trace read once and checked, then asked per
// linted file for what the run recorded there.

import { readFileSync } from 'fs';
import type { FileTrace } from '../core/trace';
import { fileTrace, parseTrace, traceBaseDir } from './traceFiles';

export interface TraceOption {
  /** What the trace says about the file at `path` (content as read, before any BOM is dropped). */
  forFile(path: string, text: string): FileTrace | undefined;
}

/** The trace at `path`; a problem (pushed to `problems`) when it cannot be read or is not a trace. */
export function loadTraceOption(path: string | undefined, problems: string[]): TraceOption | undefined {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    problems.push(`--trace ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file (make one with gna trace -- <command>)' : String(e)}`);
    return undefined;
  }
  const trace = parseTrace(text);
  if (typeof trace === 'string') {
    problems.push(`--trace ${path}: ${trace}`);
    return undefined;
  }
  const baseDir = traceBaseDir(path, trace.root);
  return { forFile: (file, content) => fileTrace(trace, baseDir, file, content) };
}
