// The fleet list's state in the URL (/devices?group=lab&online=false&seen=never&agent=outdated&sort=seen),
// so a filtered list can be linked (the dashboard's figures do), bookmarked and reloaded; and the
// order the user picked. The server filters (name, tag, group, online, never seen, outdated agent)
// and sorts across every page; the same rules keep the loaded rows right as presence events arrive.

import type { Device, DeviceFilter, DeviceSort } from '../api/types';

export const FLEET_PATH = '/devices';

export type FleetSort = 'name' | 'status' | 'seen';

export const FLEET_SORTS: { value: FleetSort; label: string }[] = [
  { value: 'name', label: 'Name' },
  { value: 'status', label: 'Status (online first)' },
  { value: 'seen', label: 'Last seen (recent first)' },
];

/** The portal's name for each order (GET /api/devices?sort=). */
export const API_SORT: Record<FleetSort, DeviceSort> = { name: 'name', status: 'status', seen: 'lastSeen' };

export interface FleetQuery extends DeviceFilter {
  sort: FleetSort;
}

function parseSort(value: string | null): FleetSort {
  return value === 'status' || value === 'seen' ? value : 'name';
}

export function fleetQueryFrom(query: URLSearchParams): FleetQuery {
  const online = query.get('online');
  const neverSeen = query.get('seen') === 'never' || undefined;
  return {
    name: query.get('name') || undefined,
    tag: query.get('tag') || undefined,
    group: query.get('group') || undefined,
    online: neverSeen ? false : online === 'true' ? true : online === 'false' ? false : undefined,
    neverSeen,
    agentOutdated: query.get('agent') === 'outdated' || undefined,
    sort: parseSort(query.get('sort')),
  };
}

/** "?group=lab&online=false" style; "" when nothing is set (the default order is by name). */
export function fleetQueryString(q: Partial<FleetQuery>): string {
  const params = new URLSearchParams();
  if (q.name) params.set('name', q.name);
  if (q.tag) params.set('tag', q.tag);
  if (q.group) params.set('group', q.group);
  if (q.online !== undefined || q.neverSeen) params.set('online', String(q.neverSeen ? false : q.online));
  if (q.neverSeen) params.set('seen', 'never');
  if (q.agentOutdated) params.set('agent', 'outdated');
  if (q.sort && q.sort !== 'name') params.set('sort', q.sort);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The fleet list with these filters: what the dashboard's figures link to. */
export function fleetLink(q: Partial<FleetQuery>): string {
  return `${FLEET_PATH}${fleetQueryString(q)}`;
}

/** Online, offline (seen before) or never seen: what the dashboard counts and the sort ranks. */
export type Presence = 'online' | 'offline' | 'never';

export function presenceOf(device: Pick<Device, 'online' | 'lastSeen'>): Presence {
  return device.online ? 'online' : device.lastSeen ? 'offline' : 'never';
}

const RANK: Record<Presence, number> = { online: 0, offline: 1, never: 2 };

function byName(a: Device, b: Device): number {
  return a.name.localeCompare(b.name);
}

function seenAt(device: Device): number {
  if (device.online) return Number.POSITIVE_INFINITY; // connected now: seen more recently than anyone offline
  return device.lastSeen ? Date.parse(device.lastSeen) : Number.NEGATIVE_INFINITY;
}

/**
 * A sorted copy: by name; status = online, then offline, then never seen; seen = most recent first,
 * never last. Ties (and the name order) go by {@code tie}: the fleet passes the portal's order, so
 * a presence change moves a row the way the portal would place it.
 */
export function sortDevices(devices: readonly Device[], sort: FleetSort, tie: (a: Device, b: Device) => number = byName): Device[] {
  const copy = [...devices];
  switch (sort) {
    case 'status':
      return copy.sort((a, b) => RANK[presenceOf(a)] - RANK[presenceOf(b)] || tie(a, b));
    case 'seen':
      return copy.sort((a, b) => {
        const sa = seenAt(a);
        const sb = seenAt(b);
        return sa === sb ? tie(a, b) : sb > sa ? 1 : -1;
      });
    default:
      return copy.sort(tie);
  }
}

/**
 * The devices the query's client-side part keeps: never seen, and an outdated agent (a row re-read
 * after its agent upgraded leaves the outdated list).
 */
export function keepDevice(device: Device, q: Pick<FleetQuery, 'neverSeen' | 'agentOutdated'>): boolean {
  return (!q.neverSeen || presenceOf(device) === 'never') && (!q.agentOutdated || device.agentOutdated === true);
}
