// The benchmark report's page: the mask preview's security approach (previewHtml.ts) — a strict
// Content-Security-Policy with nothing by default, our one script by a fresh nonce, styles from
// the extension's own files, no remote resources, no inline script or style attribute. Pure.

import { contentSecurityPolicy } from './previewHtml';

export { makeNonce } from './previewHtml';

export interface ReportPage {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  readonly nonce: string;
  /** `webview.asWebviewUri(...)` of dist/webview/report.js and report.css. */
  readonly scriptUri: string;
  readonly styleUri: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function attr(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export function reportHtml(page: ReportPage): string {
  const nonce = attr(page.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(page.cspSource, page.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(page.styleUri)}" nonce="${nonce}">
<title>GNA benchmark report</title>
</head>
<body>
<main id="root"></main>
<script nonce="${nonce}" src="${attr(page.scriptUri)}"></script>
</body>
</html>`;
}
