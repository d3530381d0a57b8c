// One web terminal: xterm.js on one device target's WebSocket. Bytes from the device go through the
// one stateful decoder (the device's encoding) into term.write with flow-control watermarks; typed
// keys go back as UTF-8; the size follows the pane (fit) and is reported to the portal. Around the
// terminal: its state with a Reconnect action, the shared session (role, participants, take over,
// hand over, release, end), copy and paste, search, the encoding, the key bar for touch screens
// and, for serial targets, the line settings and Send break. Only the controller types, resizes
// and changes serial settings; an observer's keys are kept here with a notice.

import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import * as sessionsApi from '../api/sessions';
import { describeError } from '../api/http';
import { confirmDialog } from '../components/confirm';
import { h, uid } from '../dom';
import * as session from '../session';
import { type Reply, type ResetReason, type TerminalConnection, type TerminalState, TerminalConnection as Connection, terminalUrl } from './connection';
import { type DeviceEncoding, ENCODINGS } from './decoder';
import { ENCODING_LABELS } from './encodingPrefs';
import { OutputFeed } from './feed';
import { FlowControl } from './flowControl';
import { KEY_BAR, StickyCtrl } from './keys';
import { BAUD_RATES, breakMessage, DATA_BITS, FLOW_CONTROLS, FLOW_LABELS, lineMessage, PARITIES, PARITY_LABELS, type SerialForm, STOP_BITS } from './serial';
import { OBSERVING_NOTICE, type SessionInfo } from './sharing';
import { SharingBar } from './sharingBar';
import { describeState, expiringNotice, stateLabel } from './states';

export type Renderer = 'webgl' | 'dom';

export interface PaneTarget {
  deviceId: number;
  deviceName: string;
  target: string;
  /** The target's kind from the device JSON ("serial", "tcp"); null when unknown. */
  kind: string | null;
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

export const LAGGING_NOTICE = 'This browser fell behind the session and output was skipped: the screen is redrawn from the recent output.';

/** Renderer strings of WebGL done on the CPU (no GPU): slower than xterm's DOM renderer. */
const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|basic render driver|mesa offscreen/i;

/**
 * WebGL only where it is hardware-accelerated: a software WebGL (SwiftShader in a GPU-less headless
 * Chromium, llvmpipe on a VM) is slower than the DOM renderer, and a missing one throws.
 */
export function webglUsable(): boolean {
  try {
    const canvas = document.createElement('canvas');
    const gl = canvas.getContext('webgl2', { failIfMajorPerformanceCaveat: true });
    if (!gl) return false;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return !SOFTWARE_GL.test(renderer);
  } catch {
    return false;
  }
}

const THEME = {
  background: '#0b1020',
  foreground: '#e2e8f0',
  cursor: '#93c5fd',
  selectionBackground: '#3b82f680',
};

export class TerminalPane {
  readonly element: HTMLElement;
  readonly term: Terminal;
  readonly connection: TerminalConnection;
  renderer: Renderer = 'dom';
  /** The size the portal confirmed last ({"type":"resized"}). */
  confirmedSize: { cols: number; rows: number } | null = null;

  private readonly fit = new FitAddon();
  private readonly search = new SearchAddon();
  private readonly flow: FlowControl;
  private readonly feed: OutputFeed;
  private readonly ctrl: StickyCtrl;
  private readonly host: HTMLElement;
  private readonly stateText = h('span', { class: 'term-state-text' });
  private readonly stateBadge = h('span', { class: 'term-badge' });
  private readonly sizeText = h('span', { class: 'term-size muted' });
  private readonly notice = h('p', { class: 'term-notice', attrs: { role: 'status' } });
  private readonly reconnectButton: HTMLButtonElement;
  private readonly disconnectButton: HTMLButtonElement;
  private readonly ctrlButton: HTMLButtonElement;
  private readonly keyBar: HTMLElement;
  private readonly keyBarToggle: HTMLButtonElement;
  private readonly encodingSelect: HTMLSelectElement;
  private readonly serialPanel: HTMLElement | null;
  private readonly serialFeedback = h('p', { class: 'term-notice', attrs: { role: 'status' } });
  private readonly sharing: SharingBar;
  private readonly observer: ResizeObserver | null;
  private stats = { bytesOut: 0, pauses: 0, resumes: 0, attempts: 0, resets: 0 };
  /** The request an `error` reply answers: serial settings, a break, or a sharing action. */
  private pendingRequest: 'line' | 'break' | 'sharing' | null = null;
  private lastRole: SessionInfo['role'] | null = null;
  private fitFrame = 0;
  private disposed = false;

  constructor(readonly options: PaneOptions) {
    this.term = new Terminal({
      allowProposedApi: true, // unicode11's activeVersion
      cursorBlink: true,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
      fontSize: 14,
      scrollback: 5000,
      theme: THEME,
      rightClickSelectsWord: true,
      macOptionIsMeta: true,
    });
    this.flow = new FlowControl({
      send: (message) => {
        if (message.type === 'pause') this.stats.pauses++;
        else this.stats.resumes++;
        this.connection.control(message);
      },
    });
    this.feed = new OutputFeed((text, parsed) => this.term.write(text, parsed), this.flow, options.encoding);
    this.ctrl = new StickyCtrl((on) => {
      this.ctrlButton.setAttribute('aria-pressed', String(on));
    });
    this.connection = new Connection(terminalUrl(location, options.deviceId, options.target), {
      state: (state) => this.onState(state),
      data: (bytes) => this.onData(bytes),
      reply: (reply) => this.onReply(reply),
      streamStart: () => {
        // a new stream: nothing of the old one is in flight, and no half character carries over
        this.feed.restart();
        this.confirmedSize = null;
      },
      session: (info) => this.onSession(info),
      reset: (why) => this.onReset(why),
    });
    this.sharing = new SharingBar({
      takeOver: () => this.sharingRequest(this.connection.takeOver(), 'Asking for control…'),
      handOver: (to) => this.sharingRequest(this.connection.handOver(to), 'Handing over control…'),
      release: () => this.sharingRequest(this.connection.release(), 'Releasing control…'),
      end: session.isAdmin() ? (info) => void this.endSession(info) : null,
    });

    const label = `${options.deviceName}/${options.target}`;
    this.host = h('div', { class: 'term-host', attrs: { 'data-terminal': label } });
    this.reconnectButton = h('button', { class: 'btn btn-primary', attrs: { type: 'button' }, on: { click: () => this.reconnect() } }, 'Reconnect');
    this.disconnectButton = h('button', { class: 'btn btn-plain', attrs: { type: 'button' }, on: { click: () => this.connection.close() } }, 'Disconnect');
    this.ctrlButton = h(
      'button',
      { class: 'btn btn-key', attrs: { type: 'button', 'aria-pressed': 'false', title: 'Ctrl applies to the next key' }, on: { click: () => this.ctrl.toggle() } },
      'Ctrl',
    );
    this.keyBar = h(
      'div',
      { class: 'key-bar', attrs: { role: 'toolbar', 'aria-label': 'Key bar' } },
      this.ctrlButton,
      KEY_BAR.map((k) =>
        h(
          'button',
          {
            class: 'btn btn-key',
            attrs: { type: 'button', 'aria-label': k.name },
            on: { click: () => this.send(this.ctrl.key(k.key, this.term.modes.applicationCursorKeysMode)) },
          },
          k.label,
        ),
      ),
    );
    // keep the terminal focused when a key-bar key is tapped (no keyboard popping up and down)
    this.keyBar.addEventListener('mousedown', (event) => event.preventDefault());
    const coarse = typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;
    this.keyBar.hidden = !coarse;
    this.keyBarToggle = h(
      'button',
      { class: 'btn btn-plain', attrs: { type: 'button', 'aria-expanded': String(coarse) }, on: { click: () => this.toggleKeyBar() } },
      'Key bar',
    );
    const encodingId = uid('encoding');
    this.encodingSelect = h(
      'select',
      {
        attrs: { id: encodingId, name: 'encoding' },
        on: { change: () => options.encodingChosen(this.encodingSelect.value as DeviceEncoding) },
      },
      ENCODINGS.map((e) => h('option', { props: { value: e, selected: e === options.encoding } }, ENCODING_LABELS[e])),
    );
    const searchId = uid('term-search');
    const searchInput = h('input', {
      attrs: { id: searchId, type: 'search', name: 'search', autocomplete: 'off' },
      on: {
        keydown: (event) => {
          const key = (event as KeyboardEvent).key;
          if (key === 'Enter') {
            event.preventDefault();
            this.find(searchInput.value, !(event as KeyboardEvent).shiftKey);
          } else if (key === 'Escape') {
            this.search.clearDecorations();
            this.term.clearSelection();
            this.term.focus();
          }
        },
      },
    });
    this.serialPanel = options.kind === 'serial' ? this.buildSerialPanel() : null;

    const toolbar = h(
      'div',
      { class: 'term-toolbar', attrs: { role: 'group', 'aria-label': `Terminal tools for ${label}` } },
      h('button', { class: 'btn btn-plain', attrs: { type: 'button', title: 'Ctrl+Shift+C' }, on: { click: () => void this.copy() } }, 'Copy'),
      h('button', { class: 'btn btn-plain', attrs: { type: 'button', title: 'Ctrl+Shift+V' }, on: { click: () => void this.paste() } }, 'Paste'),
      h(
        'div',
        { class: 'term-search', attrs: { role: 'search', 'aria-label': 'Search the terminal' } },
        h('label', { attrs: { for: searchId } }, 'Find'),
        searchInput,
        h('button', { class: 'btn btn-plain', attrs: { type: 'button', 'aria-label': 'Find previous' }, on: { click: () => this.find(searchInput.value, false) } }, '↑'),
        h('button', { class: 'btn btn-plain', attrs: { type: 'button', 'aria-label': 'Find next' }, on: { click: () => this.find(searchInput.value, true) } }, '↓'),
      ),
      h('div', { class: 'term-encoding' }, h('label', { attrs: { for: encodingId } }, 'Encoding'), this.encodingSelect),
      this.keyBarToggle,
    );

    this.element = h(
      'div',
      { class: 'term-pane' },
      h(
        'div',
        { class: 'term-status' },
        h('p', { class: 'term-state', attrs: { role: 'status', 'aria-live': 'polite' } }, this.stateBadge, ' ', this.stateText),
        this.sizeText,
        h('div', { class: 'actions' }, this.reconnectButton, this.disconnectButton),
      ),
      this.sharing.element,
      toolbar,
      this.notice,
      this.host,
      this.keyBar,
      this.serialPanel,
    );

    this.term.attachCustomKeyEventHandler((event) => this.onKey(event));
    this.term.onData((data) => this.send(this.ctrl.apply(data)));
    this.term.onBinary((data) => {
      const bytes = Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff);
      if (this.connection.input(bytes)) this.stats.bytesOut += bytes.length;
      else if (this.connection.observing) this.notice.textContent = OBSERVING_NOTICE;
    });
    this.term.onResize(() => this.reportSize());
    this.observer = typeof ResizeObserver === 'function' ? new ResizeObserver(() => this.fitSoon()) : null;
    this.onState(this.connection.state);
  }

  /** Puts xterm into its element: call once the pane is in the document. */
  mount(): void {
    if (this.term.element) return;
    this.term.open(this.host);
    this.term.loadAddon(this.fit);
    this.term.loadAddon(this.search);
    this.term.loadAddon(
      new WebLinksAddon((event, uri) => {
        event.preventDefault();
        if (/^https?:\/\//i.test(uri)) {
          window.open(uri, '_blank', 'noopener,noreferrer');
        }
      }),
    );
    const unicode = new Unicode11Addon();
    this.term.loadAddon(unicode);
    this.term.unicode.activeVersion = '11';
    this.renderer = 'dom';
    if (webglUsable()) {
      void this.loadWebgl(); // the DOM renderer draws until (and unless) WebGL takes over
    }
    this.host.dataset.renderer = this.renderer;
    this.observer?.observe(this.host);
    this.fitNow();
  }

  private async loadWebgl(): Promise<void> {
    try {
      const { WebglAddon } = await import('@xterm/addon-webgl');
      if (this.disposed) return;
      const webgl = new WebglAddon();
      webgl.onContextLoss(() => {
        webgl.dispose(); // back to the DOM renderer
        this.setRenderer('dom');
      });
      this.term.loadAddon(webgl);
      this.setRenderer('webgl');
    } catch {
      this.setRenderer('dom');
    }
  }

  private setRenderer(renderer: Renderer): void {
    this.renderer = renderer;
    this.host.dataset.renderer = renderer;
  }

  /** Connects for the first time (or again). */
  reconnect(): void {
    this.notice.textContent = '';
    this.stats.attempts++;
    this.connection.connect();
  }

  /** The pane became visible (tab switch): size to it, focus the terminal. */
  shown(): void {
    this.fitNow();
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
    this.encodingSelect.value = encoding;
  }

  get encoding(): DeviceEncoding {
    return this.feed.encoding;
  }

  /** The visible rows as text (what the screen shows), right-trimmed, one line each. */
  visibleText(): string {
    const buffer = this.term.buffer.active;
    const lines: string[] = [];
    for (let y = buffer.viewportY; y < buffer.viewportY + this.term.rows; y++) {
      lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
    }
    return lines.join('\n');
  }

  /** The sharing line as shown, e.g. "Observing (read only) · Controlled by alice" (empty while hidden). */
  sharingText(): string {
    return this.sharing.summary();
  }

  statistics(): PaneStats {
    return { ...this.stats, bytesIn: this.feed.bytesIn, pending: this.flow.pending };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.connection.close('the terminal tab was closed');
    this.observer?.disconnect();
    cancelAnimationFrame(this.fitFrame);
    this.term.dispose();
  }

  // --- bytes ---

  private onData(bytes: Uint8Array): void {
    this.feed.push(bytes);
  }

  private send(data: string): void {
    if (!data) return;
    if (this.connection.input(data)) {
      this.stats.bytesOut += new TextEncoder().encode(data).length;
    } else if (this.connection.observing) {
      this.notice.textContent = OBSERVING_NOTICE;
    } else if (this.state.kind !== 'live') {
      this.notice.textContent = 'Not connected: typing goes nowhere until you reconnect.';
    }
  }

  // --- state ---

  private onState(state: TerminalState): void {
    const { kind } = state;
    this.element.dataset.state = kind;
    this.stateBadge.className = `term-badge term-badge-${kind}`;
    this.stateBadge.textContent = stateLabel(kind);
    this.stateText.textContent = describeState(state, this.label);
    this.reconnectButton.hidden = kind === 'connecting' || kind === 'live';
    this.disconnectButton.hidden = !this.reconnectButton.hidden;
    if (kind === 'live') {
      this.notice.textContent = '';
      this.fitNow();
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
    // every sharing action that succeeds changes this browser's role
    const answered = roleChanged && this.pendingRequest === 'sharing';
    if (answered) this.pendingRequest = null;
    if (info?.role === 'controller' && this.state.kind === 'live') {
      if (this.notice.textContent === OBSERVING_NOTICE) this.notice.textContent = '';
      if (roleChanged) this.reportSize(); // the new controller's size becomes the session's
    }
    this.updateControls();
    if (!answered && before === 'controller' && info?.role === 'observer') {
      this.sharing.say(info.controller ? `${info.controller} took control: you are observing.` : 'You no longer control the session.');
    } else if (!answered && before === 'observer' && info?.role === 'controller') {
      this.sharing.say('You were handed control: you can type.');
    }
    this.options.changed(this);
  }

  /** The stream starts over: a clear screen, a fresh decoder and flow control, then recent output. */
  private onReset(why: ResetReason): void {
    this.stats.resets++;
    this.feed.startOver();
    this.search.clearDecorations();
    this.term.write(FULL_RESET);
    if (why === 'join' && this.notice.textContent === LAGGING_NOTICE) {
      this.notice.textContent = '';
    }
  }

  /** What the role allows: the sharing bar, and serial settings for the controller only. */
  private updateControls(): void {
    this.sharing.update(this.connection.session, this.state.kind === 'live');
    if (this.serialPanel) {
      for (const control of this.serialPanel.querySelectorAll<HTMLButtonElement>('button')) {
        control.disabled = !this.connection.controlling;
      }
    }
  }

  /** Tells the portal the terminal's size; only the controller's size counts (observers follow it). */
  private reportSize(): void {
    if (this.connection.controlling) {
      this.connection.control({ type: 'resize', cols: this.term.cols, rows: this.term.rows });
    }
  }

  private sharingRequest(sent: boolean, pending: string): void {
    this.pendingRequest = sent ? 'sharing' : this.pendingRequest;
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
        this.serialFeedback.textContent = this.pendingRequest === 'break' ? 'Break sent to the device.' : 'Serial settings sent to the device.';
        this.pendingRequest = null;
        break;
      case 'error':
        if (this.pendingRequest === 'sharing') this.sharing.say(`Refused: ${reply.detail}`);
        else if (this.pendingRequest) this.serialFeedback.textContent = `Refused: ${reply.detail}`;
        // an observer asked for nothing (perhaps a resize sent before the portal said its role)
        else if (!this.connection.observing) this.notice.textContent = `The portal refused: ${reply.detail}`;
        this.pendingRequest = null;
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
    const size = this.state.kind === 'live' ? this.confirmedSize : null;
    this.sizeText.textContent = size ? `${size.cols}×${size.rows}` : '';
    this.sizeText.title = size ? 'Terminal size, as the portal confirmed it' : '';
  }

  // --- size ---

  private fitSoon(): void {
    cancelAnimationFrame(this.fitFrame);
    this.fitFrame = requestAnimationFrame(() => this.fitNow());
  }

  private fitNow(): void {
    if (!this.term.element || this.host.clientWidth === 0 || this.host.clientHeight === 0) {
      return; // hidden (another tab, another page): fit when shown
    }
    try {
      this.fit.fit(); // onResize tells the portal when cols/rows changed
    } catch {
      // the renderer has not measured its font yet: the observer fits again
    }
  }

  // --- keys, clipboard, search ---

  private onKey(event: KeyboardEvent): boolean {
    if (event.type !== 'keydown') {
      return true;
    }
    const ctrlShift = event.ctrlKey && event.shiftKey && !event.altKey && !event.metaKey;
    if ((ctrlShift && event.code === 'KeyC') || (event.ctrlKey && !event.shiftKey && event.key === 'Insert')) {
      event.preventDefault();
      void this.copy();
      return false;
    }
    if ((ctrlShift && event.code === 'KeyV') || (event.shiftKey && !event.ctrlKey && event.key === 'Insert')) {
      // not handled by xterm: the browser's own paste event reaches xterm's textarea, which
      // pastes it (bracketed when the application asked for that)
      return false;
    }
    return true;
  }

  private async copy(): Promise<void> {
    const text = this.term.getSelection();
    if (!text) {
      this.notice.textContent = 'Select text in the terminal first (drag, or double-click a word).';
      return;
    }
    if (await writeClipboard(text)) {
      this.notice.textContent = `Copied ${text.length} character${text.length === 1 ? '' : 's'}.`;
    } else {
      this.notice.textContent = 'The browser did not allow copying: use Ctrl+Shift+C in the terminal.';
    }
    this.term.focus();
  }

  private async paste(): Promise<void> {
    let text: string;
    try {
      text = await navigator.clipboard.readText();
    } catch {
      this.notice.textContent = 'The browser did not allow reading the clipboard: press Ctrl+Shift+V (or Shift+Insert) in the terminal.';
      return;
    }
    if (text) {
      this.term.paste(text); // through onData: UTF-8 to the device, bracketed if asked for
      this.notice.textContent = '';
    } else {
      this.notice.textContent = 'The clipboard is empty.';
    }
    this.term.focus();
  }

  private find(text: string, forward: boolean): void {
    if (!text) {
      this.search.clearDecorations();
      return;
    }
    const found = forward ? this.search.findNext(text) : this.search.findPrevious(text);
    this.notice.textContent = found ? '' : `No match for “${text}”.`;
  }

  private toggleKeyBar(): void {
    this.keyBar.hidden = !this.keyBar.hidden;
    this.keyBarToggle.setAttribute('aria-expanded', String(!this.keyBar.hidden));
    this.fitSoon();
  }

  // --- serial settings ---

  private buildSerialPanel(): HTMLElement {
    const field = (label: string, name: keyof SerialForm, options: { value: string; label: string }[]) => {
      const id = uid(`serial-${name}`);
      const control = h(
        'select',
        { attrs: { id, name } },
        h('option', { props: { value: '' } }, 'unchanged'),
        options.map((o) => h('option', { props: { value: o.value } }, o.label)),
      );
      return { control, row: h('div', { class: 'field' }, h('label', { attrs: { for: id } }, label), control) };
    };
    const baud = field(
      'Baud rate',
      'baud',
      BAUD_RATES.map((b) => ({ value: String(b), label: String(b) })),
    );
    const dataBits = field(
      'Data bits',
      'dataBits',
      DATA_BITS.map((b) => ({ value: String(b), label: String(b) })),
    );
    const parity = field(
      'Parity',
      'parity',
      PARITIES.map((p) => ({ value: p, label: PARITY_LABELS[p] })),
    );
    const stopBits = field(
      'Stop bits',
      'stopBits',
      STOP_BITS.map((s) => ({ value: s, label: s })),
    );
    const flow = field(
      'Flow control',
      'flow',
      FLOW_CONTROLS.map((f) => ({ value: f, label: FLOW_LABELS[f] })),
    );
    const form = h(
      'form',
      {
        class: 'serial-form',
        attrs: { 'aria-label': 'Serial settings' },
        on: {
          submit: (event) => {
            event.preventDefault();
            const result = lineMessage({
              baud: baud.control.value,
              dataBits: dataBits.control.value,
              parity: parity.control.value,
              stopBits: stopBits.control.value,
              flow: flow.control.value,
            });
            if (!result.ok) {
              this.serialFeedback.textContent = result.error;
              return;
            }
            const sent = this.connection.control(result.message);
            if (sent) this.pendingRequest = 'line';
            this.serialFeedback.textContent = sent ? 'Sending…' : 'Not connected.';
          },
        },
      },
      h('div', { class: 'serial-fields' }, baud.row, dataBits.row, parity.row, stopBits.row, flow.row),
      h(
        'div',
        { class: 'actions' },
        h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Apply serial settings'),
        h(
          'button',
          {
            class: 'btn btn-plain',
            attrs: { type: 'button', title: 'Holds the line in the break condition for 250 ms' },
            on: {
              click: () => {
                const sent = this.connection.control(breakMessage());
                if (sent) this.pendingRequest = 'break';
                this.serialFeedback.textContent = sent ? 'Sending break…' : 'Not connected.';
              },
            },
          },
          'Send break',
        ),
      ),
      this.serialFeedback,
    );
    const summaryId = uid('serial');
    return h('details', { class: 'serial-panel' }, h('summary', { attrs: { id: summaryId } }, 'Serial settings'), form);
  }
}

async function writeClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // no async clipboard (plain http on another host): the old way, from a user gesture
    const area = h('textarea', { class: 'visually-hidden', attrs: { 'aria-hidden': 'true', tabindex: '-1' }, props: { value: text } });
    document.body.append(area);
    area.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    } finally {
      area.remove();
    }
  }
}
