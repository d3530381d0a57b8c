// Live events, pushed by the portal as server-sent events on GET /api/events (docs/api.md "Live
// events"): device presence, sessions (live, changed hands, ended), refusals and console matches. The
// fleet and device views subscribe to presence (and console matches, for the badge) and never poll: an event says which device changed, the view re-reads
// that device; the dashboard also takes sessions and refusals. The stream is open only while someone
// listens, and after a drop it reconnects with backoff and tells the listeners to resynchronise
// (events may have been missed while it was down).

import type { AuditEntry, ConsoleMatch, Device, DeviceTarget, Severity } from '../api/types';

/** One change of a device's presence. Fields left out did not change. */
export interface PresenceEvent {
  deviceId: number;
  online: boolean;
  lastSeen?: string | null;
  remoteAddress?: string | null;
  agentVersion?: string | null;
  targets?: DeviceTarget[];
}

export type PresenceListener = (event: PresenceEvent) => void;

/** A session became live, changed hands or people, or ended. */
export interface SessionEvent {
  id: number;
  device: { id: number; name: string };
  target: string;
  kind: string;
  state: 'live' | 'ended';
  /** Who controls it now; null when nobody does or it ended. */
  controller: string | null;
  /** How many different users take part now. */
  people: number;
}

/** An audit entry whose outcome is not `ok`, as it was written (its detail is left out). */
export type RefusalEvent = Omit<AuditEntry, 'detail'>;

/** A console rule matched a line the device printed: its new last match (the badge). */
export interface ConsoleMatchEvent {
  deviceId: number;
  consoleMatch: ConsoleMatch;
}

export interface SubscribeOptions {
  /**
   * Called when events may have been missed (the stream reconnected after a drop): the view should
   * re-read what it shows.
   */
  resync?: () => void;
  /** Sessions of devices the user may see. */
  session?: (event: SessionEvent) => void;
  /** Refusals the user may read in the audit log. */
  refusal?: (event: RefusalEvent) => void;
  /** Console matches of devices the user may see. */
  consoleMatch?: (event: ConsoleMatchEvent) => void;
  /** A notification the user may see was stored (the header's unread count). */
  notification?: (event: NotificationEvent) => void;
}

/** A notification was stored: its id and kind (GET /api/notifications has the rest). */
export interface NotificationEvent {
  id: number;
  kind: string;
}

/** One event of the stream, by type. */
export type LiveEvent =
  | { type: 'presence'; event: PresenceEvent }
  | { type: 'session'; event: SessionEvent }
  | { type: 'refusal'; event: RefusalEvent }
  | { type: 'console-match'; event: ConsoleMatchEvent }
  | { type: 'notification'; event: NotificationEvent };

/** Hands {@code live} to whoever takes its type. */
function deliver(live: LiveEvent, listeners: Map<PresenceListener, SubscribeOptions>): void {
  for (const [listener, options] of [...listeners]) {
    if (live.type === 'presence') listener(live.event);
    else if (live.type === 'session') options.session?.(live.event);
    else if (live.type === 'refusal') options.refusal?.(live.event);
    else if (live.type === 'notification') options.notification?.(live.event);
    else options.consoleMatch?.(live.event);
  }
}

export interface PresenceSource {
  /** Starts delivering events to {@code listener}; the returned function stops it. */
  subscribe(listener: PresenceListener, options?: SubscribeOptions): () => void;
}

/** Delivers nothing (tests, and before start-up wires the real stream). */
export const noPresence: PresenceSource = {
  subscribe: () => () => {},
};

let source: PresenceSource = noPresence;

export function presenceSource(): PresenceSource {
  return source;
}

export function setPresenceSource(next: PresenceSource): void {
  source = next;
}

/** The device after {@code event}; the same object when the event is about another device. */
export function applyPresence(device: Device, event: PresenceEvent): Device {
  if (device.id !== event.deviceId) {
    return device;
  }
  return {
    ...device,
    online: event.online,
    lastSeen: event.lastSeen !== undefined ? event.lastSeen : device.lastSeen,
    remoteAddress: event.remoteAddress !== undefined ? event.remoteAddress : device.remoteAddress,
    agentVersion: event.agentVersion !== undefined ? event.agentVersion : device.agentVersion,
    targets: event.targets ?? device.targets,
  };
}

/** The device with {@code event}'s match as its last; the same object when the event is about another device. */
export function applyConsoleMatch(device: Device, event: ConsoleMatchEvent): Device {
  return device.id === event.deviceId ? { ...device, consoleMatch: event.consoleMatch } : device;
}

/**
 * Reads one SSE data payload: a presence event, or null for anything else (keepalives, unknown
 * types, garbage — a stream that changes shape must not break the page).
 */
export function parsePresence(data: string): PresenceEvent | null {
  const live = parseLiveEvent(data);
  return live?.type === 'presence' ? live.event : null;
}

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isText = (v: unknown): v is string => typeof v === 'string';
const isTextOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
const SEVERITIES: readonly string[] = ['info', 'warning', 'critical'] satisfies Severity[];

/** A console match as the portal sends it, or null. */
function parseConsoleMatch(v: unknown): ConsoleMatch | null {
  if (!v || typeof v !== 'object') return null;
  const m = v as Record<string, unknown>;
  if (isText(m.rule) && isText(m.severity) && SEVERITIES.includes(m.severity) && isText(m.target) && isText(m.line) && isText(m.at)) {
    return { rule: m.rule, severity: m.severity as Severity, target: m.target, line: m.line, at: m.at };
  }
  return null;
}

/** Reads one SSE data payload: a presence, session, refusal, console-match or notification event, or null for anything else. */
export function parseLiveEvent(data: string): LiveEvent | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object') {
    return null;
  }
  const e = parsed as Record<string, unknown>;
  if (e.type === 'presence' && isId(e.deviceId) && typeof e.online === 'boolean') {
    return { type: 'presence', event: { deviceId: e.deviceId, online: e.online } };
  }
  const device = e.device as Record<string, unknown> | null | undefined;
  if (
    e.type === 'session' &&
    isId(e.id) &&
    device &&
    typeof device === 'object' &&
    isId(device.id) &&
    isText(device.name) &&
    isText(e.target) &&
    isText(e.kind) &&
    (e.state === 'live' || e.state === 'ended') &&
    isTextOrNull(e.controller) &&
    isId(e.people)
  ) {
    return {
      type: 'session',
      event: { id: e.id, device: { id: device.id, name: device.name }, target: e.target, kind: e.kind, state: e.state, controller: e.controller, people: e.people },
    };
  }
  if (
    e.type === 'refusal' &&
    isId(e.id) &&
    isText(e.at) &&
    isText(e.action) &&
    isText(e.outcome) &&
    isTextOrNull(e.actor) &&
    isTextOrNull(e.subject) &&
    isTextOrNull(e.address) &&
    (e.deviceId === null || isId(e.deviceId))
  ) {
    return {
      type: 'refusal',
      event: { id: e.id, at: e.at, action: e.action, outcome: e.outcome, actor: e.actor, subject: e.subject, address: e.address, deviceId: e.deviceId },
    };
  }
  if (e.type === 'notification' && isId(e.id) && isText(e.kind)) {
    return { type: 'notification', event: { id: e.id, kind: e.kind } };
  }
  const match = e.type === 'console-match' && isId(e.deviceId) ? parseConsoleMatch(e.consoleMatch) : null;
  if (match && isId(e.deviceId)) {
    return { type: 'console-match', event: { deviceId: e.deviceId, consoleMatch: match } };
  }
  return null;
}

/** A source fed by hand: for tests, and the shape a real stream adapter takes. */
export class ManualPresenceSource implements PresenceSource {
  private readonly listeners = new Map<PresenceListener, SubscribeOptions>();

  subscribe(listener: PresenceListener, options: SubscribeOptions = {}): () => void {
    this.listeners.set(listener, options);
    return () => this.listeners.delete(listener);
  }

  emit(event: PresenceEvent): void {
    deliver({ type: 'presence', event }, this.listeners);
  }

  emitSession(event: SessionEvent): void {
    deliver({ type: 'session', event }, this.listeners);
  }

  emitRefusal(event: RefusalEvent): void {
    deliver({ type: 'refusal', event }, this.listeners);
  }

  emitConsoleMatch(event: ConsoleMatchEvent): void {
    deliver({ type: 'console-match', event }, this.listeners);
  }

  resync(): void {
    for (const options of [...this.listeners.values()]) {
      options.resync?.();
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}

/** The part of EventSource this module uses (so tests can hand in a fake). */
export interface EventSourceLike {
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface StreamOptions {
  url?: string;
  /** Defaults to the browser's EventSource with credentials sent same-origin. */
  open?: EventSourceFactory;
  timers?: Timers;
  /** First reconnect delay; doubled after each failure up to {@code maxDelayMs}. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** 0..1 of random spread on each delay, so many tabs do not reconnect in lockstep. */
  jitter?: number;
  random?: () => number;
  /**
   * Called after a failed connection, before the retry: the app asks the portal whether the
   * session is still valid (a 401 there sends the user to the sign-in page, which ends the stream).
   */
  onFailure?: () => void;
}

/** The delay before reconnect attempt {@code attempt} (1-based). */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, jitter = 0, random: () => number = Math.random): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.max(0, attempt - 1));
  const spread = base * jitter;
  return Math.round(Math.min(maxMs, Math.max(0, base - spread + 2 * spread * random())));
}

export type StreamState = 'closed' | 'connecting' | 'open' | 'waiting';

/**
 * Presence from {@code GET /api/events}. The EventSource is made when the first listener
 * subscribes and closed when the last one leaves. Errors are not left to EventSource's own retry
 * (it gives up for good on a non-200 answer): every failure closes the stream and reconnects after
 * a growing delay, reset once a connection opens.
 */
export class EventStreamPresence implements PresenceSource {
  private readonly listeners = new Map<PresenceListener, SubscribeOptions>();
  private readonly url: string;
  private readonly open: EventSourceFactory;
  private readonly timers: Timers;
  private readonly minDelay: number;
  private readonly maxDelay: number;
  private readonly jitter: number;
  private readonly random: () => number;
  private readonly onFailure: () => void;
  private stream: EventSourceLike | null = null;
  private retry: unknown = null;
  private failures = 0;
  /** True once a connection has opened: the next open after a drop is a resync. */
  private everOpened = false;
  private current: StreamState = 'closed';

  constructor(options: StreamOptions = {}) {
    this.url = options.url ?? '/api/events';
    this.open = options.open ?? ((url) => new EventSource(url, { withCredentials: false }));
    this.timers = options.timers ?? {
      set: (callback, ms) => setTimeout(callback, ms),
      clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
    this.minDelay = options.minDelayMs ?? 1000;
    this.maxDelay = options.maxDelayMs ?? 30_000;
    this.jitter = options.jitter ?? 0.2;
    this.random = options.random ?? Math.random;
    this.onFailure = options.onFailure ?? (() => {});
  }

  subscribe(listener: PresenceListener, options: SubscribeOptions = {}): () => void {
    this.listeners.set(listener, options);
    if (this.current === 'closed') {
      this.connect();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.stop();
      }
    };
  }

  get state(): StreamState {
    return this.current;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Closes the stream now (sign-out); a later subscribe opens it again. */
  stop(): void {
    if (this.retry !== null) {
      this.timers.clear(this.retry);
      this.retry = null;
    }
    this.detach();
    this.failures = 0;
    this.everOpened = false;
    this.current = 'closed';
  }

  private connect(): void {
    this.retry = null;
    this.current = 'connecting';
    // EventSource sends cookies to its own origin by default (withCredentials only matters
    // cross-origin): the session cookie authenticates the stream.
    const stream = this.open(this.url);
    this.stream = stream;
    stream.onopen = () => {
      if (this.stream !== stream) return;
      this.current = 'open';
      this.failures = 0;
      const resync = this.everOpened;
      this.everOpened = true;
      if (resync) {
        for (const options of [...this.listeners.values()]) {
          options.resync?.();
        }
      }
    };
    stream.onmessage = (message) => {
      if (this.stream !== stream) return;
      const live = typeof message.data === 'string' ? parseLiveEvent(message.data) : null;
      if (live) {
        deliver(live, this.listeners);
      }
    };
    stream.onerror = () => {
      if (this.stream !== stream) return;
      this.detach();
      this.failures += 1;
      this.current = 'waiting';
      this.onFailure();
      if (this.current !== 'waiting') {
        return; // onFailure stopped the stream (signed out)
      }
      this.retry = this.timers.set(() => this.connect(), backoffDelay(this.failures, this.minDelay, this.maxDelay, this.jitter, this.random));
    };
  }

  private detach(): void {
    const stream = this.stream;
    this.stream = null;
    if (stream) {
      stream.onopen = null;
      stream.onmessage = null;
      stream.onerror = null;
      stream.close();
    }
  }
}
