// Admins' part of the fleet page: the devices that enrolled themselves and wait for approval, with
// Approve and Reject (confirmed). Hidden while there are none. Kept current by presence events: one
// of a listed device updates it, one of a device the fleet does not list (a new enrollment coming
// online) re-reads the list. A pending device cannot be reached, so its targets have no terminal link.

import * as devicesApi from '../api/devices';
import type { Device } from '../api/types';
import { confirmDialog } from '../components/confirm';
import { lastSeen, onlineBadge, tagList, targetList } from '../components/deviceBits';
import { errorNotice, statusNotice } from '../components/notice';
import { h, replace, uid } from '../dom';
import { applyPresence, presenceSource } from '../live/presence';

/** Presence of devices the fleet does not list comes in bursts: one re-read per burst. */
const RELOAD_DEBOUNCE_MS = 500;

export interface PendingDevicesOptions {
  /** A device was approved: it now belongs in the fleet list. */
  onApproved(device: Device): void;
  /** Whether the fleet list shows this device (its presence is no news here). */
  listed(deviceId: number): boolean;
}

export interface PendingDevices {
  element: HTMLElement;
  dispose(): void;
}

export function pendingDevices(options: PendingDevicesOptions): PendingDevices {
  const titleId = uid('pending-title');
  const error = errorNotice();
  const done = statusNotice();
  const body = h('tbody');
  const section = h(
    'section',
    { class: 'card pending-devices', attrs: { 'aria-labelledby': titleId, hidden: true } },
    h('h2', { attrs: { id: titleId } }, 'Waiting for approval'),
    h('p', { class: 'hint' }, 'These devices enrolled themselves with an enrollment token. Nobody can reach them until you approve them.'),
    error.element,
    h(
      'table',
      { class: 'list' },
      h('caption', { class: 'visually-hidden' }, 'Devices waiting for approval'),
      h(
        'thead',
        null,
        h('tr', null, ['Name', 'Group', 'Tags', 'Address', 'Agent', 'Targets', 'Status', 'Enrolled', ''].map((c) => h('th', { attrs: { scope: 'col' } }, c))),
      ),
      body,
    ),
  );
  let devices: Device[] = [];
  let generation = 0;
  let disposed = false;
  let reloadTimer: ReturnType<typeof setTimeout> | undefined;

  const render = () => {
    section.hidden = devices.length === 0;
    replace(body, devices.map(row));
  };

  const load = async () => {
    const mine = ++generation;
    try {
      const fresh = await devicesApi.pending();
      if (mine !== generation || disposed) return;
      devices = fresh;
      render();
    } catch (e) {
      if (mine === generation && !disposed) {
        section.hidden = false;
        error.error(e);
      }
    }
  };
  const loadSoon = () => {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => void load(), RELOAD_DEBOUNCE_MS);
  };

  const act = async (work: () => Promise<string>) => {
    error.clear();
    done.clear();
    try {
      done.show(await work());
    } catch (e) {
      section.hidden = false;
      error.error(e);
    }
    await load();
  };
  const approve = (device: Device) =>
    act(async () => {
      const approved = await devicesApi.approve(device.id);
      options.onApproved(approved);
      return `${device.name} approved: it is in the device list now.`;
    });
  const reject = async (device: Device) => {
    const ok = await confirmDialog({
      title: `Reject ${device.name}?`,
      message: 'The device is deleted and its agent disconnected.',
      confirmLabel: 'Reject',
    });
    if (!ok) return;
    await act(async () => {
      await devicesApi.reject(device.id);
      return `${device.name} rejected.`;
    });
  };

  const row = (d: Device): HTMLTableRowElement =>
    h(
      'tr',
      { attrs: { 'data-pending-id': d.id } },
      h('th', { attrs: { scope: 'row' } }, d.name),
      h('td', null, d.group),
      h('td', null, tagList(d.tags)),
      h('td', null, d.remoteAddress ?? h('span', { class: 'muted' }, '—')),
      h('td', null, d.agentVersion ?? h('span', { class: 'muted' }, '—')),
      h('td', null, targetList(d.targets)),
      h('td', null, onlineBadge(d.online)),
      h('td', null, lastSeen(d.createdAt)),
      h(
        'td',
        null,
        h(
          'div',
          { class: 'actions' },
          h('button', { class: 'btn btn-primary', attrs: { type: 'button', 'aria-label': `Approve ${d.name}` }, on: { click: () => void approve(d) } }, 'Approve'),
          h('button', { class: 'btn btn-danger', attrs: { type: 'button', 'aria-label': `Reject ${d.name}` }, on: { click: () => void reject(d) } }, 'Reject'),
        ),
      ),
    );

  const unsubscribe = presenceSource().subscribe(
    (event) => {
      const index = devices.findIndex((d) => d.id === event.deviceId);
      if (index >= 0) {
        devices[index] = applyPresence(devices[index], event);
        render();
        loadSoon(); // targets, address and agent version come with the re-read
      } else if (event.online && !options.listed(event.deviceId)) {
        loadSoon(); // maybe a device that just enrolled
      }
    },
    { resync: () => void load() },
  );
  void load();

  return {
    element: h('div', null, done.element, section),
    dispose() {
      disposed = true;
      clearTimeout(reloadTimer);
      unsubscribe();
    },
  };
}
