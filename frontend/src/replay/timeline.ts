// The replay's timeline, without any DOM: a cast's events on a playback clock whose idle stretches
// are capped (asciinema's idleTimeLimit: a session that sat idle for an hour replays the pause in a
// couple of seconds), what the screen holds at any time, and a Playback that writes each event when
// its time comes, at any speed, with pause and seek. The player page only wires it to xterm.js.

import { type Cast, type CastEventType, parseSize } from './cast';

/** Idle stretches longer than this replay as this long (seconds), unless the cast sets its own. */
export const DEFAULT_IDLE_LIMIT = 2;

export const SPEEDS = [0.5, 1, 2, 4, 8] as const;

export interface Frame {
  /** Playback seconds (idle-capped). */
  at: number;
  /** Seconds into the session as recorded. */
  recordedAt: number;
  type: CastEventType;
  data: string;
}

export interface Size {
  cols: number;
  rows: number;
}

/** The playback time of each event: every gap between events (and before the first) capped at {@code limit}. */
export function capIdle(times: readonly number[], limit: number): number[] {
  const out: number[] = [];
  let previous = 0;
  let at = 0;
  for (const time of times) {
    at += Math.min(Math.max(time - previous, 0), limit);
    previous = time;
    out.push(at);
  }
  return out;
}

export class Timeline {
  readonly frames: readonly Frame[];
  /** Playback seconds from start to the last event. */
  readonly duration: number;
  readonly initialSize: Size;

  constructor(
    cast: Cast,
    /** Seconds: longer idle stretches play this long. */
    readonly idleLimit: number = cast.header.idleTimeLimit ?? DEFAULT_IDLE_LIMIT,
  ) {
    const at = capIdle(
      cast.events.map((e) => e.time),
      idleLimit,
    );
    this.frames = cast.events.map((e, i) => ({ at: at[i], recordedAt: e.time, type: e.type, data: e.data }));
    this.duration = at.length > 0 ? at[at.length - 1] : 0;
    this.initialSize = { cols: cast.header.width, rows: cast.header.height };
  }

  /** How many frames are due at playback time {@code t} (those at or before it). */
  indexAt(t: number): number {
    let lo = 0;
    let hi = this.frames.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.frames[mid].at <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The output of frames [from, to), in one string. */
  output(from: number, to: number): string {
    let text = '';
    for (let i = from; i < to; i++) {
      if (this.frames[i].type === 'o') text += this.frames[i].data;
    }
    return text;
  }

  /** Everything written up to playback time {@code t}: what a seek puts on a cleared screen. */
  outputUntil(t: number): string {
    return this.output(0, this.indexAt(t));
  }

  /** The terminal size after the first {@code count} frames (the last resize, else the header's). */
  sizeAfter(count: number): Size {
    for (let i = Math.min(count, this.frames.length) - 1; i >= 0; i--) {
      if (this.frames[i].type === 'r') {
        const size = parseSize(this.frames[i].data);
        if (size) return size;
      }
    }
    return this.initialSize;
  }

  /** The markers (gaps in the recording), with their playback time. */
  markers(): { at: number; label: string }[] {
    return this.frames.filter((f) => f.type === 'm').map((f) => ({ at: f.at, label: f.data }));
  }
}

/** What a Playback drives: the terminal, a clock, timers, and whoever shows the controls. */
export interface PlaybackHost {
  /** Output for the terminal, in order. */
  write(text: string): void;
  /** Clears the terminal (a seek redraws from the start). */
  reset(): void;
  resize(size: Size): void;
  /** Milliseconds, monotonic (performance.now). */
  now(): number;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** Playing, position or speed changed. */
  changed(): void;
}

export class Playback {
  private playingNow = false;
  private rate = 1;
  /** Frames already written. */
  private cursor = 0;
  /** The position when last anchored, and the wall clock then. */
  private anchorAt = 0;
  private anchorWall = 0;
  private timer: unknown = null;
  private size: Size;

  constructor(
    readonly timeline: Timeline,
    private readonly host: PlaybackHost,
  ) {
    this.size = timeline.initialSize;
  }

  get playing(): boolean {
    return this.playingNow;
  }

  get speed(): number {
    return this.rate;
  }

  /** Playback seconds. */
  get position(): number {
    if (!this.playingNow) return this.anchorAt;
    const elapsed = ((this.host.now() - this.anchorWall) / 1000) * this.rate;
    return Math.min(this.anchorAt + elapsed, this.timeline.duration);
  }

  get ended(): boolean {
    return this.cursor >= this.timeline.frames.length && this.position >= this.timeline.duration;
  }

  play(): void {
    if (this.playingNow) return;
    if (this.ended) {
      this.seek(0); // Play at the end plays again from the start
    }
    this.anchor(this.anchorAt);
    this.playingNow = true;
    this.tick();
    this.host.changed();
  }

  pause(): void {
    if (!this.playingNow) return;
    const at = this.position;
    const due = this.timeline.indexAt(at);
    if (due > this.cursor) {
      this.emit(this.cursor, due); // the screen shows the paused moment, not the frame before
      this.cursor = due;
    }
    this.anchorAt = at;
    this.playingNow = false;
    this.cancel();
    this.host.changed();
  }

  toggle(): void {
    if (this.playingNow) this.pause();
    else this.play();
  }

  /** Jumps to {@code t}: a cleared screen with everything written up to then, at once. */
  seek(t: number): void {
    const to = Math.min(Math.max(t, 0), this.timeline.duration);
    const count = this.timeline.indexAt(to);
    this.host.reset();
    this.applySize(this.timeline.sizeAfter(count));
    const text = this.timeline.output(0, count);
    if (text) this.host.write(text);
    this.cursor = count;
    this.anchor(to);
    if (this.playingNow) {
      this.cancel();
      this.tick();
    }
    this.host.changed();
  }

  setSpeed(speed: number): void {
    if (!(speed > 0) || speed === this.rate) return;
    this.anchor(this.position);
    this.rate = speed;
    if (this.playingNow) {
      this.cancel();
      this.tick();
    }
    this.host.changed();
  }

  dispose(): void {
    this.playingNow = false;
    this.cancel();
  }

  /** Writes what is due, then sleeps until the next frame is. */
  private tick(): void {
    this.timer = null;
    if (!this.playingNow) return;
    const now = this.position;
    const due = this.timeline.indexAt(now);
    if (due > this.cursor) {
      this.emit(this.cursor, due);
      this.cursor = due;
    }
    const next = this.timeline.frames[this.cursor];
    if (!next) {
      this.anchorAt = this.timeline.duration;
      this.playingNow = false;
      this.host.changed();
      return;
    }
    const wait = ((next.at - now) / this.rate) * 1000;
    this.timer = this.host.setTimer(() => this.tick(), Math.max(wait, 0));
  }

  /** Frames [from, to): output joined into one write, resizes applied in order. */
  private emit(from: number, to: number): void {
    let start = from;
    for (let i = from; i < to; i++) {
      if (this.timeline.frames[i].type === 'r') {
        const text = this.timeline.output(start, i);
        if (text) this.host.write(text);
        const size = parseSize(this.timeline.frames[i].data);
        if (size) this.applySize(size);
        start = i + 1;
      }
    }
    const text = this.timeline.output(start, to);
    if (text) this.host.write(text);
  }

  private applySize(size: Size): void {
    if (size.cols === this.size.cols && size.rows === this.size.rows) return;
    this.size = size;
    this.host.resize(size);
  }

  private anchor(at: number): void {
    this.anchorAt = at;
    this.anchorWall = this.host.now();
  }

  private cancel(): void {
    if (this.timer !== null) {
      this.host.clearTimer(this.timer);
      this.timer = null;
    }
  }
}

/** "1:05", "12:00", "1:02:03": playback time on the controls. */
export function formatClock(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
