// One XMODEM / YMODEM send from the controller's terminal ("Send file…" in the serial settings):
// the sender runs in a Worker (xmodemWorker.ts); while it runs the device's output goes to it, not
// to the screen, and its blocks go to the device. Progress and the result show on the terminal's
// transfer line (transferPanel.ts).

import type { TransferOutcome, TransferProgress } from './fileTransfer';
import type { XmodemProtocol } from './xmodem';

/** Page → worker. */
export type XmodemIn =
  | { type: 'start'; protocol: XmodemProtocol; name: string; data: ArrayBuffer; mtimeSeconds: number }
  | { type: 'receive'; bytes: Uint8Array }
  | { type: 'cancel' };

/** Worker → page. */
export type XmodemOut =
  | { type: 'send'; bytes: Uint8Array }
  | { type: 'progress'; done: number; total: number; retries: number }
  /** Device output that was not the transfer's (the prompt after its end): the terminal's. */
  | { type: 'rest'; bytes: Uint8Array }
  | { type: 'finished'; outcome: TransferOutcome; detail: string };

export interface XmodemPort {
  postMessage(message: XmodemIn, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<XmodemOut>) => void) | null;
  terminate(): void;
}

export interface XmodemRunHost {
  toDevice(bytes: Uint8Array): boolean;
  toTerminal(bytes: Uint8Array): void;
  progress(progress: TransferProgress & { retries: number }): void;
  finished(outcome: TransferOutcome, detail: string): void;
}

export const PROTOCOLS: { value: XmodemProtocol; label: string }[] = [
  { value: 'xmodem-crc', label: 'XMODEM-CRC' },
  { value: 'xmodem-1k', label: 'XMODEM-1K' },
  { value: 'ymodem', label: 'YMODEM' },
];

/** How long a finished sender's worker lives on to hand back device output forwarded meanwhile. */
export const RETIRE_MS = 1_000;

export class XmodemRun {
  private ended = false;

  constructor(
    private readonly port: XmodemPort,
    private readonly name: string,
    private readonly host: XmodemRunHost,
  ) {
    port.onmessage = (event) => this.onMessage(event.data);
  }

  /** Starts sending {@code data}: the device should be waiting (loadx, loady, rx, rb). */
  start(protocol: XmodemProtocol, data: ArrayBuffer, mtimeSeconds: number): void {
    this.host.progress({ direction: 'upload', name: this.name, size: data.byteLength, done: 0, retries: 0 });
    this.port.postMessage({ type: 'start', protocol, name: this.name, data, mtimeSeconds }, [data]);
  }

  get running(): boolean {
    return !this.ended;
  }

  /** Device output, while the send runs. */
  receive(bytes: Uint8Array): void {
    this.port.postMessage({ type: 'receive', bytes });
  }

  cancel(): void {
    this.port.postMessage({ type: 'cancel' });
  }

  private onMessage(m: XmodemOut): void {
    if (m.type === 'rest') {
      this.host.toTerminal(m.bytes); // also just after the end: what the page forwarded meanwhile
      return;
    }
    if (this.ended) return;
    switch (m.type) {
      case 'send':
        this.host.toDevice(m.bytes);
        break;
      case 'progress':
        this.host.progress({ direction: 'upload', name: this.name, size: m.total, done: m.done, retries: m.retries });
        break;
      case 'finished':
        this.ended = true;
        setTimeout(() => this.port.terminate(), RETIRE_MS);
        this.host.finished(m.outcome, m.detail);
        break;
    }
  }
}
