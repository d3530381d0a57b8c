// The data-flow WebSocket of one device target (docs/api.md "View data flow"): a read-only tail of
// whatever session is live on the target, as a small state machine without DOM, and the bounded
// list of chunks the view shows, which a pause holds back without losing the newest.

import { describeClose, type SocketFactory, type SocketLike } from '../terminal/connection';
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
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api/devices/${encodeURIComponent(String(deviceId))}/flow?target=${encodeURIComponent(target)}`;
}

export class FlowTail {
  private socket: SocketLike | null = null;
  private current: FlowState = { kind: 'closed', reason: 'not connected yet' };
  private opened = false;

  constructor(
    private readonly url: string,
    private readonly events: FlowEvents,
    private readonly open: SocketFactory = (u) => new WebSocket(u),
  ) {}

  get state(): FlowState {
    return this.current;
  }

  connect(): void {
    this.drop();
    this.opened = false;
    this.setState({ kind: 'connecting' });
    let socket: SocketLike;
    try {
      socket = this.open(this.url);
    } catch (e) {
      this.setState({ kind: 'closed', reason: `cannot open a WebSocket: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket === socket) this.opened = true;
    };
    socket.onmessage = (event) => {
      if (this.socket === socket) this.onMessage(event.data);
    };
    socket.onerror = () => {};
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      const reason = event.reason || (this.opened ? describeClose(event.code, true) : 'the portal refused the data flow (signed out, or no access to this device)');
      this.setState({ kind: 'closed', reason });
    };
  }

  close(): void {
    const had = this.socket !== null;
    this.drop();
    if (had) this.setState({ kind: 'closed', reason: 'you closed the data flow' });
  }

  private onMessage(data: unknown): void {
    if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
      const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      const chunk = parseFlowFrame(bytes);
      if (chunk) this.events.chunk(chunk);
      return;
    }
    if (typeof data !== 'string') return;
    let message: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(data);
      if (!parsed || typeof parsed !== 'object') return;
      message = parsed as Record<string, unknown>;
    } catch {
      return;
    }
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

  private drop(): void {
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onopen = null;
      socket.onmessage = null;
      socket.onclose = null;
      socket.onerror = null;
      try {
        socket.close(1000, 'closed by the user');
      } catch {
        // already closing
      }
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
