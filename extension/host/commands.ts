// The commands' shared parts: finding the config a command acts on (its argument from a lens or
// hover link, or the call at the cursor), and `gna.pickConfig` (internal, no palette entry), which
// asks which variant of a dict-configured call to use, then runs `gna.previewMask` or
// `gna.benchmarkConfig` with it. The commands themselves live with their features
// (previewView.ts, benchmark.ts).

import * as vscode from 'vscode';
import type { Ctx } from './context';
import { CallRef, callTarget, CallTarget, parseCallRef, parseCallTarget } from './pure/calls';
import { describeConfig, NO_CALL_AT_CURSOR } from './pure/commandMessages';
import { BENCHMARK_COMMAND, PREVIEW_COMMAND } from './pure/hoverMarkdown';

export const PICK_CONFIG_COMMAND = 'gna.pickConfig';

export function register(ctx: Ctx): vscode.Disposable {
  // Internal (no palette entry): the lenses of a dict-configured call ask which variant first.
  return ctx.registerCommand(PICK_CONFIG_COMMAND, async (command: unknown, targets: unknown) => {
    if ((command !== PREVIEW_COMMAND && command !== BENCHMARK_COMMAND) || !Array.isArray(targets)) return undefined;
    const parsed = targets.map(parseCallTarget).filter((t): t is CallTarget => typeof t !== 'string');
    // A call whose configs are not fully known is passed by place: both commands ask for the rest.
    const refs = parsed.length === 0 ? targets.map(parseCallRef).filter((t): t is CallRef => typeof t !== 'string') : parsed;
    const chosen = await pickTarget(refs);
    return chosen && vscode.commands.executeCommand(command, chosen);
  });
}

/** The only target, or the one the user picks among a dict-configured call's variants. */
async function pickTarget<T extends CallRef | CallTarget>(targets: readonly T[]): Promise<T | undefined> {
  if (targets.length <= 1) return targets[0];
  const picked = await vscode.window.showQuickPick(
    targets.map((target) => ({ label: target.variant ?? target.op, description: 'problem' in target ? describeConfig(target) : 'config not fully known', target })),
    { title: 'Which config of this call?' },
  );
  return picked?.target;
}

/**
 * The config a command acts on: its argument (a lens or hover link, checked again here) or the
 * call at the cursor (asking which variant for a dict-configured call); a sentence saying why
 * when there is none; undefined when the user dismissed the variant picker.
 */
export async function resolveTarget(ctx: Ctx, arg: unknown): Promise<CallTarget | string | undefined> {
  return arg === undefined ? targetAtCursor(ctx) : parseCallTarget(arg);
}

async function targetAtCursor(ctx: Ctx): Promise<CallTarget | string | undefined> {
  const targets = await targetsAtCursor(ctx);
  return targets.length === 0 ? NO_CALL_AT_CURSOR : pickTarget(targets);
}

/** The complete, valid configs of the call at the cursor (one per dict variant). */
export async function targetsAtCursor(ctx: Ctx): Promise<CallTarget[]> {
  const at = await ctx.callAt(vscode.window.activeTextEditor);
  if (typeof at === 'string') return [];
  const uri = at.document.uri.toString();
  return at.calls.map((call) => callTarget(uri, call)).filter((t): t is CallTarget => t !== undefined);
}
