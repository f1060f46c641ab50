// The benchmark history across a window reload, in one browser: the first extension-host suite
// records (imports the recorded fixture) and leaves the report open; once the workbench has
// written the record to its storage (IndexedDB: code-server keeps workspace state in the browser),
// the page loads the workbench again — a new window with a fresh extension host — and the second
// suite checks the history is still there and the report renders it. Screenshots of both reports
// go to the artifacts.
// Usage: node runReloadTests.js <before suite index.js> <after suite index.js>
import { readFileSync } from 'fs';
import { join } from 'path';
import type { Page } from 'playwright-core';
import { env } from './env';
import { runAsProcess, withSuitePage } from './hostSuite';
import { waitFor } from './waitFor';

/** Whether any of the page's workspace-state databases holds `needle`. */
async function storedInBrowser(page: Page, needle: string): Promise<boolean> {
  return page
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
}

runAsProcess(async () => {
  const [before, after] = process.argv.slice(2);
  if (!before || !after) throw new Error('usage: runReloadTests <before suite index.js> <after suite index.js>');
  return withSuitePage(async ({ page, run }) => {
    const first = await run(before, 'reload (before)');
    await page.screenshot({ path: env.screenshot('report-recorded-result') }).catch(() => undefined);
    if (first !== 0) return 1;
    // The first suite wrote the ids of what it recorded.
    const ids = Object.values(JSON.parse(readFileSync(join(env.artifacts, 'reload-recorded.json'), 'utf8')) as Record<string, string>);
    try {
      for (const id of ids) await waitFor(`the record ${id} in the workbench's storage`, () => storedInBrowser(page, id), 30_000);
    } catch (e) {
      console.error(`reload: ${String(e)}`);
      return 1;
    }
    const second = await run(after, 'reload (after)');
    await page.screenshot({ path: env.screenshot('report-after-reload') }).catch(() => undefined);
    return second === 0 ? 0 : 1;
  });
});
