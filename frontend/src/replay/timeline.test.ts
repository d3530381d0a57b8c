import { describe, expect, it } from 'vitest';
import type { Cast, CastEvent } from './cast';
import { capIdle, DEFAULT_IDLE_LIMIT, formatClock, Playback, type PlaybackHost, type Size, Timeline } from './timeline';

const castOf = (events: [number, CastEvent['type'], string][], idleTimeLimit: number | null = null): Cast => ({
  header: { version: 2, width: 80, height: 24, timestamp: null, title: null, idleTimeLimit },
  events: events.map(([time, type, data]) => ({ time, type, data })),
  skipped: 0,
});

/** A host with a hand-driven clock: advance() moves time and fires the timers that are due. */
class FakeHost implements PlaybackHost {
  screen = '';
  writes: string[] = [];
  resets = 0;
  sizes: Size[] = [];
  changes = 0;
  clock = 0;
  timers: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 1;

  write(text: string): void {
    this.writes.push(text);
    this.screen += text;
  }
  reset(): void {
    this.resets++;
    this.screen = '';
  }
  resize(size: Size): void {
    this.sizes.push(size);
  }
  now(): number {
    return this.clock;
  }
  setTimer(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.clock + ms, callback, id });
    return id;
  }
  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  changed(): void {
    this.changes++;
  }
  /** Moves the clock by {@code ms}, firing due timers in order. */
  advance(ms: number): void {
    const end = this.clock + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.clock = Math.max(this.clock, due.at);
      due.callback();
    }
    this.clock = end;
  }
}

// recorded: a at 1 s, b at 2 s, an hour idle, c at 3602 s, d at 3602.5 s
const session = castOf([
  [1, 'o', 'a'],
  [2, 'o', 'b'],
  [3602, 'o', 'c'],
  [3602.5, 'i', 'typed'],
  [3602.5, 'o', 'd'],
]);

describe('capIdle', () => {
  it('caps every gap, including the one before the first event', () => {
    expect(capIdle([1, 2, 3602, 3602.5], 2)).toEqual([1, 2, 4, 4.5]);
    expect(capIdle([5, 5, 6], 2)).toEqual([2, 2, 3]);
    expect(capIdle([], 2)).toEqual([]);
  });
});

describe('Timeline', () => {
  it('replays an hour of idling in the idle limit (2 s unless the cast says otherwise)', () => {
    expect(DEFAULT_IDLE_LIMIT).toBe(2);
    const timeline = new Timeline(session);
    expect(timeline.frames.map((f) => f.at)).toEqual([1, 2, 4, 4.5, 4.5]);
    expect(timeline.frames[2].recordedAt).toBe(3602);
    expect(timeline.duration).toBe(4.5);
    expect(new Timeline(castOf([[10, 'o', 'x']], 0.5)).duration).toBe(0.5);
  });

  it('knows what the screen holds at any time: output only, up to and including that time', () => {
    const timeline = new Timeline(session);
    expect(timeline.outputUntil(0)).toBe('');
    expect(timeline.outputUntil(1)).toBe('a');
    expect(timeline.outputUntil(3.9)).toBe('ab');
    expect(timeline.outputUntil(99)).toBe('abcd'); // the input event is not output
    expect(timeline.indexAt(4.5)).toBe(5);
  });

  it('lists the markers (gaps) and follows resizes', () => {
    const timeline = new Timeline(castOf([[1, 'o', 'x'], [2, 'r', '120x40'], [3, 'm', 'gap: 12 s not recorded']]));
    expect(timeline.markers()).toEqual([{ at: 3, label: 'gap: 12 s not recorded' }]);
    expect(timeline.sizeAfter(1)).toEqual({ cols: 80, rows: 24 });
    expect(timeline.sizeAfter(2)).toEqual({ cols: 120, rows: 40 });
  });
});

describe('Playback', () => {
  const setup = (cast: Cast = session) => {
    const host = new FakeHost();
    const playback = new Playback(new Timeline(cast), host);
    return { host, playback };
  };

  it('writes each event when its time comes and sleeps until the next one', () => {
    const { host, playback } = setup();
    playback.play();
    expect(host.screen).toBe('');
    expect(host.timers.map((t) => t.at)).toEqual([1000]); // one timer, for the next event
    host.advance(999);
    expect(host.screen).toBe('');
    host.advance(1);
    expect(host.screen).toBe('a');
    host.advance(1000);
    expect(host.screen).toBe('ab');
    host.advance(2000); // the hour of idling, capped
    expect(host.screen).toBe('abc');
    host.advance(500);
    expect(host.screen).toBe('abcd');
    expect(playback.playing).toBe(false);
    expect(playback.position).toBe(4.5);
    expect(playback.ended).toBe(true);
    expect(host.timers).toEqual([]);
  });

  it('plays faster and slower, also when the speed changes mid-way', () => {
    const { host, playback } = setup();
    playback.setSpeed(2);
    playback.play();
    host.advance(500);
    expect(host.screen).toBe('a');
    host.advance(250); // position 1.5
    playback.setSpeed(0.5);
    expect(playback.position).toBeCloseTo(1.5);
    host.advance(999); // 0.4995 s of playback: b (at 2) not yet
    expect(host.screen).toBe('a');
    host.advance(1);
    expect(host.screen).toBe('ab');
  });

  it('pauses and resumes where it stopped', () => {
    const { host, playback } = setup();
    playback.play();
    host.advance(1500);
    playback.pause();
    expect(playback.position).toBe(1.5);
    expect(host.timers).toEqual([]);
    host.advance(10_000);
    expect(host.screen).toBe('a');
    expect(playback.position).toBe(1.5);
    playback.play();
    host.advance(500);
    expect(host.screen).toBe('ab');
  });

  it('seeks by clearing the screen and writing everything up to then at once', () => {
    const { host, playback } = setup();
    playback.seek(4);
    expect(host.resets).toBe(1);
    expect(host.writes).toEqual(['abc']);
    expect(playback.position).toBe(4);
    playback.seek(1.5); // backwards: the screen is redrawn, not appended to
    expect(host.screen).toBe('a');
    playback.play();
    host.advance(500);
    expect(host.screen).toBe('ab');
    playback.seek(-3);
    expect(host.screen).toBe('');
    expect(playback.position).toBe(0);
    playback.seek(1000);
    expect(playback.position).toBe(4.5);
  });

  it('plays again from the start when Play is pressed at the end', () => {
    const { host, playback } = setup();
    playback.seek(99);
    expect(host.screen).toBe('abcd');
    playback.play();
    expect(host.screen).toBe('');
    host.advance(1000);
    expect(host.screen).toBe('a');
  });

  it('applies resizes in order with the output around them, and restores the size on a seek back', () => {
    const { host, playback } = setup(castOf([[0.5, 'o', 'x'], [0.5, 'r', '120x40'], [0.5, 'o', 'y']]));
    playback.play();
    host.advance(500);
    expect(host.writes).toEqual(['x', 'y']);
    expect(host.sizes).toEqual([{ cols: 120, rows: 40 }]);
    playback.seek(0);
    expect(host.sizes.at(-1)).toEqual({ cols: 80, rows: 24 });
  });

  it('stops its timer when disposed', () => {
    const { host, playback } = setup();
    playback.play();
    playback.dispose();
    expect(host.timers).toEqual([]);
    host.advance(10_000);
    expect(host.screen).toBe('');
  });
});

describe('formatClock', () => {
  it('prints m:ss, and h:mm:ss past an hour', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(65.9)).toBe('1:05');
    expect(formatClock(3723)).toBe('1:02:03');
    expect(formatClock(-1)).toBe('0:00');
  });
});
