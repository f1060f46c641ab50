// The mask preview in the real workbench (code-server in Chromium): the GNA view opens on the
// call at the cursor, follows the cursor, a click on a query changes the picture, a panel edit is
// written back into the document (and undone with Ctrl+Z), and the editor-panel variant opens
// beside the code. Screenshots of the 1-D, 2-D and 3-D previews go to the artifacts. Every wait is
// on a condition in the page, never a fixed sleep.
import * as assert from 'assert';
import type { Frame, Page } from 'playwright-core';
import { env } from '../lib/env';
import { pickColorTheme } from '../lib/themes';
import { goTo, lineColumnOf, openFile, previewFrame, runCommand, waitText, workbenchSession } from '../lib/workbench';

/** A workbench screenshot with the preview scrolled so its picture (legend to tile pairs) shows. */
async function shot(page: Page, frame: Frame, name: string): Promise<void> {
  await frame.locator('#grid-legend').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: env.screenshot(name) });
}

describe('GNA mask preview in the VS Code UI', function () {
  this.timeout(180_000);
  const ui = workbenchSession('preview', /preview|gna/i);

  it('opens the GNA view on the call at the cursor and draws its 2-D config', async () => {
    const { page } = ui;
    await openFile(page, 'image_2d.py');
    await goTo(page, lineColumnOf('preview/image_2d.py', 'na2d(q', { delta: 2 }));
    await runCommand(page, 'GNA: Preview Mask of the Call at the Cursor');
    const view = await previewFrame(page, 'view');
    await waitText(view, '#source', /^na2d at preview\/image_2d\.py:7 · layout from its # gna: annotation/);
    assert.equal(await view.locator('#field-dilation input').inputValue(), '1, 2');
    await waitText(view, '#number-simulated', /^2\.67×/);
    await waitText(view, '#query-query', /^\(24, 32\)$/);
    // Groups are drawn on demand: the legend lists them once asked for.
    await waitText(view, '#grid-legend', /^query.*empty$/);
    assert.doesNotMatch((await view.locator('#grid-legend').textContent()) ?? '', /group/);
    await view.locator('#show-stride-group').click();
    await view.locator('#show-dilation-group').click();
    await waitText(view, '#grid-legend', /stride group.*dilation group/);
    await shot(page, view, 'preview-2d');
    await view.locator('#show-stride-group').click();
    await view.locator('#show-dilation-group').click();
    await waitText(view, '#grid-legend', /^(?!.*group).*empty$/);
  });

  it('follows the cursor from call to call, and to no call', async () => {
    const { page } = ui;
    const view = await previewFrame(page, 'view');
    await goTo(page, lineColumnOf('preview/image_2d.py', 'na2d(q', { occurrence: 1, delta: 2 }));
    await waitText(view, '#source', /^na2d at preview\/image_2d\.py:12/);
    await waitText(view, '#query-keys', /^81$/);
    await goTo(page, '1:1');
    await waitText(view, '#source', /^Example config, not from your code · the cursor is not in a NATTEN call/);
    await waitText(view, '#drawn-as', /^Example config, not from your code$/);
    await goTo(page, lineColumnOf('preview/image_2d.py', 'na2d(q', { delta: 2 }));
    await waitText(view, '#source', /^na2d at preview\/image_2d\.py:7/);
  });

  it('a click on a query in the grid changes what is shown', async () => {
    const { page } = ui;
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

  it('zooms into the grid and back to the whole layout', async () => {
    const { page } = ui;
    const view = await previewFrame(page, 'view');
    await view.locator('#zoom-in').click();
    await view.locator('#zoom-in').click();
    // About the selected query (5, 11), which stays where it was on the canvas: 12 of 48 rows, 16 of 64 columns.
    await waitText(view, '#zoom-level', /^4×: rows 4–15 of 48, columns 9–24 of 64$/);
    await shot(page, view, 'preview-2d-zoomed');
    await view.locator('#zoom-reset').click();
    await waitText(view, '#zoom-level', /^whole layout$/);
  });

  it('writes a panel edit back into the call as one edit that Ctrl+Z undoes', async () => {
    const { page } = ui;
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
    const { page } = ui;
    const view = await previewFrame(page, 'view');
    await openFile(page, 'video_3d.py');
    await goTo(page, lineColumnOf('preview/video_3d.py', 'na3d(q', { delta: 2 }));
    await waitText(view, '#source', /^na3d at preview\/video_3d\.py:7/);
    await waitText(view, '#query-query', /^\(15, 24, 40\)$/);
    assert.equal(await view.locator('#slice').isVisible(), true);
    await shot(page, view, 'preview-3d');
    await openFile(page, 'sequence_1d.py');
    await goTo(page, lineColumnOf('preview/sequence_1d.py', 'na1d(q', { delta: 2 }));
    await waitText(view, '#source', /^na1d at preview\/sequence_1d\.py:7/);
    await waitText(view, '#query-keys', /^512$/);
    assert.equal(await view.locator('#matrix').isVisible(), true);
    await shot(page, view, 'preview-1d');
  });

  it('opens as an editor panel beside the code, following the same call', async () => {
    const { page } = ui;
    const view = await previewFrame(page, 'view');
    await view.locator('#open-panel').click();
    const panel = await previewFrame(page, 'panel');
    await waitText(panel, '#source', /^na1d at preview\/sequence_1d\.py:7/);
    assert.equal(await panel.locator('#open-panel').count(), 0, 'the panel has no "Open beside" button');
    await page.locator('.tab', { hasText: 'GNA Mask Preview' }).waitFor();
    await page.screenshot({ path: env.screenshot('preview-panel') });
    assert.deepEqual(ui.cspViolations, [], 'no Content-Security-Policy violation in the preview pages');
  });

  for (const [theme, bodyClass] of [
    ['Dark Modern', 'vscode-dark'],
    ['Dark High Contrast', 'vscode-high-contrast'],
    ['Light Modern', 'vscode-light'],
  ] as const) {
    it(`redraws in the ${theme} theme's colours`, async () => {
      const { page } = ui;
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

  it('prefills a partly known call, marks what is missing, and draws only once the user enters it', async () => {
    const { page } = ui;
    const view = await previewFrame(page, 'view');
    await openFile(page, 'partial_2d.py');
    await goTo(page, lineColumnOf('preview/partial_2d.py', 'na2d(q', { delta: 2 }));
    await waitText(view, '#source', /^na2d at preview\/partial_2d\.py:7 · layout from its # gna: annotation$/);
    await waitText(view, '#missing', /^Enter kernel_size to draw this call\.kernel_size: /);
    assert.deepEqual(
      await Promise.all(['inputSize', 'windowSize', 'stride', 'dilation'].map((f) => view.locator(`#field-${f} input`).inputValue())),
      ['56, 56', '', '1, 1', '1, 1'],
    );
    assert.equal(await view.locator('#field-windowSize.missing').count(), 1, 'the missing field is marked');
    // Nothing is drawn and no number shown until the config is complete.
    assert.equal(await view.locator('.pictures.empty').count(), 1);
    assert.equal(await view.locator('#numbers dd').count(), 0);
    assert.equal(await view.locator('#query-numbers').isVisible(), false);
    assert.equal(await view.locator('#drawn-as').isVisible(), false);
    await page.screenshot({ path: env.screenshot('preview-partial') });
    await view.locator('#field-windowSize input').fill('7');
    await waitText(view, '#drawn-as', /^na2d at preview\/partial_2d\.py:7 with your kernel_size=7 \(not in the code\)$/);
    await waitText(view, '#number-simulated', /^\d/);
    await waitText(view, '#query-keys', /^49$/);
    assert.equal(await view.locator('#missing').isVisible(), false);
    await shot(page, view, 'preview-partial-entered');
    // The benchmark lens asks for the value the call does not give, and only for it. VS Code asks
    // for an editor's code lenses only while its text has focus (a blur cancels the pending request,
    // a focus schedules it again), and the typing above went to the preview: back in the editor, as
    // a user would be, the lens is there.
    await runCommand(page, 'View: Focus Active Editor Group');
    await page.locator('.codelens-decoration a', { hasText: 'Benchmark on GPU (enter kernel_size)' }).click();
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-widget', { hasText: 'The call does not give kernel_size: enter it.' }).waitFor();
    assert.equal(await input.inputValue(), '', 'a missing value starts empty, never from an earlier run');
    await page.screenshot({ path: env.screenshot('benchmark-partial-asks') });
    await input.fill('7');
    await page.keyboard.press('Enter');
    // No GPU here: the notification gives the simulated numbers of the call with that value.
    await page.locator('.notifications-toasts', { hasText: 'na2d 56×56, window 7×7' }).first().waitFor({ timeout: 60_000 });
  });

  it('picks a dilated config among a backbone call\'s configs', async () => {
    const { page } = ui;
    await openFile(page, 'dinat_backbone.py');
    await goTo(page, lineColumnOf('screens/dinat_backbone.py', 'na2d(q', { delta: 2 }));
    const view = await previewFrame(page, 'view');
    // The call's 32 configs, named in the user's words, the first shown.
    await waitText(view, '#source', /^na2d at screens\/dinat_backbone\.py:\d+ \[line 82, i=0, i=0: config 1 of 32\]/);
    assert.equal(await view.locator('#field-dilation input').inputValue(), '1, 1');
    const pick = view.locator('#config-pick');
    await pick.waitFor({ state: 'visible' });
    assert.equal(await pick.locator('vscode-option').count(), 32);
    await pick.click();
    await pick.locator('vscode-option', { hasText: 'dilation 8×8' }).first().click();
    await waitText(view, '#source', /\[line 82, i=0, i=1: config 2 of 32\]/);
    assert.equal(await view.locator('#field-dilation input').inputValue(), '8, 8');
    await waitText(view, '#number-simulated', /^\d/);
    await shot(page, view, 'preview-config-picked');
  });
});
