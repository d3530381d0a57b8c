// The fleet: every device the user may see, filtered on the server, paged, and kept current by
// presence events (pushed, never polled).

import * as devicesApi from '../api/devices';
import * as groupsApi from '../api/groups';
import { ApiError } from '../api/http';
import type { Device, DeviceFilter } from '../api/types';
import { authBadge, lastSeen, onlineBadge, tagList, targetList } from '../components/deviceBits';
import { input, select, setOptions } from '../components/form';
import { errorNotice } from '../components/notice';
import { h, replace } from '../dom';
import { applyPresence, presenceSource } from '../live/presence';
import type { View, ViewContext } from '../router';
import * as session from '../session';

/** Typing in the search box reloads once it pauses this long (one request per word, not per key). */
const SEARCH_DEBOUNCE_MS = 300;

export function filterFromQuery(query: URLSearchParams): DeviceFilter {
  const online = query.get('online');
  return {
    name: query.get('name') ?? undefined,
    tag: query.get('tag') ?? undefined,
    group: query.get('group') ?? undefined,
    online: online === 'true' ? true : online === 'false' ? false : undefined,
  };
}

export function filterToQuery(filter: DeviceFilter): string {
  const params = new URLSearchParams();
  if (filter.name) params.set('name', filter.name);
  if (filter.tag) params.set('tag', filter.tag);
  if (filter.group) params.set('group', filter.group);
  if (filter.online !== undefined) params.set('online', String(filter.online));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function fleetView(context: ViewContext): View {
  const initial = filterFromQuery(context.query);
  const name = input({ label: 'Search by name', name: 'name', type: 'search', value: initial.name ?? '' });
  const tag = input({ label: 'Tag', name: 'tag', value: initial.tag ?? '' });
  const group = select('Group', 'group', [{ value: '', label: 'Any group' }], initial.group ?? '');
  if (initial.group) {
    setOptions(group.control, [{ value: '', label: 'Any group' }, { value: initial.group, label: initial.group }]);
    group.control.value = initial.group;
  }
  const status = select(
    'Status',
    'online',
    [
      { value: '', label: 'Any status' },
      { value: 'true', label: 'Online' },
      { value: 'false', label: 'Offline' },
    ],
    initial.online === undefined ? '' : String(initial.online),
  );
  const error = errorNotice();
  const summary = h('p', { class: 'muted', attrs: { role: 'status' } });
  const body = h('tbody');
  const more = h('button', { class: 'btn btn-plain', attrs: { type: 'button', hidden: true } }, 'Load more devices');
  let devices: Device[] = [];
  let next: string | null = null;
  let generation = 0;
  let loading = 0;
  let debounce: ReturnType<typeof setTimeout> | undefined;

  const currentFilter = (): DeviceFilter => ({
    name: name.control.value.trim() || undefined,
    tag: tag.control.value.trim() || undefined,
    group: group.control.value || undefined,
    online: status.control.value === '' ? undefined : status.control.value === 'true',
  });

  const rowFor = (d: Device): HTMLTableRowElement =>
    h(
      'tr',
      { attrs: { 'data-device-id': d.id } },
      h('th', { attrs: { scope: 'row' } }, h('a', { attrs: { href: `/devices/${d.id}` } }, d.name), authBadge(d)),
      h('td', null, onlineBadge(d.online)),
      h('td', null, lastSeen(d.lastSeen)),
      h('td', null, d.group),
      h('td', null, tagList(d.tags)),
      h('td', null, targetList(d.targets, session.canOperate(d.group) ? d : null)),
      h('td', { class: 'description' }, d.description ?? ''),
    );

  const renderRows = () => {
    replace(body, devices.map(rowFor));
    renderSummary();
  };

  const renderSummary = () => {
    more.hidden = next === null;
    const filtered = Object.values(currentFilter()).some((v) => v !== undefined);
    summary.textContent =
      devices.length === 0
        ? filtered
          ? 'No device matches these filters.'
          : 'No devices yet.'
        : `${devices.length}${next ? '+' : ''} device${devices.length === 1 ? '' : 's'}, ${devices.filter((d) => d.online).length} online`;
  };

  const load = async (append: boolean) => {
    const mine = ++generation;
    const filter = currentFilter();
    if (!append) {
      history.replaceState(null, '', `/${filterToQuery(filter)}`);
    }
    error.clear();
    loading++;
    try {
      const page = await devicesApi.list(filter, append ? next : null);
      if (mine !== generation) {
        return; // a newer search superseded this one
      }
      devices = append ? [...devices, ...page.items] : page.items;
      next = page.next;
      renderRows();
      for (const id of changedWhileLoading) {
        if (devices.some((d) => d.id === id)) {
          void reread(id);
        }
      }
    } catch (e) {
      if (mine === generation) {
        error.error(e);
      }
    } finally {
      loading--;
      if (loading === 0) {
        changedWhileLoading.clear();
      }
    }
  };

  const reloadSoon = () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => void load(false), SEARCH_DEBOUNCE_MS);
  };
  name.control.addEventListener('input', reloadSoon);
  tag.control.addEventListener('input', reloadSoon);
  group.control.addEventListener('change', () => void load(false));
  status.control.addEventListener('change', () => void load(false));
  more.addEventListener('click', () => void load(true));

  // A presence event names a device; its row is updated at once (online/offline) and then from
  // a fresh GET /api/devices/{id} (targets, last seen, remote address). Only the newest re-read of
  // a device is applied, however the answers are ordered.
  const rereads = new Map<number, number>();
  let disposed = false;
  /** Devices that changed while a list request was in flight: its answer may predate that. */
  const changedWhileLoading = new Set<number>();
  let reloadTimer: ReturnType<typeof setTimeout> | undefined;
  const reloadListSoon = () => {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => void load(false), SEARCH_DEBOUNCE_MS);
  };
  const showDevice = (updated: Device) => {
    const index = devices.findIndex((d) => d.id === updated.id);
    if (index < 0) {
      return;
    }
    devices[index] = updated;
    body.querySelector(`tr[data-device-id="${updated.id}"]`)?.replaceWith(rowFor(updated));
    renderSummary();
  };
  const reread = async (id: number) => {
    const mine = (rereads.get(id) ?? 0) + 1;
    rereads.set(id, mine);
    try {
      const fresh = await devicesApi.get(id);
      if (rereads.get(id) === mine && !disposed) {
        showDevice(fresh);
      }
    } catch (e) {
      if (e instanceof ApiError && e.status === 404 && rereads.get(id) === mine && !disposed) {
        devices = devices.filter((d) => d.id !== id); // deleted, or no longer visible to this user
        renderRows();
      }
    }
  };
  const unsubscribe = presenceSource().subscribe(
    (event) => {
      if (loading > 0) {
        changedWhileLoading.add(event.deviceId);
      }
      const index = devices.findIndex((d) => d.id === event.deviceId);
      if (index >= 0) {
        showDevice(applyPresence(devices[index], event));
        void reread(event.deviceId);
      }
      const online = currentFilter().online;
      if (online !== undefined && (index < 0) === (online === event.online)) {
        reloadListSoon(); // the device now enters or leaves an online/offline filtered list
      }
    },
    { resync: () => void load(false) },
  );

  groupsApi
    .list()
    .then((groups) => setOptions(group.control, [{ value: '', label: 'Any group' }, ...groups.map((g) => ({ value: g.name, label: g.name }))]))
    .catch(() => {
      // the filter still works by typing; the list is a convenience
    });
  void load(false);

  const element = h(
    'section',
    null,
    h(
      'div',
      { class: 'title-row' },
      h('h1', null, 'Devices'),
      session.isAdmin() ? h('a', { class: 'btn btn-primary', attrs: { href: '/admin/devices' } }, 'Add a device') : null,
    ),
    h(
      'form',
      {
        class: 'filters',
        attrs: { role: 'search', 'aria-label': 'Filter devices' },
        on: {
          submit: (event) => {
            event.preventDefault();
            clearTimeout(debounce);
            void load(false);
          },
        },
      },
      name.row,
      tag.row,
      group.row,
      status.row,
      h('div', { class: 'actions' }, h('button', { class: 'btn btn-plain', attrs: { type: 'submit' } }, 'Search')),
    ),
    error.element,
    summary,
    h(
      'table',
      { class: 'list' },
      h('caption', { class: 'visually-hidden' }, 'Devices'),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['Name', 'Status', 'Last seen', 'Group', 'Tags', 'Targets', 'Description'].map((c) => h('th', { attrs: { scope: 'col' } }, c)),
        ),
      ),
      body,
    ),
    more,
  );
  return {
    title: 'Devices',
    element,
    dispose() {
      clearTimeout(debounce);
      clearTimeout(reloadTimer);
      generation++;
      disposed = true;
      unsubscribe();
    },
  };
}
