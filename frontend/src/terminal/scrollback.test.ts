import { describe, expect, it } from 'vitest';
import type { LogItem } from '../api/types';
import { BEFORE_YOU_JOINED, Scrollback, scrollbackText } from './scrollback';

const line = (text: string): LogItem => ({ at: '2026-12-05T09:00:00Z', text, marker: null });
const marker = (text: string): LogItem => ({ at: '2026-12-05T09:00:00Z', text: null, marker: text });
const bytes = (text: string) => new TextEncoder().encode(text);

/** What reached the terminal, in order: scrollback text as is, device bytes as «text». */
function terminal() {
  const out: string[] = [];
  return { out, write: (text: string) => out.push(text), push: (b: Uint8Array) => out.push(`«${new TextDecoder().decode(b)}»`) };
}

/** Timers the test fires by hand. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 1;
  return {
    set: (fn: () => void) => {
      pending.set(next, fn);
      return next++;
    },
    clear: (handle: unknown) => pending.delete(handle as number),
    fire: () => [...pending.values()].forEach((fn) => fn()),
    count: () => pending.size,
  };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

/** A terminal that joined before the log answered, and got the session's recent output: held. */
function joinedBeforeTheLog() {
  const t = terminal();
  const answer = deferred<LogItem[]>();
  const timers = manualTimers();
  const s = new Scrollback(() => answer.promise, t, timers);
  s.connecting();
  s.joined();
  s.data(bytes('ring'));
  return { t, answer, timers, s };
}

describe('scrollback text', () => {
  it('dims each line, sets markers apart and ends with the separator', () => {
    const text = scrollbackText([marker('logging started'), line('boot ok'), line('login:')]);
    expect(text).toBe(`\x1b[2;3m--- logging started ---\x1b[0m\r\n\x1b[2mboot ok\x1b[0m\r\n\x1b[2mlogin:\x1b[0m\r\n\x1b[2;3m${BEFORE_YOU_JOINED}\x1b[0m\r\n`);
  });

  it('is empty for an empty log: no separator above nothing', () => {
    expect(scrollbackText([])).toBe('');
  });

  it('keeps controls in a line from reaching the terminal as commands', () => {
    expect(scrollbackText([line('a\x1b]0;title\x07b\x9bc\td')])).toContain('\x1b[2ma]0;titlebc\td\x1b[0m');
  });
});

describe('scrollback of a terminal', () => {
  it('writes the log right after the join when it came first, then the stream as it comes', async () => {
    const t = terminal();
    const s = new Scrollback(async () => [line('old line')], t, manualTimers());
    s.connecting();
    await settle();
    s.joined();
    s.data(bytes('recent'));
    expect(t.out).toEqual([scrollbackText([line('old line')]), '«recent»']);
    expect(s.lines).toBe(1);
  });

  it('holds the session output after the join until the log comes, keeping the order', async () => {
    const { t, answer, timers, s } = joinedBeforeTheLog();
    s.data(bytes('live'));
    expect(t.out).toEqual([]);
    answer.resolve([line('old line')]);
    await settle();
    expect(t.out).toEqual([scrollbackText([line('old line')]), '«ring»', '«live»']);
    expect(timers.count()).toBe(0);
  });

  it('passes the output on as before when the log cannot be read', async () => {
    const { t, answer, s } = joinedBeforeTheLog();
    answer.reject(new Error('403'));
    await settle();
    s.data(bytes('live'));
    expect(t.out).toEqual(['«ring»', '«live»']);
    expect(s.lines).toBe(0);
  });

  it('stops waiting after the bound and never writes a late log below live output', async () => {
    const { t, answer, timers, s } = joinedBeforeTheLog();
    timers.fire();
    s.data(bytes('live'));
    answer.resolve([line('late')]);
    await settle();
    expect(t.out).toEqual(['«ring»', '«live»']);
    expect(s.lines).toBe(0);
  });

  it('writes the log once per connection, and again after a reconnect', async () => {
    const t = terminal();
    let calls = 0;
    const s = new Scrollback(async () => [line(`fetch ${++calls}`)], t, manualTimers());
    s.connecting();
    await settle();
    s.joined();
    s.joined(); // a second join on the same stream adds nothing
    s.connecting();
    await settle();
    s.joined();
    expect(t.out).toEqual([scrollbackText([line('fetch 1')]), scrollbackText([line('fetch 2')])]);
  });

  it('drops what a closed connection held: its bytes belong to a stream that is gone', async () => {
    const t = terminal();
    const first = deferred<LogItem[]>();
    let call = 0;
    const s = new Scrollback(() => (++call === 1 ? first.promise : Promise.resolve([])), t, manualTimers());
    s.connecting();
    s.joined();
    s.data(bytes('old stream'));
    s.connecting();
    first.resolve([line('stale answer')]);
    await settle();
    s.joined();
    s.data(bytes('new stream'));
    expect(t.out).toEqual(['«new stream»']);
  });

  it('writes nothing once the terminal closed, however late the log or the wait ends', async () => {
    const { t, answer, timers, s } = joinedBeforeTheLog();
    s.stop();
    timers.fire();
    answer.resolve([line('late')]);
    await settle();
    expect(t.out).toEqual([]);
  });
});
