// The benchmark history across a window reload, in one browser: the first extension-host suite
// records (imports the recorded fixture) and leaves the report open; once the workbench has
// written the record to its storage (IndexedDB: code-server keeps workspace state in the browser),
// the page loads the workbench again — a new window with a fresh extension host — and the second
// suite checks the history is still there and the report renders it. Screenshots of both reports
// go to the artifacts.
// Usage: node runReloadTests.js <before suite index.js> <after suite index.js>
import { readFileSync } from 'fs';
import { join } from 'path';
import { format } from 'util';
import type { Page } from 'playwright-core';
import { launchBrowser, workbenchUrl } from './browser';
import { env } from './env';

const TIMEOUT_MS = Number(process.env.GNA_E2E_HOST_TIMEOUT_MS ?? 180_000);

/** Loads the workbench with `suite` as its extension tests; resolves with their exit code. */
async function runSuite(page: Page, suite: string, label: string, exits: { finish?: (code: number) => void }): Promise<number | 'timeout'> {
  const finished = new Promise<number | 'timeout'>((resolve) => {
    exits.finish = resolve;
    setTimeout(() => resolve('timeout'), TIMEOUT_MS);
  });
  await page.goto(workbenchUrl({ extensionTests: suite }));
  const code = await finished;
  console.log(`${label} suite: exit code ${code}`);
  return code;
}

/** Whether any of the page's workspace-state databases holds `needle` (polled, never slept). */
async function storedInBrowser(page: Page, needle: string, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await page
      .evaluate(async (text) => {
        const names = (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('vscode-web-state-db-'));
        for (const name of names) {
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const request = indexedDB.open(name);
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          });
          try {
            if (!db.objectStoreNames.contains('ItemTable')) continue;
            const values = await new Promise<unknown[]>((resolve, reject) => {
              const request = db.transaction('ItemTable', 'readonly').objectStore('ItemTable').getAll();
              request.onsuccess = () => resolve(request.result);
              request.onerror = () => reject(request.error);
            });
            if (values.some((v) => typeof v === 'string' && v.includes(text))) return true;
          } finally {
            db.close();
          }
        }
        return false;
      }, needle)
      .catch(() => false);
    if (found) return true;
    await page.waitForTimeout(200);
  }
  return false;
}

async function main(): Promise<number> {
  const [before, after] = process.argv.slice(2);
  if (!before || !after) throw new Error('usage: runReloadTests <before suite index.js> <after suite index.js>');
  const { page, close } = await launchBrowser();
  try {
    const exits: { finish?: (code: number) => void } = {};
    await page.exposeFunction('codeAutomationExit', (code: number) => exits.finish?.(code));
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => console.log(format(...args)));
    if (process.env.GNA_E2E_DEBUG) page.on('console', (m) => console.log('[browser]', m.text().slice(0, 500)));

    const first = await runSuite(page, before, 'reload (before)', exits);
    await page.screenshot({ path: env.screenshot('report-recorded-result') }).catch(() => undefined);
    if (first !== 0) return 1;
    // The first suite wrote the id of what it recorded.
    const { id } = JSON.parse(readFileSync(join(env.artifacts, 'reload-recorded.json'), 'utf8')) as { id: string };
    if (!(await storedInBrowser(page, id))) {
      console.error(`reload: the record ${id} never reached the workbench's storage`);
      return 1;
    }
    const second = await runSuite(page, after, 'reload (after)', exits);
    await page.screenshot({ path: env.screenshot('report-after-reload') }).catch(() => undefined);
    return second === 0 ? 0 : 1;
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
