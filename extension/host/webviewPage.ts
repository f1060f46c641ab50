// The host's side of our webview pages (the mask preview and the benchmark report): the page's
// options and HTML with a fresh nonce (pageHtml.ts), and a channel that validates what the page
// sends with its protocol's zod schemas (a bundle loaded when a page first talks), posts only to
// a page that said `ready`, and logs what fails (the page's own errors included).

import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import type { Parsed } from '../../webview/protocol/common';
import type { Ctx } from './context';
import { makeNonce, pageHtml } from './pageHtml';

/** A page bundled as dist/webview/<name>.js and <name>.css. */
export interface PageSpec {
  readonly name: 'preview' | 'report';
  readonly title: string;
  readonly surface?: 'view' | 'panel';
}

export function pageOptions(ctx: Ctx): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    // Only the bundled pages: no workspace files, no other extension files.
    localResourceRoots: [vscode.Uri.joinPath(ctx.extensionUri, 'dist', 'webview')],
  };
}

/** Loads a page into a webview (a view's or a panel's). */
export function loadPage(ctx: Ctx, webview: vscode.Webview, page: PageSpec): void {
  webview.options = pageOptions(ctx);
  const dist = vscode.Uri.joinPath(ctx.extensionUri, 'dist', 'webview');
  webview.html = pageHtml({
    cspSource: webview.cspSource,
    nonce: makeNonce((bytes) => {
      bytes.set(randomBytes(bytes.length));
      return bytes;
    }),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, `${page.name}.js`)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, `${page.name}.css`)).toString(),
    title: page.title,
    ...(page.surface ? { surface: page.surface } : {}),
  });
}

/** The payload of a protocol's `rendered` message: what the page says it drew. */
type RenderedOf<In> = Extract<In, { type: 'rendered' }> extends { rendered: infer R } ? R : never;

/** The messages a page's own handler gets: the channel deals with `error` and `rendered`. */
export type PageRequest<In> = Exclude<In, { type: 'error' | 'rendered' }>;

export class PageChannel<In extends { type: string }, Out> implements vscode.Disposable {
  /** Whether the page said `ready` since it was (re)loaded: a hidden page is discarded. */
  ready = false;
  /** What the page last said it drew (the e2e tests read it through the extension's API). */
  rendered?: RenderedOf<In>;
  private readonly listener: vscode.Disposable;

  /**
   * @param label names the page in the log
   * @param parse the protocol's validator (from its lazily loaded bundle, asked for per message)
   * @param handle each valid message but the page's `error` (logged) and `rendered` (kept, and
   *   traced with `describe`); `ready` included, after `ready` is set
   */
  constructor(
    private readonly ctx: Ctx,
    private readonly label: string,
    private readonly webview: vscode.Webview,
    private readonly parse: () => (data: unknown) => Parsed<In>,
    private readonly handle: (message: PageRequest<In>) => void | Promise<void>,
    private readonly describe: (rendered: RenderedOf<In>) => string,
  ) {
    this.listener = webview.onDidReceiveMessage((data: unknown) => void this.receive(data));
  }

  post(message: Out): void {
    if (!this.ready) return;
    void this.webview.postMessage(message).then(undefined, (e: unknown) => this.ctx.logError(`posting to the ${this.label}`, e));
  }

  /** A message as if the page had sent it: validated, then handled; never throws. */
  async receive(data: unknown): Promise<void> {
    let parsed: Parsed<In>;
    try {
      parsed = this.parse()(data);
    } catch (e) {
      this.ctx.logError(`loading the ${this.label}'s protocol`, e);
      return;
    }
    if (!parsed.ok) {
      this.ctx.output.warn(`${this.label}: ignored a message that does not fit the protocol: ${parsed.error}`);
      return;
    }
    const message = parsed.message;
    if (message.type === 'ready') this.ready = true;
    if (message.type === 'error') {
      // Every protocol's page reports its own exceptions this way: they go to the log.
      this.ctx.output.error(`${this.label} page: ${(message as { message?: unknown }).message}`);
      return;
    }
    if (message.type === 'rendered') {
      this.rendered = (message as { rendered?: unknown }).rendered as RenderedOf<In>;
      this.ctx.output.trace(`${this.label}: ${this.describe(this.rendered)}`);
      return;
    }
    try {
      await this.handle(message as PageRequest<In>);
    } catch (e) {
      this.ctx.logError(`${this.label} ${message.type}`, e);
    }
  }

  dispose(): void {
    this.listener.dispose();
  }
}
