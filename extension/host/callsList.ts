// GNA: List NATTEN Calls in Workspace: the table `gna calls` prints, for the workspace's Python
// files (the linter's workspace index, so values resolve across files as in the editor), each file
// linted with its own settings and project (its NATTEN version and where it came from), shown as
// a read-only Markdown document. Cancellable; a file's lint is the worker's, so the editor never
// waits on it.

import * as vscode from 'vscode';
import type { Ctx } from './context';
import { callRows, LocatedCallRow } from '../lint/callTable';
import { callsMarkdown } from './pure/callsMarkdown';
import { readSettings } from './settings';
import { NEWEST_VERSION } from '../python/nattenApi';
import { lineOf } from '../python/statements';

export const LIST_CALLS_COMMAND = 'gna.listCalls';
const SCHEME = 'gna-calls';
const DOCUMENT = vscode.Uri.from({ scheme: SCHEME, path: '/NATTEN calls.md' });

/** What the command answers (tests read it): the rows and the document's text. */
export interface CallsListing {
  readonly rows: readonly LocatedCallRow[];
  readonly markdown: string;
}

/** 1-based line of each offset, from one pass over the text. */
function lineNumbers(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => lineOf(starts, offset) + 1;
}

export function register(ctx: Ctx): vscode.Disposable {
  let shown = '';
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const provider: vscode.TextDocumentContentProvider = { onDidChange: changed.event, provideTextDocumentContent: () => shown };
  return vscode.Disposable.from(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, provider),
    ctx.registerCommand(LIST_CALLS_COMMAND, async (): Promise<CallsListing> => {
      const listing = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'GNA: listing NATTEN calls', cancellable: true },
        (progress, token) => list(ctx, progress, token),
      );
      shown = listing.markdown;
      changed.fire(DOCUMENT);
      const document = await vscode.workspace.openTextDocument(DOCUMENT);
      await vscode.languages.setTextDocumentLanguage(document, 'markdown');
      await vscode.window.showTextDocument(document, { preview: true });
      return listing;
    }),
  );
}

async function list(ctx: Ctx, progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken): Promise<CallsListing> {
  const files = [...(await ctx.workspaceFiles())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const rows: LocatedCallRow[] = [];
  const notes: string[] = [];
  if (files.length === 0) notes.push('The workspace index holds no Python file (gna.workspaceIndex.maxFiles 0, or no *.py outside the excluded folders).');
  for (const [i, [key, text]] of files.entries()) {
    if (token.isCancellationRequested) {
      notes.push(`Cancelled after ${i} of ${files.length} files.`);
      break;
    }
    progress.report({ message: `${i + 1}/${files.length}`, increment: 100 / files.length });
    // Only files that name NATTEN can call it (the scanner finds calls through natten imports).
    if (!/natten/i.test(text)) continue;
    const uri = vscode.Uri.parse(key);
    const settings = readSettings(uri);
    const report = await ctx.lintWorkspaceFile(text, settings.lint, key);
    const line = lineNumbers(text);
    const file = vscode.workspace.asRelativePath(uri);
    for (const row of callRows(report.calls)) {
      const nattenVersion = { version: settings.lint.nattenVersion ?? NEWEST_VERSION, source: settings.nattenVersionSource ?? 'default (newest)' };
      rows.push({ ...row, file, line: line(row.range.start), nattenVersion });
    }
  }
  return { rows, markdown: callsMarkdown(rows, notes) };
}
