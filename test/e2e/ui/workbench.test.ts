// UI checks in the real workbench (code-server in Chromium): what a user sees. Screenshots go to
// the run's artifacts. Every wait is on a condition in the page, never a fixed sleep.
import * as assert from 'assert';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';
import { env } from '../lib/env';
import { waitFor } from '../lib/waitFor';
import { animationsDone, goTo, lineColumnOf, openFile, runCommand, workbenchSession } from '../lib/workbench';

/** The newest log file of our output channel under the server's user-data dir. */
function outputChannelLog(): string | undefined {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/GNA Studio\.log$/.test(name)) found.push(path);
    }
  };
  walk(join(env.userData, 'logs'));
  found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return found[0] && readFileSync(found[0], 'utf8');
}

describe('GNA Studio in the VS Code UI', function () {
  this.timeout(120_000);
  // No file at load: the extension then activates when the first test opens one, in an
  // extension host that has finished starting up, so its activation time is its own.
  const ui = workbenchSession('ui');

  it('activates on the Python file; VS Code measures the activation time', async () => {
    const { page } = ui;
    await openFile(page, 'video_dit.py');
    // Our own measurement, logged by activate() to the output channel.
    const own = await waitFor(
      'the activation line in the GNA Studio output channel',
      () => /activated in ([\d.]+) ms \(code loaded in ([\d.]+) ms\)/.exec(outputChannelLog() ?? ''),
      30_000,
    );
    // VS Code's measurement (code loading + activate call) from Developer: Show Running Extensions.
    await runCommand(page, 'Developer: Show Running Extensions');
    // Loaded from a development path, the extension is listed by its id.
    const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: /GNA Studio|gna-studio\.gna-studio/ });
    await row.waitFor({ timeout: 30_000 });
    const activationText = await row.locator('.activation-time').innerText();
    const vscodeMs = Number(/(\d+)\s*ms/.exec(activationText)?.[1]);
    assert.ok(Number.isFinite(vscodeMs), `activation time in "${activationText}"`);
    await page.screenshot({ path: env.screenshot('running-extensions') });
    // The linter loads after activation, when the first Python document is linted.
    const linter = await waitFor('the linter line in the GNA Studio output channel', () => /Python linter loaded in ([\d.]+) ms/.exec(outputChannelLog() ?? ''), 30_000);
    writeFileSync(
      join(env.artifacts, 'activation.json'),
      JSON.stringify(
        { vscodeActivationMs: vscodeMs, activateMs: Number(own[1]), loadMs: Number(own[2]), linterLoadMs: Number(linter[1]), shownAs: activationText },
        null,
        2,
      ),
    );
    await page.keyboard.press('Control+W');
  });

  it('shows the lint error in the editor and in the Problems panel', async () => {
    const { page } = ui;
    await openFile(page, 'video_dit.py');
    await page.locator('.squiggly-error').first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Control+Shift+M');
    const marker = page.locator('.markers-panel .monaco-list-row', { hasText: 'stride must be <= kernel_size' }).first();
    await marker.waitFor({ timeout: 30_000 });
    const text = (await marker.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /gna\/stride-exceeds-window/, 'the rule id is shown as the code');
    await page.screenshot({ path: env.screenshot('problems-panel') });
    await runCommand(page, 'View: Hide Panel');
    await page.locator('.markers-panel').waitFor({ state: 'hidden' });
  });

  it('offers the quick fix from the light bulb menu', async () => {
    const { page } = ui;
    await openFile(page, 'video_dit.py');
    await goTo(page, lineColumnOf('models/video_dit.py', 'stride=(20', { delta: 'stride=('.length }));
    // The menu lists the fixes of the diagnostics the editor has: wait until it shows them.
    await page.locator('.squiggly-error').first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget');
    await menu.waitFor({ timeout: 30_000 });
    assert.match(await menu.innerText(), /Clamp stride to kernel_size: \(18, 8, 8\)/);
    await page.screenshot({ path: env.screenshot('quick-fix') });
    await page.keyboard.press('Escape');
  });

  it('shows inlay hints after the calls and code lenses above them', async () => {
    const { page } = ui;
    await openFile(page, 'flux_attention.py');
    // Inlay hints render as text in the editor's view lines, which hold only what is on screen.
    await goTo(page, lineColumnOf('models/flux_attention.py', 'na2d(q', { occurrence: 1 }));
    await page.locator('.view-lines', { hasText: '6.65× simulated' }).waitFor({ timeout: 30_000 });
    await goTo(page, lineColumnOf('models/flux_attention.py', 'na2d(q'));
    await page.locator('.view-lines', { hasText: '90% sparse · 10.2× simulated' }).waitFor({ timeout: 30_000 });
    const lens = page.locator('.codelens-decoration', { hasText: 'Preview mask' }).first();
    await lens.waitFor({ timeout: 30_000 });
    assert.match(await lens.innerText(), /Benchmark on GPU/);
    await page.screenshot({ path: env.screenshot('inlay-hints-and-lenses') });
    await lens.locator('a', { hasText: 'Benchmark on GPU' }).click();
    // No usable GPU on the test machine: a short notification says why, with the simulated speedup.
    const toast = page.locator('.notification-toast', { hasText: 'stride 16×16: 10.2× simulated.' });
    await toast.waitFor({ timeout: 15_000 });
    const said = await toast.innerText();
    assert.match(said, /^Not run: .+\. na2d 256×256, window 80×80, stride 16×16: 10\.2× simulated\.$/m);
    assert.match(said, /Show Details/);
    await page.screenshot({ path: env.screenshot('benchmark-lens-clicked') });
  });

  it('asks which config to benchmark for a call configured from a dict', async () => {
    const { page } = ui;
    await openFile(page, 'dit_layers.py');
    await goTo(page, lineColumnOf('models/dit_layers.py', 'na2d(q'));
    // The whole hint: it fits the hint budget (32), under VS Code's cut at editor.inlayHints.maximumLength (43).
    await page.locator('.view-lines', { hasText: '2 configs: 6.65–10.2× simulated' }).waitFor({ timeout: 30_000 });
    await page.locator('.codelens-decoration a', { hasText: 'Benchmark on GPU (2 configs)' }).click();
    const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'blocks.1' });
    await pick.waitFor({ timeout: 15_000 });
    await page.screenshot({ path: env.screenshot('config-picker') });
    await pick.click();
    await page.locator('.notification-toast', { hasText: '[blocks.1]' }).waitFor({ timeout: 15_000 });
  });

  it('shows the hover of a call', async () => {
    const { page } = ui;
    await openFile(page, 'flux_attention.py');
    await goTo(page, lineColumnOf('models/flux_attention.py', 'na2d(q'));
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-hover', { hasText: 'tile-pair bound' });
    await hover.waitFor({ state: 'visible', timeout: 30_000 });
    // Wait out the fade-in so the screenshot shows the hover, not the code under it.
    await animationsDone(page);
    const text = await hover.innerText();
    assert.match(text, /GNA na2d/);
    assert.match(text, /90% sparse \(10% attended\) · 10\.2× simulated speedup · block-sparse/);
    assert.match(text, /Preview mask/);
    await page.screenshot({ path: env.screenshot('hover') });
  });
});
