// A page's side of its host ⇄ page protocol (the preview and the report use it alike): typed
// posting, validated receiving, request ids whose stale answers are dropped, the state VS Code
// keeps for a page while it is hidden or reloaded, and uncaught errors sent to the host's log.

import type { Parsed } from '../protocol/common';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** How a page reports a problem to the host: each protocol's `{ type: 'error', message }`. */
type ErrorMessage<Out> = (message: string) => Out;

export class HostChannel<Out, In> {
  // VS Code hands its API out once per page: a page creates one channel (`startPage`).
  private readonly api = acquireVsCodeApi();
  private lastRequest = 0;

  constructor(
    private readonly parse: (data: unknown) => Parsed<In>,
    private readonly error: ErrorMessage<Out>,
  ) {}

  post(message: Out): void {
    this.api.postMessage(message);
  }

  /** Reports a problem of the page to the host's log. */
  postError(text: string): void {
    this.post(this.error(text.slice(0, 8000)));
  }

  /** A fresh id for a request; only the answer to the latest one reaches `listen`'s handler. */
  nextRequestId(): number {
    return ++this.lastRequest;
  }

  /**
   * Calls `handler` for each valid host message, except answers (messages with a `requestId`) to
   * a request older than the latest; invalid messages are reported to the host's log.
   */
  listen(handler: (message: In) => void): void {
    window.addEventListener('message', (event: MessageEvent) => {
      const parsed = this.parse(event.data);
      if (!parsed.ok) {
        this.postError(`Ignored a message from the host that does not fit the protocol: ${parsed.error}`);
        return;
      }
      const answers = (parsed.message as { requestId?: unknown }).requestId;
      if (answers !== undefined && answers !== this.lastRequest) return;
      handler(parsed.message);
    });
  }

  get state(): unknown {
    return this.api.getState();
  }

  set state(value: unknown) {
    this.api.setState(value);
  }
}

/** The page's channel, with uncaught errors of the page going to the host's log. */
export function startPage<Out, In>(parse: (data: unknown) => Parsed<In>, error: ErrorMessage<Out>): HostChannel<Out, In> {
  const host = new HostChannel(parse, error);
  window.addEventListener('error', (event) => host.postError(String(event.message)));
  return host;
}
