// One web terminal: xterm.js on one device target's WebSocket, as a composition of parts. Bytes
// from the device go through the one stateful decoder (the device's encoding) into term.write with
// flow-control watermarks; typed keys go back as UTF-8; the size follows the pane (fit) and is
// reported to the portal. The parts around the screen (screen.ts): the status line with Reconnect
// (statusBar.ts), the shared session (sharingBar.ts), the tools row (toolbar.ts: copy and paste from
// clipboard.ts, searchBox.ts, the encoding), the key bar for touch screens (keyBar.ts) and, for
// serial targets, the line settings and Send break (serialPanel.ts). One line (the status and the
// view buttons of viewControls.ts: Tools, font size, full screen) stays; Tools folds the rest away
// and the screen takes the height left down to the bottom of the visual viewport (viewport.ts),
// keeping the key bar on top of a phone's keyboard. The pane wires them to the
// connection and routes the portal's answers to the part that asked. Only the controller types,
// resizes and changes serial settings; an observer's keys are kept here with a notice. A session that
// moved to another node (its portal node drained) says so in one dim line on the screen. Device
// output passes the ZMODEM sentry first (fileTransfer.ts): in the controller's terminal `sz`/`rz`
// on the device start a download or upload, shown by the transfer line (transferPanel.ts), and
// keys wait while one runs.

import type { Terminal } from '@xterm/xterm';
import * as consoleLogApi from '../api/consoleLog';
import * as sessionsApi from '../api/sessions';
import { describeError } from '../api/http';
import { confirmDialog } from '../components/confirm';
import { h } from '../dom';
import * as session from '../session';
import { clipboardShortcut, TerminalClipboard } from './clipboard';
import { type Reply, type ResetReason, type TerminalConnection, type TerminalState, TerminalConnection as Connection, terminalUrl } from './connection';
import type { DeviceEncoding } from './decoder';
import { OutputFeed } from './feed';
import { FileTransfers } from './fileTransfer';
import { FlowControl } from './flowControl';
import { coarsePointer, KeyBar } from './keyBar';
import { SearchBox } from './searchBox';
import { type Renderer, TerminalScreen } from './screen';
import { Scrollback, SCROLLBACK_LINES } from './scrollback';
import { SerialPanel } from './serialPanel';
import { PendingRequest } from './requests';
import { OBSERVING_NOTICE, roleChangeNotice, type SessionInfo } from './sharing';
import { SharingBar } from './sharingBar';
import { expiringNotice, movedLine } from './states';
import { StatusBar } from './statusBar';
import { TerminalToolbar } from './toolbar';
import { TransferPanel } from './transferPanel';
import type { XmodemProtocol } from './xmodem';
import { XmodemRun } from './xmodemRun';
import { onThemeChange } from '../prefs/theme';
import { stepFontSize } from './fontSize';
import { ViewControls } from './viewControls';
import { hostHeight, visibleHeight } from './viewport';

export interface PaneTarget {
  deviceId: number;
  deviceName: string;
  target: string;
  /** The target's kind from the device JSON ("serial", "tcp"); null when unknown. */
  kind: string | null;
  /** The target is logged: its log's last lines show above the live stream (scrollback.ts). */
  logged?: boolean;
}

export interface PaneOptions extends PaneTarget {
  encoding: DeviceEncoding;
  /** The user picked another encoding for this device (the workspace stores it, applies it to all). */
  encodingChosen(encoding: DeviceEncoding): void;
  /** State changes, for the tab's marker. */
  changed(pane: TerminalPane): void;
  /** The portal refused the WebSocket upgrade (signed out? no access?). */
  refused?(): void;
}

export interface PaneStats {
  /** Connections opened (first connect and every reconnect). */
  attempts: number;
  bytesIn: number;
  bytesOut: number;
  pauses: number;
  resumes: number;
  pending: number;
  /** Times the portal started the stream over (`reset`: join or resync). */
  resets: number;
}

/** RIS ("ESC c"): xterm's full reset, written in order with the output (term.reset() would not wait for queued writes). */
const FULL_RESET = '\x1bc';

export const TRANSFER_NOTICE = 'A file transfer is running: typing waits until it ends (Cancel stops it).';

export const LAGGING_NOTICE = 'This browser fell behind the session and output was skipped: the screen is redrawn from the recent output.';

export class TerminalPane {
  readonly element: HTMLElement;
  readonly connection: TerminalConnection;
  /** The size the portal confirmed last ({"type":"resized"}). */
  confirmedSize: { cols: number; rows: number } | null = null;

  private readonly screen: TerminalScreen;
  private readonly flow: FlowControl;
  private readonly feed: OutputFeed;
  /** ZMODEM: device output goes through it; a transfer's bytes never reach the feed. */
  private readonly transfers: FileTransfers;
  private readonly transferPanel: TransferPanel;
  /** An XMODEM/YMODEM send in progress: device output goes to it. */
  private xmodem: XmodemRun | null = null;
  /** The console log above the live stream; null for a target that is not logged. */
  private readonly scrollback: Scrollback | null;
  private readonly notice = h('p', { class: 'term-notice', attrs: { role: 'status' } });
  private readonly status: StatusBar;
  private readonly toolbar: TerminalToolbar;
  private readonly keyBar: KeyBar;
  private readonly clipboard: TerminalClipboard;
  private readonly serial: SerialPanel | null;
  private readonly sharing: SharingBar;
  private stats = { bytesOut: 0, pauses: 0, resumes: 0, attempts: 0, resets: 0 };
  /** The request an answer settles: serial settings, a break, or a sharing action. */
  private readonly requests: PendingRequest;
  private lastRole: SessionInfo['role'] | null = null;
  /** Bytes received when the portal last started the stream over (the moved notice goes below any since). */
  private bytesAtReset = 0;
  private disposed = false;
  private readonly view: ViewControls;
  private readonly tools: HTMLElement;
  private readonly stopListening: () => void;

  constructor(readonly options: PaneOptions) {
    this.screen = new TerminalScreen(`${options.deviceName}/${options.target}`);
    this.flow = new FlowControl({
      send: (message) => {
        if (message.type === 'pause') this.stats.pauses++;
        else this.stats.resumes++;
        this.connection.control(message);
      },
    });
    this.feed = new OutputFeed((text, parsed) => this.term.write(text, parsed), this.flow, options.encoding);
    this.scrollback = options.logged
      ? new Scrollback(async () => (await consoleLogApi.tail(options.deviceId, options.target, SCROLLBACK_LINES)).items, {
          write: (text) => this.term.write(text),
          push: (bytes) => this.feed.push(bytes),
        })
      : null;
    this.transferPanel = new TransferPanel({
      cancel: () => (this.xmodem ? this.xmodem.cancel() : this.transfers.cancel()),
      refocus: () => this.term.focus(),
    });
    this.transfers = new FileTransfers(
      {
        toTerminal: (bytes) => (this.scrollback ? this.scrollback.data(bytes) : this.feed.push(bytes)),
        toDevice: (bytes) => this.sendBytes(bytes),
        controlling: () => this.connection.controlling,
        buffered: () => this.connection.buffered,
      },
      this.transferPanel,
    );
    this.connection = new Connection(terminalUrl(location, options.deviceId, options.target), {
      state: (state) => this.onState(state),
      data: (bytes) => (this.xmodem ? this.xmodem.receive(bytes) : this.transfers.push(bytes)),
      reply: (reply) => this.onReply(reply),
      streamStart: () => {
        // a new stream: nothing of the old one is in flight, and no half character carries over
        this.feed.restart();
        this.transfers.reset();
        this.xmodem?.cancel(); // a new stream: the receiver is gone or started over
        this.confirmedSize = null;
        this.scrollback?.connecting();
      },
      session: (info) => this.onSession(info),
      reset: (why) => this.onReset(why),
      moved: () => this.term.write(movedLine(this.feed.bytesIn > this.bytesAtReset)),
    });

    this.status = new StatusBar({ reconnect: () => this.reconnect(), disconnect: () => this.connection.close() });
    this.sharing = new SharingBar({
      takeOver: () => this.sharingRequest(this.connection.takeOver(), 'Asking for control…'),
      handOver: (to) => this.sharingRequest(this.connection.handOver(to), 'Handing over control…'),
      release: () => this.sharingRequest(this.connection.release(), 'Releasing control…'),
      end: session.isAdmin() ? (info) => void this.endSession(info) : null,
    });
    this.keyBar = new KeyBar({
      send: (data) => this.send(data),
      applicationCursor: () => this.term.modes.applicationCursorKeysMode,
      shown: coarsePointer(),
      toggled: () => this.layout(),
      sendBreak: options.kind === 'serial' ? () => this.serial?.sendBreak() : undefined,
    });
    const say = (text: string) => (this.notice.textContent = text);
    this.clipboard = new TerminalClipboard({
      selection: () => this.term.getSelection(),
      paste: (text) => this.term.paste(text),
      focus: () => this.term.focus(),
      say,
    });
    const searchBox = new SearchBox({
      findNext: (text) => this.screen.search.findNext(text),
      findPrevious: (text) => this.screen.search.findPrevious(text),
      clearDecorations: () => this.screen.search.clearDecorations(),
      leave: () => {
        this.term.clearSelection();
        this.term.focus();
      },
      say,
    });
    this.toolbar = new TerminalToolbar({
      label: this.label,
      copy: () => void this.clipboard.copy(),
      paste: () => void this.clipboard.paste(),
      search: searchBox.element,
      encoding: options.encoding,
      encodingChosen: (encoding) => options.encodingChosen(encoding),
      keyBarToggle: this.keyBar.toggle,
    });
    this.serial =
      options.kind === 'serial'
        ? new SerialPanel({
            control: (message) => this.connection.control(message),
            sent: (request) => this.requests.sent(request),
            sendFile: (protocol, file) => void this.sendFile(protocol, file),
          })
        : null;
    this.requests = new PendingRequest({
      serialConfirmed: (request) => this.serial?.confirmed(request),
      serialRefused: (detail) => this.serial?.refused(detail),
      sharingRefused: (detail) => this.sharing.say(`Refused: ${detail}`),
      unasked: (detail) => {
        // an observer asked for nothing (perhaps a resize sent before the portal said its role)
        if (!this.connection.observing) this.notice.textContent = `The portal refused: ${detail}`;
      },
    });

    this.tools = h('div', { class: 'term-tools' }, this.sharing.element, this.toolbar.element, this.serial?.element);
    this.element = h('div', { class: 'term-pane' });
    this.view = new ViewControls({
      tools: this.tools,
      changed: () => this.layout(),
      fontSize: () => this.term.options.fontSize ?? 14,
      stepFont: (delta) => this.screen.setFontSize(stepFontSize(this.term.options.fontSize ?? 14, delta)),
      fullscreenTarget: this.element,
    });
    this.element.append(h('div', { class: 'term-line' }, this.status.element, this.view.element), this.tools, this.notice, this.transferPanel.element, this.screen.host, this.keyBar.element);
    this.stopListening = this.listen();

    this.term.attachCustomKeyEventHandler((event) => this.onKey(event));
    this.term.onData((data) => this.send(this.keyBar.apply(data)));
    this.term.onBinary((data) => {
      if (this.transferring) {
        this.notice.textContent = TRANSFER_NOTICE;
        return;
      }
      if (!this.sendBytes(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)) && this.connection.observing) {
        this.notice.textContent = OBSERVING_NOTICE;
      }
    });
    this.term.onResize(() => this.reportSize());
    this.onState(this.connection.state);
  }

  /** Puts xterm into its element: call once the pane is in the document. */
  mount(): void {
    this.screen.mount();
    this.layout();
  }

  /** The viewport, the theme and full screen: what changes the pane's layout from outside. */
  private listen(): () => void {
    const relayout = () => this.layout();
    const fullscreen = () => this.view.fullscreenChanged();
    const viewport = window.visualViewport;
    window.addEventListener('resize', relayout);
    viewport?.addEventListener('resize', relayout);
    document.addEventListener('fullscreenchange', fullscreen);
    const stopTheme = onThemeChange((theme) => this.screen.setTheme(theme));
    return () => {
      window.removeEventListener('resize', relayout);
      viewport?.removeEventListener('resize', relayout);
      document.removeEventListener('fullscreenchange', fullscreen);
      stopTheme();
    };
  }

  /** Sizes the screen to what the viewport leaves (full screen: the stylesheet's flex does), then refits. */
  private layout(): void {
    const host = this.screen.host;
    if (this.view.isFullscreen || host.clientWidth === 0) {
      host.style.height = '';
    } else {
      const below = (this.keyBar.element.hidden ? 0 : this.keyBar.element.offsetHeight + 8) + 8; // + the panel's bottom padding and border
      host.style.height = `${hostHeight({ viewportHeight: visibleHeight(), hostTop: host.getBoundingClientRect().top + window.scrollY, below })}px`;
    }
    this.screen.fitSoon();
  }

  /** xterm itself (tests read its buffer, selection and size through the workspace's hook). */
  get term(): Terminal {
    return this.screen.term;
  }

  /** How the screen draws: WebGL on a hardware GPU, else the DOM. */
  get renderer(): Renderer {
    return this.screen.renderer;
  }

  /** Connects for the first time (or again). */
  reconnect(): void {
    this.notice.textContent = '';
    this.stats.attempts++;
    this.connection.connect();
  }

  /** The pane became visible (tab switch): size to it, focus the terminal. */
  shown(): void {
    this.layout();
    this.screen.fitNow();
    this.term.focus();
  }

  get state(): TerminalState {
    return this.connection.state;
  }

  /** The shared session as the portal last described it (null before the portal said). */
  get session(): SessionInfo | null {
    return this.connection.session;
  }

  /** This browser's role while live: null when not live or not said. */
  get role(): SessionInfo['role'] | null {
    return this.state.kind === 'live' ? (this.connection.session?.role ?? null) : null;
  }

  get label(): string {
    return `${this.options.deviceName}/${this.options.target}`;
  }

  /** Presence says the device is online again: an offline terminal says so (the user reconnects). */
  deviceOnline(): void {
    if (this.state.kind === 'offline') {
      this.notice.textContent = `${this.options.deviceName} is back online: press Reconnect.`;
    }
  }

  /** Changes the display encoding; takes effect from the next byte on. */
  setEncoding(encoding: DeviceEncoding): void {
    this.feed.setEncoding(encoding);
    this.toolbar.showEncoding(encoding);
  }

  get encoding(): DeviceEncoding {
    return this.feed.encoding;
  }

  /** The visible rows as text (what the screen shows), right-trimmed, one line each. */
  visibleText(): string {
    return this.screen.visibleText();
  }

  /** The sharing line as shown, e.g. "Observing (read only) · Controlled by alice" (empty while hidden). */
  sharingText(): string {
    return this.sharing.summary();
  }

  /** Lines of the console log shown above the current stream (0 when none). */
  get scrollbackLines(): number {
    return this.scrollback?.lines ?? 0;
  }

  statistics(): PaneStats {
    return { ...this.stats, bytesIn: this.feed.bytesIn, pending: this.flow.pending };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopListening();
    if (this.view.isFullscreen) void document.exitFullscreen().catch(() => {});
    this.connection.close('the terminal tab was closed');
    this.scrollback?.stop();
    this.screen.dispose();
  }

  // --- bytes ---

  private get transferring(): boolean {
    return this.transfers.active || this.xmodem !== null;
  }

  /** "Send file" in the serial settings: XMODEM/YMODEM in a Worker, the device's output its own meanwhile. */
  private async sendFile(protocol: XmodemProtocol, file: File): Promise<void> {
    if (!this.connection.controlling || this.transferring) {
      this.notice.textContent = this.transferring ? TRANSFER_NOTICE : 'Only the controller can send a file.';
      return;
    }
    const data = await file.arrayBuffer();
    const worker = new Worker(new URL('./xmodemWorker.ts', import.meta.url), { type: 'module' });
    const run = new XmodemRun(worker, file.name, {
      toDevice: (bytes) => this.sendBytes(bytes),
      toTerminal: (bytes) => this.transfers.push(bytes),
      progress: (progress) => this.transferPanel.progress(progress),
      finished: (outcome, detail) => {
        this.xmodem = null;
        this.transferPanel.finished('upload', outcome, detail);
        if (this.serial?.element.contains(document.activeElement)) this.term.focus(); // the keys are the receiver's shell's again
      },
    });
    this.xmodem = run;
    run.start(protocol, data, Math.floor(file.lastModified / 1000));
  }

  /** Bytes to the device (ZMODEM's, mouse reports), counted; false when nothing was sent. */
  private sendBytes(bytes: Uint8Array): boolean {
    const sent = this.connection.input(bytes);
    if (sent) this.stats.bytesOut += bytes.length;
    return sent;
  }

  private send(data: string): void {
    if (!data) return;
    if (this.transferring) {
      this.notice.textContent = TRANSFER_NOTICE; // a key would land inside the transfer's frames
      return;
    }
    if (this.connection.input(data)) {
      this.stats.bytesOut += new TextEncoder().encode(data).length;
    } else if (this.connection.observing) {
      this.notice.textContent = OBSERVING_NOTICE;
    } else if (this.state.kind === 'moving') {
      this.notice.textContent = 'The session is moving to another node: typing goes nowhere until it resumes.';
    } else if (this.state.kind !== 'live') {
      this.notice.textContent = 'Not connected: typing goes nowhere until you reconnect.';
    }
  }

  // --- state ---

  private onState(state: TerminalState): void {
    const { kind } = state;
    this.element.dataset.state = kind;
    this.status.show(state, this.label);
    if (kind === 'live') {
      this.notice.textContent = '';
      this.screen.fitNow();
      // the portal learns the size at once, not only on the next change
      this.reportSize();
    }
    this.updateSize();
    if (state.kind === 'closed' && state.code !== 1000 && this.stats.attempts > 0 && !this.connection.everOpened) {
      this.options.refused?.(); // perhaps the session is gone: the app checks
    }
    this.updateControls();
    this.options.changed(this);
  }

  /** The portal said who is in the session and what this browser may do. */
  private onSession(info: SessionInfo | null): void {
    const before = this.lastRole;
    this.lastRole = info?.role ?? null;
    const roleChanged = before !== this.lastRole;
    const answered = roleChanged && this.requests.roleChanged();
    if (info?.role === 'controller' && this.state.kind === 'live') {
      if (this.notice.textContent === OBSERVING_NOTICE) this.notice.textContent = '';
      if (roleChanged) this.reportSize(); // the new controller's size becomes the session's
    }
    this.updateControls();
    const notice = answered ? null : roleChangeNotice(before, info);
    if (notice) this.sharing.say(notice);
    this.options.changed(this);
  }

  /** The stream starts over: a clear screen, a fresh decoder and flow control, then recent output. */
  private onReset(why: ResetReason): void {
    this.stats.resets++;
    this.transfers.reset();
    this.bytesAtReset = this.feed.bytesIn;
    this.feed.startOver();
    this.screen.search.clearDecorations();
    this.term.write(FULL_RESET);
    if (why === 'join') {
      this.scrollback?.joined(); // the log's last lines, then the session's recent output
      if (this.notice.textContent === LAGGING_NOTICE) this.notice.textContent = '';
    }
  }

  /** What the role allows: the sharing bar, and serial settings for the controller only. */
  private updateControls(): void {
    this.sharing.update(this.connection.session, this.state.kind === 'live');
    this.serial?.enable(this.connection.controlling);
  }

  /** Tells the portal the terminal's size; only the controller's size counts (observers follow it). */
  private reportSize(): void {
    if (this.connection.controlling) {
      this.connection.control({ type: 'resize', cols: this.term.cols, rows: this.term.rows });
    }
  }

  private sharingRequest(sent: boolean, pending: string): void {
    if (sent) this.requests.sent('sharing');
    this.sharing.say(sent ? pending : 'Not connected.');
  }

  private async endSession(info: SessionInfo): Promise<void> {
    const ok = await confirmDialog({
      title: `End the session on ${this.label}?`,
      message: 'Everyone in it is disconnected at once; it closes as ended-by-admin.',
      confirmLabel: 'End the session',
    });
    if (!ok) return;
    this.sharing.say('Ending the session…');
    try {
      await sessionsApi.end(info.id);
    } catch (e) {
      this.sharing.say(`The session could not be ended: ${describeError(e)}`);
    }
  }

  private onReply(reply: Reply): void {
    switch (reply.type) {
      case 'resized':
        this.confirmedSize = { cols: reply.cols, rows: reply.rows };
        this.updateSize();
        break;
      case 'line-sent':
        this.requests.lineSent();
        break;
      case 'error':
        this.requests.refused(reply.detail);
        break;
      case 'input-refused':
        this.notice.textContent = OBSERVING_NOTICE;
        break;
      case 'lagging':
        this.notice.textContent = LAGGING_NOTICE;
        break;
      case 'expiring':
        this.notice.textContent = expiringNotice(reply.at);
        break;
    }
  }

  private updateSize(): void {
    this.status.showSize(this.state.kind === 'live' ? this.confirmedSize : null);
  }

  // --- keys ---

  private onKey(event: KeyboardEvent): boolean {
    const ctrlShift = event.ctrlKey && event.shiftKey && !event.altKey && !event.metaKey;
    if (ctrlShift && (event.code === 'KeyF' || event.code === 'KeyE')) {
      if (event.type === 'keydown') {
        event.preventDefault();
        if (event.code === 'KeyF') void this.view.toggleFullscreen();
        else this.view.toolsButton.focus(); // leave the terminal without a mouse (Tab is the terminal's)
      }
      return false;
    }
    switch (clipboardShortcut(event)) {
      case 'copy':
        event.preventDefault();
        void this.clipboard.copy();
        return false;
      case 'paste':
        // not handled by xterm: the browser's own paste event reaches xterm's textarea, which
        // pastes it (bracketed when the application asked for that)
        return false;
      default:
        return true;
    }
  }
}
