// What the dashboard counts, as pure functions: devices online, offline and never seen per group;
// who controls each live session and how session events change the list; which audit entries are
// refusals.

import type { AuditEntry, Device, Session } from '../api/types';
import type { RefusalEvent, SessionEvent } from '../live/presence';
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

/** One live session as the overview lists it: from the sessions API, then from session events. */
export interface LiveSessionRow {
  id: number;
  device: { id: number; name: string };
  target: string;
  controller: string | null;
  /** Different users in it now. */
  people: number;
}

export function liveRow(session: Session): LiveSessionRow {
  return { id: session.id, device: session.device, target: session.target, controller: controllerOf(session), people: presentUsers(session).length };
}

/** The live sessions after {@code event}: an ended one leaves, a live one is added or updated. */
export function applySession(rows: Map<number, LiveSessionRow>, event: SessionEvent): void {
  if (event.state === 'ended') {
    rows.delete(event.id);
  } else {
    rows.set(event.id, { id: event.id, device: event.device, target: event.target, controller: event.controller, people: event.people });
  }
}

/** Newest first, as the sessions API lists them. */
export function newestFirst<T extends { id: number }>(items: Iterable<T>): T[] {
  return [...items].sort((a, b) => b.id - a.id);
}

/** The refusals to show when {@code more} arrive: each once, newest first, at most {@code limit}. */
export function mergeRefusals(shown: readonly RefusalEvent[], more: readonly RefusalEvent[], limit: number): RefusalEvent[] {
  const byId = new Map<number, RefusalEvent>();
  for (const entry of [...shown, ...more]) {
    if (entry.outcome !== 'ok') byId.set(entry.id, entry);
  }
  return newestFirst(byId.values()).slice(0, limit);
}
