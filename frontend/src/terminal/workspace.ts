// The open terminals, as tabs on one page. The workspace outlives the page that shows it: leaving
// for the fleet and coming back (or opening another target there) keeps the sessions, and opening a
// target that already has a tab shows that tab instead of joining the same session twice. Closing a
// tab leaves its session; signing out leaves them all.

import * as auth from '../api/auth';
import * as devicesApi from '../api/devices';
import { ApiError, describeError } from '../api/http';
import type { Device, Me } from '../api/types';
import { terminalPath } from '../components/deviceBits';
import { h, replace, uid } from '../dom';
import type { DeviceEncoding } from './decoder';
import { initialEncoding, saveEncoding } from './encodingPrefs';
import { presenceSource } from '../live/presence';
import { TerminalPane } from './pane';
import { registerCloseAll, registerSessionEnded, reportTerminalCount } from './registry';
import { asksAgain, freshFactorPrompt, lacksSecondFactor, secondFactorNotice } from './secondFactor';
import * as session from '../session';
import { stateLabel } from './states';

type Navigate = (path: string, options?: { replace?: boolean }) => void;

interface Tab {
  key: string;
  pane: TerminalPane;
  tab: HTMLButtonElement;
  dot: HTMLElement;
  wrap: HTMLElement;
  panel: HTMLElement;
}

/** What tests (and curious users in the console) can read: window.__tether.terminals[i]. */
export interface TerminalHook {
  deviceId: number;
  deviceName: string;
  target: string;
  renderer: string;
  active: boolean;
  /** The visible rows as text. */
  text(): string;
  /** The selected text (mouse selection or search match). */
  selection(): string;
  state(): { kind: string; detail: string };
  size(): { cols: number; rows: number };
  confirmedSize(): { cols: number; rows: number } | null;
  encoding(): string;
  stats(): ReturnType<TerminalPane['statistics']>;
  /** "controller" or "observer" while live; null otherwise. */
  role(): string | null;
  /** The id of the session joined (kept after it closed, for its page); null before the portal said. */
  sessionId(): number | null;
  /** The shared session as the portal last described it (a copy); null before it said. */
  session(): {
    id: number;
    you: number | string;
    role: string;
    mayControl: boolean;
    controller: string | null;
    participants: { id: number | string; username: string; role: string }[];
    recording: string;
  } | null;
  /** The sharing line the user sees: role badge, who controls, recording (empty when hidden). */
  sharingText(): string;
  /** Lines of the console log shown above the live stream ("before you joined"). */
  scrollbackLines(): number;
}

const tabKey = (deviceId: number, target: string) => `${deviceId}/${target}`;

export class Workspace {
  readonly element: HTMLElement;
  private readonly tablist: HTMLElement;
  /** Where the tabs and their close buttons show; the tablist owns the tabs through aria-owns. */
  private readonly strip: HTMLElement;
  private readonly panels: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly problem: HTMLElement;
  private readonly ended: HTMLElement;
  private readonly opening = new Map<string, Promise<void>>();
  private tabs: Tab[] = [];
  private active: Tab | null = null;
  private navigate: Navigate = () => {};
  private attached = false;
  /** Listens to presence while any terminal is open. */
  private unsubscribe: (() => void) | null = null;

  constructor() {
    // a tablist may hold only tabs, so the close buttons sit beside it: the visible strip holds
    // tab + close pairs, and the (empty) tablist element owns the tabs through aria-owns
    this.tablist = h('div', { class: 'term-tablist', attrs: { role: 'tablist', 'aria-label': 'Open terminals' } });
    this.strip = h('div', { class: 'term-tabs' }, this.tablist);
    this.panels = h('div', { class: 'term-panels' });
    this.problem = h('div', { class: 'notice notice-error', attrs: { role: 'alert', hidden: true } });
    this.ended = h('div', { class: 'notice notice-error', attrs: { role: 'alert', hidden: true } });
    this.empty = h(
      'p',
      { class: 'muted' },
      'No terminal is open. Open one from ',
      h('a', { attrs: { href: '/devices' } }, 'the device list'),
      ' or a device page.',
    );
    this.element = h(
      'section',
      { class: 'terminals', attrs: { 'aria-labelledby': 'terminals-title' } },
      // the heading is for screen readers: on screen the tabs name the terminals, and every line
      // above the terminal is a line less of it
      h('h1', { class: 'visually-hidden', attrs: { id: 'terminals-title' } }, 'Terminals'),
      this.ended,
      this.problem,
      h('div', { class: 'term-tabs-row' }, this.strip, h('a', { class: 'term-more-link', attrs: { href: '/devices' } }, 'Open another from the devices')),
      this.empty,
      this.panels,
    );
    this.strip.addEventListener('keydown', (event) => this.onTabKey(event));
    registerCloseAll(() => this.closeAll());
    registerSessionEnded(() => this.sessionEnded());
    this.installHook();
  }

  /** Shows the workspace in {@code host} (the routed page). */
  attach(host: HTMLElement, navigate: Navigate): void {
    this.navigate = navigate;
    this.attached = true;
    host.append(this.element);
    this.hideProblem();
    if (this.active) {
      this.show(this.active);
    }
    this.empty.hidden = this.tabs.length > 0;
  }

  /** The page was left: the sessions stay open. */
  detach(): void {
    this.attached = false;
    this.element.remove();
  }

  /** Shows the tab of that target, opening it first if needed. */
  open(deviceId: number, target: string): Promise<void> {
    if (!Number.isInteger(deviceId) || deviceId <= 0 || !target) {
      this.showProblem('No such terminal: the address names no device target.');
      return Promise.resolve();
    }
    const key = tabKey(deviceId, target);
    const existing = this.tabs.find((t) => t.key === key);
    if (existing) {
      this.activate(existing);
      return Promise.resolve();
    }
    const pending = this.opening.get(key);
    if (pending) {
      return pending;
    }
    const work = this.create(deviceId, target).finally(() => this.opening.delete(key));
    this.opening.set(key, work);
    return work;
  }

  /** See registry.terminalsTakeSessionEnd. */
  private sessionEnded(): boolean {
    if (!this.attached || this.tabs.length === 0) {
      return false;
    }
    this.unsubscribe?.(); // the event stream would only fail again
    this.unsubscribe = null;
    const next = `${location.pathname}${location.search}`;
    replace(
      this.ended,
      'Your session has ended (signed out, expired, or your access was revoked). The terminals keep their last screen. ',
      h('a', { attrs: { href: `/sign-in?next=${encodeURIComponent(next)}` } }, 'Sign in again'),
    );
    this.ended.hidden = false;
    return true;
  }

  closeAll(): void {
    replace(this.ended);
    this.ended.hidden = true;
    for (const tab of [...this.tabs]) {
      tab.pane.dispose();
      tab.wrap.remove();
      tab.panel.remove();
    }
    this.tabs = [];
    this.active = null;
    this.empty.hidden = false;
    this.counted();
  }

  get count(): number {
    return this.tabs.length;
  }

  private async create(deviceId: number, target: string): Promise<void> {
    let device: Device;
    try {
      device = await devicesApi.get(deviceId);
    } catch (e) {
      this.showProblem(e instanceof ApiError && e.status === 404 ? 'No such device, or you may not see it.' : `Cannot open the terminal: ${describeError(e)}`);
      return;
    }
    if (lacksSecondFactor(session.me(), device.group)) {
      this.showProblem(secondFactorNotice(device.group));
      return;
    }
    const asking = await this.groupAsksAgain(device.group);
    if (asking) {
      this.showProblem(
        freshFactorPrompt(device.group, asking.secondFactorMethods, () => {
          this.hideProblem();
          void this.open(deviceId, target);
        }),
      );
      return;
    }
    const key = tabKey(deviceId, target);
    if (this.tabs.some((t) => t.key === key)) {
      return;
    }
    const known = device.targets.find((t) => t.name === target);
    const label = `${device.name}/${target}`;
    const tabId = uid('term-tab');
    const panelId = uid('term-panel');
    const pane: TerminalPane = new TerminalPane({
      deviceId,
      deviceName: device.name,
      target,
      kind: known?.kind ?? null,
      logged: known?.log === 'always',
      encoding: initialEncoding(deviceId, device.encoding),
      encodingChosen: (encoding) => this.setEncoding(deviceId, encoding),
      changed: (changedPane) => this.markState(changedPane),
      // a refused upgrade says nothing about why; if the session is gone, GET /api/me answers
      // 401 and the app goes to the sign-in page; if the group now requires a second factor
      // this session lacks, the fresh profile says so
      refused: () =>
        void auth
          .me()
          .then((me) => {
            if (lacksSecondFactor(me, device.group)) this.showProblem(secondFactorNotice(device.group));
            else if (asksAgain(me, device.group)) {
              const tab = this.tabs.find((t) => t.key === tabKey(deviceId, target));
              this.showProblem(
                freshFactorPrompt(device.group, me.secondFactorMethods, () => {
                  this.hideProblem();
                  if (tab) this.close(tab);
                  void this.open(deviceId, target);
                }),
              );
            }
          })
          .catch(() => {}),
    });
    const dot = h('span', { class: 'tab-dot', attrs: { 'aria-hidden': 'true' } });
    const tabButton = h(
      'button',
      {
        class: 'term-tab',
        attrs: { type: 'button', role: 'tab', id: tabId, 'aria-controls': panelId, 'aria-selected': 'false', tabindex: '-1' },
      },
      dot,
      label,
    );
    const closeButton = h('button', { class: 'term-tab-close', attrs: { type: 'button', 'aria-label': `Close terminal ${label}`, title: 'Close this terminal' } }, '×');
    const wrap = h('div', { class: 'term-tab-wrap' }, tabButton, closeButton);
    const panel = h('div', { class: 'term-panel', attrs: { role: 'tabpanel', id: panelId, 'aria-labelledby': tabId, hidden: true } }, pane.element);
    const tab: Tab = { key, pane, tab: tabButton, dot, wrap, panel };
    tabButton.addEventListener('click', () => this.activate(tab));
    closeButton.addEventListener('click', () => this.close(tab));
    this.tabs.push(tab);
    this.strip.append(wrap);
    this.panels.append(panel);
    this.empty.hidden = true;
    this.counted();
    this.markState(pane);
    this.activate(tab);
    pane.reconnect();
  }

  /** Reports the count to the shell; listens to presence only while terminals are open. */
  private counted(): void {
    reportTerminalCount(this.tabs.length);
    this.tablist.setAttribute('aria-owns', this.tabs.map((t) => t.tab.id).join(' '));
    if (this.tabs.length > 0 && !this.unsubscribe && this.ended.hidden) {
      this.unsubscribe = presenceSource().subscribe((event) => {
        if (!event.online) return;
        for (const t of this.tabs) {
          if (t.pane.options.deviceId === event.deviceId) t.pane.deviceOnline();
        }
      });
    } else if (this.tabs.length === 0 && this.unsubscribe) {
      this.unsubscribe();
      this.unsubscribe = null;
    }
  }

  private activate(tab: Tab): void {
    this.active = tab;
    for (const t of this.tabs) {
      const selected = t === tab;
      t.tab.setAttribute('aria-selected', String(selected));
      t.tab.tabIndex = selected ? 0 : -1;
      t.panel.hidden = !selected;
    }
    this.show(tab);
  }

  private show(tab: Tab): void {
    if (!this.attached) return;
    tab.pane.mount();
    tab.pane.shown();
    const { deviceId, target, deviceName } = tab.pane.options;
    const path = terminalPath(deviceId, target);
    if (location.pathname !== path && location.pathname !== '/terminals') {
      history.replaceState(null, '', path);
    }
    document.title = `${deviceName}/${target} · Terminal · Tether`;
  }

  private close(tab: Tab): void {
    const index = this.tabs.indexOf(tab);
    if (index < 0) return;
    tab.pane.dispose();
    tab.wrap.remove();
    tab.panel.remove();
    this.tabs.splice(index, 1);
    this.counted();
    if (this.active === tab) {
      this.active = null;
      const next = this.tabs[Math.min(index, this.tabs.length - 1)];
      if (next) {
        this.activate(next);
        next.tab.focus();
      } else {
        this.empty.hidden = false;
        if (this.attached) {
          this.navigate(`/devices/${tab.pane.options.deviceId}`);
        }
      }
    }
  }

  private setEncoding(deviceId: number, encoding: DeviceEncoding): void {
    saveEncoding(deviceId, encoding);
    for (const t of this.tabs) {
      if (t.pane.options.deviceId === deviceId) {
        t.pane.setEncoding(encoding);
      }
    }
  }

  private markState(pane: TerminalPane): void {
    const tab = this.tabs.find((t) => t.pane === pane);
    if (!tab) return;
    const kind = pane.state.kind;
    tab.dot.className = `tab-dot tab-dot-${kind}`;
    tab.tab.title = pane.role === 'observer' ? `${stateLabel(kind)}, observing` : stateLabel(kind);
  }

  private onTabKey(event: KeyboardEvent): void {
    const index = this.tabs.findIndex((t) => t.tab === document.activeElement);
    if (index < 0) return;
    let next = -1;
    if (event.key === 'ArrowRight') next = (index + 1) % this.tabs.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + this.tabs.length) % this.tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = this.tabs.length - 1;
    if (next >= 0) {
      event.preventDefault();
      this.activate(this.tabs[next]);
      this.tabs[next].tab.focus();
    }
  }

  /**
   * The caller when the group asks for the second factor again now (a fresh GET /api/me: it ages),
   * else null.
   */
  private async groupAsksAgain(group: string): Promise<Me | null> {
    if (session.me()?.freshSecondFactor === undefined) {
      return null; // a portal without the rule
    }
    try {
      const me = await auth.me();
      return asksAgain(me, group) ? me : null;
    } catch {
      return null; // the open itself then says what is wrong
    }
  }

  private showProblem(text: string | HTMLElement): void {
    replace(this.problem, text);
    this.problem.hidden = false;
  }

  private hideProblem(): void {
    replace(this.problem);
    this.problem.hidden = true;
  }

  private installHook(): void {
    const tabs = () => this.tabs;
    const active = () => this.active;
    const hook = {
      get terminals(): TerminalHook[] {
        return tabs().map((t) => ({
          deviceId: t.pane.options.deviceId,
          deviceName: t.pane.options.deviceName,
          target: t.pane.options.target,
          renderer: t.pane.renderer,
          active: active() === t,
          text: () => t.pane.visibleText(),
          selection: () => t.pane.term.getSelection(),
          state: () => {
            const s = t.pane.state;
            return { kind: s.kind, detail: s.kind === 'busy' ? (s.holder ?? s.detail) : s.kind === 'offline' || s.kind === 'moving' ? s.detail : s.kind === 'closed' ? s.reason : '' };
          },
          size: () => ({ cols: t.pane.term.cols, rows: t.pane.term.rows }),
          confirmedSize: () => t.pane.confirmedSize,
          encoding: () => t.pane.encoding,
          stats: () => t.pane.statistics(),
          role: () => t.pane.role,
          sessionId: () => t.pane.session?.id ?? null,
          session: () => {
            const s = t.pane.session;
            return s ? { ...s, participants: s.participants.map((p) => ({ ...p })) } : null;
          },
          sharingText: () => t.pane.sharingText(),
          scrollbackLines: () => t.pane.scrollbackLines,
        }));
      },
    };
    Object.defineProperty(window, '__tether', { value: hook, configurable: true });
  }
}

let instance: Workspace | null = null;

/** The one workspace of this page. */
export function workspace(): Workspace {
  instance ??= new Workspace();
  return instance;
}
