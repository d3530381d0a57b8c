// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import type { Device, LogPage } from '../api/types';
import type { ViewContext } from '../router';
import { consoleLogView } from './consoleLog';
import { deviceView } from './device';
import { type Call, cleanUpAfterEachTest, respond as portal, sampleDevice, settle, signInAs as signIn } from '../testing/fakePortal';

const context = (params: Record<string, string>, query = ''): ViewContext => ({ params, query: new URLSearchParams(query), navigate: vi.fn() });

const device = (over: Partial<Device> = {}): Device =>
  sampleDevice({
    agentVersion: '0.1.0',
    targets: [
      { name: 'console', kind: 'serial', description: null, status: 'ok', log: 'always', logSetting: null },
      { name: 'web', kind: 'tcp', description: null, status: 'ok', log: 'off', logSetting: null },
    ],
    ...over,
  });

const logPage = (over: Partial<LogPage> = {}): LogPage => ({
  device: 7,
  target: 'console',
  encoding: 'utf-8',
  logging: true,
  items: [
    { at: '2026-12-05T09:00:00Z', text: null, marker: 'logging started' },
    { at: '2026-12-05T09:00:01Z', text: 'boot ok', marker: null },
  ],
  next: null,
  ...over,
});

const LOG = '/api/devices/7/targets/console/log';

cleanUpAfterEachTest();

describe('console log page', () => {
  it('shows the lines and markers of the last day, the logging state and a download of the same range', async () => {
    await signIn(false);
    const calls = portal({ [LOG]: logPage(), '/api/devices/7': device() });
    const view = consoleLogView(context({ id: '7', target: 'console' }));
    document.body.append(view.element);
    await settle(6);
    expect(view.element.querySelector('h1')!.textContent).toBe('Console log of plc-7/console');
    expect(view.element.querySelector('.log-status')!.textContent).toContain('logging');
    expect([...view.element.querySelectorAll('.log-lines li')].map((li) => li.className)).toEqual(['log-marker log-marker-start', 'log-line']);
    expect(view.element.querySelector('[role=status]')!.textContent).toBe('1 line and 1 marker');
    const asked = new URL(calls.find((c) => c.url.startsWith(LOG))!.url, 'http://x');
    expect(asked.searchParams.get('limit')).toBe('500');
    const download = [...view.element.querySelectorAll('a')].find((a) => a.textContent === 'Download')!;
    expect(download.getAttribute('href')).toBe(`${LOG}?format=text&from=${encodeURIComponent(asked.searchParams.get('from')!)}`);
    expect(view.element.textContent).not.toContain('Download raw'); // raw needs the replay right: offered to admins
    expect(view.element.textContent).not.toContain('Open terminal'); // a viewer
  });

  it("searches on the server and shows the portal's problem detail for a regular expression that does not compile", async () => {
    await signIn(true);
    const calls = portal({
      [LOG]: (c: Call) => (c.url.includes('q=') ? { status: 400, title: 'Bad Request', detail: 'q is not a valid regular expression: missing )', field: 'q' } : logPage()),
      '/api/devices/7': device(),
    });
    const view = consoleLogView(context({ id: '7', target: 'console' }));
    document.body.append(view.element);
    await settle(6);
    const search = view.element.querySelector<HTMLInputElement>('input[type=search]')!;
    search.value = '(';
    view.element.querySelector<HTMLInputElement>('input[type=checkbox]')!.checked = true;
    view.element.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle(6);
    expect(calls.at(-1)!.url).toContain('q=%28&regex=true');
    expect(view.element.querySelector('[role=alert]')!.textContent).toBe('q is not a valid regular expression: missing )');
    expect(search.getAttribute('aria-invalid')).toBe('true');
    expect(view.element.querySelector('.log-lines')).toBeNull();
    expect(location.search).toBe('?q=%28&regex=true');
  });

  it('pages newer with the cursor and back older without it', async () => {
    await signIn(false);
    const calls = portal({ [LOG]: (c: Call) => logPage({ next: c.url.includes('cursor=') ? null : '12.0' }), '/api/devices/7': device() });
    const view = consoleLogView(context({ id: '7', target: 'console' }, 'range=all'));
    document.body.append(view.element);
    await settle(6);
    const button = (name: string) => [...view.element.querySelectorAll('button')].find((b) => b.textContent === name)!;
    expect(button('← Older lines').hidden).toBe(true);
    button('Newer lines →').click();
    await settle(6);
    expect(calls.filter((c) => c.url.startsWith(LOG)).at(-1)!.url).toBe(`${LOG}?limit=500&cursor=12.0`);
    expect([button('← Older lines').hidden, button('Newer lines →').hidden]).toEqual([false, true]);
    button('← Older lines').click();
    await settle(6);
    expect(calls.filter((c) => c.url.startsWith(LOG)).at(-1)!.url).toBe(`${LOG}?limit=500`);
  });

  it('says when nothing was logged and the target is not logged', async () => {
    await signIn(false);
    portal({ [LOG]: logPage({ items: [], logging: false }), '/api/devices/7': device() });
    const view = consoleLogView(context({ id: '7', target: 'console' }));
    await settle(6);
    expect(view.element.querySelector('[role=status]')!.textContent).toBe('Nothing was logged in this time range, and this target is not logged now.');
  });
});

describe("the device page's console logging", () => {
  it('offers the Console log of a logged target and says where its policy comes from', async () => {
    await signIn(false);
    portal({ '/api/devices/7': device(), 'GET /api/devices/7/links': { items: [], next: null }, 'GET /api/sessions': { items: [], next: null } });
    const view = deviceView(context({ id: '7' }));
    await settle(6);
    const rows = [...view.element.querySelectorAll('tbody tr')].filter((r) => r.querySelector('th')?.textContent === 'console' || r.querySelector('th')?.textContent === 'web');
    expect(rows.map((r) => r.textContent)).toEqual([expect.stringContaining('Logged (group default)'), expect.stringContaining('Not logged (group default)')]);
    expect(rows[0].querySelector('a[aria-label="Console log of plc-7/console"]')!.getAttribute('href')).toBe('/devices/7/targets/console/log');
    expect(rows[1].querySelector('a[aria-label^="Console log"]')).toBeNull();
    expect(view.element.querySelector('select[data-log-target]')).toBeNull(); // not an admin
  });

  it("lets an admin turn a target's logging on with one PATCH, and shows the new policy", async () => {
    await signIn(true);
    const calls = portal({
      '/api/devices/7': device(),
      'GET /api/devices/7/links': { items: [], next: null },
      'GET /api/sessions': { items: [], next: null },
      'PATCH /api/devices/7': device({ targets: [{ name: 'web', kind: 'tcp', description: null, status: 'ok', log: 'always', logSetting: 'always' }] }),
    });
    const view = deviceView(context({ id: '7' }));
    document.body.append(view.element);
    await settle(6);
    const setting = [...view.element.querySelectorAll<HTMLSelectElement>('select[data-log-target]')].find((s) => s.dataset.logTarget === 'web')!;
    expect(view.element.querySelector(`label[for="${setting.id}"]`)!.textContent).toBe('Console logging of web');
    setting.value = 'always';
    setting.dispatchEvent(new Event('change'));
    await settle(6);
    expect(calls.filter((c) => c.method === 'PATCH')).toEqual([{ method: 'PATCH', url: '/api/devices/7', body: { targets: { web: { log: 'always' } } }, csrf: 'csrf-1' }]);
    expect(view.element.textContent).toContain("Logged (this target's setting)");
    expect(view.element.textContent).toContain('Console logging saved: web is always logged.');
    expect((document.activeElement as HTMLElement).dataset.logTarget).toBe('web');
  });

  it('offers no logging setting on a raw device, whose stream the portal never logs', async () => {
    await signIn(true);
    portal({ '/api/devices/7': device({ mode: 'raw' }), '/api/devices/7/links': { items: [], next: null }, '/api/sessions': { items: [], next: null } });
    const view = deviceView(context({ id: '7' }));
    await settle(6);
    expect(view.element.textContent).toContain('Not logged (group default)');
    expect(view.element.querySelector('select[data-log-target]')).toBeNull();
  });
});
