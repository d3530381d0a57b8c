// The data-flow WebSocket of one device target (docs/api.md "View data flow"): a read-only tail of
// whatever session is live on the target, as a small state machine without DOM, and the bounded
// list of chunks the view shows, which a pause holds back without losing the newest.

import { deviceSocketUrl, PortalSocket, type SocketFactory } from '../live/portalSocket';
import { describeClose } from '../terminal/connection';
import { type FlowChunk, parseFlowFrame } from './dump';

export type FlowState =
  | { kind: 'connecting' }
  | { kind: 'idle' }
  | { kind: 'live'; session: number | null }
  | { kind: 'closed'; reason: string };

/** Whether this watcher sees typed input (the replay right on the device's group), and that group. */
export interface InputVisibility {
  shown: boolean;
  group: string | null;
}

export interface FlowEvents {
  state(state: FlowState): void;
  chunk(chunk: FlowChunk): void;
  /** The portal said whether typed input is shown to this user (once, on connecting). */
  input?(visibility: InputVisibility): void;
}

/** What the view says about typed input: hidden (and which right shows it), or shown. */
export function inputNotice(visibility: InputVisibility): string {
  if (visibility.shown) return 'Showing both directions, including typed input (passwords too).';
  const group = visibility.group ? `group ${visibility.group}` : "the device's group";
  return `Input hidden: needs the replay right on ${group}. Only device output is shown.`;
}

/** ws(s)://host/api/devices/{id}/flow?target=NAME for the page at {@code location}. */
export function flowUrl(location: { protocol: string; host: string }, deviceId: number, target: string): string {
  return deviceSocketUrl(location, deviceId, 'flow', target);
}

export class FlowTail {
  private readonly socket: PortalSocket;
  private current: FlowState = { kind: 'closed', reason: 'not connected yet' };

  constructor(
    url: string,
    private readonly events: FlowEvents,
    factory?: SocketFactory,
  ) {
    this.socket = new PortalSocket(
      url,
      {
        binary: (bytes) => {
          const chunk = parseFlowFrame(bytes);
          if (chunk) this.events.chunk(chunk);
        },
        message: (message) => this.onMessage(message),
        closed: (code, reason) => {
          const why = reason || (this.socket.opened ? describeClose(code, true) : 'the portal refused the data flow (signed out, or no access to this device)');
          this.setState({ kind: 'closed', reason: why });
        },
      },
      factory,
    );
  }

  get state(): FlowState {
    return this.current;
  }

  connect(): void {
    this.socket.drop();
    this.setState({ kind: 'connecting' });
    const failed = this.socket.connect();
    if (failed) this.setState({ kind: 'closed', reason: failed });
  }

  close(): void {
    const had = this.socket.drop();
    if (had) this.setState({ kind: 'closed', reason: 'you closed the data flow' });
  }

  private onMessage(message: Record<string, unknown>): void {
    if (message.type === 'watching') {
      if (typeof message.input === 'boolean') {
        this.events.input?.({ shown: message.input, group: typeof message.group === 'string' ? message.group : null });
      }
      return;
    }
    if (message.type !== 'status') return;
    if (message.state === 'idle') {
      this.setState({ kind: 'idle' });
    } else if (message.state === 'live') {
      const id = message.session;
      const session = typeof id === 'number' ? id : typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : null;
      this.setState({ kind: 'live', session });
    }
  }

  private setState(state: FlowState): void {
    this.current = state;
    this.events.state(state);
  }
}

/** The rows a tail view keeps: the newest {@code limit}; while paused, new ones wait (also bounded). */
export class ChunkLog<T> {
  private pausedNow = false;
  private waiting: T[] = [];
  private dropped = 0;

  constructor(
    readonly limit: number,
    /** Appends rows to the view, oldest first. */
    private readonly show: (rows: T[]) => void,
    /** Removes the view's oldest rows beyond {@code keep}. */
    private readonly trim: (keep: number) => void,
  ) {}

  get paused(): boolean {
    return this.pausedNow;
  }

  /** Rows held back by a pause. */
  get pending(): number {
    return this.waiting.length;
  }

  /** Rows that came during a pause and were dropped for newer ones. */
  get skipped(): number {
    return this.dropped;
  }

  add(row: T): void {
    if (this.pausedNow) {
      this.waiting.push(row);
      if (this.waiting.length > this.limit) {
        this.waiting.shift();
        this.dropped++;
      }
      return;
    }
    this.show([row]);
    this.trim(this.limit);
  }

  pause(): void {
    this.pausedNow = true;
  }

  resume(): void {
    this.pausedNow = false;
    const rows = this.waiting;
    this.waiting = [];
    this.dropped = 0;
    if (rows.length > 0) {
      this.show(rows);
      this.trim(this.limit);
    }
  }

  /** Forgets what waits (the view clears its rows itself). */
  clear(): void {
    this.waiting = [];
    this.dropped = 0;
  }
}
