// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import type { Device, Ingress, Link } from '../api/types';
import type { ViewContext } from '../router';
import { devicesAdminView } from './admin/devices';
import { deviceView } from './device';
import { fleetView } from './fleet';
import { cleanUpAfterEachTest, respond, settle, signInAs } from '../testing/fakePortal';

const context = (params: Record<string, string> = {}, query = ''): ViewContext => ({ params, query: new URLSearchParams(query), navigate: vi.fn() });

const hostile = '<img src=x onerror=alert(1)>';

const ingress = (over: Partial<Ingress> = {}): Ingress => ({
  port: 21000,
  allowCidrs: ['203.0.113.7/32'],
  connectString: false,
  unauthenticated: true,
  host: 'portal.example.com',
  settings: {
    tibbo: `Routing Mode = Client; Destination Port = 21000. ${hostile}`,
    lantronix: 'Remote Port = 21000',
    moxa: 'Operation Mode = TCP Client',
    generic: 'TCP client mode to portal.example.com:21000',
  },
  ...over,
});

const device = (over: Partial<Device> = {}): Device => ({
  id: 7,
  name: 'moxa-7',
  description: null,
  group: 'default',
  tags: [],
  mode: 'raw',
  online: true,
  lastSeen: null,
  remoteAddress: '203.0.113.7',
  agentVersion: 'raw-tcp',
  targets: [{ name: 'serial', kind: 'serial', description: null, status: 'ok' }],
  ingress: ingress(),
  createdAt: '2026-11-25T10:00:00Z',
  ...over,
});

const link = (over: Partial<Link> = {}): Link => ({
  id: 3,
  deviceId: 7,
  target: 'serial',
  port: 20001,
  allowCidrs: ['192.0.2.10'],
  takeOver: false,
  listening: true,
  createdAt: '2026-11-25T10:00:00Z',
  ...over,
});

const labelled = <E extends Element = HTMLInputElement>(root: ParentNode, text: string) => {
  const label = [...root.querySelectorAll('label')].find((l) => l.textContent === text);
  return label ? root.querySelector<E>(`#${label.getAttribute('for')}`) : null;
};
const buttonNamed = (root: ParentNode, name: string) => [...root.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent) === name);
const submit = (form: HTMLFormElement) => form.dispatchEvent(new Event('submit', { cancelable: true }));
const formNamed = (root: ParentNode, name: string) =>
  [...root.querySelectorAll('form')].find((f) => {
    const by = f.getAttribute('aria-labelledby');
    return (by ? root.querySelector(`#${by}`)?.textContent : f.getAttribute('aria-label')) === name;
  }) as HTMLFormElement;
const sectionNamed = (root: ParentNode, name: string) =>
  [...root.querySelectorAll('section')].find((s) => s.querySelector(`#${s.getAttribute('aria-labelledby')}`)?.textContent === name) as HTMLElement;

cleanUpAfterEachTest();

describe('creating a raw device', () => {
  it('offers the connection as a named radio group and shows the raw fields only for raw', async () => {
    respond({ '/api/devices': { items: [], next: null }, '/api/groups': { items: [], next: null } });
    const view = devicesAdminView();
    const group = [...view.element.querySelectorAll('fieldset')].find((f) => f.querySelector('legend')?.textContent === 'Connection')!;
    expect(group).toBeTruthy();
    const agent = labelled(group, 'Agent (tether-agent dials out)')!;
    const raw = labelled(group, 'Device server in TCP-client mode (raw, no agent)')!;
    expect(agent.checked).toBe(true);
    const addresses = labelled<HTMLTextAreaElement>(view.element, 'Allowed source addresses')!;
    expect(addresses.closest('[hidden]')).not.toBeNull();
    expect(view.element.textContent).toContain('Empty admits nobody.');
    raw.checked = true;
    raw.dispatchEvent(new Event('change'));
    expect(addresses.closest('[hidden]')).toBeNull();
    expect(labelled(view.element, 'Connect string')).toBeTruthy();
  });

  it('posts mode, allowlist and connect string, then shows the ingress port and settings instead of a token', async () => {
    const calls = respond({
      'POST /api/devices': { id: 7, name: 'moxa-7', description: null, group: 'default', tags: [], mode: 'raw', online: false, createdAt: '2026-11-25T10:00:00Z', token: null, ingress: ingress() },
      '/api/devices': { items: [], next: null },
      '/api/groups': { items: [], next: null },
    });
    const view = devicesAdminView();
    document.body.append(view.element);
    labelled(view.element, 'Device name')!.value = 'moxa-7';
    labelled(view.element, 'Device server in TCP-client mode (raw, no agent)')!.checked = true;
    labelled<HTMLTextAreaElement>(view.element, 'Allowed source addresses')!.value = '203.0.113.7/32\n198.51.100.0/24';
    labelled(view.element, 'Connect string')!.value = 'open';
    submit(formNamed(view.element, 'New device'));
    await settle();
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ name: 'moxa-7', tags: [], mode: 'raw', allowCidrs: ['203.0.113.7/32', '198.51.100.0/24'], connectSecret: 'open' });
    const panel = view.element.querySelector<HTMLElement>('section[aria-label="Device moxa-7 created"]')!;
    expect(panel.textContent).toContain('21000');
    expect(panel.textContent).toContain('Unauthenticated');
    expect(panel.textContent).not.toContain('Device token');
    const settings = panel.querySelector('dl[aria-label="Settings per make"]')!;
    expect([...settings.querySelectorAll('dt')].map((d) => d.textContent)).toEqual(['Tibbo', 'Lantronix', 'Moxa', 'Other device servers']);
    expect(settings.textContent).toContain(hostile);
    expect(settings.querySelector('img')).toBeNull();
  });

  it("marks the control the portal's problem names", async () => {
    respond({
      'POST /api/devices': { status: 400, detail: "'nonsense' is not an address or CIDR (e.g. 203.0.113.7/32)", field: 'allowCidrs' },
      '/api/devices': { items: [], next: null },
      '/api/groups': { items: [], next: null },
    });
    const view = devicesAdminView();
    document.body.append(view.element);
    labelled(view.element, 'Device name')!.value = 'moxa-7';
    labelled(view.element, 'Device server in TCP-client mode (raw, no agent)')!.checked = true;
    const addresses = labelled<HTMLTextAreaElement>(view.element, 'Allowed source addresses')!;
    addresses.value = 'nonsense';
    submit(formNamed(view.element, 'New device'));
    await settle();
    expect(view.element.querySelector('[role=alert]')!.textContent).toBe("'nonsense' is not an address or CIDR (e.g. 203.0.113.7/32)");
    expect(addresses.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(addresses);
  });
});

describe('unauthenticated label', () => {
  it('marks raw devices in the fleet, and only them', async () => {
    respond({ '/api/devices': { items: [device(), device({ id: 8, name: 'plc-8', mode: 'agent', ingress: null })], next: null }, '/api/groups': { items: [], next: null } });
    const view = fleetView(context());
    await settle();
    const badge = view.element.querySelector('tr[data-device-id="7"] .badge-unauthenticated')!;
    expect(badge.textContent).toBe('unauthenticated');
    expect(badge.getAttribute('title')).toBe('Raw TCP device: admitted by source address only');
    expect(view.element.querySelector('tr[data-device-id="8"] .badge-unauthenticated')).toBeNull();
    view.dispose?.();
  });
});

describe('device page of a raw device', () => {
  it('shows the label, the ingress and the settings per make to a viewer, without forms', async () => {
    await signInAs(false);
    respond({ '/api/devices/7/links': { items: [link()], next: null }, '/api/devices/7': device({ ingress: ingress({ connectString: true }) }), '/api/sessions': { items: [], next: null } });
    const view = deviceView(context({ id: '7' }));
    await settle();
    expect(view.element.querySelector('.title-row .badge-unauthenticated')!.textContent).toBe('unauthenticated');
    const section = sectionNamed(view.element, 'Ingress');
    const facts = section.querySelector('dl[aria-label="Ingress details"]')!;
    expect(facts.textContent).toContain('Ingress port21000');
    expect(facts.textContent).toContain('203.0.113.7/32');
    expect(facts.textContent).toContain('Connect stringrequired');
    expect(section.querySelector('dl[aria-label="Settings per make"]')!.textContent).toContain('Operation Mode = TCP Client');
    expect(section.querySelector('img')).toBeNull();
    expect(section.querySelector('form')).toBeNull();
    const links = sectionNamed(view.element, 'Link ports');
    expect(links.querySelector('form')).toBeNull();
    expect(buttonNamed(links, 'Remove link port 20001')).toBeUndefined();
    view.dispose?.();
  });

  it('offers no terminal or data flow for a device waiting for approval, and says why', async () => {
    await signInAs(true);
    respond({ '/api/devices/7/links': { items: [], next: null }, '/api/devices/7': device({ mode: 'agent', ingress: null, state: 'pending' }), '/api/sessions': { items: [], next: null } });
    const view = deviceView(context({ id: '7' }));
    await settle();
    expect(view.element.querySelector('.target-actions')!.children.length).toBe(0);
    expect(view.element.querySelector('.notice-status')!.textContent).toContain('Waiting for approval');
    view.dispose?.();
  });

  it('has no ingress section for an agent device', async () => {
    await signInAs(false);
    respond({ '/api/devices/7/links': { items: [], next: null }, '/api/devices/7': device({ mode: 'agent', ingress: null }), '/api/sessions': { items: [], next: null } });
    const view = deviceView(context({ id: '7' }));
    await settle();
    expect(sectionNamed(view.element, 'Ingress')).toBeUndefined();
    expect(view.element.querySelector('.badge-unauthenticated')).toBeNull();
    view.dispose?.();
  });

  it('lets an admin change the allowlist and remove the connect string', async () => {
    await signInAs(true);
    const calls = respond({
      'PATCH /api/devices/7': device({ ingress: ingress({ allowCidrs: ['198.51.100.0/24'], connectString: false }) }),
      '/api/devices/7/links': { items: [], next: null },
      '/api/devices/7': device({ ingress: ingress({ connectString: true }) }),
      '/api/sessions': { items: [], next: null },
      '/api/groups': { items: [], next: null },
    });
    const view = deviceView(context({ id: '7' }));
    document.body.append(view.element);
    await settle();
    expect(buttonNamed(view.element, 'Rotate token')).toBeUndefined(); // raw devices have no token
    const form = formNamed(view.element, 'Change ingress settings');
    const addresses = labelled<HTMLTextAreaElement>(form, 'Allowed source addresses')!;
    expect(addresses.value).toBe('203.0.113.7/32');
    addresses.value = '198.51.100.0/24';
    labelled(form, 'Remove the connect string')!.checked = true;
    submit(form);
    await settle();
    expect(calls.find((c) => c.method === 'PATCH')!.body).toEqual({ allowCidrs: ['198.51.100.0/24'], connectSecret: '' });
    expect(form.querySelector('[role=status]')!.textContent).toBe('Ingress settings saved.');
    expect(labelled(form, 'Remove the connect string')!.closest('[hidden]')).not.toBeNull();
    const connect = labelled(form, 'Connect string')!;
    expect(form.querySelector(`#${connect.getAttribute('aria-describedby')}`)!.textContent).toContain('Leave empty for none.');
    expect(sectionNamed(view.element, 'Ingress').querySelector('dl[aria-label="Ingress details"]')!.textContent).toContain('Connect stringnot required');
    view.dispose?.();
  });
});

describe('link ports', () => {
  it('lists each link with where host software connects, its sources, take over and listening', async () => {
    await signInAs(false);
    respond({
      '/api/devices/7/links': { items: [link(), link({ id: 4, port: 20002, allowCidrs: [], takeOver: true, listening: false })], next: null },
      '/api/devices/7': device(),
      '/api/sessions': { items: [], next: null },
    });
    const view = deviceView(context({ id: '7' }));
    await settle();
    expect(location.hostname).not.toBe(''); // the page's host, as a browser has it
    const rows = [...sectionNamed(view.element, 'Link ports').querySelectorAll('tbody tr')];
    expect(rows.length).toBe(2);
    expect(rows[0].textContent).toContain(`Point host software at ${location.hostname}:20001`);
    expect(rows[0].textContent).toContain('192.0.2.10');
    expect(rows[0].textContent).toContain('listening');
    expect(rows[1].textContent).toContain('nobody');
    expect(rows[1].textContent).toContain('yes');
    expect(rows[1].textContent).toContain('not listening');
    view.dispose?.();
  });

  it('lets an admin create a link port on one of the targets, and remove one after confirming', async () => {
    await signInAs(true);
    const calls = respond({
      'POST /api/devices/7/links': link({ id: 5, port: 20005 }),
      'DELETE /api/devices/7/links/3': { status: 204 },
      '/api/devices/7/links': { items: [link()], next: null },
      '/api/devices/7': device({ targets: [{ name: 'console', kind: 'serial', description: null, status: 'ok' }, { name: 'aux', kind: 'serial', description: null, status: 'ok' }] }),
      '/api/sessions': { items: [], next: null },
      '/api/groups': { items: [], next: null },
    });
    const view = deviceView(context({ id: '7' }));
    document.body.append(view.element);
    await settle();
    const form = formNamed(view.element, 'New link port');
    const target = labelled<HTMLSelectElement>(form, 'Target')!;
    expect([...target.options].map((o) => o.value)).toEqual(['console', 'aux']);
    target.value = 'aux';
    labelled<HTMLTextAreaElement>(form, 'Allowed source addresses')!.value = '192.0.2.10, 10.1.0.0/16';
    labelled(form, 'Port')!.value = '20005';
    labelled(form, 'Take over control from a browser user')!.checked = true;
    expect(buttonNamed(form, 'Create link port')!.type).toBe('submit');
    submit(form);
    await settle();
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ target: 'aux', allowCidrs: ['192.0.2.10', '10.1.0.0/16'], takeOver: true, port: 20005 });
    expect(form.querySelector('[role=status]')!.textContent).toBe(`Link port 20005 created. Point host software at ${location.hostname}:20005.`);

    buttonNamed(view.element, 'Remove link port 20001')!.click();
    await settle(1);
    buttonNamed(document.body.querySelector('dialog')!, 'Remove link port')!.click();
    await settle();
    expect(calls.find((c) => c.method === 'DELETE')!.url).toBe('/api/devices/7/links/3');
    view.dispose?.();
  });

  it('refuses a port that is no port before sending, and marks it', async () => {
    await signInAs(true);
    const calls = respond({ '/api/devices/7/links': { items: [], next: null }, '/api/devices/7': device(), '/api/sessions': { items: [], next: null }, '/api/groups': { items: [], next: null } });
    const view = deviceView(context({ id: '7' }));
    document.body.append(view.element);
    await settle();
    const form = formNamed(view.element, 'New link port');
    const port = labelled(form, 'Port')!;
    port.value = '70000';
    submit(form);
    await settle();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    expect(form.querySelector('[role=alert]')!.textContent).toContain('1 to 65535');
    expect(port.getAttribute('aria-invalid')).toBe('true');
    view.dispose?.();
  });
});
