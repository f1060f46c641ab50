// The benchmark report in the real workbench (code-server in Chromium): a recorded result (the
// fixture file, not a measurement) imported through the palette and VS Code's own file dialog,
// the page's table and chart, its controls reached with the keyboard, "Run again" answered with
// the no-GPU reason, two runs compared side by side, one deleted; a training run from a build
// without a backward kernel, whose page says so in one line beside the simulated backward. Screenshots to the artifacts.
// Every wait is on a condition in the page, never a fixed sleep.
import * as assert from 'assert';
import { basename, join } from 'path';
import type { Frame, Page } from 'playwright-core';
import { env } from '../lib/env';
import { waitFor } from '../lib/waitFor';
import { runCommand, waitText, webviewFrame, workbenchSession } from '../lib/workbench';

const FIXTURE = join(env.extension, 'test', 'fixtures', 'bench', 'h100-flux-strided.fixture.json');
/** `gna bench --backward --json` of a build without a backward kernel (a fixture, not a measurement). */
const TRAINING_FIXTURE = join(env.extension, 'test', 'fixtures', 'bench', 'h100-flux-strided-backward-unsupported.fixture.json');

/**
 * VS Code's simple file dialog (the one a browser workbench uses): type the path, accept. The
 * dialog fills in its starting folder asynchronously, which can overwrite what was typed; the
 * path is typed again whenever the dialog shows something else, until it offers the file.
 */
async function openFileInDialog(page: Page, path: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  const offered = page.locator('.quick-input-list .monaco-list-row', { hasText: basename(path) }).first();
  await waitFor('the file dialog to offer the file', async () => {
    if ((await input.inputValue()) !== path) await input.fill(path);
    return (await offered.isVisible()) && (await input.inputValue()) === path;
  }, 60_000);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

/** The report page's frame, once its script has drawn the details. */
function reportFrame(page: Page): Promise<Frame> {
  return webviewFrame(page, 'the report frame', () => document.querySelector('#details-table') !== null && document.title === 'GNA benchmark report');
}

describe('GNA benchmark report in the VS Code UI', function () {
  this.timeout(180_000);
  const ui = workbenchSession('report', /report|gna/i);

  it('imports a recorded result from the palette and shows it as a table and a chart', async () => {
    const { page } = ui;
    await runCommand(page, 'GNA: Import Benchmark Result (gna bench --json)…', { opensInput: true });
    await openFileInDialog(page, FIXTURE);
    const report = await reportFrame(page);
    await waitText(report, '#headline', /^7\.78× measured vs 10\.2× simulated \(76% of the bound\)$/);
    assert.match(await waitText(report, '#subtitle', /H100/), /NVIDIA H100 80GB HBM3 \(sm_90, 132 SMs\), portable mma\.sync$/);
    const cell = (metric: string) =>
      report
        .locator('#details-table tbody tr')
        .filter({ has: report.locator('th', { hasText: new RegExp(`^${metric.replace(/[/()]/g, '\\$&')}$`) }) })
        .locator('td')
        .first()
        .textContent();
    assert.equal(await cell('dense kernel'), '131.6 ms');
    assert.equal(await cell('GNA kernel'), '16.91 ms');
    assert.equal(await cell('token permutation'), '0.980 ms');
    assert.equal(await cell('TFLOP/s on visited tiles'), '305 (dense 401)');
    assert.equal(await cell('driver / CUDA runtime'), '13.0 / 13.0');
    const canvas = await report.locator('#chart').boundingBox();
    assert.ok(canvas && canvas.width > 200 && canvas.height > 200, JSON.stringify(canvas));
    assert.match((await report.locator('#chart').getAttribute('aria-label')) ?? '', /measured 7\.78×.*simulated 10\.2×/);
    // The canvas has been drawn on: some pixels are not transparent.
    const painted = await report.evaluate(() => {
      const c = document.querySelector('#chart') as HTMLCanvasElement;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    });
    assert.ok(painted > 1000, `${painted} painted pixels`);
    await page.screenshot({ path: env.screenshot('report-ui-recorded-result') });
  });

  it('reaches every control with the keyboard, and a run without a GPU says why in the page', async () => {
    const { page } = ui;
    const report = await reportFrame(page);
    await report.locator('button[data-action="rerun"]').focus();
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      order.push(await report.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.action ?? document.activeElement?.tagName ?? ''));
      await page.keyboard.press('Tab');
    }
    assert.deepEqual(order, ['rerun', 'sweep-stride', 'sweep-window', 'export-json', 'export-csv', 'delete']);
    await report.locator('button[data-action="rerun"]').focus();
    await page.keyboard.press('Enter');
    // The page says it (no notification over it): the reason in the notice, the simulated numbers in their card.
    await waitText(report, '#notice', /^Not run: .*: 10\.2× simulated\.$/);
    await waitText(report, '#simulated-title', /^Not measured: /);
  });

  it('compares two runs side by side, then deletes one', async () => {
    const { page } = ui;
    await runCommand(page, 'GNA: Import Benchmark Result (gna bench --json)…', { opensInput: true });
    await openFileInDialog(page, FIXTURE);
    const report = await reportFrame(page);
    await waitText(report, '#history-title', /^History \(2 runs\)$/);
    const boxes = report.locator('#history-table input[type="checkbox"]');
    // The newest is shown alone; ticking the other adds it to the comparison.
    await boxes.nth(1).check();
    await waitText(report, '#headline', /^Comparing 2 runs: measured 7\.78×, simulated 10\.2×$/);
    assert.equal(await report.locator('#details-table thead th').count(), 3);
    await page.screenshot({ path: env.screenshot('report-ui-compare') });
    await boxes.nth(0).uncheck();
    await waitText(report, '#headline', /^7\.78× measured/);
    await report.locator('button[data-action="delete"]').click();
    await waitText(report, '#history-title', /^History \(1 run\)$/);
    await waitText(report, '#notice', /^Deleted 1 run\.$/);
    assert.deepEqual(ui.cspViolations, [], 'no CSP violations');
  });

  it('a training run from a build without a backward kernel: one line says so, with the simulated backward and training step', async () => {
    const { page } = ui;
    await runCommand(page, 'GNA: Import Benchmark Result (gna bench --json)…', { opensInput: true });
    await openFileInDialog(page, TRAINING_FIXTURE);
    const report = await reportFrame(page);
    await waitText(report, '#pass-note', /^Backward and training step not measured: no backward kernel in this build: the fused backward \(issue 21\) is not compiled in yet\. Simulated: backward 5\.22×, training step 6\.07×\.$/);
    await waitText(report, '#headline', /^7\.78× measured vs 10\.2× simulated \(76% of the bound\); training step 6\.07× simulated, not measured$/);
    const cell = (metric: string) => report.locator('#details-table tbody tr').filter({ has: report.locator('th', { hasText: new RegExp(`^${metric}$`) }) }).locator('td').first().textContent();
    assert.equal(await cell('pass'), 'training: forward, backward and training step');
    assert.match((await cell('backward')) ?? '', /^not measured: no backward kernel in this build.*; simulated 5\.22×$/);
    assert.equal(await cell('backward Q / KV tile'), '8×8 / 16×8');
    assert.match((await report.locator('#chart').getAttribute('aria-label')) ?? '', /^Speedup over dense: forward measured 7\.78×, simulated 10\.2×; backward measured not measured, simulated 5\.22×; training step measured not measured, simulated 6\.07×\.$/);
    assert.equal(await report.locator('#history-table tbody tr').first().locator('.tag').textContent(), 'training');
    await page.screenshot({ path: env.screenshot('report-ui-training-no-backward-kernel') });
    assert.deepEqual(ui.cspViolations, [], 'no CSP violations');
  });
});
