// Flow control for a terminal fed faster than it can render, as the xterm.js guide "Flow Control"
// describes: count the bytes handed to term.write() whose write callback has not fired yet; above
// HIGH ask the portal to pause the stream (it withholds credit on the tunnel channel), below LOW
// ask it to resume. The page stays responsive however fast the device talks.

export type FlowMessage = { type: 'pause' } | { type: 'resume' };

export interface FlowControlOptions {
  /** Sends a control message to the portal (a JSON text frame on the terminal socket). */
  send: (message: FlowMessage) => void;
  /** Pause when more than this many bytes are waiting for xterm to parse. */
  high?: number;
  /** Resume when fewer than this many are left. */
  low?: number;
}

/**
 * The guide's values: ~100 kB in flight keeps xterm busy without a visible lag on input echo; the
 * gap to LOW avoids flapping between pause and resume on every chunk.
 */
export const DEFAULT_HIGH = 100_000;
export const DEFAULT_LOW = 10_000;

export class FlowControl {
  readonly high: number;
  readonly low: number;
  private readonly send: (message: FlowMessage) => void;
  private waiting = 0;
  private isPaused = false;
  /** Callbacks of writes made before reset() belong to an old stream and must not count. */
  private epoch = 0;

  constructor(options: FlowControlOptions) {
    this.high = options.high ?? DEFAULT_HIGH;
    this.low = options.low ?? DEFAULT_LOW;
    if (!(this.low >= 0 && this.low < this.high)) {
      throw new RangeError(`flow control needs 0 <= low < high (got low ${this.low}, high ${this.high})`);
    }
    this.send = options.send;
  }

  /**
   * Call for every chunk given to the terminal; pass the returned function as term.write's
   * callback: `term.write(text, flow.written(chunk.byteLength))`.
   */
  written(bytes: number): () => void {
    const epoch = this.epoch;
    this.waiting += bytes;
    if (!this.isPaused && this.waiting > this.high) {
      this.isPaused = true;
      this.send({ type: 'pause' });
    }
    let done = false;
    return () => {
      if (done || epoch !== this.epoch) {
        return;
      }
      done = true;
      this.waiting = Math.max(this.waiting - bytes, 0);
      if (this.isPaused && this.waiting < this.low) {
        this.isPaused = false;
        this.send({ type: 'resume' });
      }
    };
  }

  /** Bytes handed to the terminal and not yet processed. */
  get pending(): number {
    return this.waiting;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /** A new stream (reconnect): forget what was in flight; sends nothing. */
  reset(): void {
    this.epoch += 1;
    this.waiting = 0;
    this.isPaused = false;
  }

  /**
   * The same socket's stream starts over (the portal's `reset`): forget what was in flight, and
   * if a pause is in force ask to resume, since the portal would otherwise hold it for ever.
   */
  restart(): void {
    const wasPaused = this.isPaused;
    this.reset();
    if (wasPaused) {
      this.send({ type: 'resume' });
    }
  }
}
