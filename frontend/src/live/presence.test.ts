import { describe, expect, it } from 'vitest';
import type { Device } from '../api/types';
import { applyConsoleMatch, applyPresence, backoffDelay, EventStreamPresence, type EventSourceLike, ManualPresenceSource, noPresence, parseLiveEvent, parsePresence, type Timers } from './presence';

const device: Device = {
  id: 1,
  name: 'plc-7',
  description: null,
  group: 'default',
  tags: [],
  mode: null,
  online: false,
  lastSeen: null,
  remoteAddress: null,
  agentVersion: null,
  targets: [],
  createdAt: '2026-11-25T10:00:00Z',
};

describe('presence', () => {
  it('applies an event to its device and keeps fields it does not mention', () => {
    const after = applyPresence(device, { deviceId: 1, online: true, lastSeen: '2026-11-25T11:00:00Z' });
    expect(after).toMatchObject({ online: true, lastSeen: '2026-11-25T11:00:00Z', name: 'plc-7', targets: [] });
    expect(device.online).toBe(false);
  });

  it('reads a console match event, and refuses one of another shape', () => {
    const match = { rule: 'panic', severity: 'critical', target: 'console', line: 'Kernel panic', at: '2026-12-08T03:00:00Z' };
    expect(parseLiveEvent(JSON.stringify({ type: 'console-match', deviceId: 7, consoleMatch: match }))).toEqual({ type: 'console-match', event: { deviceId: 7, consoleMatch: match } });
    expect(parseLiveEvent(JSON.stringify({ type: 'console-match', deviceId: 7, consoleMatch: { ...match, severity: 'fatal' } }))).toBeNull();
    expect(parseLiveEvent(JSON.stringify({ type: 'console-match', deviceId: '7', consoleMatch: match }))).toBeNull();
    expect(parseLiveEvent(JSON.stringify({ type: 'console-match', deviceId: 7, consoleMatch: null }))).toBeNull();
  });

  it("puts a console match on its device only, and hands it to the subscribers that take it", () => {
    const consoleMatch = { rule: 'panic', severity: 'critical' as const, target: 'console', line: 'Kernel panic', at: '2026-12-08T03:00:00Z' };
    expect(applyConsoleMatch(device, { deviceId: 1, consoleMatch }).consoleMatch).toEqual(consoleMatch);
    expect(applyConsoleMatch(device, { deviceId: 2, consoleMatch })).toBe(device);
    const source = new ManualPresenceSource();
    const seen: number[] = [];
    source.subscribe(() => seen.push(-1));
    source.subscribe(() => {}, { consoleMatch: (e) => seen.push(e.deviceId) });
    source.emitConsoleMatch({ deviceId: 3, consoleMatch });
    expect(seen).toEqual([3]);
  });

  it('leaves other devices untouched', () => {
    expect(applyPresence(device, { deviceId: 2, online: true })).toBe(device);
  });

  it('replaces targets when the event carries them', () => {
    const targets = [{ name: 'console', kind: 'serial', description: null, status: 'busy' }];
    expect(applyPresence(device, { deviceId: 1, online: true, targets }).targets).toEqual(targets);
  });

  it('delivers to subscribers until they unsubscribe', () => {
    const source = new ManualPresenceSource();
    const seen: number[] = [];
    const stop = source.subscribe((e) => seen.push(e.deviceId));
    source.emit({ deviceId: 5, online: true });
    stop();
    source.emit({ deviceId: 6, online: true });
    expect(seen).toEqual([5]);
    expect(source.listenerCount).toBe(0);
  });

  it('has a no-op source for tests and before start-up', () => {
    const stop = noPresence.subscribe(() => {
      throw new Error('no events expected');
    });
    expect(typeof stop).toBe('function');
    stop();
  });
});

/** An EventSource the test drives. */
class FakeEventSource implements EventSourceLike {
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;

  constructor(readonly url: string) {}

  close(): void {
    this.closed = true;
  }

  open(): void {
    this.onopen?.(new Event('open'));
  }

  message(data: unknown): void {
    this.onmessage?.({ data: typeof data === 'string' ? data : JSON.stringify(data) } as MessageEvent);
  }

  fail(): void {
    this.onerror?.(new Event('error'));
  }
}

/** Timers the test fires by hand, with the delays they were set for. */
function manualTimers() {
  const pending: { callback: () => void; ms: number }[] = [];
  const timers: Timers = {
    set: (callback, ms) => {
      const entry = { callback, ms };
      pending.push(entry);
      return entry;
    },
    clear: (handle) => {
      const i = pending.indexOf(handle as (typeof pending)[number]);
      if (i >= 0) pending.splice(i, 1);
    },
  };
  return { timers, pending, fire: () => pending.splice(0).forEach((t) => t.callback()) };
}

function stream(options: { onFailure?: () => void } = {}) {
  const sources: FakeEventSource[] = [];
  const clock = manualTimers();
  const presence = new EventStreamPresence({
    open: (url) => {
      const s = new FakeEventSource(url);
      sources.push(s);
      return s;
    },
    timers: clock.timers,
    minDelayMs: 1000,
    maxDelayMs: 8000,
    jitter: 0,
    onFailure: options.onFailure,
  });
  return { presence, sources, clock, last: () => sources[sources.length - 1] };
}

describe('the presence event stream', () => {
  it('reads presence events and ignores keepalives, unknown types and garbage', () => {
    expect(parsePresence('{"type":"presence","deviceId":7,"online":true}')).toEqual({ deviceId: 7, online: true });
    expect(parsePresence('{"type":"keepalive","deviceId":0,"online":false}')).toBeNull();
    expect(parsePresence('{"type":"presence","deviceId":"7","online":true}')).toBeNull();
    expect(parsePresence('{"type":"presence","deviceId":7}')).toBeNull();
    expect(parsePresence('not json')).toBeNull();
    expect(parsePresence('null')).toBeNull();
  });

  it('opens /api/events on the first subscriber and closes it when the last one leaves', () => {
    const { presence, sources } = stream();
    expect(sources).toHaveLength(0);
    const stopA = presence.subscribe(() => {});
    const stopB = presence.subscribe(() => {});
    expect(sources).toHaveLength(1);
    expect(sources[0].url).toBe('/api/events');
    stopA();
    expect(sources[0].closed).toBe(false);
    stopB();
    expect(sources[0].closed).toBe(true);
    expect(presence.state).toBe('closed');
  });

  it('delivers presence events to every subscriber', () => {
    const { presence, last } = stream();
    const seen: string[] = [];
    presence.subscribe((e) => seen.push(`a${e.deviceId}:${e.online}`));
    presence.subscribe((e) => seen.push(`b${e.deviceId}:${e.online}`));
    last().open();
    last().message({ type: 'presence', deviceId: 3, online: true });
    last().message({ type: 'keepalive', deviceId: 0, online: false });
    expect(seen).toEqual(['a3:true', 'b3:true']);
  });

  it('hands session and refusal events to the subscribers that take them, never to presence listeners', () => {
    const { presence, last } = stream();
    const seen: string[] = [];
    presence.subscribe((e) => seen.push(`presence ${e.deviceId}`), {
      session: (e) => seen.push(`session ${e.id} ${e.state} ${e.device.name}/${e.target} ${e.controller} ${e.people}`),
      refusal: (e) => seen.push(`refusal ${e.id} ${e.action} ${e.actor}`),
    });
    presence.subscribe((e) => seen.push(`fleet ${e.deviceId}`));
    last().open();
    last().message({ type: 'session', id: 41, device: { id: 7, name: 'plc-7' }, target: 'console', kind: 'terminal', state: 'live', controller: 'alice', people: 2 });
    last().message({ type: 'refusal', id: 9, at: '2026-12-04T10:00:00Z', actor: 'bob', action: 'session.refused', outcome: 'denied', subject: 'plc-7/console', deviceId: 7, address: null });
    last().message({ type: 'session', id: 41, device: { id: 7 }, target: 'console', kind: 'terminal', state: 'live', controller: null, people: 1 });
    last().message({ type: 'session', id: 41, device: { id: 7, name: 'plc-7' }, target: 'console', kind: 'terminal', state: 'gone', controller: null, people: 0 });
    last().message({ type: 'presence', deviceId: 7, online: false });
    expect(seen).toEqual(['session 41 live plc-7/console alice 2', 'refusal 9 session.refused bob', 'presence 7', 'fleet 7']);
  });

  it('reconnects after errors with growing delays, reset once a connection opens', () => {
    const failures: number[] = [];
    const { presence, sources, clock, last } = stream({ onFailure: () => failures.push(1) });
    presence.subscribe(() => {});
    last().open();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      last().fail();
      expect(last().closed).toBe(true);
      expect(presence.state).toBe('waiting');
      delays.push(clock.pending[0].ms);
      clock.fire();
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(sources).toHaveLength(6);
    expect(failures).toHaveLength(5);
    last().open();
    last().fail();
    expect(clock.pending[0].ms).toBe(1000);
  });

  it('asks the subscribers to resynchronise after a reconnect, not on the first open', () => {
    const { presence, clock, last } = stream();
    let resyncs = 0;
    presence.subscribe(() => {}, { resync: () => resyncs++ });
    last().open();
    expect(resyncs).toBe(0);
    last().fail();
    clock.fire();
    last().open();
    expect(resyncs).toBe(1);
  });

  it('stops retrying when the last subscriber leaves while it waits', () => {
    const { presence, sources, clock, last } = stream();
    const stop = presence.subscribe(() => {});
    last().fail();
    expect(clock.pending).toHaveLength(1);
    stop();
    expect(clock.pending).toHaveLength(0);
    expect(sources).toHaveLength(1);
  });

  it('ignores a stale source after a reconnect', () => {
    const { presence, sources, clock } = stream();
    const seen: number[] = [];
    presence.subscribe((e) => seen.push(e.deviceId));
    const first = sources[0];
    const onmessage = first.onmessage!;
    first.fail();
    clock.fire();
    onmessage({ data: '{"type":"presence","deviceId":1,"online":true}' } as MessageEvent);
    sources[1].message({ type: 'presence', deviceId: 2, online: true });
    expect(seen).toEqual([2]);
  });

  it('spreads delays by the jitter within bounds', () => {
    expect(backoffDelay(1, 1000, 30_000, 0.2, () => 0)).toBe(800);
    expect(backoffDelay(1, 1000, 30_000, 0.2, () => 1)).toBe(1200);
    expect(backoffDelay(10, 1000, 30_000, 0.2, () => 1)).toBe(30_000);
  });
});
