// The HTML of our webview pages (the mask preview and the benchmark report): a strict
// Content-Security-Policy (nothing by default; our one script by nonce; styles from the
// extension's own files or with the nonce, which the toolkit reads from the csp-nonce meta tag;
// images only from data: URLs for the PNG export), no remote resources, no inline script or style
// attribute. Pure, so plain-Node tests check it.

export interface Page {
  /** `webview.cspSource`: the origin the webview serves the extension's files from. */
  readonly cspSource: string;
  readonly nonce: string;
  /** `webview.asWebviewUri(...)` of dist/webview/<page>.js and <page>.css. */
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly title: string;
  /** The preview's `data-surface` (the side-bar view or the editor panel). */
  readonly surface?: 'view' | 'panel';
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** A fresh nonce per page: 128 random bits, base64url. */
export function makeNonce(random: (bytes: Uint8Array) => Uint8Array): string {
  const bytes = random(new Uint8Array(16));
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function attr(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export function pageHtml(page: Page): string {
  const nonce = attr(page.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(page.cspSource, page.nonce))}">
<meta property="csp-nonce" content="${nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(page.styleUri)}" nonce="${nonce}">
<title>${attr(page.title)}</title>
</head>
<body${page.surface ? ` data-surface="${page.surface}"` : ''}>
<div id="root"></div>
<script nonce="${nonce}" src="${attr(page.scriptUri)}"></script>
</body>
</html>`;
}
