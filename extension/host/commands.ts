// `gna.benchmarkConfig` (`gna.previewMask` lives with the preview, in previewView.ts). Its real
// implementation lands with its own issue; until then it says what it will do, with the simulated
// numbers. It takes a CallTarget (from a lens or hover link) or, from the palette, the call at the cursor.
// It returns the message it showed, so tests can check it without reading notifications.
// `gna.pickConfig` (internal, no palette entry) asks which variant of a dict-configured call to
// use, then runs `gna.previewMask` or `gna.benchmarkConfig` with it.

import * as vscode from 'vscode';
import { simulate } from '../core/simulator';
import type { Ctx } from './context';
import { toOffset } from './convert';
import { callsAt, callTarget, CallTarget, parseCallTarget } from './pure/calls';
import { benchmarkComingMessage, describeConfig, NO_CALL_AT_CURSOR, UNTRUSTED_BENCHMARK } from './pure/commandMessages';
import { BENCHMARK_COMMAND, PREVIEW_COMMAND } from './pure/hoverMarkdown';

export const PICK_CONFIG_COMMAND = 'gna.pickConfig';

export interface CommandOutcome {
  readonly shown: 'info' | 'warning' | 'error';
  readonly message: string;
}

export function register(ctx: Ctx): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(BENCHMARK_COMMAND, (arg?: unknown) =>
      run(ctx, 'benchmark', arg, (target) => {
        if (!ctx.trusted) {
          void vscode.window.showWarningMessage(UNTRUSTED_BENCHMARK, 'Manage Workspace Trust').then((choice) => {
            if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
          });
          return { shown: 'warning', message: UNTRUSTED_BENCHMARK };
        }
        const simulation = target.tiles ? simulate(target.problem, target.tiles) : undefined;
        return info(benchmarkComingMessage(target, simulation));
      }),
    ),
    // Internal (no palette entry): the lenses of a dict-configured call ask which variant first.
    vscode.commands.registerCommand(PICK_CONFIG_COMMAND, async (command: unknown, targets: unknown) => {
      if ((command !== PREVIEW_COMMAND && command !== BENCHMARK_COMMAND) || !Array.isArray(targets)) return undefined;
      const parsed = targets.map(parseCallTarget).filter((t): t is CallTarget => typeof t !== 'string');
      const chosen = await pickTarget(parsed);
      return chosen && vscode.commands.executeCommand(command, chosen);
    }),
  );
}

/** The only target, or the one the user picks among a dict-configured call's variants. */
async function pickTarget(targets: readonly CallTarget[]): Promise<CallTarget | undefined> {
  if (targets.length <= 1) return targets[0];
  const picked = await vscode.window.showQuickPick(
    targets.map((target) => ({ label: target.variant ?? target.op, description: describeConfig(target), target })),
    { title: 'Which config of this call?' },
  );
  return picked?.target;
}

async function run(
  ctx: Ctx,
  name: string,
  arg: unknown,
  action: (target: CallTarget) => CommandOutcome,
): Promise<CommandOutcome> {
  try {
    const target = arg === undefined ? await targetAtCursor(ctx) : parseCallTarget(arg);
    if (target === undefined) return { shown: 'info', message: 'No config picked.' };
    if (typeof target === 'string') {
      void vscode.window.showWarningMessage(target);
      return { shown: 'warning', message: target };
    }
    return action(target);
  } catch (e) {
    ctx.logError(`${name} command`, e);
    const message = `GNA ${name} failed: ${e instanceof Error ? e.message : String(e)}`;
    void vscode.window.showErrorMessage(message);
    return { shown: 'error', message };
  }
}

function info(message: string): CommandOutcome {
  void vscode.window.showInformationMessage(message);
  return { shown: 'info', message };
}

async function targetAtCursor(ctx: Ctx): Promise<CallTarget | string | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !ctx.isLinted(editor.document)) return NO_CALL_AT_CURSOR;
  const lint = await ctx.lint(editor.document);
  if (!lint) return NO_CALL_AT_CURSOR;
  const uri = editor.document.uri.toString();
  const targets = callsAt(lint.report, toOffset(editor.document, editor.selection.active))
    .map((call) => callTarget(uri, call))
    .filter((t): t is CallTarget => t !== undefined);
  return targets.length === 0 ? NO_CALL_AT_CURSOR : pickTarget(targets);
}
