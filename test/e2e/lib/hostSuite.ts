// Runs mocha suites inside code-server's real extension host, as @vscode/test-electron's runTests
// does for desktop VS Code: the workbench loads with extensionTestsPath in its payload, calls the
// module's run(), and reports the outcome through window.codeAutomationExit(code). Extension-host
// console output (mocha's reporter) arrives through window.codeAutomationLog.
import { format } from 'util';
import type { Page } from 'playwright-core';
import { launchBrowser, workbenchUrl } from './browser';

const TIMEOUT_MS = Number(process.env.GNA_E2E_HOST_TIMEOUT_MS ?? 180_000);

/** A browser page that runs extension-host suites one after the other (a new window each). */
export interface SuitePage {
  readonly page: Page;
  /** Loads the workbench with `suite` (its index.js) as its extension tests; resolves with their exit code. */
  run(suite: string, label: string): Promise<number | 'timeout'>;
}

/** Opens a browser for `use`, and closes it whatever `use` does. */
export async function withSuitePage<T>(use: (suites: SuitePage) => Promise<T>): Promise<T> {
  const { page, close } = await launchBrowser();
  let finish: ((code: number | 'timeout') => void) | undefined;
  try {
    await page.exposeFunction('codeAutomationExit', (code: number) => finish?.(code));
    // The reporter prints printf-style ('%s'); the workbench's own info lines come through too.
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => console.log(format(...args)));
    if (process.env.GNA_E2E_DEBUG) page.on('console', (m) => console.log('[browser]', m.text().slice(0, 500)));
    return await use({
      page,
      async run(suite, label) {
        const started = Date.now();
        const finished = new Promise<number | 'timeout'>((resolve) => (finish = resolve));
        await page.goto(workbenchUrl({ extensionTests: suite }));
        // The deadline of a suite that never reports (a hung workbench), not a wait for it.
        const timer = setTimeout(() => finish?.('timeout'), TIMEOUT_MS);
        const code = await finished;
        clearTimeout(timer);
        console.log(`${label} suite: exit code ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return code;
      },
    });
  } finally {
    await close();
  }
}

/** Runs a runner's main() as the process: its result is the exit code; an error exits 1. */
export function runAsProcess(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
