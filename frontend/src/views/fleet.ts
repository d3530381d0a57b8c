// The fleet: every device the user may see, filtered and sorted (name, status or last seen) on the
// server, paged, kept current by presence events (pushed, never polled): a row whose presence changes
// moves where the portal would place it. A console match event puts its badge on the device's row. Filters and order live in the
// URL (fleetQuery.ts). On narrow screens the table's rows show as stacked cards (styles.css).
// Admins also see the self-enrolled devices waiting for approval above the list (pendingDevices.ts).

import * as devicesApi from '../api/devices';
import * as groupsApi from '../api/groups';
import { ApiError } from '../api/http';
import type { Device } from '../api/types';
import { agentVersion, authBadge, consoleMatchBadge, lastSeen, onlineBadge, tagList, targetList } from '../components/deviceBits';
import { input, select, setOptions } from '../components/form';
import { errorNotice } from '../components/notice';
import { h, replace } from '../dom';
import { applyConsoleMatch, applyPresence, presenceSource } from '../live/presence';
import type { View, ViewContext } from '../router';
import * as session from '../session';
import { pendingDevices } from './pendingDevices';
import { API_SORT, FLEET_PATH, FLEET_SORTS, type FleetQuery, type FleetSort, fleetQueryFrom, fleetQueryString, keepDevice, sortDevices } from './fleetQuery';

/** Typing in the search box reloads once it pauses this long (one request per word, not per key). */
const SEARCH_DEBOUNCE_MS = 300;

export function fleetView(context: ViewContext): View {
  const initial = fleetQueryFrom(context.query);
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
      { value: 'never', label: 'Never seen' },
    ],
    initial.neverSeen ? 'never' : initial.online === undefined ? '' : String(initial.online),
  );
  const agent = select(
    'Agent',
    'agent',
    [
      { value: '', label: 'Any agent' },
      { value: 'outdated', label: 'Outdated' },
    ],
    initial.agentOutdated ? 'outdated' : '',
  );
  const sort = select('Sort by', 'sort', FLEET_SORTS, initial.sort);
  const error = errorNotice();
  const summary = h('p', { class: 'muted', attrs: { role: 'status' } });
  const body = h('tbody');
  const more = h('button', { class: 'btn btn-plain', attrs: { type: 'button', hidden: true } }, 'Load more devices');
  let devices: Device[] = [];
  let next: string | null = null;
  let generation = 0;
  let loading = 0;
  let debounce: ReturnType<typeof setTimeout> | undefined;

  const currentFilter = (): FleetQuery => ({
    name: name.control.value.trim() || undefined,
    tag: tag.control.value.trim() || undefined,
    group: group.control.value || undefined,
    online: status.control.value === '' ? undefined : status.control.value === 'true',
    neverSeen: status.control.value === 'never' || undefined,
    agentOutdated: agent.control.value === 'outdated' || undefined,
    sort: sort.control.value as FleetSort,
  });
  /** The loaded devices this list shows, in the chosen order (ties as the portal sent them). */
  const shown = (): Device[] => {
    const q = currentFilter();
    const place = new Map(devices.map((d, i) => [d.id, i]));
    return sortDevices(
      devices.filter((d) => keepDevice(d, q)),
      q.sort,
      (a, b) => (place.get(a.id) ?? 0) - (place.get(b.id) ?? 0),
    );
  };

  const rowFor = (d: Device): HTMLTableRowElement =>
    h(
      'tr',
      { attrs: { 'data-device-id': d.id } },
      h('th', { attrs: { scope: 'row' } }, h('a', { attrs: { href: `/devices/${d.id}` } }, d.name), authBadge(d), consoleMatchBadge(d.consoleMatch)),
      h('td', null, onlineBadge(d.online)),
      h('td', null, lastSeen(d.lastSeen)),
      h('td', null, d.group),
      h('td', null, tagList(d.tags)),
      h('td', null, targetList(d.targets, session.canOperate(d.group) ? d : null)),
      h('td', null, agentVersion(d)),
      h('td', { class: 'description' }, d.description ?? ''),
    );

  const renderRows = () => {
    replace(body, shown().map(rowFor));
    renderSummary();
  };

  const renderSummary = () => {
    more.hidden = next === null;
    const q = currentFilter();
    const filtered = [q.name, q.tag, q.group, q.online, q.neverSeen, q.agentOutdated].some((v) => v !== undefined);
    const list = shown();
    summary.textContent =
      list.length === 0
        ? filtered
          ? 'No device matches these filters.'
          : 'No devices yet.'
        : `${list.length}${next ? '+' : ''} device${list.length === 1 ? '' : 's'}, ${list.filter((d) => d.online).length} online`;
  };

  const load = async (append: boolean) => {
    const mine = ++generation;
    const filter = currentFilter();
    if (!append) {
      history.replaceState(null, '', `${FLEET_PATH}${fleetQueryString(filter)}`);
    }
    error.clear();
    loading++;
    try {
      const page = await devicesApi.list(filter, append ? next : null, devicesApi.DEVICE_PAGE_SIZE, API_SORT[filter.sort]);
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
  agent.control.addEventListener('change', () => void load(false));
  sort.control.addEventListener('change', () => void load(false)); // the portal sorts every page
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
    renderRows(); // the order (status, last seen) may change with it
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
    {
      resync: () => void load(false),
      consoleMatch: (event) => {
        const index = devices.findIndex((d) => d.id === event.deviceId);
        if (index >= 0) {
          showDevice(applyConsoleMatch(devices[index], event)); // the badge, without a re-read
        }
      },
    },
  );

  // approved devices join the list where the portal would place them
  const pending = session.isAdmin() ? pendingDevices({ onApproved: () => void load(false), listed: (id) => devices.some((d) => d.id === id) }) : null;

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
    pending?.element,
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
      agent.row,
      sort.row,
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
          ['Name', 'Status', 'Last seen', 'Group', 'Tags', 'Targets', 'Agent', 'Description'].map((c) => h('th', { attrs: { scope: 'col' } }, c)),
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
      pending?.dispose();
    },
  };
}
