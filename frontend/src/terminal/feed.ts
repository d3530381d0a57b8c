// Device bytes on their way into xterm.js: the one stateful decoder of the stream (the device's
// encoding) turns them into text, and flow control counts what xterm has not parsed yet, so the
// portal is asked to pause above the high watermark and to resume below the low one.

import { createDecoder, type DeviceEncoding, type StreamDecoder } from './decoder';
import type { FlowControl } from './flowControl';

/** term.write: the callback fires once xterm has parsed the text. */
export type TerminalWrite = (text: string, parsed?: () => void) => void;

export class OutputFeed {
  private decoder: StreamDecoder;
  private received = 0;

  constructor(
    private readonly write: TerminalWrite,
    private readonly flow: FlowControl,
    encoding: DeviceEncoding,
  ) {
    this.decoder = createDecoder(encoding);
  }

  get encoding(): DeviceEncoding {
    return this.decoder.encoding;
  }

  /** Bytes received since the page opened this terminal. */
  get bytesIn(): number {
    return this.received;
  }

  /** One binary frame from the device, in order. */
  push(bytes: Uint8Array): void {
    this.received += bytes.byteLength;
    const text = this.decoder.decode(bytes);
    const parsed = this.flow.written(bytes.byteLength);
    if (text) {
      this.write(text, parsed);
    } else {
      parsed(); // only part of a character: nothing for xterm to parse yet
    }
  }

  /** Another encoding from the next byte on; an unfinished character of the old one ends as U+FFFD. */
  setEncoding(encoding: DeviceEncoding): void {
    if (encoding === this.decoder.encoding) return;
    this.end();
    this.decoder = createDecoder(encoding);
  }

  /** A new stream (reconnect): the old one's half character and in-flight bytes are forgotten. */
  restart(): void {
    this.end();
    this.decoder = createDecoder(this.decoder.encoding);
    this.flow.reset();
  }

  /**
   * The portal starts the stream over on the same socket (`reset`): what follows replays recent
   * output from a safe point, so a half character of the old stream is dropped, not shown.
   */
  startOver(): void {
    this.decoder = createDecoder(this.decoder.encoding);
    this.flow.restart();
  }

  private end(): void {
    const rest = this.decoder.flush();
    if (rest) this.write(rest);
  }
}
