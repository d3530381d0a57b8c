// What the dashboard counts, as pure functions: devices online, offline and never seen per group;
// who controls each live session; which audit entries are refusals.

import type { AuditEntry, Device, Session } from '../api/types';
import { type Presence, presenceOf } from './fleetQuery';

export type PresenceCounts = Record<Presence, number>;

export interface GroupCounts extends PresenceCounts {
  group: string;
}

export interface FleetSummary {
  groups: GroupCounts[];
  total: PresenceCounts;
}

const zero = (): PresenceCounts => ({ online: 0, offline: 0, never: 0 });

/** Counts per group (groups in name order) and in all. */
export function summarize(devices: readonly Pick<Device, 'group' | 'online' | 'lastSeen'>[]): FleetSummary {
  const byGroup = new Map<string, GroupCounts>();
  const total = zero();
  for (const device of devices) {
    const presence = presenceOf(device);
    let counts = byGroup.get(device.group);
    if (!counts) {
      counts = { group: device.group, ...zero() };
      byGroup.set(device.group, counts);
    }
    counts[presence]++;
    total[presence]++;
  }
  return { groups: [...byGroup.values()].sort((a, b) => a.group.localeCompare(b.group)), total };
}

/** Who controls a live session now (the open controller span), or null when nobody does. */
export function controllerOf(session: Pick<Session, 'participants'>): string | null {
  return session.participants.find((p) => p.role === 'controller' && p.leftAt === null)?.username ?? null;
}

/** The people in a live session now, each once. */
export function presentUsers(session: Pick<Session, 'participants'>): string[] {
  return [...new Set(session.participants.filter((p) => p.leftAt === null).map((p) => p.username))];
}

/** Refusals among audit entries (newest first as the API lists them): anything not `ok`, at most {@code limit}. */
export function refusals(entries: readonly AuditEntry[], limit: number): AuditEntry[] {
  return entries.filter((e) => e.outcome !== 'ok').slice(0, limit);
}
