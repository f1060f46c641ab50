// The benchmark report: one editor panel (a webview page, webviewPage.ts) showing the history,
// the selected runs as a table and a chart, and a config that could not be measured here with
// its simulated numbers. Every message from the page is validated with zod (the protocol is part
// of the lazily loaded benchmark runtime); its actions go to the benchmark's wiring (benchmark.ts).

import * as vscode from 'vscode';
import type { Parsed } from '../../webview/protocol/common';
import type { ReportHostMessage, ReportRendered, ReportWebviewMessage } from '../../webview/protocol/report';
import type { Ctx } from './context';
import { loadPage, PageChannel, pageOptions, PageRequest } from './webviewPage';

export const REPORT_PANEL_TYPE = 'gna.benchmarkReport';

type ShowMessage = Extract<ReportHostMessage, { type: 'show' }>;
export type ReportAction = Exclude<ReportWebviewMessage, { type: 'ready' | 'rendered' | 'error' }>;

export interface ReportHandlers {
  /** The protocol's validator (loaded with the benchmark runtime). */
  parse(data: unknown): Parsed<ReportWebviewMessage>;
  /** What the page should show now (without focus). */
  snapshot(): ShowMessage;
  /** An action the page asked for; the answer goes back to the page as `actionResult`. */
  act(action: ReportAction): Promise<{ ok: boolean; message: string }>;
}

export class ReportPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private channel?: PageChannel<ReportWebviewMessage, ReportHostMessage>;
  private pendingFocus?: string[];
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly ctx: Ctx,
    private readonly handlers: ReportHandlers,
  ) {}

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  get isVisible(): boolean {
    return this.panel?.visible ?? false;
  }

  /** What the page last said it drew (cleared when the panel closes). */
  get rendered(): ReportRendered | undefined {
    return this.channel?.rendered;
  }

  /** Opens the panel (or reveals it) and selects `focus` once the page is ready. */
  open(focus?: readonly string[], preserveFocus = false): void {
    if (focus) this.pendingFocus = [...focus];
    if (this.panel) {
      this.panel.reveal(undefined, preserveFocus);
      this.refresh();
      return;
    }
    // The history survives a hidden panel in the host; the page is rebuilt from `show`.
    const panel = vscode.window.createWebviewPanel(REPORT_PANEL_TYPE, 'GNA Benchmark Report', { viewColumn: vscode.ViewColumn.Beside, preserveFocus }, { ...pageOptions(this.ctx), retainContextWhenHidden: false });
    this.panel = panel;
    loadPage(this.ctx, panel.webview, { name: 'report', title: 'GNA benchmark report' });
    const channel = new PageChannel<ReportWebviewMessage, ReportHostMessage>(
      this.ctx,
      'benchmark report',
      panel.webview,
      () => this.handlers.parse,
      (m) => this.receive(m),
      (r) => `${r.mode}, ${r.records} runs, ${r.selected.length} selected, chart ${r.chart.kind} ${r.chart.series}×${r.chart.points}`,
    );
    this.channel = channel;
    this.disposables.push(
      channel,
      // A hidden page is discarded; it says `ready` again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) channel.ready = false;
      }),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.channel = undefined;
      }),
    );
  }

  /** Sends what to show now, if the page is there to read it. */
  refresh(): void {
    if (!this.channel?.ready) return;
    let message: ShowMessage;
    try {
      message = this.handlers.snapshot();
    } catch (e) {
      this.ctx.logError('benchmark report', e);
      return;
    }
    const focus = this.pendingFocus;
    this.pendingFocus = undefined;
    this.channel.post(focus ? { ...message, focus } : message);
  }

  /** A message as if the page had sent it (validated the same way): the e2e tests' way to click. */
  async receiveForTests(data: unknown): Promise<void> {
    if (this.channel) return this.channel.receive(data);
    // No page: the action still runs; its answer has no page to go to.
    const parsed = this.handlers.parse(data);
    if (parsed.ok && parsed.message.type !== 'error' && parsed.message.type !== 'rendered') await this.receive(parsed.message);
  }

  private async receive(message: PageRequest<ReportWebviewMessage>): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.refresh();
        return;
      case 'export':
      case 'delete':
      case 'sweep':
      case 'rerun':
      case 'import': {
        let result: { ok: boolean; message: string };
        try {
          result = await this.handlers.act(message);
        } catch (e) {
          this.ctx.logError(`benchmark report ${message.type}`, e);
          result = { ok: false, message: `Failed: ${e instanceof Error ? e.message : String(e)}` };
        }
        this.channel?.post({ type: 'actionResult', requestId: message.requestId, ...result });
        return;
      }
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
