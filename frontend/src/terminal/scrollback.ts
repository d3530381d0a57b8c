// The console log as scrollback (issue 20): a terminal opened on a logged target first shows the
// log's last lines, dimmed, above the live stream, and a line saying where the user joined. The
// lines are fetched while the socket connects; the join's `reset` clears the screen, so they are
// written right after it, before the session's recent output. Should they still be on their way
// then, the output waits for them (at most SCROLLBACK_WAIT_MS); a failed or late fetch leaves the
// terminal as it was without the log.

import type { LogItem } from '../api/types';

/** How many lines of the log a terminal shows above the live stream. */
export const SCROLLBACK_LINES = 200;

/**
 * How long the session's output waits for the log's lines: a log answer is a few milliseconds on a
 * healthy portal, and a user should not stare at a silent terminal for a slow one.
 */
export const SCROLLBACK_WAIT_MS = 3000;

/** Where the log ends and the session begins. */
export const BEFORE_YOU_JOINED = '── before you joined ──';

const DIM = '\x1b[2m';
const DIM_ITALIC = '\x1b[2;3m';
const PLAIN = '\x1b[0m';

/**
 * Controls a line may still hold (the portal strips escape sequences; this keeps a stray ESC or a
 * C1 control from turning the scrollback into commands to the terminal).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** The log's items as terminal text: dimmed lines, markers in italics, then the separator; '' for none. */
export function scrollbackText(items: LogItem[]): string {
  if (items.length === 0) return '';
  const lines = items.map((item) =>
    item.text !== null ? `${DIM}${item.text.replace(CONTROLS, '')}${PLAIN}` : `${DIM_ITALIC}--- ${(item.marker ?? '').replace(CONTROLS, '')} ---${PLAIN}`,
  );
  return `${lines.join('\r\n')}\r\n${DIM_ITALIC}${BEFORE_YOU_JOINED}${PLAIN}\r\n`;
}

export interface ScrollbackOutput {
  /** Text to the terminal (the scrollback). */
  write(text: string): void;
  /** Device bytes on their way as without scrollback. */
  push(bytes: Uint8Array): void;
}

export interface ScrollbackTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: ScrollbackTimers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The scrollback of one terminal, per connection: fetched on connect, written once at the join. */
export class Scrollback {
  /** The current connection's fetch: its text once answered ('' when it failed or had none). */
  private text: string | null = null;
  private attempt = 0;
  /** Output held while the join waits for the text; null when not waiting. */
  private held: Uint8Array[] | null = null;
  private timer: unknown = null;
  private shown = 0;

  constructor(
    private readonly fetchTail: () => Promise<LogItem[]>,
    private readonly out: ScrollbackOutput,
    private readonly timers: ScrollbackTimers = realTimers,
    private readonly waitMs = SCROLLBACK_WAIT_MS,
  ) {}

  /** Lines of the log written above the current stream (for the test hook). */
  get lines(): number {
    return this.shown;
  }

  /** A new connection: drop what the last one held, fetch the log again. */
  connecting(): void {
    const mine = ++this.attempt;
    this.release(false);
    this.text = null;
    this.shown = 0;
    this.fetchTail()
      .then((items) => this.answered(mine, items))
      .catch(() => this.answered(mine, []));
  }

  /** The terminal closed for good: nothing held is written, a late answer is ignored. */
  stop(): void {
    this.attempt++;
    this.release(false);
  }

  /** The join's reset cleared the screen: the log goes first, now or once it came. */
  joined(): void {
    if (this.text !== null) {
      this.writeText();
    } else if (this.held === null) {
      const mine = this.attempt;
      this.held = [];
      this.timer = this.timers.set(() => mine === this.attempt && this.release(true), this.waitMs);
    }
  }

  /** Device bytes: held while the join waits for the log, else passed on. */
  data(bytes: Uint8Array): void {
    if (this.held) this.held.push(bytes);
    else this.out.push(bytes);
  }

  private answered(attempt: number, items: LogItem[]): void {
    if (attempt !== this.attempt || this.text !== null) return;
    this.text = scrollbackText(items);
    this.shown = items.length;
    if (this.held) {
      this.writeText();
      this.release(true);
    }
  }

  private writeText(): void {
    if (this.text) this.out.write(this.text);
    this.text = ''; // once per join
  }

  /** Stops waiting: held output goes on ({@code flush}) or is dropped (a new connection). */
  private release(flush: boolean): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
    const held = this.held;
    this.held = null;
    if (flush && held) {
      if (this.text === null) this.text = ''; // too late: the log would land below live output, so it never shows
      for (const bytes of held) this.out.push(bytes);
    }
  }
}
