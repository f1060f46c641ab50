// The extension under test is the installed VSIX (run.sh installs it; the dev folder is not
// loaded): the Extensions view lists GNA Studio as installed, with the VSIX's version.
import * as assert from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import { launchBrowser, Workbench, workbenchUrl } from '../lib/browser';
import { env } from '../lib/env';

describe('GNA Studio installed from its VSIX', function () {
  this.timeout(120_000);
  let workbench: Workbench;

  before(async () => {
    workbench = await launchBrowser();
    await workbench.page.goto(workbenchUrl());
    await workbench.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });
  after(async () => workbench?.close());

  it('shows in the Extensions view as installed (screenshot: extensions-installed.png)', async () => {
    const page = workbench.page;
    const { version } = JSON.parse(readFileSync(join(env.extension, 'package.json'), 'utf8')) as { version: string };
    await page.keyboard.press('Control+Shift+X');
    const search = page.locator('.extensions-viewlet .suggest-input-container .monaco-editor textarea, .extensions-viewlet .monaco-inputbox input').first();
    await search.waitFor({ state: 'visible', timeout: 30_000 });
    // The view focuses its search box when it opens (a click would land on the editor's cursor layer).
    await search.focus();
    await page.keyboard.type('@installed GNA Studio');
    const row = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'GNA Studio' }).first();
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    // The editor page of the extension: its name and the installed version.
    const header = page.locator('.extension-editor .header');
    await header.locator('.name', { hasText: 'GNA Studio' }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: env.screenshot('extensions-installed') });
    const shown = `${(await row.textContent()) ?? ''} | ${(await header.textContent()) ?? ''}`;
    assert.match(shown, /GNA Studio/);
    assert.ok(shown.includes(version), `version ${version} in: ${shown}`);
  });
});
