// The terminal WebSocket of one device target (docs/api.md "Terminal"), as a state machine without
// any DOM: binary frames carry the raw byte stream both ways, text frames carry JSON control. The
// portal says where the session stands with status messages; this turns them, and the socket's own
// close, into one of the states the terminal shows: connecting, live, offline, busy, closed.
// Opening a terminal joins the target's live session: `session` messages say this browser's role
// (controller or observer) and who else is there; `reset` starts the stream over (on joining, and
// after an observer fell behind).

import { deviceSocketUrl, PortalSocket, type SocketFactory } from '../live/portalSocket';
import { parseSession, type ParticipantId, type SessionInfo } from './sharing';

export type TerminalState =
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'offline'; detail: string }
  | { kind: 'busy'; holder: string | null; detail: string }
  | { kind: 'closed'; reason: string; code: number | null };

export type StateKind = TerminalState['kind'];

/** Control messages the browser sends. */
export type OutgoingControl =
  | { type: 'resize'; cols: number; rows: number }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'line'; baud?: number; dataBits?: number; parity?: string; stopBits?: number; flow?: string }
  | { type: 'break'; ms: number }
  | { type: 'take-over' }
  | { type: 'hand-over'; to: ParticipantId }
  | { type: 'release' };

/** Answers of the portal that are not about the session's state. */
export type Reply =
  | { type: 'resized'; cols: number; rows: number }
  | { type: 'line-sent' }
  | { type: 'error'; detail: string }
  /** Typed input of an observer was dropped. */
  | { type: 'input-refused'; detail: string }
  /** This observer fell too far behind: output was skipped, a `reset` (resync) follows. */
  | { type: 'lagging' }
  /** The browser session reaches its absolute timeout at `at` (ISO time): typing cannot extend it. */
  | { type: 'expiring'; at: string };

/** Why the portal starts the stream over: this browser joined, or it fell behind and output was skipped. */
export type ResetReason = 'join' | 'resync';

export interface ConnectionEvents {
  state(state: TerminalState): void;
  /** Bytes from the device, in order. */
  data(bytes: Uint8Array): void;
  reply(reply: Reply): void;
  /** A new stream starts (connect or reconnect): reset decoders and flow control. */
  streamStart?(): void;
  /** This browser's role or the participants changed; null on a new connection (nothing known yet). */
  session?(info: SessionInfo | null): void;
  /**
   * Clear the screen and start the stream over (terminal, decoder, flow control): the binary
   * frames that follow are the session's recent output, then live output.
   */
  reset?(why: ResetReason): void;
}

/** The portal's close code for a refused open (device offline, no such target, the device-side port busy). */
export const CLOSE_REFUSED = 4410;
/** The portal's close code when the browser session behind the terminal ended by itself. */
export const CLOSE_CREDENTIAL_EXPIRED = 4401;
/** The portal's close code for a viewer who tried to start a session (only operators may). */
export const CLOSE_VIEWER = 4403;

/** What the closed terminal of a viewer says (a clause: states.ts adds the full stop). */
export const VIEWER_CANNOT_START =
  'no session is live on this target, and a viewer may watch a live session but not start one. Reconnect once an operator has opened it';

/** ws(s)://host/api/devices/{id}/terminal?target=NAME for the page at {@code location}. */
export function terminalUrl(location: { protocol: string; host: string }, deviceId: number, target: string): string {
  return deviceSocketUrl(location, deviceId, 'terminal', target);
}

/** What a close without a reason from the portal means to the user. */
export function describeClose(code: number, opened: boolean): string {
  if (!opened) {
    // the upgrade was answered with an HTTP error (401, 403, 404) or nothing at all: a browser
    // does not tell which
    return 'the portal refused the terminal connection (signed out, no access to this device, or the portal cannot be reached)';
  }
  switch (code) {
    case 1000:
      return 'the portal closed the terminal';
    case 1001:
      return 'the portal is going away (restart or shutdown)';
    case 1006:
      return 'the connection to the portal was lost';
    case 1008:
      return 'the portal refused a message (policy violation)';
    case 1009:
      return 'a message was too big for the portal';
    case 1011:
      return 'the portal hit an internal error';
    case CLOSE_VIEWER:
      return VIEWER_CANNOT_START;
    case CLOSE_CREDENTIAL_EXPIRED:
      return 'your sign-in ended (idle or expired): sign in again';
    default:
      return `the connection closed (code ${code})`;
  }
}

export class TerminalConnection {
  private readonly socket: PortalSocket;
  private current: TerminalState = { kind: 'closed', reason: 'not connected yet', code: null };
  private info: SessionInfo | null = null;
  private readonly encoder = new TextEncoder();

  constructor(
    url: string,
    private readonly events: ConnectionEvents,
    factory?: SocketFactory,
  ) {
    this.socket = new PortalSocket(
      url,
      {
        binary: (bytes) => this.events.data(bytes),
        message: (message) => this.onMessage(message),
        closed: (code, reason) => this.onClose(code, reason),
      },
      factory,
    );
  }

  get state(): TerminalState {
    return this.current;
  }

  /** Whether the current (or last) socket got past the upgrade. */
  get everOpened(): boolean {
    return this.socket.opened;
  }

  /** True while bytes can go to the device. */
  get live(): boolean {
    return this.current.kind === 'live' && this.socket.open;
  }

  /** The session as the portal last described it (kept after a close; cleared by connect). */
  get session(): SessionInfo | null {
    return this.info;
  }

  /**
   * Live, and this browser may type: it controls the session, or the portal has not said its role
   * yet (the portal drops an observer's input anyway).
   */
  get controlling(): boolean {
    return this.live && (this.info === null || this.info.role === 'controller');
  }

  /** Live as an observer: typed input would be refused. */
  get observing(): boolean {
    return this.live && this.info?.role === 'observer';
  }

  /** Opens a new socket (dropping any current one): the Reconnect action. */
  connect(): void {
    this.socket.drop();
    if (this.info) {
      this.info = null;
      this.events.session?.(null);
    }
    this.events.streamStart?.();
    this.setState({ kind: 'connecting' });
    const failed = this.socket.connect();
    if (failed) this.setState({ kind: 'closed', reason: failed, code: null });
  }

  /** The user closes the terminal. */
  close(reason = 'you closed the terminal'): void {
    const had = this.socket.drop();
    if (had || this.current.kind === 'connecting' || this.current.kind === 'live') {
      this.setState({ kind: 'closed', reason, code: 1000 });
    }
  }

  /** Keyboard input: UTF-8 bytes as a binary message. False when not live or observing (nothing was sent). */
  input(data: string | Uint8Array): boolean {
    if (!this.controlling) {
      return false;
    }
    return this.socket.send(typeof data === 'string' ? this.encoder.encode(data) : data);
  }

  /** Asks to become the controller (an operator observing); a `session` message answers. */
  takeOver(): boolean {
    return this.control({ type: 'take-over' });
  }

  /** Gives control to another participant (the controller only). */
  handOver(to: ParticipantId): boolean {
    return this.control({ type: 'hand-over', to });
  }

  /** The controller becomes an observer; nobody controls until someone takes over. */
  release(): boolean {
    return this.control({ type: 'release' });
  }

  /** A JSON control message; false when the socket is not open. */
  control(message: OutgoingControl): boolean {
    return this.socket.send(JSON.stringify(message));
  }

  private onMessage(message: Record<string, unknown>): void {
    const text = (key: string) => (typeof message[key] === 'string' ? message[key] : null);
    switch (message.type) {
      case 'status':
        this.onStatus(text('state'), text('detail'), text('holder'));
        break;
      case 'session': {
        const info = parseSession(message);
        if (info) {
          this.info = info;
          this.events.session?.(info);
        }
        break;
      }
      case 'reset':
        this.events.reset?.(message.why === 'resync' ? 'resync' : 'join');
        break;
      case 'lagging':
        this.events.reply({ type: 'lagging' });
        break;
      case 'input-refused':
        this.events.reply({ type: 'input-refused', detail: text('detail') ?? 'observers cannot type' });
        break;
      case 'expiring': {
        const at = text('at');
        if (at) this.events.reply({ type: 'expiring', at });
        break;
      }
      case 'closed': {
        if (message.code === CLOSE_VIEWER) {
          this.setState({ kind: 'closed', reason: VIEWER_CANNOT_START, code: CLOSE_VIEWER });
          break;
        }
        const reason = text('reason') ?? 'the portal closed the terminal';
        // the tunnel's reasons read "label: message"; a live session whose device went away is
        // shown as the device being offline, not as a generic close
        const offline = /^device-offline(?::\s*(.*))?$/s.exec(reason);
        const code = typeof message.code === 'number' ? message.code : null;
        this.setState(offline ? { kind: 'offline', detail: offline[1] || 'the device went offline' } : { kind: 'closed', reason, code });
        break;
      }
      case 'resized':
        if (typeof message.cols === 'number' && typeof message.rows === 'number') {
          this.events.reply({ type: 'resized', cols: message.cols, rows: message.rows });
        }
        break;
      case 'line-sent':
        this.events.reply({ type: 'line-sent' });
        break;
      case 'error':
        this.events.reply({ type: 'error', detail: text('detail') ?? 'the portal refused the request' });
        break;
      default:
        break; // a newer portal may send more: ignore what is not understood
    }
  }

  private onStatus(state: string | null, detail: string | null, holder: string | null): void {
    switch (state) {
      case 'connecting':
        this.setState({ kind: 'connecting' });
        break;
      case 'live':
        this.setState({ kind: 'live' });
        break;
      case 'offline':
        this.setState({ kind: 'offline', detail: detail ?? 'the device is offline' });
        break;
      case 'busy':
        this.setState({ kind: 'busy', holder, detail: detail ?? (holder ? `in use by ${holder}` : 'in use') });
        break;
      case 'closed':
        this.setState({ kind: 'closed', reason: detail ?? 'the target closed', code: null });
        break;
      default:
        break;
    }
  }

  private onClose(code: number, reason: string): void {
    const kind = this.current.kind;
    if (kind === 'busy' || kind === 'offline') {
      return; // the status message already said why
    }
    if (code === CLOSE_VIEWER) {
      // whatever the portal's reason says, the user needs to know why and what to do
      this.setState({ kind: 'closed', reason: VIEWER_CANNOT_START, code });
      return;
    }
    if (kind === 'closed') {
      // the portal's "closed" message came first: keep its reason, note the code
      this.setState({ ...this.current, code });
      return;
    }
    this.setState({ kind: 'closed', reason: reason || describeClose(code, this.socket.opened), code });
  }

  private setState(state: TerminalState): void {
    this.current = state;
    this.events.state(state);
  }
}
