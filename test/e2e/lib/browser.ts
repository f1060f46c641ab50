// Opens code-server's real VS Code workbench in Debian's Chromium through playwright-core (no
// browser download). Chromium and the workbench are kept from writing to $HOME.
import { mkdtempSync } from 'fs';
import { join } from 'path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { env } from './env';

export interface WorkbenchOptions {
  /** Workspace-relative file to open once the workbench is up. */
  readonly openFile?: string;
  /** Absolute path of a test module exporting run(): the workbench then runs it in the extension host. */
  readonly extensionTests?: string;
}

/**
 * The workbench reads a `payload` URL parameter, a list of [key, value] pairs whose values are
 * `vscode-remote://HOST:PORT/<absolute path>` URIs (VS Code's own browser integration tests use
 * it): it loads the (empty) extension under development beside the installed VSIX, and optionally
 * a test module and a file.
 */
export function workbenchUrl(options: WorkbenchOptions = {}): string {
  const host = new URL(env.serverUrl).host;
  const remote = (path: string): string => `vscode-remote://${host}${path}`;
  const payload: [string, string][] = [
    ['skipWelcome', 'true'],
    ['extensionDevelopmentPath', remote(env.runner)],
  ];
  if (options.extensionTests) payload.push(['extensionTestsPath', remote(options.extensionTests)]);
  if (options.openFile) payload.push(['openFile', remote(join(env.workspace, options.openFile))]);
  return `${env.serverUrl}/?folder=${encodeURIComponent(env.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export interface Workbench {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Workbench> {
  const scratch = env.scratch;
  const context = await chromium.launchPersistentContext(mkdtempSync(join(scratch, 'chromium-')), {
    executablePath: process.env.GNA_E2E_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-breakpad',
    ],
    // Chromium writes ~/.config/chromium and ~/.cache/dconf even with its own profile dir.
    env: { ...process.env, HOME: scratch, XDG_CONFIG_HOME: join(scratch, 'xdg/config'), XDG_CACHE_HOME: join(scratch, 'xdg/cache') },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, close: () => context.close() };
}
