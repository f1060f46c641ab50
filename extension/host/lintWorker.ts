// The lint worker's entry (dist/lintWorker.js): the linter in a worker thread, so that no file,
// however large or slow to analyse, blocks the extension host. It loads the grammar bytes the
// host hands it, says `ready`, then handles one message at a time: the workspace's Python files
// as they change (the host's index, host/workspaceIndex.ts) and lint requests, each answered with
// its report and what it consulted of the workspace. No `vscode` here.

import { parentPort, workerData } from 'worker_threads';
import { createLinter } from '../lint/linter';
import { toTransferable } from '../lint/transfer';
import type { GrammarBytes } from '../python/treeSitter';
import type { LintOptions } from '../lint/types';
import type { WorkspaceDependencies } from '../python/workspaceFiles';

/** Models of other files kept between lints (each holds a parse tree): the rest are rebuilt on need. */
const MODELS_KEPT = 256;

/** Host → worker: lint this text (`options.path`: its path in the workspace), or the workspace's files changed. */
export type LintWorkerRequest =
  | { readonly kind: 'lint'; readonly id: number; readonly text: string; readonly options: LintOptions }
  | { readonly kind: 'files'; readonly set: readonly (readonly [string, string])[]; readonly deleted: readonly string[] };

/** Worker → host: ready to lint, could not start, or one request's report. */
export type LintWorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'report'; readonly id: number; readonly report: unknown; readonly dependencies: WorkspaceDependencies };

const port = parentPort;
if (port) {
  const { grammars } = workerData as { grammars: GrammarBytes };
  createLinter(grammars).then(
    (linter) => {
      const workspace = linter.workspace(new Map());
      port.on('message', (request: LintWorkerRequest) => {
        if (request.kind === 'files') {
          for (const path of request.deleted) workspace.delete(path);
          for (const [path, text] of request.set) workspace.set(path, text);
          return;
        }
        workspace.budget.depth = 0;
        workspace.startRecording();
        let report;
        try {
          report = linter.lint(request.text, { ...request.options, workspace });
        } finally {
          workspace.trim(MODELS_KEPT);
        }
        const message: LintWorkerMessage = { kind: 'report', id: request.id, report: toTransferable(report), dependencies: workspace.stopRecording() };
        port.postMessage(message);
      });
      port.postMessage({ kind: 'ready' } satisfies LintWorkerMessage);
    },
    (e: unknown) => port.postMessage({ kind: 'failed', message: e instanceof Error ? e.message : String(e) } satisfies LintWorkerMessage),
  );
}
