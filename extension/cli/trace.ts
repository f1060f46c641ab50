// `gna trace [--out FILE] -- <command…>`: runs the command with the Python tracer loaded first in
// every Python process it starts (python/gna_trace), then merges what those processes recorded
// into one trace (default .gna/trace.json) that `gna lint --trace` and the editor read.

import { spawn } from 'child_process';
import { mkdtempSync, realpathSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative, resolve } from 'path';
import { mergeTraceParts } from '../core/trace';
import type { TraceFile } from '../core/traceSchema';
import { FlagSpec, helpText, parseArgs } from './args';
import { CliIO, Command, EXIT, UsageError } from './io';
import { DEFAULT_TRACE, readParts, traceBaseDir, tracedEnv, tracerRoot, writeTrace } from './traceFiles';

const FLAGS: FlagSpec[] = [
  { name: 'out', short: 'o', kind: 'string', help: `where to write the trace (default ${DEFAULT_TRACE})` },
  { name: 'from-parts', kind: 'string', help: 'merge the part files a traced run left in this folder (GNA_TRACE_PARTS on a machine without node) instead of running a command' },
  { name: 'help', short: 'h', kind: 'flag', help: 'show this help' },
];

const SUMMARY =
  'Run a Python command and record every NATTEN call it makes: call site, token layout, batch, heads, head dim, dtype, ' +
  'device, kernel_size, stride, dilation, is_causal, tile arguments and count. Write -- before the command.';

/** Flags before `--` (or before the first word that is not a flag), the command after. */
function splitCommand(argv: readonly string[]): { flags: string[]; command: string[] } {
  const dashes = argv.indexOf('--');
  if (dashes >= 0) return { flags: argv.slice(0, dashes), command: argv.slice(dashes + 1) };
  const flags: string[] = [];
  let i = 0;
  while (i < argv.length && argv[i].startsWith('-')) {
    flags.push(argv[i]);
    const takesValue = FLAGS.some((f) => f.kind === 'string' && (argv[i] === `--${f.name}` || argv[i] === `-${f.short}`));
    if (takesValue && i + 1 < argv.length) flags.push(argv[++i]);
    i++;
  }
  return { flags, command: argv.slice(i) };
}

export interface TracedRun {
  /** The command's exit code (128 + signal number when a signal ended it). */
  readonly exitCode: number;
  readonly trace?: TraceFile;
  /** Part files that did not read (a tracer bug or a disk problem), one sentence each. */
  readonly problems: readonly string[];
}

/**
 * Runs `command` traced and merges the parts (also the editor's way to trace). `onSpawn` gets
 * the child, to cancel it; its output goes where `stdio` says.
 */
export async function runTraced(
  command: readonly string[],
  options: { cwd: string; out: string; env?: NodeJS.ProcessEnv; stdio?: 'inherit' | 'pipe'; onOutput?: (text: string) => void; onSpawn?: (kill: () => void) => void },
): Promise<TracedRun> {
  const root = tracerRoot();
  if (!root) throw new Error('the Python tracer (python/gna_trace) is missing from this installation');
  const partsDir = mkdtempSync(join(tmpdir(), 'gna-trace-'));
  try {
    const exitCode = await new Promise<number>((done, fail) => {
      const child = spawn(command[0], command.slice(1), { cwd: options.cwd, env: tracedEnv(options.env ?? process.env, root, partsDir), stdio: options.stdio ?? 'inherit' });
      child.stdout?.on('data', (d: Buffer) => options.onOutput?.(d.toString()));
      child.stderr?.on('data', (d: Buffer) => options.onOutput?.(d.toString()));
      // Ctrl-C reaches the child (same process group); we stay to write what it recorded.
      const ignore = () => undefined;
      process.on('SIGINT', ignore);
      child.on('error', (e) => {
        process.off('SIGINT', ignore);
        fail(e);
      });
      child.on('close', (code, signal) => {
        process.off('SIGINT', ignore);
        done(code ?? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGKILL' ? 9 : 15));
      });
      options.onSpawn?.(() => child.kill('SIGINT'));
    });
    const { parts, problems } = readParts(partsDir);
    const trace = mergeTraceParts(parts, { root: realRoot(traceBaseDir(options.out, options.cwd)), command, tracedAt: new Date() });
    if (trace) writeTrace(options.out, trace);
    return { exitCode, ...(trace ? { trace } : {}), problems };
  } finally {
    rmSync(partsDir, { recursive: true, force: true });
  }
}

/** Python names files by their real paths (its working folder is one): so must the root. */
function realRoot(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `gna trace: 14 calls at 5 call sites in 2 files (1 process, natten 0.21.0) → .gna/trace.json` */
export function describeTrace(trace: TraceFile, shownOut: string): string {
  const calls = trace.calls.reduce((n, c) => n + c.count, 0);
  const sites = new Set(trace.calls.map((c) => `${c.file}:${c.line}:${c.op}`)).size;
  const files = new Set(trace.calls.map((c) => c.file)).size;
  const facts = [plural(trace.processes, 'process'), ...(trace.natten ? [`natten ${trace.natten}`] : [])];
  let line = `gna trace: ${plural(calls, 'call')} at ${plural(sites, 'call site')} in ${plural(files, 'file')} (${facts.join(', ')}) → ${shownOut}`;
  const unread = trace.unread.reduce((n, c) => n + c.count, 0);
  if (unread > 0) line += `\n  ${plural(unread, 'call')} passed tensors without a shape: counted, not recorded`;
  if (trace.failed > 0) line += `\n  ${plural(trace.failed, 'call')} could not be recorded (tracer failures; the calls ran)`;
  return line;
}

export const traceCommand: Command = async (argv, io: CliIO) => {
  const { flags, command } = splitCommand(argv);
  const parsed = parseArgs(flags, FLAGS);
  if (parsed.values.has('help')) {
    io.out(
      `${helpText('trace [options] -- <command…>', SUMMARY, FLAGS)}\n\n` +
        'Examples: gna trace -- python train.py --steps 1;  gna trace -o run.json -- pytest tests/test_model.py\n' +
        'Exit status: the command\'s own; 2 on bad usage.',
    );
    return EXIT.ok;
  }
  const problems = [...parsed.problems, ...parsed.positionals.map((p) => `unexpected ${p} before the command (write -- before it)`)];
  const fromParts = parsed.values.get('from-parts') as string | undefined;
  if (command.length === 0 && fromParts === undefined) problems.push('give the command to trace after --, e.g. gna trace -- python train.py');
  if (command.length > 0 && fromParts !== undefined) problems.push('give either a command or --from-parts, not both');
  if (problems.length > 0) throw new UsageError(problems);
  const cwd = process.cwd();
  const out = resolve(cwd, (parsed.values.get('out') as string | undefined) ?? DEFAULT_TRACE);
  const shown = relative(cwd, out).startsWith('..') ? out : relative(cwd, out);
  if (fromParts !== undefined) {
    const { parts, problems: unread } = readParts(fromParts);
    for (const p of unread) io.err(`gna trace: a traced process's record does not read: ${p}`);
    const trace = mergeTraceParts(parts, { root: realRoot(traceBaseDir(out, cwd)), command: parts[0]?.argv ?? [], tracedAt: new Date(Math.max(0, ...parts.map((p) => p.finishedAt * 1000))) });
    if (!trace) {
      io.err(`gna trace: no part files (part-*.json) in ${fromParts}; ${shown} was not written.`);
      return EXIT.usage;
    }
    writeTrace(out, trace);
    io.err(describeTrace(trace, shown));
    return EXIT.ok;
  }
  let run: TracedRun;
  try {
    run = await runTraced(command, { cwd, out });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.err(`gna trace: cannot run ${command[0]}: ${code === 'ENOENT' ? 'command not found' : e instanceof Error ? e.message : String(e)}`);
    return EXIT.usage;
  }
  for (const p of run.problems) io.err(`gna trace: a traced process's record does not read: ${p}`);
  if (run.trace) io.err(describeTrace(run.trace, shown));
  else io.err(`gna trace: no traced Python process imported natten; ${shown} was not written.`);
  return run.exitCode;
};
