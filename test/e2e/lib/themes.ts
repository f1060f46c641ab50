// VS Code's four built-in theme kinds, picked as a user would (Preferences: Color Theme) and
// waited for in the page (the workbench's kind class, and in a webview the theme id VS Code gives
// it), never for a fixed time. (Writing settings.json on the server is not seen reliably by the
// workbench: only the first write applied.)
import type { Frame, Page } from 'playwright-core';
import { waitFor } from './waitFor';

export interface Theme {
  /** Folder name of its screenshots. */
  readonly dir: string;
  /** The `workbench.colorTheme` value. */
  readonly id: string;
  /** Its row in Preferences: Color Theme. */
  readonly label: string;
  /** The class the workbench element carries in this theme's kind. */
  readonly workbenchClass: string;
}

export const THEMES: readonly Theme[] = [
  { dir: 'light', id: 'Default Light Modern', label: 'Light Modern', workbenchClass: 'vs' },
  { dir: 'dark', id: 'Default Dark Modern', label: 'Dark Modern', workbenchClass: 'vs-dark' },
  { dir: 'hc-dark', id: 'Default High Contrast', label: 'Dark High Contrast', workbenchClass: 'hc-black' },
  { dir: 'hc-light', id: 'Default High Contrast Light', label: 'Light High Contrast', workbenchClass: 'hc-light' },
];

/**
 * Picks a colour theme with Preferences: Color Theme (which writes `workbench.colorTheme` to the
 * user settings), clicking the rows by their text.
 */
export async function pickColorTheme(page: Page, label: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Preferences: Color Theme');
  await page.locator('.quick-input-list .monaco-list-row[aria-label^="Preferences: Color Theme"]').first().click();
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Light Modern' }).first().waitFor();
  await input.fill(label);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click();
  await input.waitFor({ state: 'hidden' });
}

/**
 * Switches the colour theme and waits until the workbench wears it (its kind class) and every
 * given webview frame has been told (VS Code sets the theme id on the page's body), then until
 * those pages have painted a frame in the new colours.
 */
export async function useTheme(page: Page, theme: Theme, frames: readonly Frame[] = []): Promise<void> {
  await pickColorTheme(page, theme.label);
  await waitFor(
    `the workbench in ${theme.id}`,
    () => page.evaluate((c) => document.querySelector('.monaco-workbench')?.classList.contains(c) ?? false, theme.workbenchClass),
    30_000,
  );
  for (const frame of frames) {
    await frame.waitForFunction((id) => document.body.dataset.vscodeThemeId === id, theme.id, { timeout: 30_000 });
    await painted(frame);
  }
}

/** Resolves after the page has rendered two more animation frames (what it queued is drawn). */
export function painted(frame: Frame | Page): Promise<void> {
  return frame.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}
