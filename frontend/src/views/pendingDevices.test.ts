// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Device } from '../api/types';
import { ManualPresenceSource, noPresence, setPresenceSource } from '../live/presence';
import { pendingDevices } from './pendingDevices';

const pendingDevice = (over: Partial<Device> = {}): Device => ({
  id: 5,
  name: 'gw-<b>5</b>',
  description: null,
  group: 'lab',
  tags: ['hall-3'],
  mode: 'agent',
  online: true,
  lastSeen: '2026-12-05T07:00:00Z',
  remoteAddress: '203.0.113.9',
  agentVersion: '0.1.0',
  targets: [{ name: 'console', kind: 'serial', description: null, status: 'ok' }],
  state: 'pending',
  createdAt: '2026-12-05T07:00:00Z',
  ...over,
});

/** Answers GET /api/devices?state=pending with {@code lists} in turn (the last one from then on). */
function portal(lists: Device[][]) {
  const calls: string[] = [];
  let reads = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push(`${init.method} ${url}`);
      if (url.endsWith('/approve')) return new Response(JSON.stringify({ ...pendingDevice(), state: 'active' }), { status: 200 });
      if (url.endsWith('/reject')) return new Response(null, { status: 204 });
      const items = lists[Math.min(reads++, lists.length - 1)];
      return new Response(JSON.stringify({ items, next: null }), { status: 200 });
    }),
  );
  return calls;
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const button = (root: HTMLElement, label: string) => root.querySelector<HTMLButtonElement>(`button[aria-label="${label}"]`);

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  setPresenceSource(noPresence);
  document.body.replaceChildren();
});

describe('devices waiting for approval', () => {
  it('is hidden while no device waits', async () => {
    portal([[]]);
    const pending = pendingDevices({ onApproved: vi.fn(), listed: () => false });
    await settle();
    expect(pending.element.querySelector('section')!.hidden).toBe(true);
    pending.dispose();
  });

  it('lists what the agent reported, as text, with Approve and Reject and no terminal link', async () => {
    portal([[pendingDevice()]]);
    const pending = pendingDevices({ onApproved: vi.fn(), listed: () => false });
    await settle();
    const section = pending.element.querySelector('section')!;
    expect(section.hidden).toBe(false);
    expect(section.querySelector('h2')!.textContent).toBe('Waiting for approval');
    const row = section.querySelector('tr[data-pending-id="5"]')!;
    expect(row.querySelector('b')).toBeNull();
    for (const text of ['gw-<b>5</b>', 'lab', 'hall-3', '203.0.113.9', '0.1.0', 'console', 'online']) expect(row.textContent).toContain(text);
    expect(row.querySelector('a')).toBeNull();
    expect(button(pending.element, 'Approve gw-<b>5</b>')).toBeTruthy();
    expect(button(pending.element, 'Reject gw-<b>5</b>')).toBeTruthy();
    pending.dispose();
  });

  it('approves a device: the fleet is told, and the section hides once none is left', async () => {
    const calls = portal([[pendingDevice()], []]);
    const onApproved = vi.fn();
    const pending = pendingDevices({ onApproved, listed: () => false });
    await settle();
    button(pending.element, 'Approve gw-<b>5</b>')!.click();
    await settle();
    await settle();
    expect(calls).toContain('POST /api/devices/5/approve');
    expect(onApproved).toHaveBeenCalledWith(expect.objectContaining({ id: 5, state: 'active' }));
    expect(pending.element.querySelector('section')!.hidden).toBe(true);
    expect(pending.element.querySelector('[role=status]')!.textContent).toBe('gw-<b>5</b> approved: it is in the device list now.');
    pending.dispose();
  });

  it('rejects a device only once the admin confirms', async () => {
    const calls = portal([[pendingDevice()], []]);
    HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
      this.open = true;
    };
    const pending = pendingDevices({ onApproved: vi.fn(), listed: () => false });
    await settle();
    button(pending.element, 'Reject gw-<b>5</b>')!.click();
    const dialog = document.querySelector('dialog')!;
    expect(dialog.textContent).toContain('Reject gw-<b>5</b>?');
    [...dialog.querySelectorAll('button')].find((b) => b.textContent === 'Cancel')!.click();
    await settle();
    expect(calls.filter((c) => c.startsWith('POST'))).toEqual([]);
    button(pending.element, 'Reject gw-<b>5</b>')!.click();
    [...document.querySelector('dialog')!.querySelectorAll('button')].find((b) => b.textContent === 'Reject')!.click();
    await settle();
    await settle();
    expect(calls.filter((c) => c.startsWith('POST'))).toEqual(['POST /api/devices/5/reject']);
    expect(pending.element.querySelector('section')!.hidden).toBe(true);
    pending.dispose();
  });

  it('re-reads the list when a device the fleet does not list comes online, not for listed ones', async () => {
    vi.useFakeTimers();
    const source = new ManualPresenceSource();
    setPresenceSource(source);
    const calls = portal([[], [pendingDevice()]]);
    const pending = pendingDevices({ onApproved: vi.fn(), listed: (id) => id === 1 });
    await vi.runAllTimersAsync();
    source.emit({ deviceId: 1, online: true });
    await vi.runAllTimersAsync();
    expect(calls).toHaveLength(1);
    source.emit({ deviceId: 5, online: true });
    await vi.runAllTimersAsync();
    expect(calls).toHaveLength(2);
    expect(pending.element.querySelector('tr[data-pending-id="5"]')).toBeTruthy();
    pending.dispose();
    expect(source.listenerCount).toBe(0);
  });
});
