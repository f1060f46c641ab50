// The preview's webview bundle in a plain Chromium page, outside VS Code: a static page served
// from a temp dir with a fake `acquireVsCodeApi` that records what the page posts, theme
// variables for a dark, light or high-contrast theme, and the same kind of strict CSP the host
// sets (nonce'd script, styles from the page's origin or with the nonce, no remote anything).
// Used by the standalone UI checks and the redraw benchmark.
import { randomBytes } from 'crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { createServer, Server } from 'http';
import type { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { extname, join } from 'path';
import type { Browser, Page } from 'playwright-core';

export type Theme = 'dark' | 'light' | 'high-contrast';

const ROOT = join(__dirname, '..', '..', '..');

const THEMES: Record<Theme, { bodyClass: string; vars: Record<string, string> }> = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      'editor-background': '#1f1f1f',
      'editor-foreground': '#cccccc',
      foreground: '#cccccc',
      descriptionForeground: '#9d9d9d',
      errorForeground: '#f85149',
      'editorLineNumber-foreground': '#6e7681',
      'panel-border': '#2b2b2b',
      focusBorder: '#0078d4',
      'charts-blue': '#3794ff',
      'charts-orange': '#d18616',
      'charts-purple': '#b180d7',
      'charts-red': '#f14c4c',
      'charts-green': '#89d185',
      'charts-yellow': '#cca700',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      'editor-background': '#ffffff',
      'editor-foreground': '#3b3b3b',
      foreground: '#3b3b3b',
      descriptionForeground: '#717171',
      errorForeground: '#f85149',
      'editorLineNumber-foreground': '#6e7681',
      'panel-border': '#e5e5e5',
      focusBorder: '#005fb8',
      'charts-blue': '#1a85ff',
      'charts-orange': '#d18616',
      'charts-purple': '#652d90',
      'charts-red': '#e51400',
      'charts-green': '#388a34',
      'charts-yellow': '#bf8803',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      'editor-background': '#000000',
      'editor-foreground': '#ffffff',
      foreground: '#ffffff',
      descriptionForeground: '#ffffff',
      errorForeground: '#f48771',
      'editorLineNumber-foreground': '#ffffff',
      'panel-border': '#6fc3df',
      contrastBorder: '#6fc3df',
      focusBorder: '#f38518',
      'charts-blue': '#3794ff',
      'charts-orange': '#d18616',
      'charts-purple': '#b180d7',
      'charts-red': '#f14c4c',
      'charts-green': '#89d185',
      'charts-yellow': '#ffd700',
    },
  },
};

export interface PreviewPage {
  readonly page: Page;
  readonly url: string;
  /** Delivers a host → webview message, as VS Code would. */
  send(message: unknown): Promise<void>;
  /** Messages the page posted to the "host", oldest first. */
  posted(): Promise<{ type: string; [key: string]: unknown }[]>;
  /** CSP violations the page reported. */
  violations(): Promise<string[]>;
  close(): Promise<void>;
}

function serve(dir: string): Promise<Server> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer((req, res) => {
    const name = (req.url ?? '/').split('?')[0].replace(/^\/+/, '') || 'index.html';
    if (!/^[\w.-]+$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(join(dir, name));
      res.writeHead(200, { 'content-type': types[extname(name)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export async function openPreviewPage(browser: Browser, options: { theme?: Theme; surface?: 'view' | 'panel'; width?: number; height?: number } = {}): Promise<PreviewPage> {
  const theme = THEMES[options.theme ?? 'dark'];
  const dir = mkdtempSync(join(process.env.GNA_E2E_SCRATCH ?? tmpdir(), 'gna-preview-page-'));
  copyFileSync(join(ROOT, 'dist/webview/preview.js'), join(dir, 'preview.js'));
  copyFileSync(join(ROOT, 'dist/webview/preview.css'), join(dir, 'preview.css'));
  const nonce = randomBytes(16).toString('base64url');
  const vars = Object.entries(theme.vars)
    .map(([k, v]) => `--vscode-${k}: ${v};`)
    .join(' ');
  writeFileSync(join(dir, 'theme.css'), `html { ${vars} --vscode-font-family: sans-serif; --vscode-font-size: 13px; } body { background: var(--vscode-editor-background); }`);
  // The fake host API: what VS Code injects into a webview, recording instead of sending.
  writeFileSync(
    join(dir, 'fake-vscode.js'),
    `window.__gnaPosted = []; window.__gnaViolations = []; let state;
     document.addEventListener('securitypolicyviolation', (e) => window.__gnaViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber));
     window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__gnaPosted.push(JSON.parse(JSON.stringify(m))), getState: () => state, setState: (s) => { state = s; } });`,
  );
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'self' 'nonce-${nonce}'; img-src data:; base-uri 'none'; form-action 'none'`;
  writeFileSync(
    join(dir, 'index.html'),
    `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta property="csp-nonce" content="${nonce}">
<link rel="stylesheet" href="theme.css"><link rel="stylesheet" href="preview.css">
<title>GNA preview (standalone)</title></head>
<body class="${theme.bodyClass}" data-surface="${options.surface ?? 'view'}"><div id="root"></div>
<script nonce="${nonce}" src="fake-vscode.js"></script>
<script nonce="${nonce}" src="preview.js"></script></body></html>`,
  );
  const server = await serve(dir);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`;
  const page = await browser.newPage({ viewport: { width: options.width ?? 420, height: options.height ?? 1400 } });
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __gnaPosted: { type: string }[] }).__gnaPosted.some((m) => m.type === 'ready'));
  return {
    page,
    url,
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    posted: () => page.evaluate(() => (window as unknown as { __gnaPosted: { type: string }[] }).__gnaPosted),
    violations: () => page.evaluate(() => (window as unknown as { __gnaViolations: string[] }).__gnaViolations),
    close: async () => {
      await page.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A host `show` message for a call with this config (hopper, head dim 128). */
export function showCall(config: {
  inputSize: number[];
  windowSize: number[];
  stride?: number[];
  dilation?: number[];
  causal?: boolean[];
  qTile: number[];
  kvTile: number[];
}): unknown {
  const r = config.inputSize.length;
  return {
    type: 'show',
    source: { kind: 'call', call: { uri: 'file:///work/model.py', offset: 10, version: 1 }, op: `na${r}d`, label: 'model.py:3', layoutSource: 'annotation' },
    config: {
      stride: new Array(r).fill(1),
      dilation: new Array(r).fill(1),
      causal: new Array(r).fill(false),
      ...config,
    },
    hardware: { family: 'hopper', headDim: 128 },
  };
}
