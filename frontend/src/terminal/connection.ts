// The terminal WebSocket of one device target (docs/api.md "Terminal"), as a state machine without
// any DOM: binary frames carry the raw byte stream both ways, text frames carry JSON control. The
// portal says where the session stands with status messages; this turns them, and the socket's own
// close, into one of the states the terminal shows: connecting, live, offline, busy, moving, closed.
// Opening a terminal joins the target's live session: `session` messages say this browser's role
// (controller or observer) and who else is there; `reset` starts the stream over (on joining, and
// after an observer fell behind). When the portal node under the session drains, the connection
// rejoins the moved session by itself (moving; the timing is in nodeMove.ts).

import { deviceSocketUrl, PortalSocket, type SocketFactory } from '../live/portalSocket';
import { CLOSE_NODE_DRAINING, CLOSE_VIEWER, closedForNow, describeClose, NODE_DRAINING, type PortalSaid, VIEWER_CANNOT_START } from './closes';
import { MOVE_EXPIRED, MoveSchedule, type MoveTimers } from './nodeMove';
import { parseSession, type ParticipantId, type SessionInfo } from './sharing';

// the close codes and words live in closes.ts; importers of the connection find them here too
export {
  CLOSE_CREDENTIAL_EXPIRED,
  CLOSE_NODE_DRAINING,
  CLOSE_REFUSED,
  CLOSE_VIEWER,
  describeClose,
  NODE_DRAINING,
  VIEWER_CANNOT_START,
} from './closes';
export { MOVE_EXPIRED } from './nodeMove';

export type TerminalState =
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'offline'; detail: string }
  | { kind: 'busy'; holder: string | null; detail: string }
  /** The portal node under the session drains: rejoining it on another node ({@code attempt} 0 before the first try). */
  | { kind: 'moving'; detail: string; attempt: number }
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
  /** The session moved to another node and this browser rejoined it (once per move, after the join's reset). */
  moved?(): void;
}

/** Clock, timers and randomness of automatic reconnects (tests pass fakes). */
export interface ConnectionTiming {
  timers?: MoveTimers;
  random?: () => number;
}

/** ws(s)://host/api/devices/{id}/terminal?target=NAME for the page at {@code location}. */
export function terminalUrl(location: { protocol: string; host: string }, deviceId: number, target: string): string {
  return deviceSocketUrl(location, deviceId, 'terminal', target);
}

export class TerminalConnection {
  private readonly socket: PortalSocket;
  private current: TerminalState = { kind: 'closed', reason: 'not connected yet', code: null };
  private info: SessionInfo | null = null;
  private readonly encoder = new TextEncoder();
  private move: MoveSchedule | null = null;
  /** During a move, what the current attempt's portal said before closing (a `closed` message, or status offline). */
  private said: PortalSaid | null = null;
  /** The current attempt got the `reset` of its join. */
  private joined = false;
  /** Live again after a move: `moved` waits for the join's reset (it clears the screen). */
  private announce = false;

  constructor(
    url: string,
    private readonly events: ConnectionEvents,
    factory?: SocketFactory,
    private readonly timing: ConnectionTiming = {},
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

  /** Bytes sent but still buffered by the socket: a file upload paces itself by it. */
  get buffered(): number {
    return this.socket.buffered;
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

  /** Opens a new socket (dropping any current one): the Reconnect action; it ends a move. */
  connect(): void {
    this.stopMove();
    const failed = this.open({ kind: 'connecting' });
    if (failed) this.setState({ kind: 'closed', reason: failed, code: null });
  }

  /** The user closes the terminal (also during a move: no attempt follows). */
  close(reason = 'you closed the terminal'): void {
    const had = this.socket.drop();
    const kind = this.current.kind;
    this.stopMove();
    if (had || kind === 'connecting' || kind === 'live' || kind === 'moving') {
      this.setState({ kind: 'closed', reason, code: 1000 });
    }
  }

  /** A fresh socket and a fresh stream, shown as {@code state}; why no socket could be made, else null. */
  private open(state: TerminalState): string | null {
    this.socket.drop();
    if (this.info) {
      this.info = null;
      this.events.session?.(null);
    }
    this.said = null;
    this.joined = false;
    this.announce = false;
    this.events.streamStart?.();
    this.setState(state);
    return this.socket.connect();
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
      case 'reset': {
        const why = message.why === 'resync' ? 'resync' : 'join';
        this.events.reset?.(why);
        if (why === 'join') this.onJoin();
        break;
      }
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
        const reason = text('reason') ?? 'the portal closed the terminal';
        if (this.move) {
          this.said = { code: message.code, reason }; // the socket's close decides: next attempt or the end
        } else if (message.code === NODE_DRAINING) {
          this.startMove(reason);
        } else {
          this.onClosedMessage(message.code, reason);
        }
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

  private onClosedMessage(code: unknown, reason: string): void {
    if (code === CLOSE_VIEWER) {
      this.setState({ kind: 'closed', reason: VIEWER_CANNOT_START, code: CLOSE_VIEWER });
      return;
    }
    // the tunnel's reasons read "label: message"; a live session whose device went away is
    // shown as the device being offline, not as a generic close
    const offline = /^device-offline(?::\s*(.*))?$/s.exec(reason);
    this.setState(offline ? { kind: 'offline', detail: offline[1] || 'the device went offline' } : { kind: 'closed', reason, code: typeof code === 'number' ? code : null });
  }

  private onStatus(state: string | null, detail: string | null, holder: string | null): void {
    if (this.move && state !== 'busy' && state !== 'closed') {
      // an attempt's progress shows as the move: live ends it, offline means the device is not back yet
      if (state === 'live') this.rejoined();
      else if (state === 'offline') this.said = { code: 'device-offline', reason: detail ?? 'the device is offline' };
      return;
    }
    this.stopMove();
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
    if (this.move) {
      this.onMoveClose(this.move, code, reason);
      return;
    }
    const kind = this.current.kind;
    if (kind === 'busy' || kind === 'offline') {
      return; // the status message already said why
    }
    if (code === CLOSE_VIEWER) {
      // whatever the portal's reason says, the user needs to know why and what to do
      this.setState({ kind: 'closed', reason: VIEWER_CANNOT_START, code });
      return;
    }
    if (code === CLOSE_NODE_DRAINING && (kind === 'live' || kind === 'connecting')) {
      this.startMove(reason || 'the portal node is restarting');
      return;
    }
    if (kind === 'closed') {
      // the portal's "closed" message came first: keep its reason, note the code
      this.setState({ ...this.current, code });
      return;
    }
    this.setState({ kind: 'closed', reason: reason || describeClose(code, this.socket.opened), code });
  }

  // --- moving to another node ---

  private startMove(detail: string): void {
    this.stopMove();
    this.said = null;
    this.move = new MoveSchedule({ attempt: (n) => this.attempt(n), expired: () => this.expired() }, this.timing.timers, this.timing.random);
    this.setState({ kind: 'moving', detail, attempt: 0 });
  }

  private attempt(attempt: number): void {
    const detail = this.current.kind === 'moving' ? this.current.detail : NODE_DRAINING;
    if (this.open({ kind: 'moving', detail, attempt })) this.move?.retry();
  }

  /** A socket closed during a move: the draining one (attempt 0) or an attempt's. */
  private onMoveClose(move: MoveSchedule, code: number, reason: string): void {
    if (move.attempt === 0) {
      // the draining socket: a normal close after "node-draining" means the session ended instead
      // of moving (a TCP target's session cannot move); anything else waits for the first attempt
      if (code === 1000 && this.current.kind === 'moving') {
        const ended = this.current.detail;
        this.stopMove();
        this.setState({ kind: 'closed', reason: ended, code });
      }
      return;
    }
    const said = this.said;
    if (closedForNow(code, reason, this.socket.opened, said)) {
      move.retry(); // not back yet: the next attempt
      return;
    }
    // any other close ends the move as it would end a live terminal
    this.stopMove();
    if (said) this.onClosedMessage(said.code, said.reason);
    this.onClose(code, reason);
  }

  /** An attempt is live: the session moved; `moved` follows the join's reset (which clears the screen). */
  private rejoined(): void {
    this.stopMove();
    this.setState({ kind: 'live' });
    if (this.joined) this.events.moved?.();
    else this.announce = true;
  }

  private onJoin(): void {
    this.joined = true;
    if (this.announce) {
      this.announce = false;
      this.events.moved?.();
    }
  }

  private expired(): void {
    this.move = null;
    this.socket.drop();
    this.setState({ kind: 'closed', reason: MOVE_EXPIRED, code: null });
  }

  private stopMove(): void {
    this.move?.stop();
    this.move = null;
  }

  private setState(state: TerminalState): void {
    this.current = state;
    this.events.state(state);
  }
}
