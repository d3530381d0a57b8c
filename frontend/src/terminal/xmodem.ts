// An XMODEM / YMODEM sender for bootloaders (U-Boot `loadx`/`loady`, lrzsz `rx`/`rb`), as a pure
// state machine: the receiver's bytes come in through receive(), blocks go out through the host,
// and the host owns the timers (xmodemWorker.ts runs it in a Worker, whose timers a background tab
// does not throttle). XMODEM-CRC sends 128-byte blocks (SOH), XMODEM-1K 1024-byte blocks (STX),
// both with CRC-16 (or the 8-bit checksum when the receiver asks with NAK instead of "C"); the last
// block is padded with SUB (0x1A), as XMODEM defines (the receiver keeps the padding). YMODEM sends
// block 0 with the name and size first (the receiver cuts the padding), 1K blocks, and ends the
// batch with an empty block 0.

export type XmodemProtocol = 'xmodem-crc' | 'xmodem-1k' | 'ymodem';
export type XmodemOutcome = 'complete' | 'cancelled' | 'failed';

export interface XmodemHost {
  send(bytes: Uint8Array): void;
  progress(done: number, total: number, retries: number): void;
  finished(outcome: XmodemOutcome, detail: string): void;
  /** Calls {@code fn} after {@code ms}; the returned function cancels it. */
  timer(ms: number, fn: () => void): () => void;
}

const SOH = 0x01;
const STX = 0x02;
const EOT = 0x04;
const ACK = 0x06;
const NAK = 0x15;
const CAN = 0x18;
const SUB = 0x1a;
const C = 0x43;

/** How long the receiver may take to ask for the file ("C" or NAK): time to type `loadx` after choosing. */
export const START_TIMEOUT_MS = 60_000;

/** How long a block's answer may take before it is sent again (XMODEM's own 10 s). */
export const BLOCK_TIMEOUT_MS = 10_000;

/** Sends of one block (or EOT) before the transfer fails: XMODEM's customary 10. */
export const MAX_TRIES = 10;

/** CRC-16/XMODEM (polynomial 0x1021, initial 0). */
export function crc16(data: Uint8Array, from = 0, to = data.length): number {
  let crc = 0;
  for (let i = from; i < to; i++) {
    crc ^= data[i] << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** One block: SOH/STX, number, its complement, the payload (padded with {@code pad}), CRC-16 or checksum. */
export function block(number: number, payload: Uint8Array, size: 128 | 1024, crc: boolean, pad = SUB): Uint8Array {
  const out = new Uint8Array(3 + size + (crc ? 2 : 1));
  out[0] = size === 128 ? SOH : STX;
  out[1] = number & 0xff;
  out[2] = 0xff - (number & 0xff);
  out.fill(pad, 3, 3 + size);
  out.set(payload.subarray(0, size), 3);
  if (crc) {
    const sum = crc16(out, 3, 3 + size);
    out[3 + size] = sum >> 8;
    out[4 + size] = sum & 0xff;
  } else {
    let sum = 0;
    for (let i = 3; i < 3 + size; i++) sum = (sum + out[i]) & 0xff;
    out[3 + size] = sum;
  }
  return out;
}

/** YMODEM's block 0: "name NUL size mtime mode" (octal mtime and mode), zero-padded; empty ends the batch. */
export function ymodemHeader(name: string | null, size: number, mtimeSeconds: number): Uint8Array {
  const text = name === null ? '' : `${name}\0${size} ${mtimeSeconds.toString(8)} 100644`;
  const bytes = new TextEncoder().encode(text);
  return block(0, bytes.subarray(0, 128), bytes.length > 128 ? 1024 : 128, true, 0);
}

type State = 'start' | 'header' | 'after-header' | 'data' | 'eot' | 'batch-end-start' | 'batch-end' | 'done';

export class XmodemSender {
  private state: State = 'start';
  private crc = true;
  private blockIndex = 0;
  private tries = 0;
  private retries = 0;
  private cans = 0;
  private stopTimer: (() => void) | null = null;
  private readonly size: 128 | 1024;
  private readonly blocks: number;

  constructor(
    private readonly protocol: XmodemProtocol,
    private readonly name: string,
    private readonly data: Uint8Array,
    private readonly host: XmodemHost,
    private readonly mtimeSeconds = 0,
  ) {
    this.size = protocol === 'xmodem-crc' ? 128 : 1024;
    this.blocks = Math.max(1, Math.ceil(data.length / this.size));
  }

  /** Waits for the receiver to ask. */
  start(): void {
    this.arm(START_TIMEOUT_MS, () => this.fail(`the device did not ask for the file within ${START_TIMEOUT_MS / 1000} s (is it waiting, e.g. loadx or rx?)`));
  }

  get running(): boolean {
    return this.state !== 'done';
  }

  /**
   * Bytes from the device; answers how many were the transfer's: the rest (the receiver's shell or
   * prompt after the end) is terminal output again.
   */
  receive(bytes: Uint8Array): number {
    for (let i = 0; i < bytes.length; i++) {
      if (this.state === 'done') return i;
      const b = bytes[i];
      if (b === CAN) {
        if (++this.cans >= 2) this.finish('cancelled', 'the device cancelled the transfer');
        continue;
      }
      this.cans = 0;
      if (!this.byte(b)) return i; // text that ended it: the terminal's
    }
    return bytes.length;
  }

  /** The user cancels: CAN CAN (eight, for good measure) tells the receiver. */
  cancel(): void {
    if (this.state === 'done') return;
    this.host.send(new Uint8Array(8).fill(CAN));
    this.finish('cancelled', 'you cancelled the transfer');
  }

  /** False when {@code b} ended the transfer without being part of it. */
  private byte(b: number): boolean {
    switch (this.state) {
      case 'start':
        if (b === C || b === NAK) {
          this.crc = b === C || this.protocol !== 'xmodem-crc'; // NAK: the 8-bit checksum
          if (this.protocol === 'ymodem') this.sendHeader();
          else this.sendBlock();
        }
        break;
      case 'header':
        if (b === ACK) {
          this.state = 'after-header';
          this.arm(BLOCK_TIMEOUT_MS, () => this.fail('the device took the file name but did not ask for the data'));
        } else if (b === NAK || b === C) this.retry(() => this.sendHeader());
        break;
      case 'after-header':
        if (b === C) this.sendBlock();
        break;
      case 'data':
        if (b === ACK) {
          this.tries = 0;
          this.blockIndex++;
          this.host.progress(Math.min(this.blockIndex * this.size, this.data.length), this.data.length, this.retries);
          if (this.blockIndex < this.blocks) this.sendBlock();
          else this.sendEot();
        } else if (b === NAK) {
          this.retry(() => this.sendBlock());
        }
        break;
      case 'eot':
        if (b === ACK) {
          if (this.protocol === 'ymodem') {
            this.state = 'batch-end-start';
            this.arm(BLOCK_TIMEOUT_MS, () => this.finish('complete', 'the device did not ask for the end of the batch'));
          } else {
            this.finish('complete', '');
          }
        } else if (b === NAK) {
          this.retry(() => this.sendEot());
        } else if (b >= 0x20 && b !== C) {
          // text (a prompt) instead of the ACK: the receiver took the end and left — lrzsz's rx on
          // a tty does so; sending EOT again would reach the shell as Ctrl-D
          this.finish('complete', 'the device answered the end without an ACK');
          return false;
        }
        break;
      case 'batch-end-start':
        if (b === C) this.sendBatchEnd();
        break;
      case 'batch-end':
        if (b === ACK) this.finish('complete', '');
        else if (b === NAK) this.retry(() => this.sendBatchEnd());
        else if (b >= 0x20 && b !== C) {
          this.finish('complete', 'the device answered the end without an ACK');
          return false;
        }
        break;
      case 'done':
        break;
    }
    return true;
  }

  private sendHeader(): void {
    this.transmit('header', ymodemHeader(this.name, this.data.length, this.mtimeSeconds));
  }

  private sendBlock(): void {
    const from = this.blockIndex * this.size;
    const payload = this.data.subarray(from, from + this.size);
    // a 1K sender may finish with a 128-byte block when little is left: less padding, as lrzsz does
    const size = this.size === 1024 && payload.length <= 128 && this.protocol === 'ymodem' ? 128 : this.size;
    this.transmit('data', block(this.blockIndex + 1, payload, size, this.crc));
  }

  private sendEot(): void {
    this.transmit('eot', Uint8Array.of(EOT));
  }

  private sendBatchEnd(): void {
    this.transmit('batch-end', ymodemHeader(null, 0, 0));
  }

  private transmit(state: State, bytes: Uint8Array): void {
    if (this.state !== state) this.tries = 0;
    this.state = state;
    this.tries++;
    this.host.send(bytes);
    this.arm(BLOCK_TIMEOUT_MS, () => this.retry(() => this.transmit(state, bytes)));
  }

  private retry(again: () => void): void {
    if (this.tries >= MAX_TRIES) {
      this.host.send(new Uint8Array(8).fill(CAN));
      this.fail(`block ${this.blockIndex + 1} of ${this.blocks} was refused ${MAX_TRIES} times`);
      return;
    }
    this.retries++;
    again();
  }

  private arm(ms: number, fn: () => void): void {
    this.stopTimer?.();
    this.stopTimer = this.host.timer(ms, fn);
  }

  private fail(detail: string): void {
    this.finish('failed', detail);
  }

  private finish(outcome: XmodemOutcome, detail: string): void {
    if (this.state === 'done') return;
    this.state = 'done';
    this.stopTimer?.();
    this.stopTimer = null;
    this.host.finished(outcome, detail);
  }
}
