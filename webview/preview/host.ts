// The webview's side of the protocol: typed posting, validated receiving, and the state VS Code
// keeps for a webview while it is hidden or reloaded.

import { HostMessage, parseHostMessage, WebviewMessage } from '../protocol/preview';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export class HostChannel {
  private readonly api: VsCodeApi;

  constructor() {
    // May be called once per page; the channel is created once in main.ts.
    this.api = acquireVsCodeApi();
  }

  post(message: WebviewMessage): void {
    this.api.postMessage(message);
  }

  /** Calls `handler` for each valid host message; invalid ones are reported to the host's log. */
  listen(handler: (message: HostMessage) => void): void {
    window.addEventListener('message', (event: MessageEvent) => {
      const parsed = parseHostMessage(event.data);
      if (parsed.ok) handler(parsed.message);
      else this.post({ type: 'error', message: `Ignored a message from the host that does not fit the protocol: ${parsed.error}` });
    });
  }

  get state(): unknown {
    return this.api.getState();
  }

  set state(value: unknown) {
    this.api.setState(value);
  }
}
