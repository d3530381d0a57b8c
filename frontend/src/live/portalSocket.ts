// The lifecycle of one WebSocket to the portal, shared by the terminal (terminal/connection.ts) and
// the data-flow tail (flow/tail.ts): open a fresh socket (dropping the one before), tell bytes from
// JSON control, hand on the close of the current socket only, and drop it without a word when the
// user leaves. The socket never reconnects by itself: the user does (Reconnect, reopening the view),
// or the terminal when its portal node drains (terminal/nodeMove.ts), so there is no backoff here.
// What a state or a close means stays with each feed.

/** The part of WebSocket used here (tests pass a fake). */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  send(data: string | ArrayBufferLike | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
  /** Bytes handed to send() and not yet on the network (WebSocket.bufferedAmount). */
  readonly bufferedAmount?: number;
}

export type SocketFactory = (url: string) => SocketLike;

/** What the current socket says; a dropped or replaced socket says nothing more. */
export interface SocketEvents {
  /** A binary frame, as bytes. */
  binary(bytes: Uint8Array): void;
  /** A text frame holding a JSON object (other text is ignored: a newer portal may send more). */
  message(message: Record<string, unknown>): void;
  /** The portal or the network closed the socket (not drop()). */
  closed(code: number, reason: string): void;
}

/** WebSocket.OPEN. */
const OPEN = 1;

/** ws(s)://host/api/devices/{id}/{feed}?target=NAME for the page at {@code location}. */
export function deviceSocketUrl(location: { protocol: string; host: string }, deviceId: number, feed: string, target: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api/devices/${encodeURIComponent(String(deviceId))}/${feed}?target=${encodeURIComponent(target)}`;
}

export class PortalSocket {
  private socket: SocketLike | null = null;
  private wasOpened = false;

  constructor(
    private readonly url: string,
    private readonly events: SocketEvents,
    private readonly factory: SocketFactory = (u) => new WebSocket(u),
  ) {}

  /** Whether the current (or last) socket got past the upgrade: a close before it was a refusal. */
  get opened(): boolean {
    return this.wasOpened;
  }

  /** True while a socket is open and can send. */
  get open(): boolean {
    return this.socket !== null && this.socket.readyState === OPEN;
  }

  /** Opens a fresh socket, dropping the current one. Returns why none could be made, else null. */
  connect(): string | null {
    this.drop();
    this.wasOpened = false;
    let socket: SocketLike;
    try {
      socket = this.factory(this.url);
    } catch (e) {
      return `cannot open a WebSocket: ${e instanceof Error ? e.message : String(e)}`;
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket === socket) this.wasOpened = true;
    };
    socket.onmessage = (event) => {
      if (this.socket === socket) this.receive(event.data);
    };
    socket.onerror = () => {
      // always followed by a close event, which says what happened
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.events.closed(event.code, event.reason);
    };
    return null;
  }

  /** Bytes sent but still buffered by the socket (0 without one). */
  get buffered(): number {
    return this.socket?.bufferedAmount ?? 0;
  }

  /** Sends a frame (a string as text, bytes as binary); false when no socket is open. */
  send(data: string | Uint8Array): boolean {
    if (!this.socket || this.socket.readyState !== OPEN) return false;
    this.socket.send(data);
    return true;
  }

  /** Closes the current socket (1000) and silences it. Returns whether there was one. */
  drop(): boolean {
    const socket = this.socket;
    this.socket = null;
    if (!socket) return false;
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
    try {
      socket.close(1000, 'closed by the user');
    } catch {
      // already closing
    }
    return true;
  }

  private receive(data: unknown): void {
    if (data instanceof ArrayBuffer) {
      this.events.binary(new Uint8Array(data));
      return;
    }
    if (ArrayBuffer.isView(data)) {
      this.events.binary(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      return;
    }
    if (typeof data !== 'string') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return; // not JSON: ignore rather than break the feed
    }
    if (parsed && typeof parsed === 'object') this.events.message(parsed as Record<string, unknown>);
  }
}
