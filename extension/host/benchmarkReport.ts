// The benchmark report: one editor panel (a webview) showing the history, the selected runs as a
// table and a chart, and a config that could not be measured here with its simulated numbers.
// The page gets a strict CSP with a fresh nonce, only dist/webview as a resource root, no command
// URIs; every message from it is validated with zod (the protocol is part of the lazily loaded
// benchmark runtime) and dispatched by an exhaustive switch in the benchmark service.

import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import type { ReportHostMessage, ReportRendered, ReportWebviewMessage } from '../../webview/protocol/report';
import type { Ctx } from './context';
import { makeNonce, reportHtml } from './reportHtml';

export const REPORT_PANEL_TYPE = 'gna.benchmarkReport';

type ShowMessage = Extract<ReportHostMessage, { type: 'show' }>;
export type ReportAction = Exclude<ReportWebviewMessage, { type: 'ready' | 'rendered' | 'error' }>;

export interface ReportHandlers {
  /** The protocol's validator (loaded with the benchmark runtime). */
  parse(data: unknown): { ok: true; message: ReportWebviewMessage } | { ok: false; error: string };
  /** What the page should show now (without focus). */
  snapshot(): ShowMessage;
  /** An action the page asked for; the answer goes back to the page as `actionResult`. */
  act(action: ReportAction): Promise<{ ok: boolean; message: string }>;
}

export class ReportPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private ready = false;
  private pendingFocus?: string[];
  private lastRendered?: ReportRendered;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly ctx: Ctx,
    private readonly handlers: ReportHandlers,
  ) {}

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** What the page last said it drew (cleared when the panel closes). */
  get rendered(): ReportRendered | undefined {
    return this.lastRendered;
  }

  /** Opens the panel (or reveals it) and selects `focus` once the page is ready. */
  open(focus?: readonly string[], preserveFocus = false): void {
    if (focus) this.pendingFocus = [...focus];
    if (this.panel) {
      this.panel.reveal(undefined, preserveFocus);
      this.refresh();
      return;
    }
    const dist = vscode.Uri.joinPath(this.ctx.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(
      REPORT_PANEL_TYPE,
      'GNA Benchmark Report',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      {
        enableScripts: true,
        enableCommandUris: false,
        // The history survives a hidden panel in the host; the page is rebuilt from `show`.
        retainContextWhenHidden: false,
        localResourceRoots: [dist],
      },
    );
    this.panel = panel;
    this.ready = false;
    const webview = panel.webview;
    webview.html = reportHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce((bytes) => {
        bytes.set(randomBytes(bytes.length));
        return bytes;
      }),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'report.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'report.css')).toString(),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((data: unknown) => void this.receive(data)),
      // A hidden page is discarded; it says `ready` again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.ready = false;
        this.lastRendered = undefined;
      }),
    );
  }

  /** Sends what to show now, if the page is there to read it. */
  refresh(): void {
    if (!this.panel || !this.ready) return;
    let message: ShowMessage;
    try {
      message = this.handlers.snapshot();
    } catch (e) {
      this.ctx.logError('benchmark report', e);
      return;
    }
    const focus = this.pendingFocus;
    this.pendingFocus = undefined;
    this.post(focus ? { ...message, focus } : message);
  }

  private post(message: ReportHostMessage): void {
    const webview = this.panel?.webview;
    if (!webview) return;
    void webview.postMessage(message).then(undefined, (e: unknown) => this.ctx.logError('posting to the benchmark report', e));
  }

  /** A message as if the page had sent it (validated the same way): the e2e tests' way to click. */
  receiveForTests(data: unknown): Promise<void> {
    return this.receive(data);
  }

  private async receive(data: unknown): Promise<void> {
    let parsed: ReturnType<ReportHandlers['parse']>;
    try {
      parsed = this.handlers.parse(data);
    } catch (e) {
      this.ctx.logError('loading the benchmark runtime (dist/benchRuntime.js)', e);
      return;
    }
    if (!parsed.ok) {
      this.ctx.output.warn(`benchmark report: ignored a message that does not fit the protocol: ${parsed.error}`);
      return;
    }
    const message = parsed.message;
    try {
      switch (message.type) {
        case 'ready':
          this.ready = true;
          this.refresh();
          return;
        case 'rendered':
          this.lastRendered = message.rendered;
          this.ctx.output.trace(
            `benchmark report: ${message.rendered.mode}, ${message.rendered.records} runs, ${message.rendered.selected.length} selected, ` +
              `chart ${message.rendered.chart.kind} ${message.rendered.chart.series}×${message.rendered.chart.points}`,
          );
          return;
        case 'error':
          this.ctx.output.error(`benchmark report page: ${message.message}`);
          return;
        case 'export':
        case 'delete':
        case 'sweep':
        case 'rerun':
        case 'import': {
          const result = await this.handlers.act(message);
          this.post({ type: 'actionResult', requestId: message.requestId, ...result });
          return;
        }
      }
    } catch (e) {
      this.ctx.logError(`benchmark report ${message.type}`, e);
      if ('requestId' in message) this.post({ type: 'actionResult', requestId: message.requestId, ok: false, message: `Failed: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
