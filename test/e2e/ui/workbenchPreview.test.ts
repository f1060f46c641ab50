// The mask preview in the real workbench (code-server in Chromium): the GNA view opens on the
// call at the cursor, follows the cursor, a click on a query changes the picture, a panel edit is
// written back into the document (and undone with Ctrl+Z), and the editor-panel variant opens
// beside the code. Screenshots of the 1-D, 2-D and 3-D previews go to the artifacts. Every wait is
// on a condition in the page, never a fixed sleep.
import * as assert from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import type { Frame, Page } from 'playwright-core';
import { launchBrowser, Workbench, workbenchUrl } from '../lib/browser';
import { env } from '../lib/env';

/** 1-based line:column of the first `needle` in a workspace file, plus `delta` columns. */
function lineColumnOf(relativePath: string, needle: string, occurrence = 0, delta = 0): string {
  const lines = readFileSync(join(env.workspace, relativePath), 'utf8').split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    const column = lines[i].indexOf(needle);
    if (column >= 0 && seen++ === occurrence) return `${i + 1}:${column + 1 + delta}`;
  }
  throw new Error(`"${needle}" not in ${relativePath}`);
}

async function quickInput(page: Page, key: string, text: string, row?: string): Promise<void> {
  await page.keyboard.press(key);
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  if (row) await page.locator('.quick-input-list .monaco-list-row', { hasText: row }).first().waitFor();
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

const runCommand = (page: Page, title: string) => quickInput(page, 'F1', `>${title}`, title);

/** Go to Line: Enter is taken only once the input has parsed the text (its label says where to go). */
async function goTo(page: Page, lineColumn: string): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${lineColumn}`);
  const [line, column] = lineColumn.split(':');
  await page.locator(`.quick-input-widget input[aria-label="Go to line ${line} and character ${column}."]`).waitFor();
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

async function openFile(page: Page, name: string): Promise<void> {
  await quickInput(page, 'Control+P', name, name);
  await page.locator('.tab.active', { hasText: name }).waitFor();
}

/** The frame of a preview page (`view` or `panel`), once its script has built the controls. */
async function previewFrame(page: Page, surface: 'view' | 'panel'): Promise<Frame> {
  for (let i = 0; i < 600; i++) {
    for (const frame of page.frames()) {
      const found = await frame
        .evaluate((s) => document.body?.dataset.surface === s && document.querySelector('#grid') !== null, surface)
        .catch(() => false);
      if (found) return frame;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`no ${surface} preview frame appeared`);
}

/** A workbench screenshot with the preview scrolled so its picture (legend to tile pairs) shows. */
async function shot(page: Page, frame: Frame, name: string): Promise<void> {
  await frame.locator('.legend').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: env.screenshot(name) });
}

async function waitText(frame: Frame, selector: string, pattern: RegExp, timeout = 30_000): Promise<string> {
  await frame.waitForFunction(
    ({ selector, source, flags }) => new RegExp(source, flags).test(document.querySelector(selector)?.textContent ?? ''),
    { selector, source: pattern.source, flags: pattern.flags },
    { timeout },
  );
  return (await frame.locator(selector).textContent()) ?? '';
}

/** Picks a colour theme with Preferences: Color Theme, clicking the rows by their text. */
async function pickColorTheme(page: Page, theme: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Preferences: Color Theme');
  await page.locator('.quick-input-list .monaco-list-row[aria-label^="Preferences: Color Theme"]').first().click();
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Light Modern' }).first().waitFor();
  await input.fill(theme);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: theme }).first().click();
  await input.waitFor({ state: 'hidden' });
}

describe('GNA mask preview in the VS Code UI', function () {
  this.timeout(180_000);
  let workbench: Workbench;
  let page: Page;
  const cspMessages: string[] = [];

  before(async () => {
    workbench = await launchBrowser();
    page = workbench.page;
    page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text()) && /preview|gna/i.test(`${m.text()} ${m.location().url}`)) cspMessages.push(m.text());
    });
    await page.goto(workbenchUrl());
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await page.screenshot({ path: env.screenshot(`failed-preview-${this.currentTest.title.replace(/\W+/g, '-')}`) }).catch(() => undefined);
    }
  });

  after(async () => {
    await workbench?.close();
  });

  it('opens the GNA view on the call at the cursor and draws its 2-D config', async () => {
    await openFile(page, 'image_2d.py');
    await goTo(page, lineColumnOf('preview/image_2d.py', 'na2d(q', 0, 2));
    await runCommand(page, 'GNA: Preview Mask of the Call at the Cursor');
    const view = await previewFrame(page, 'view');
    await waitText(view, '#source', /^na2d at preview\/image_2d\.py:7 · layout from its # gna: annotation/);
    assert.equal(await view.locator('#field-dilation input').inputValue(), '1, 2');
    await waitText(view, '#number-simulated', /^2\.67×/);
    await waitText(view, '#query-query', /^\(24, 32\)$/);
    assert.match((await view.locator('.legend').textContent()) ?? '', /stride group.*dilation group/);
    await shot(page, view, 'preview-2d');
  });

  it('follows the cursor from call to call, and to no call', async () => {
    const view = await previewFrame(page, 'view');
    await goTo(page, lineColumnOf('preview/image_2d.py', 'na2d(q', 1, 2));
    await waitText(view, '#source', /^na2d at preview\/image_2d\.py:12/);
    await waitText(view, '#query-keys', /^81$/);
    await goTo(page, '1:1');
    await waitText(view, '#source', /^Free config: the cursor is not in a NATTEN call/);
    await goTo(page, lineColumnOf('preview/image_2d.py', 'na2d(q', 0, 2));
    await waitText(view, '#source', /^na2d at preview\/image_2d\.py:7/);
  });

  it('a click on a query in the grid changes what is shown', async () => {
    const view = await previewFrame(page, 'view');
    await waitText(view, '#query-query', /^\(24, 32\)$/);
    const grid = view.locator('#grid');
    const box = (await grid.boundingBox())!;
    const cell = (box.width - 2) / 64;
    await grid.click({ position: { x: 1 + cell * 11.5, y: 1 + cell * 5.5 } });
    await waitText(view, '#query-query', /^\(5, 11\)$/);
    // 13×13 window near the corner, clamped inward: still 169 keys; dilation (1, 2) puts column 11 in group 1.
    await waitText(view, '#query-keys', /^169$/);
    await waitText(view, '#query-dilation-group', /^\(0, 1\)$/);
    await shot(page, view, 'preview-2d-clicked');
  });

  it('writes a panel edit back into the call as one edit that Ctrl+Z undoes', async () => {
    const view = await previewFrame(page, 'view');
    await view.locator('#field-stride input').fill('8, 8');
    await waitText(view, '#number-simulated', /^\d/);
    await view.locator('#write-back').click();
    await waitText(view, '#status', /^Wrote stride=\(8, 8\)\. .*Undo with Ctrl\+Z/);
    const editorLines = page.locator('.editor-group-container.active .view-lines');
    await editorLines.filter({ hasText: 'kernel_size=(13, 13), stride=(8, 8), dilation=(1, 2)' }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: env.screenshot('preview-written-back') });
    // The preview now shows the call as written, so there is nothing left to write.
    await view.waitForFunction(() => (document.querySelector('#write-back') as HTMLElement & { disabled: boolean }).disabled);
    await runCommand(page, 'View: Focus Active Editor Group');
    await page.keyboard.press('Control+Z');
    await editorLines.filter({ hasText: 'kernel_size=(13, 13), stride=(4, 4), dilation=(1, 2)' }).waitFor({ timeout: 30_000 });
    // The page follows the undo: the field shows the call's stride again.
    await view.waitForFunction(() => (document.querySelector('#field-stride') as HTMLElement & { value: string }).value === '4, 4');
  });

  it('draws a 3-D call by slices and a 1-D call with its attention matrix', async () => {
    const view = await previewFrame(page, 'view');
    await openFile(page, 'video_3d.py');
    await goTo(page, lineColumnOf('preview/video_3d.py', 'na3d(q', 0, 2));
    await waitText(view, '#source', /^na3d at preview\/video_3d\.py:7/);
    await waitText(view, '#query-query', /^\(15, 24, 40\)$/);
    assert.equal(await view.locator('#slice').isVisible(), true);
    await shot(page, view, 'preview-3d');
    await openFile(page, 'sequence_1d.py');
    await goTo(page, lineColumnOf('preview/sequence_1d.py', 'na1d(q', 0, 2));
    await waitText(view, '#source', /^na1d at preview\/sequence_1d\.py:7/);
    await waitText(view, '#query-keys', /^512$/);
    assert.equal(await view.locator('#matrix').isVisible(), true);
    await shot(page, view, 'preview-1d');
  });

  it('opens as an editor panel beside the code, following the same call', async () => {
    const view = await previewFrame(page, 'view');
    await view.locator('#open-panel').click();
    const panel = await previewFrame(page, 'panel');
    await waitText(panel, '#source', /^na1d at preview\/sequence_1d\.py:7/);
    assert.equal(await panel.locator('#open-panel').count(), 0, 'the panel has no "Open beside" button');
    await page.locator('.tab', { hasText: 'GNA Mask Preview' }).waitFor();
    await page.screenshot({ path: env.screenshot('preview-panel') });
    assert.deepEqual(cspMessages, [], 'no Content-Security-Policy violation in the preview pages');
  });

  for (const [theme, bodyClass] of [
    ['Dark Modern', 'vscode-dark'],
    ['Dark High Contrast', 'vscode-high-contrast'],
    ['Light Modern', 'vscode-light'],
  ] as const) {
    it(`redraws in the ${theme} theme's colours`, async () => {
      const view = await previewFrame(page, 'view');
      await pickColorTheme(page, theme);
      await view.waitForFunction((c) => document.body.classList.contains(c), bodyClass, { timeout: 30_000 });
      // The grid's far corner is no key of the centred query: it shows the theme's editor background.
      await view.waitForFunction(() => {
        const canvas = document.querySelector('#grid') as HTMLCanvasElement;
        const [r, g, b] = canvas.getContext('2d')!.getImageData(3, 3, 1, 1).data;
        const probe = document.createElement('span');
        probe.style.color = getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background');
        document.body.append(probe);
        const expected = getComputedStyle(probe).color;
        probe.remove();
        return expected === `rgb(${r}, ${g}, ${b})`;
      });
      await shot(page, view, `preview-theme-${bodyClass}`);
    });
  }
});
