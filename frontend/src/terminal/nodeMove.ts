// When the portal node holding a terminal's session drains, the session moves to the node its
// device reconnects to and stays resumable for a while (docs/api.md, close code 1012). This owns the
// timing of the browser's side of that: reconnect attempts with jitter and backoff, and the end of
// the window. What counts as a refusal "for now" stays with the connection (connection.ts).

/** How long after a move began its session can be rejoined (the portal keeps it this long). */
export const MOVE_WINDOW_MS = 30_000;
/** The first attempt waits this long: the device's agent needs a moment to reach another node. */
export const MOVE_FIRST_DELAY_MS = 500;
/** Up to this much is added at random to the first delay, so a node's browsers do not all come at once. */
export const MOVE_JITTER_MS = 500;
/** The waits after the first, second, … failed attempt; the last one repeats until the window ends. */
export const MOVE_BACKOFF_MS: readonly number[] = [1_000, 2_000];

/** Why a move ended without rejoining the session (a clause: states.ts adds the full stop). */
export const MOVE_EXPIRED = `the session could not be resumed on another node within ${MOVE_WINDOW_MS / 1000} s`;

/** The clock and timers a move runs on (tests drive fake ones). */
export interface MoveTimers {
  now(): number;
  /** Runs {@code run} after {@code ms}; the returned function cancels it. */
  after(ms: number, run: () => void): () => void;
}

export const realTimers: MoveTimers = {
  now: () => Date.now(),
  after: (ms, run) => {
    const id = setTimeout(run, ms);
    return () => clearTimeout(id);
  },
};

/** The wait before attempt {@code attempt} (1 is the first); {@code random} returns [0, 1). */
export function moveDelay(attempt: number, random: () => number): number {
  if (attempt <= 1) return MOVE_FIRST_DELAY_MS + Math.floor(random() * MOVE_JITTER_MS);
  return MOVE_BACKOFF_MS[Math.min(attempt - 2, MOVE_BACKOFF_MS.length - 1)];
}

export interface MoveHooks {
  /** Time for attempt {@code attempt} (1, 2, …). */
  attempt(attempt: number): void;
  /** The window passed without a successful attempt. */
  expired(): void;
}

/** The schedule of one move: its owner stops it on success, on a final close, or when the user acts. */
export class MoveSchedule {
  private attempts = 0;
  private readonly deadline: number;
  private cancelAttempt: (() => void) | null = null;
  private cancelDeadline: (() => void) | null;

  constructor(
    private readonly hooks: MoveHooks,
    private readonly timers: MoveTimers = realTimers,
    private readonly random: () => number = Math.random,
  ) {
    this.deadline = timers.now() + MOVE_WINDOW_MS;
    this.cancelDeadline = timers.after(MOVE_WINDOW_MS, () => {
      this.stop();
      hooks.expired();
    });
    this.scheduleNext();
  }

  /** Attempts made so far. */
  get attempt(): number {
    return this.attempts;
  }

  /** The last attempt was refused for now: the next one after the backoff. */
  retry(): void {
    this.scheduleNext();
  }

  /** Cancels the pending attempt and the end of the window. */
  stop(): void {
    this.cancelAttempt?.();
    this.cancelDeadline?.();
    this.cancelAttempt = null;
    this.cancelDeadline = null;
  }

  private scheduleNext(): void {
    this.cancelAttempt?.();
    const delay = moveDelay(this.attempts + 1, this.random);
    if (this.timers.now() + delay >= this.deadline) {
      this.cancelAttempt = null;
      return; // no attempt fits in the window any more: its end closes the move
    }
    this.cancelAttempt = this.timers.after(delay, () => {
      this.cancelAttempt = null;
      this.attempts++;
      this.hooks.attempt(this.attempts);
    });
  }
}
