// Runs a mocha suite inside code-server's real extension host, as @vscode/test-electron's
// runTests does for desktop VS Code: the workbench loads with extensionTestsPath in its payload,
// calls the module's run(), and reports the outcome through window.codeAutomationExit(code).
// Extension-host console output (mocha's reporter) arrives through window.codeAutomationLog.
// Usage: node runHostTests.js <absolute path of the suite's index.js> <label>
import { format } from 'util';
import { launchBrowser, workbenchUrl } from './browser';
import { env } from './env';

const TIMEOUT_MS = Number(process.env.GNA_E2E_HOST_TIMEOUT_MS ?? 180_000);

async function main(): Promise<number> {
  const [suite, label = 'host'] = process.argv.slice(2);
  if (!suite) throw new Error('usage: runHostTests <suite index.js> [label]');
  const started = Date.now();
  const { page, close } = await launchBrowser();
  try {
    let finish!: (code: number | 'timeout') => void;
    const finished = new Promise<number | 'timeout'>((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    // The reporter prints printf-style ('%s'); the workbench's own info lines come through too.
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => console.log(format(...args)));
    if (process.env.GNA_E2E_DEBUG) page.on('console', (m) => console.log('[browser]', m.text().slice(0, 500)));
    await page.goto(workbenchUrl({ extensionTests: suite }));
    const timer = setTimeout(() => finish('timeout'), TIMEOUT_MS);
    const code = await finished;
    clearTimeout(timer);
    await page.screenshot({ path: env.screenshot(`${label}-suite-end`) }).catch(() => undefined);
    console.log(`${label} suite: exit code ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return code === 0 ? 0 : 1;
  } finally {
    await close();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
