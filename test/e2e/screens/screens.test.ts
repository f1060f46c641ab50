// Screenshots of real-code-like model files (test/e2e/workspace/screens) in the real workbench,
// in each of VS Code's four theme kinds: the editor with hints and lenses, the hover of a call and
// of a partly known one (what is missing), the quick fix that adds the annotation, the prefilled
// preview of the partly known call, the 2-D preview beside the code zoomed in, and a 3-D call's
// tile-pair map. Each capture first waits for and asserts what it photographs, so a broken surface
// fails the run instead of leaving an empty picture. PNGs: <artifacts>/screens/<theme>/<surface>.png,
// and the same under $GNA_E2E_SCREENS_DIR when set. Run alone with GNA_E2E_ONLY=screens.
import * as assert from 'assert';
import { copyFileSync, mkdirSync } from 'fs';
import { dirname, join } from 'path';
import type { Frame, Page } from 'playwright-core';
import { env } from '../lib/env';
import { painted, Theme, THEMES, useTheme } from '../lib/themes';
import { animationsDone, goTo, lineColumnOf, openFile, previewFrame, runCommand, waitText, workbenchSession } from '../lib/workbench';

const DINAT = 'screens/dinat_backbone.py';
const VIDEO = 'screens/video_decoder.py';
const PARTIAL = 'screens/runtime_window.py';

/** Saves a screenshot of the whole window as <theme>/<surface>.png (and copies it out). */
async function capture(page: Page, theme: Theme, surface: string): Promise<void> {
  const path = join(env.artifacts, 'screens', theme.dir, `${surface}.png`);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path });
  const out = process.env.GNA_E2E_SCREENS_DIR;
  if (out) {
    mkdirSync(join(out, theme.dir), { recursive: true });
    copyFileSync(path, join(out, theme.dir, `${surface}.png`));
  }
}

/** Scrolls a preview page so `selector` is at the top, just below the sticky caption of what is drawn. */
function scrollToTop(frame: Frame, selector: string): Promise<void> {
  return frame.evaluate((selector) => {
    document.querySelector(selector)?.scrollIntoView({ block: 'start' });
    window.scrollBy(0, -(document.querySelector('#drawn-as')?.getBoundingClientRect().height ?? 0) - 4);
  }, selector);
}

/** The line `file:N` of a call, as the preview labels it. */
function callLabel(file: string, needle: string): string {
  return `${file}:${lineColumnOf(file, needle).split(':')[0]}`;
}

/** Puts the cursor in a call and waits until the preview shows that call and has drawn it. */
async function showCall(page: Page, view: Frame, file: string, needle: string): Promise<string> {
  await openFile(page, file.split('/').pop()!);
  await goTo(page, lineColumnOf(file, needle, { delta: 2 }));
  const label = callLabel(file, needle);
  return waitText(view, '#source', new RegExp(label.replace(/[.]/g, '\\.')));
}

/**
 * Shows the hover of the call at `file`'s first `na?d(q` (the cursor inside its arguments) and
 * photographs it with the part that starts with `heading` scrolled to the top (diagnostics on the
 * same range come first); asserts that the text `last` (the end of what the hover must say
 * without scrolling) is inside the hover's box; returns the hover's text.
 */
async function captureHover(page: Page, theme: Theme, surface: string, file: string, heading: string, last: RegExp): Promise<string> {
  await openFile(page, file.split('/').pop()!);
  await goTo(page, lineColumnOf(file, 'd(q, k, v', { delta: 2 }));
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const hover = page.locator('.monaco-hover', { hasText: heading });
  await hover.waitFor({ state: 'visible', timeout: 30_000 });
  await animationsDone(page);
  await hover.getByText(heading).first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const box = await hover.boundingBox();
  const end = await hover.getByText(last).first().boundingBox();
  assert.ok(box && end && end.y + end.height <= box.y + box.height + 1, `${surface}: ${last} is cut by the hover's height (${JSON.stringify({ box, end })})`);
  const text = await hover.innerText();
  await capture(page, theme, surface);
  await page.keyboard.press('Escape');
  await hover.waitFor({ state: 'hidden' });
  return text;
}

describe('screenshots of real-code-like files in each theme', function () {
  this.timeout(180_000);
  const ui = workbenchSession('screens', /preview|gna/i);
  let view: Frame;

  before(async () => {
    const { page } = ui;
    // After the UI checks the window restores their editors: start from none, so every theme's
    // pictures show the same tabs.
    await runCommand(page, 'View: Close All Editors');
    await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
    await openFile(page, 'dinat_backbone.py');
    await goTo(page, lineColumnOf(DINAT, 'na2d(q', { delta: 2 }));
    await runCommand(page, 'GNA: Preview Mask of the Call at the Cursor');
    view = await previewFrame(page, 'view');
    // The sidebar's second view (traced layers; no trace here) collapsed, as a user would, so the
    // preview has the sidebar's height.
    const traced = page.locator('.pane-header', { hasText: 'Traced Layers' });
    if ((await traced.getAttribute('aria-expanded')) === 'true') await traced.click();
    await page.locator('.pane-header[aria-expanded="false"]', { hasText: 'Traced Layers' }).waitFor();
  });

  for (const theme of THEMES) {
    describe(`${theme.id} (${theme.dir})`, () => {
      before(() => useTheme(ui.page, theme, [view]));

      it(`${theme.dir}: the editor with inlay hints and lenses on a DiNAT-style backbone`, async () => {
        const { page } = ui;
        await showCall(page, view, DINAT, 'na2d(q');
        // The inlay hint follows the call on its line: a simulated speedup.
        const line = page.locator('.view-line', { hasText: 'out = na2d(q, k, v' }).filter({ hasText: /\d×/ });
        await line.waitFor({ timeout: 30_000 });
        // The hint of this long line is whole inside the editor, not cut at its edge.
        const cut = await line.evaluate((el) => {
          const hint = [...el.querySelectorAll('span')].filter((s) => s.children.length === 0 && /\d×/.test(s.textContent ?? '')).pop();
          const editor = el.closest('.editor-scrollable');
          if (!hint || !editor) return 'no hint or editor';
          const right = hint.getBoundingClientRect().right;
          const edge = editor.getBoundingClientRect().right;
          return right <= edge ? '' : `the hint "${hint.textContent}" ends at ${right} px, the editor at ${edge} px`;
        });
        assert.equal(cut, '');
        await page.locator('.codelens-decoration', { hasText: 'Preview mask' }).first().waitFor({ timeout: 30_000 });
        await waitText(view, '#number-simulated', /\d/);
        await painted(view);
        await capture(page, theme, 'editor');
      });

      it(`${theme.dir}: the hover of the call`, async () => {
        const text = await captureHover(ui.page, theme, 'hover', DINAT, 'GNA na2d', /^tile-pair bound /);
        assert.match(text, /\d+(\.\d+)?% (sparse|of \(query, key\) pairs masked out)/, 'the hover has a sparsity line');
        assert.match(text, /Preview mask/);
      });

      it(`${theme.dir}: the hover of the partly known call says what is missing`, async () => {
        const text = await captureHover(ui.page, theme, 'hover-partial', PARTIAL, 'Not simulated', /^layout /);
        assert.match(text, /Not simulated: 2 values are missing/);
        assert.match(text, /kernel_size: json\.load\(f\) is computed at run time/);
        assert.match(text, /Add # gna: (kernel_size=…, input_size=…|input_size=…, kernel_size=…)/);
      });

      it(`${theme.dir}: the quick fix that adds the annotation`, async () => {
        const { page } = ui;
        await goTo(page, lineColumnOf(PARTIAL, 'na2d(q', { delta: 2 }));
        await page.keyboard.press('Control+.');
        const menu = page.locator('.action-widget');
        await menu.waitFor({ timeout: 30_000 });
        await menu.getByText('# gna:').first().waitFor();
        assert.match(await menu.innerText(), /Add `?# gna: /);
        await animationsDone(page);
        await capture(page, theme, 'quick-fix-annotation');
        await page.keyboard.press('Escape');
        await menu.waitFor({ state: 'hidden' });
      });

      it(`${theme.dir}: the preview of a partly known call`, async () => {
        const { page } = ui;
        const source = await showCall(page, view, PARTIAL, 'na2d(q');
        assert.match(source, /^na2d at screens\/runtime_window\.py:\d+/, 'the preview names the call');
        // Prefilled from the call (dilation 2), the values it does not give marked missing.
        const missing = await waitText(view, '#missing', /kernel_size/);
        assert.match(missing, /input_size/);
        // The reasons' code is drawn as code, not as literal backticks.
        assert.doesNotMatch(missing, /`/);
        assert.equal(await view.locator('#missing li code', { hasText: '# gna: input_size=(…)' }).count(), 1);
        assert.equal(await view.locator('#field-dilation input').inputValue(), '2, 2');
        assert.equal(await view.locator('#field-windowSize.missing').count(), 1, 'kernel_size is marked missing');
        assert.equal(await view.locator('#field-inputSize.missing').count(), 1, 'the layout is marked missing');
        await painted(view);
        await capture(page, theme, 'preview-partial');
      });

      it(`${theme.dir}: a 3-D call's tile-pair map`, async () => {
        const { page } = ui;
        const source = await showCall(page, view, VIDEO, 'na3d(q');
        assert.match(source, /^na3d at /);
        await waitText(view, '#query-query', /^\(\d+, \d+, \d+\)$/);
        assert.ok(await view.locator('#pairs').isVisible(), 'the tile-pair map is shown');
        assert.match(await waitText(view, '#pairs-caption', /\S/), /tile/i);
        assert.ok((await view.locator('#pairs-legend .legend-item').count()) >= 2, 'the tile-pair map has a legend');
        // Scrolled to the slice grid, which stops below the sticky caption (its scroll padding), the
        // tile-pair map under it.
        await view.locator('.slice').evaluate((el) => el.scrollIntoView({ block: 'start' }));
        const [slice, caption] = await Promise.all([view.locator('.slice').boundingBox(), view.locator('#drawn-as').boundingBox()]);
        assert.ok(slice && caption && slice.y >= caption.y + caption.height, `the slice grid starts under the sticky caption: ${JSON.stringify({ slice, caption })}`);
        // The fainter swatch is the map's own colours: the kind it draws most, faint to strong.
        const faint = await view.locator('#pairs-legend [data-state="fewer-computed"] .swatch').evaluate((el) => getComputedStyle(el).backgroundImage);
        assert.match(faint, /^linear-gradient\(to right, rgb\(/);
        await painted(view);
        await capture(page, theme, 'tile-map-3d');
        await view.locator('#source').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      });

      it(`${theme.dir}: the 2-D preview beside the code, zoomed in`, async () => {
        const { page } = ui;
        await showCall(page, view, DINAT, 'na2d(q');
        await view.locator('#open-panel').click();
        const panel = await previewFrame(page, 'panel');
        await waitText(panel, '#source', /^na2d at screens\/dinat_backbone\.py:\d+/);
        await waitText(panel, '#query-query', /^\(\d+, \d+\)$/);
        await waitText(panel, '#grid-legend', /^query.*empty/);
        // Zoomed in twice about the selected query: a quarter of each axis fills the grid.
        await waitText(panel, '#zoom-level', /^whole layout$/);
        await panel.locator('#zoom-in').click();
        await panel.locator('#zoom-in').click();
        await waitText(panel, '#zoom-level', /^4×: rows \d+–\d+ of 56, columns \d+–\d+ of 56$/);
        await scrollToTop(panel, '.picture-tools');
        await painted(panel);
        await capture(page, theme, 'preview-2d-zoomed');
        // Close the panel so the next theme's editor shot shows the code alone.
        const tab = page.locator('.tab', { hasText: 'GNA Mask Preview' }).first();
        await tab.locator('.tab-actions .action-label').click();
        await tab.waitFor({ state: 'detached' });
      });
    });
  }
});
