// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import type { Device } from '../api/types';
import { ManualPresenceSource, setPresenceSource } from '../live/presence';
import type { ViewContext } from '../router';
import { fleetView } from './fleet';
import { fleetQueryFrom, fleetQueryString } from './fleetQuery';
import { FIRST_LOGIN_HINT, safeNext, signInView } from './signIn';
import { expiryFromDate } from './tokens';
import { deviceView } from './device';
import * as session from '../session';
import { cleanUpAfterEachTest } from '../testing/fakePortal';

const context = (query = ''): ViewContext => ({ params: {}, query: new URLSearchParams(query), navigate: vi.fn() });

const device = (over: Partial<Device> = {}): Device => ({
  id: 1,
  name: 'plc-7',
  description: '<img src=x onerror=alert(1)>',
  group: 'default',
  tags: ['hall-3'],
  mode: null,
  online: false,
  lastSeen: null,
  remoteAddress: null,
  agentVersion: null,
  targets: [{ name: 'console', kind: 'serial', description: null, status: 'busy' }],
  createdAt: '2026-11-25T10:00:00Z',
  ...over,
});

function respond(routes: Record<string, unknown>) {
  const calls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      calls.push(url);
      const key = Object.keys(routes).find((k) => url.startsWith(k));
      const body = key ? routes[key] : { status: 404, detail: 'no such resource' };
      const status = (body as { status?: number }).status ?? 200;
      return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });
    }),
  );
  return calls;
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const labelled = (root: HTMLElement, text: string) => {
  const label = [...root.querySelectorAll('label')].find((l) => l.textContent === text);
  return label ? root.querySelector(`#${label.getAttribute('for')}`) : null;
};

cleanUpAfterEachTest();

describe('sign-in view', () => {
  it('has labelled Username and Password fields, a Sign in button and the first-login hint', () => {
    const { element } = signInView(context());
    expect(labelled(element, 'Username')).toBeTruthy();
    expect((labelled(element, 'Password') as HTMLInputElement).type).toBe('password');
    expect([...element.querySelectorAll('button')].map((b) => b.textContent)).toContain('Sign in');
    expect(element.textContent).toContain(FIRST_LOGIN_HINT);
  });

  it("shows the API's problem detail when the login is refused", async () => {
    respond({ '/api/auth/login': { status: 429, detail: 'too many failed sign-ins for this account from your address; try again in 3 s' } });
    const { element } = signInView(context());
    document.body.append(element);
    (labelled(element, 'Username') as HTMLInputElement).value = 'admin';
    (labelled(element, 'Password') as HTMLInputElement).value = 'wrong';
    element.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    await settle();
    expect(element.querySelector('[role=alert]')!.textContent).toBe('too many failed sign-ins for this account from your address; try again in 3 s');
  });

  it('returns only to paths of this site after signing in', () => {
    expect(safeNext('/devices/4')).toBe('/devices/4');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});

describe('fleet view', () => {
  it('renders device data as text and shows target status', async () => {
    respond({ '/api/devices': { items: [device()], next: null }, '/api/groups': { items: [], next: null } });
    const { element, dispose } = fleetView(context());
    await settle();
    const row = element.querySelector('tr[data-device-id="1"]')!;
    expect(row.querySelector('img')).toBeNull();
    expect(row.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(row.textContent).toContain('busy');
    expect(row.querySelector('a')!.getAttribute('href')).toBe('/devices/1');
    dispose?.();
  });

  it("shows each agent's version and flags the outdated ones", async () => {
    respond({
      '/api/devices': {
        items: [device({ id: 1, agentVersion: '0.1.0', agentOutdated: true }), device({ id: 2, agentVersion: '0.2.0', agentOutdated: false })],
        next: null,
      },
      '/api/groups': { items: [], next: null },
    });
    const { element, dispose } = fleetView(context());
    await settle();
    const old = element.querySelector('tr[data-device-id="1"] .agent-version')!;
    expect(old.textContent).toBe('0.1.0 outdated');
    expect(old.querySelector('.badge')!.getAttribute('title')).toContain('TETHER_AGENT_MIN_VERSION');
    expect(element.querySelector('tr[data-device-id="2"] .agent-version')!.textContent).toBe('0.2.0');
    dispose?.();
  });

  it('sends the filters to the server and offers more pages', async () => {
    const calls = respond({ '/api/devices': { items: [device()], next: '1' }, '/api/groups': { items: [], next: null } });
    const { element, dispose } = fleetView(context('name=plc&online=true&tag=hall-3'));
    await settle();
    expect(calls.find((c) => c.startsWith('/api/devices'))).toBe('/api/devices?name=plc&tag=hall-3&online=true&sort=name&limit=50');
    const more = [...element.querySelectorAll('button')].find((b) => b.textContent === 'Load more devices')!;
    expect(more.hidden).toBe(false);
    more.click();
    await settle();
    expect(calls.at(-1)).toContain('cursor=1');
    dispose?.();
  });

  it('asks the portal for the order picked, so every page comes in it', async () => {
    const calls = respond({ '/api/devices': { items: [device()], next: null }, '/api/groups': { items: [], next: null } });
    const { element, dispose } = fleetView(context('sort=status'));
    await settle();
    expect(calls.filter((c) => c.startsWith('/api/devices'))).toEqual(['/api/devices?sort=status&limit=50']);
    const sort = element.querySelector<HTMLSelectElement>('select[name="sort"]')!;
    sort.value = 'seen';
    sort.dispatchEvent(new Event('change'));
    await settle();
    expect(calls.at(-1)).toBe('/api/devices?sort=lastSeen&limit=50');
    dispose?.();
  });

  it('updates a row when presence is pushed, re-reads the device, and unsubscribes when left', async () => {
    const source = new ManualPresenceSource();
    setPresenceSource(source);
    const calls = respond({
      '/api/devices/1': device({ online: true, targets: [{ name: 'console', kind: 'serial', description: null, status: 'ok' }], agentVersion: '0.1.0' }),
      '/api/devices': { items: [device()], next: null },
      '/api/groups': { items: [], next: null },
    });
    const { element, dispose } = fleetView(context());
    await settle();
    expect(element.querySelector('tr[data-device-id="1"] .badge')!.textContent).toBe('offline');
    source.emit({ deviceId: 1, online: true });
    expect(element.querySelector('tr[data-device-id="1"] .badge')!.textContent).toBe('online');
    await settle();
    expect(calls).toContain('/api/devices/1');
    expect(element.querySelector('tr[data-device-id="1"] .target-status')!.textContent).toBe('ok');
    expect(element.querySelector('[role=status]')!.textContent).toBe('1 device, 1 online');
    dispose?.();
    expect(source.listenerCount).toBe(0);
  });

  it("shows a device's last console match as a badge in its severity's colour, and a pushed one without a reload", async () => {
    const source = new ManualPresenceSource();
    setPresenceSource(source);
    const match = { rule: 'oom', severity: 'warning' as const, target: 'console', line: 'Out of memory: Killed process 42', at: '2026-12-08T03:00:00Z' };
    const calls = respond({ '/api/devices': { items: [device({ consoleMatch: match }), device({ id: 2, name: 'plc-8' })], next: null }, '/api/groups': { items: [], next: null } });
    const { element, dispose } = fleetView(context());
    await settle();
    const badge = element.querySelector('tr[data-device-id="1"] .badge-console')!;
    expect(badge.textContent).toBe('Console match, warning: oom');
    expect(badge.classList.contains('badge-warn')).toBe(true);
    expect(badge.getAttribute('title')).toContain('on console at');
    expect(badge.getAttribute('title')).toContain(': Out of memory: Killed process 42');
    expect(element.querySelector('tr[data-device-id="2"] .badge-console')).toBeNull();
    const before = calls.length;
    source.emitConsoleMatch({ deviceId: 2, consoleMatch: { ...match, rule: 'kernel panic', severity: 'critical', line: 'Kernel panic - not syncing' } });
    const pushed = element.querySelector('tr[data-device-id="2"] .badge-console')!;
    expect(pushed.textContent).toBe('Console match, critical: kernel panic');
    expect(pushed.classList.contains('badge-danger')).toBe(true);
    await settle();
    expect(calls.length).toBe(before);
    dispose?.();
  });

  it('ignores events of devices it does not list, and reloads the list on a resync', async () => {
    const source = new ManualPresenceSource();
    setPresenceSource(source);
    const calls = respond({ '/api/devices': { items: [device()], next: null }, '/api/groups': { items: [], next: null } });
    const { dispose } = fleetView(context());
    await settle();
    const before = calls.length;
    source.emit({ deviceId: 99, online: true });
    await settle();
    expect(calls.length).toBe(before);
    source.resync();
    await settle();
    expect(calls.slice(before)).toEqual(['/api/devices?sort=name&limit=50']);
    dispose?.();
  });

  it('offers "Open terminal" per target to operators of the group only', async () => {
    respond({
      '/api/me': { id: 2, username: 'olga', admin: false, csrfToken: 't', grants: [{ group: 'default', role: 'operator' }] },
      '/api/devices': { items: [device(), device({ id: 2, name: 'other', group: 'lab' })], next: null },
      '/api/groups': { items: [], next: null },
    });
    await session.restore();
    const { element, dispose } = fleetView(context());
    await settle();
    const link = element.querySelector('tr[data-device-id="1"] a[aria-label="Open terminal on plc-7/console"]');
    expect(link?.getAttribute('href')).toBe('/devices/1/terminal/console');
    expect(element.querySelector('tr[data-device-id="2"] a[aria-label^="Open terminal"]')).toBeNull();
    dispose?.();
  });

  it('round-trips filters through the URL', () => {
    const filter = { name: 'plc', tag: 'x', group: 'lab', online: false, neverSeen: undefined, sort: 'name' as const };
    expect(fleetQueryFrom(new URLSearchParams(fleetQueryString(filter).slice(1)))).toEqual(filter);
    expect(fleetQueryString({})).toBe('');
  });
});

describe('device view', () => {
  /** Device 1's page, loaded, fed by a hand-driven event source. */
  const openDevice = async () => {
    const source = new ManualPresenceSource();
    setPresenceSource(source);
    respond({ '/api/devices/1': device() });
    const view = deviceView({ ...context(), params: { id: '1' } });
    await settle();
    await settle();
    return { source, view };
  };

  it('re-reads the device on a presence event and updates its status and targets', async () => {
    const { source, view } = await openDevice();
    expect(view.element.querySelector('h1')!.textContent).toBe('plc-7');
    expect(view.element.querySelector('.title-row .badge')!.textContent).toBe('offline');
    respond({ '/api/devices/1': device({ online: true, remoteAddress: '203.0.113.9', targets: [{ name: 'console', kind: 'serial', description: null, status: 'ok' }] }) });
    source.emit({ deviceId: 1, online: true });
    expect(view.element.querySelector('.title-row .badge')!.textContent).toBe('online');
    await settle();
    await settle();
    expect(view.element.textContent).toContain('203.0.113.9');
    expect(view.element.querySelector('.target-status')!.textContent).toBe('ok');
    view.dispose?.();
    expect(source.listenerCount).toBe(0);
  });

  it('shows the last console match with its line, and a pushed one', async () => {
    const { source, view } = await openDevice();
    expect(view.element.querySelector('.badge-console')).toBeNull();
    source.emitConsoleMatch({ deviceId: 1, consoleMatch: { rule: 'panic', severity: 'critical', target: 'console', line: '<b>Kernel panic</b>', at: '2026-12-08T03:00:00Z' } });
    expect(view.element.querySelector('.title-row .badge-console')!.textContent).toBe('Console match, critical: panic');
    expect(view.element.querySelector('.console-line')!.textContent).toBe('<b>Kernel panic</b>');
    expect(view.element.querySelector('.console-line b')).toBeNull();
    view.dispose?.();
  });

  it('has an "Open terminal" link per target for an admin', async () => {
    respond({ '/api/me': { id: 1, username: 'admin', admin: true, csrfToken: 't', grants: [] } });
    await session.restore();
    respond({ '/api/devices/1': device() });
    const view = deviceView({ ...context(), params: { id: '1' } });
    await settle();
    await settle();
    const link = view.element.querySelector<HTMLAnchorElement>('a[aria-label="Open terminal on plc-7/console"]');
    expect(link?.getAttribute('href')).toBe('/devices/1/terminal/console');
    expect(link?.textContent).toBe('Open terminal');
    view.dispose?.();
  });
});

describe('tokens view', () => {
  it('turns a date into the end of that day in UTC', () => {
    expect(expiryFromDate('2027-01-31')).toBe('2027-01-31T23:59:59Z');
    expect(expiryFromDate('')).toBeUndefined();
  });
});
