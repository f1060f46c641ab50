// "GNA: Trace a Run…": asks for a Python command (the last one offered again), runs it under
// `gna trace` with the Python extension's interpreter (`gna.pythonPath` without it) in a terminal
// of its own, with a cancellable progress notification; trusted workspaces only (it runs code).
// The CLI does the work (dist/cli.js, forked), so the editor and `gna trace` trace alike.

import { ChildProcess, fork } from 'child_process';
import { delimiter, dirname, isAbsolute } from 'path';
import * as vscode from 'vscode';
import type { Ctx } from './context';
import { splitCommandLine, tracedArgv, traceSummary } from './pure/traceCommand';
import { TRACED_LAYERS_VIEW } from './tracedLayers';
import { TRACE_GLOB, TraceStore } from './traceStore';

export const TRACE_RUN_COMMAND = 'gna.traceRun';
const LAST_COMMAND = 'gna.trace.lastCommand';

/** What the command answers (tests read it). */
export interface TraceRunOutcome {
  readonly shown: 'info' | 'warning' | 'error';
  readonly message: string;
  readonly exitCode?: number;
  readonly cancelled?: boolean;
}

interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath?(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment?(env: { path: string } | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
}

/** The Python extension's interpreter for the folder, else `gna.pythonPath`. */
async function interpreter(ctx: Ctx, folder: vscode.WorkspaceFolder): Promise<{ path: string; from: string }> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (extension) {
    try {
      const api = extension.isActive ? extension.exports : await extension.activate();
      const active = api?.environments?.getActiveEnvironmentPath?.(folder.uri);
      const resolved = active ? await api.environments?.resolveEnvironment?.(active) : undefined;
      const path = resolved?.executable?.uri?.fsPath ?? active?.path;
      if (path) return { path, from: 'the Python extension' };
    } catch (e) {
      ctx.logError('asking the Python extension for its interpreter', e);
    }
  }
  const setting = vscode.workspace.getConfiguration('gna', folder.uri).get<string>('pythonPath');
  return { path: setting && setting.trim() !== '' ? setting.trim() : 'python3', from: 'gna.pythonPath' };
}

function show(outcome: TraceRunOutcome): TraceRunOutcome {
  const say = outcome.shown === 'error' ? vscode.window.showErrorMessage : outcome.shown === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  if (outcome.shown === 'info' && outcome.exitCode === 0) {
    void say(outcome.message, 'Show Traced Layers').then((choice) => choice && vscode.commands.executeCommand(`${TRACED_LAYERS_VIEW}.focus`));
  } else void say(outcome.message);
  return outcome;
}

export function register(ctx: Ctx, store: TraceStore): vscode.Disposable {
  const state = ctx.workspaceState;
  return ctx.registerCommand(TRACE_RUN_COMMAND, async (given?: unknown): Promise<TraceRunOutcome | undefined> => {
    if (!vscode.workspace.isTrusted) {
      return show({ shown: 'warning', message: 'Tracing runs your Python code: trust this workspace first (Manage Workspace Trust).' });
    }
    const active = vscode.window.activeTextEditor?.document.uri;
    const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder || folder.uri.scheme !== 'file') return show({ shown: 'warning', message: 'Open a local folder to trace a run in it.' });
    const line =
      typeof given === 'string'
        ? given
        : await vscode.window.showInputBox({
            title: 'GNA: Trace a Run',
            prompt: `Python command to run with NATTEN traced, in ${folder.name} (writes ${TRACE_GLOB})`,
            placeHolder: 'python train.py --steps 1    ·    -m pytest tests/test_model.py',
            value: state.get<string>(LAST_COMMAND) ?? '',
            validateInput: (text) => {
              const words = splitCommandLine(text);
              return typeof words === 'string' ? words : words.length === 0 ? 'Type the command to run.' : undefined;
            },
          });
    if (line === undefined) return undefined;
    const words = splitCommandLine(line);
    if (typeof words === 'string' || words.length === 0) return show({ shown: 'error', message: typeof words === 'string' ? words : 'No command was given.' });
    await state.update(LAST_COMMAND, line);
    const python = await interpreter(ctx, folder);
    const argv = tracedArgv(words, python.path);
    const out = vscode.Uri.joinPath(folder.uri, TRACE_GLOB).fsPath;
    ctx.output.info(`tracing in ${folder.uri.fsPath} with ${python.path} (${python.from}): ${argv.join(' ')}`);
    const outcome = await runInTerminal(ctx, folder, argv, out, python.path);
    await store.load(folder);
    return show(outcome);
  });
}

/** Runs `gna trace` on argv, its output in a terminal, with a progress notification that cancels it. */
function runInTerminal(ctx: Ctx, folder: vscode.WorkspaceFolder, argv: string[], out: string, python: string): Promise<TraceRunOutcome> {
  const write = new vscode.EventEmitter<string>();
  const closed = new vscode.EventEmitter<number | void>();
  let child: ChildProcess | undefined;
  let cancelled = false;
  const stop = () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    cancelled = true;
    // Its own process group: Ctrl-C reaches the traced program, which still writes its trace.
    if (process.platform !== 'win32' && child.pid) process.kill(-child.pid, 'SIGINT');
    else child.kill('SIGINT');
  };
  const terminal = vscode.window.createTerminal({
    name: 'GNA Trace',
    pty: { onDidWrite: write.event, onDidClose: closed.event, open: () => undefined, close: stop, handleInput: (data: string) => data === '\x03' && stop() },
  });
  terminal.show(true);
  const echo = (text: string) => write.fire(text.replace(/\r?\n/g, '\r\n'));
  echo(`$ gna trace -- ${argv.join(' ')}\n`);
  const env = { ...process.env };
  if (isAbsolute(python)) env.PATH = `${dirname(python)}${delimiter}${env.PATH ?? ''}`;
  let output = '';
  return Promise.resolve(
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `GNA: tracing ${argv.join(' ')}`, cancellable: true },
      (_progress, token) =>
        new Promise<TraceRunOutcome>((done) => {
          token.onCancellationRequested(stop);
          const cli = vscode.Uri.joinPath(ctx.extensionUri, 'dist', 'cli.js').fsPath;
          child = fork(cli, ['trace', '--out', out, '--', ...argv], { cwd: folder.uri.fsPath, env, silent: true, detached: process.platform !== 'win32' });
          const take = (d: Buffer) => {
            const text = d.toString();
            output += text;
            echo(text);
          };
          child.stdout?.on('data', take);
          child.stderr?.on('data', take);
          child.on('error', (e) => done({ shown: 'error', message: `gna trace could not start: ${e.message}` }));
          child.on('close', (code) => {
            const exitCode = code ?? 130;
            echo(`\n[gna trace exited with code ${exitCode}]\n`);
            const summary = traceSummary(output) ?? 'no summary (see the GNA Trace terminal)';
            if (cancelled) done({ shown: 'warning', message: `Trace cancelled: ${summary}`, exitCode, cancelled: true });
            else if (exitCode === 0) done({ shown: 'info', message: `Traced: ${summary}`, exitCode });
            else done({ shown: 'warning', message: `The traced command exited with code ${exitCode}: ${summary}`, exitCode });
          });
        }),
    ),
  ).finally(() => {
    write.dispose();
    closed.dispose();
  });
}
