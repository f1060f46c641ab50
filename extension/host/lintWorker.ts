// The lint worker's entry (dist/lintWorker.js): the linter in a worker thread, so that no file,
// however large or slow to analyse, blocks the extension host. It loads the grammar bytes the
// host hands it, says `ready`, then answers one request at a time. No `vscode` here.

import { parentPort, workerData } from 'worker_threads';
import { createLinter } from '../lint/linter';
import { toTransferable } from '../lint/transfer';
import type { GrammarBytes } from '../python/treeSitter';
import type { LintOptions } from '../lint/types';

/** Host → worker: lint this text. */
export interface LintWorkerRequest {
  readonly id: number;
  readonly text: string;
  readonly options: LintOptions;
}

/** Worker → host: ready to lint, could not start, or one request's report. */
export type LintWorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'report'; readonly id: number; readonly report: unknown };

const port = parentPort;
if (port) {
  const { grammars } = workerData as { grammars: GrammarBytes };
  createLinter(grammars).then(
    (linter) => {
      port.on('message', (request: LintWorkerRequest) => {
        const message: LintWorkerMessage = { kind: 'report', id: request.id, report: toTransferable(linter.lint(request.text, request.options)) };
        port.postMessage(message);
      });
      port.postMessage({ kind: 'ready' } satisfies LintWorkerMessage);
    },
    (e: unknown) => port.postMessage({ kind: 'failed', message: e instanceof Error ? e.message : String(e) } satisfies LintWorkerMessage),
  );
}
