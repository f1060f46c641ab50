// The report page's side of the protocol: typed posting, validated receiving, and the state VS
// Code keeps for the page while it is hidden (the selection).

import { parseReportHostMessage, ReportHostMessage, ReportWebviewMessage } from '../protocol/report';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export class HostChannel {
  private readonly api = acquireVsCodeApi();

  post(message: ReportWebviewMessage): void {
    this.api.postMessage(message);
  }

  /** Calls `handler` for each valid host message; an invalid one is reported to the host's log. */
  listen(handler: (message: ReportHostMessage) => void): void {
    window.addEventListener('message', (event: MessageEvent) => {
      const parsed = parseReportHostMessage(event.data);
      if (parsed.ok) handler(parsed.message);
      else this.post({ type: 'error', message: `Ignored a message from the host that does not fit the protocol: ${parsed.error}` });
    });
  }

  /** The selection kept across hide/show (ids of records). */
  get selection(): string[] {
    const state = this.api.getState() as { selected?: unknown } | undefined;
    return Array.isArray(state?.selected) ? state.selected.filter((x): x is string => typeof x === 'string') : [];
  }

  set selection(ids: string[]) {
    this.api.setState({ selected: ids });
  }
}
