// What a traced run says about the calls of one file: merging the per-process parts into one
// trace, matching a trace's files to the files being linted, and grouping a call site's traced
// entries by config. Pure: callers hand in paths (absolute, any separator) and content hashes.

import { TRACE_FORMAT, TRACE_VERSION } from './traceFormat';
import type { TraceFile, TracePart, TracedCall, UnreadCall } from './traceSchema';

/** `C:\a\b` → `C:/a/b`; collapses `//`, `/./` and `x/..`. */
export function normalizePath(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  const absolute = slashed.startsWith('/');
  const out: string[] = [];
  for (const part of slashed.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return (absolute ? '/' : '') + out.join('/');
}

export function isAbsolutePath(path: string): boolean {
  return /^([A-Za-z]:)?[\\/]/.test(path);
}

/** `path` relative to `root` when inside it, else `path` itself (both normalised). */
export function relativeInside(root: string, path: string): string {
  const r = normalizePath(root).replace(/\/$/, '');
  const p = normalizePath(path);
  return p.startsWith(`${r}/`) ? p.slice(r.length + 1) : p;
}

export function joinPath(base: string, relative: string): string {
  return isAbsolutePath(relative) ? normalizePath(relative) : normalizePath(`${base}/${relative}`);
}

function baseName(path: string): string {
  const p = normalizePath(path);
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Entries with equal keys are one call site and config (their counts add up). */
function siteKey(c: UnreadCall): string {
  return `${c.file}\0${c.line}\0${c.op}`;
}

function callKey(c: TracedCall): string {
  return JSON.stringify([siteKey(c), c.layout, c.batch, c.heads, c.headDim, c.dtype, c.device, c.kernelSize, c.stride, c.dilation, c.isCausal, c.tiles, c.backend]);
}

function addUp<T extends { count: number }>(into: Map<string, T>, key: string, entry: T): void {
  const seen = into.get(key);
  if (seen) into.set(key, { ...seen, count: seen.count + entry.count });
  else into.set(key, entry);
}

const byPlace = (a: UnreadCall, b: UnreadCall) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.op < b.op ? -1 : a.op > b.op ? 1 : 0));

export interface MergeOptions {
  /** Files inside it are stored relative to it (the folder holding `.gna/`, or the working folder). */
  readonly root: string;
  readonly command: readonly string[];
  readonly tracedAt: Date;
}

/** One trace from the parts every traced process wrote; undefined when no part was written. */
export function mergeTraceParts(parts: readonly TracePart[], options: MergeOptions): TraceFile | undefined {
  if (parts.length === 0) return undefined;
  const calls = new Map<string, TracedCall>();
  const unread = new Map<string, UnreadCall>();
  const files: TraceFile['files'] = {};
  const place = (file: string) => (file.startsWith('<') ? file : relativeInside(options.root, file));
  let failed = 0;
  // Newest part last, so its file hashes win (a file edited during a long run).
  const ordered = [...parts].sort((a, b) => a.finishedAt - b.finishedAt);
  for (const part of ordered) {
    failed += part.failed;
    for (const [file, info] of Object.entries(part.files)) files[place(file)] = info;
    for (const c of part.calls) {
      const entry = { ...c, file: place(c.file) };
      addUp(calls, callKey(entry), entry);
    }
    for (const c of part.unread) {
      const entry = { ...c, file: place(c.file) };
      addUp(unread, siteKey(entry), entry);
    }
  }
  const first = ordered[0];
  const known = (pick: (p: TracePart) => string | null) => ordered.map(pick).find((v): v is string => !!v);
  const natten = known((p) => p.natten);
  const torch = known((p) => p.torch);
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    tracedAt: options.tracedAt.toISOString(),
    command: [...options.command],
    root: normalizePath(options.root),
    python: first.python,
    ...(natten ? { natten } : {}),
    ...(torch ? { torch } : {}),
    processes: parts.length,
    failed,
    files,
    calls: [...calls.values()].sort(byPlace),
    unread: [...unread.values()].sort(byPlace),
  };
}

/** The traced calls of one file, and whether the file changed since the trace. */
export interface FileTrace {
  readonly calls: readonly TracedCall[];
  readonly unread: readonly UnreadCall[];
  /** The file's content differs from the traced one (or the trace did not record it). */
  readonly stale: boolean;
  readonly tracedAt: string;
}

export interface LintedFile {
  /** Absolute path of the file being linted. */
  readonly path: string;
  /** sha256 (hex) of its current content. */
  readonly sha256: string;
}

/**
 * The part of `trace` about `file`. A traced path names the file when it resolves to the same
 * absolute path (relative paths against `baseDir`: the folder holding `.gna/`, else the trace's
 * root); a trace made on another machine (absolute paths that do not exist here, say a
 * site-packages file) names it when the base names match and the recorded content is the same.
 */
export function traceForFile(trace: TraceFile, file: LintedFile, baseDir: string): FileTrace | undefined {
  const target = normalizePath(file.path);
  const name = baseName(target);
  let matched: string | undefined;
  for (const [traced, info] of Object.entries(trace.files)) {
    if (joinPath(baseDir, traced) === target) {
      matched = traced;
      break;
    }
    if (baseName(traced) === name && info.sha256 === file.sha256) matched ??= traced;
  }
  // A file the trace has calls for but no hash of (it could not be read then) matches by path only.
  if (matched === undefined) matched = trace.calls.map((c) => c.file).find((f) => !(f in trace.files) && joinPath(baseDir, f) === target);
  if (matched === undefined) return undefined;
  const info = trace.files[matched];
  const calls = trace.calls.filter((c) => c.file === matched);
  const unread = trace.unread.filter((c) => c.file === matched);
  if (calls.length === 0 && unread.length === 0) return undefined;
  return { calls, unread, stale: info === undefined || info.sha256 !== file.sha256, tracedAt: trace.tracedAt };
}

/** A call site's traced entries that share a config, added up. */
export interface TracedConfig {
  readonly layout: readonly number[];
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly dilation: readonly number[];
  readonly isCausal: readonly boolean[];
  readonly headDim: number;
  readonly tiles?: { readonly q?: readonly number[]; readonly kv?: readonly number[] };
  /** Calls with this config, over every batch size, head count, dtype and device. */
  readonly count: number;
  readonly batches: readonly number[];
  readonly heads: readonly number[];
  readonly dtypes: readonly string[];
  readonly devices: readonly string[];
}

function union<T>(into: T[], value: T | undefined): void {
  if (value !== undefined && !into.includes(value)) into.push(value);
}

/** Groups entries by what the mask and tiles depend on, most-called first. */
export function groupTracedConfigs(calls: readonly TracedCall[]): TracedConfig[] {
  const groups = new Map<string, { config: TracedConfig; batches: number[]; heads: number[]; dtypes: string[]; devices: string[] }>();
  for (const c of calls) {
    const tiles = c.tiles?.qTileShape || c.tiles?.kvTileShape ? { ...(c.tiles.qTileShape ? { q: c.tiles.qTileShape } : {}), ...(c.tiles.kvTileShape ? { kv: c.tiles.kvTileShape } : {}) } : undefined;
    const key = JSON.stringify([c.layout, c.kernelSize, c.stride, c.dilation, c.isCausal, c.headDim, tiles]);
    let g = groups.get(key);
    if (!g) {
      g = {
        config: { layout: c.layout, kernelSize: c.kernelSize, stride: c.stride, dilation: c.dilation, isCausal: c.isCausal, headDim: c.headDim, ...(tiles ? { tiles } : {}), count: 0, batches: [], heads: [], dtypes: [], devices: [] },
        batches: [],
        heads: [],
        dtypes: [],
        devices: [],
      };
      groups.set(key, g);
    }
    g.config = { ...g.config, count: g.config.count + c.count };
    union(g.batches, c.batch);
    union(g.heads, c.heads);
    union(g.dtypes, c.dtype);
    union(g.devices, c.device);
  }
  return [...groups.values()]
    .map((g) => ({ ...g.config, batches: g.batches.sort((a, b) => a - b), heads: g.heads.sort((a, b) => a - b), dtypes: g.dtypes, devices: g.devices }))
    .sort((a, b) => b.count - a.count);
}
