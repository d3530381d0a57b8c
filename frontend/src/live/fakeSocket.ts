// For tests: a WebSocket the test drives in place of the portal (terminal, data flow, the socket
// lifecycle). Not part of the app bundle: only test files import it.

import type { SocketLike } from './portalSocket';

/** A WebSocket the test drives: it records what was sent and fires the portal's side on demand. */
export class FakeSocket implements SocketLike {
  binaryType = 'blob';
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  sent: (string | Uint8Array)[] = [];
  closedWith: number | null = null;

  constructor(readonly url: string) {}

  send(data: string | ArrayBufferLike | ArrayBufferView): void {
    this.sent.push(typeof data === 'string' ? data : new Uint8Array(data as ArrayBuffer));
  }

  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = 3;
  }

  // the portal's side
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  text(message: unknown): void {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) } as MessageEvent);
  }

  binary(bytes: number[]): void {
    this.onmessage?.({ data: Uint8Array.from(bytes).buffer } as MessageEvent);
  }

  drop(code: number, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason } as CloseEvent);
  }

  json(): unknown[] {
    return this.sent.filter((s): s is string => typeof s === 'string').map((s) => JSON.parse(s) as unknown);
  }
}
