// What the UI checks do in the real workbench (code-server in Chromium), as a user would: open it,
// run palette commands, open files, go to a line, find a webview's frame, read its text. Every
// step waits on what the page shows (Playwright's waits, or waitFor), never for a fixed time.
import { readFileSync } from 'fs';
import { join } from 'path';
import type { Frame, Page } from 'playwright-core';
import { launchBrowser, Workbench, workbenchUrl } from './browser';
import { env } from './env';
import { waitFor } from './waitFor';

/** A browser with the workbench open for one mocha `describe`, and what it saw. */
export interface WorkbenchSession {
  readonly page: Page;
  /** Content-Security-Policy violations reported by the pages whose messages match `cspOf`. */
  readonly cspViolations: string[];
}

/**
 * Registers mocha hooks that open the workbench before the tests (no file open, so the extension
 * activates when a test opens one), screenshot a failed test as `failed-<prefix>-<title>.png`
 * and close the browser after them.
 */
export function workbenchSession(prefix: string, cspOf = /gna/i): WorkbenchSession {
  let workbench: Workbench | undefined;
  const cspViolations: string[] = [];
  before(async () => {
    workbench = await launchBrowser();
    const { page } = workbench;
    page.on('pageerror', (e) => console.log('  [pageerror]', String(e).slice(0, 300)));
    if (process.env.GNA_E2E_DEBUG) page.on('console', (m) => console.log('[browser]', m.type(), m.text().slice(0, 400)));
    page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text()) && cspOf.test(`${m.text()} ${m.location().url}`)) cspViolations.push(m.text());
    });
    await openWorkbench(page);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      const name = `failed-${prefix}-${this.currentTest.title.replace(/\W+/g, '-')}`;
      await workbench?.page.screenshot({ path: env.screenshot(name) }).catch(() => undefined);
    }
  });
  after(async () => {
    await workbench?.close();
  });
  return {
    get page(): Page {
      if (!workbench) throw new Error('the workbench is not open (used outside a test?)');
      return workbench.page;
    },
    cspViolations,
  };
}

/**
 * Loads the workbench and waits until our extension's contributions are there (the GNA activity
 * bar entry) and the explorer lists the workspace. On this 2-core machine the workbench's first
 * connection to a just-started server is sometimes dropped ("failed to connect to the server");
 * the page is then loaded again, at most three times, as a user would press Reload.
 */
export async function openWorkbench(page: Page): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.goto(workbenchUrl());
    const ready = page.locator('.activitybar [aria-label^="GNA"]').first();
    const dropped = page.locator('.monaco-dialog-box', { hasText: 'failed to connect to the server' });
    const outcome = await ready
      .or(dropped)
      .waitFor({ timeout: 90_000 })
      .then(async () => ((await dropped.isVisible()) ? 'dropped' : 'ready'))
      .catch(() => 'timeout');
    if (outcome === 'ready') break;
    if (attempt >= 3) throw new Error(`the workbench did not come up (${outcome}, ${attempt} attempts)`);
    console.log(`UI: workbench ${outcome} on attempt ${attempt}; loading it again`);
  }
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
}

/** 1-based `line:column` of the `occurrence`-th line holding `needle` in a workspace file, plus `delta` columns. */
export function lineColumnOf(relativePath: string, needle: string, { occurrence = 0, delta = 0 } = {}): string {
  const lines = readFileSync(join(env.workspace, relativePath), 'utf8').split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    const column = lines[i].indexOf(needle);
    if (column >= 0 && seen++ === occurrence) return `${i + 1}:${column + 1 + delta}`;
  }
  throw new Error(`"${needle}" not in ${relativePath}`);
}

const quickInput = (page: Page) => page.locator('.quick-input-widget input');

/**
 * Runs a palette command by its title. Enter acts on the focused row, which lags behind the typed
 * text, so it waits until that row is the command. Until the extension's commands are listed the
 * palette answers "No matching commands": it is then closed and opened again. `opensInput`: the
 * command opens another quick input (a file dialog), so the palette does not close.
 */
export async function runCommand(page: Page, title: string, { opensInput = false } = {}): Promise<void> {
  const input = quickInput(page);
  const ours = page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title });
  const none = page.locator('.quick-input-list .monaco-list-row', { hasText: 'No matching commands' });
  await waitFor(`the palette to offer "${title}"`, async () => {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    await ours.or(none).first().waitFor();
    if (await ours.isVisible()) return true;
    await page.keyboard.press('Escape');
    await input.waitFor({ state: 'hidden' });
    return false;
  }, 60_000);
  await page.keyboard.press('Enter');
  if (!opensInput) await input.waitFor({ state: 'hidden' });
}

/** Quick Open (Ctrl+P) of a workspace file by name; resolves once its editor tab is active. */
export async function openFile(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = quickInput(page);
  await input.waitFor({ state: 'visible' });
  await input.fill(fileName);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: fileName }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: fileName }).waitFor();
}

/** Go to Line: Enter is taken only once the input has parsed the text (its label says where to go). */
export async function goTo(page: Page, lineColumn: string): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = quickInput(page);
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${lineColumn}`);
  const [line, column] = lineColumn.split(':');
  await page.locator(`.quick-input-widget input[aria-label="Go to line ${line} and character ${column}."]`).waitFor();
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

/**
 * The frame of a webview page once `ready(arg)`, run in the frame, holds (its script has built what
 * the test reads).
 */
export function webviewFrame(page: Page, what: string, ready: (arg: string) => boolean, arg = ''): Promise<Frame> {
  return waitFor(
    what,
    async () => {
      for (const frame of page.frames()) if (await frame.evaluate(ready, arg).catch(() => false)) return frame;
      return undefined;
    },
    60_000,
  );
}

/** Waits until the element's text matches `pattern`, and returns the text. */
export async function waitText(frame: Frame, selector: string, pattern: RegExp, timeout = 30_000): Promise<string> {
  await frame.waitForFunction(
    ({ selector, source, flags }) => new RegExp(source, flags).test(document.querySelector(selector)?.textContent ?? ''),
    { selector, source: pattern.source, flags: pattern.flags },
    { timeout },
  );
  return (await frame.locator(selector).textContent()) ?? '';
}

/** The mask preview's frame (`view` in the sidebar, `panel` beside the editor) once its script built the grid. */
export function previewFrame(page: Page, surface: 'view' | 'panel'): Promise<Frame> {
  return webviewFrame(page, `the ${surface} preview frame`, (s) => document.body?.dataset.surface === s && document.querySelector('#grid') !== null, surface);
}

/**
 * Resolves when no finite animation (a hover fading in) is running in the workbench, so a
 * screenshot shows their end. Polled rather than awaited: an animation that is cancelled and
 * restarted (a hover re-rendered as its content arrives) rejects its `finished`.
 */
export function animationsDone(page: Page): Promise<unknown> {
  return waitFor('the workbench animations to finish', () =>
    page.evaluate(() => document.getAnimations().every((a) => a.effect?.getComputedTiming().iterations === Infinity || a.playState !== 'running')),
  );
}
