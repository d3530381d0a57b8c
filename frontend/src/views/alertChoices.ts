// The account page's alert grid, as data: one row per scope (every group, or one group), one
// column per alert kind. Kept pure so the mapping to and from the API is tested on its own.

import type { Subscription } from '../api/alerts';

/** The words for each alert kind the API names. */
export const ALERT_LABELS: Record<string, string> = {
  'device.offline': 'Device goes offline',
  'session.started': 'Session starts',
  'console.match': 'Console rule matches',
};

/** A row of the grid: null is "all my groups". */
export interface Scope {
  groupId: number | null;
  name: string;
}

/** Which boxes are ticked: "scope|event" keys. */
export function ticked(items: Subscription[]): Set<string> {
  const keys = new Set<string>();
  for (const item of items) for (const event of item.events) keys.add(key(item.groupId, event));
  return keys;
}

export function key(groupId: number | null, event: string): string {
  return `${groupId ?? 'all'}|${event}`;
}

/** The subscriptions the ticked boxes make, in grid order, rows without a tick left out. */
export function toItems(scopes: Scope[], events: string[], keys: Set<string>): Subscription[] {
  return scopes
    .map((s) => ({ groupId: s.groupId, events: events.filter((e) => keys.has(key(s.groupId, e))) }))
    .filter((item) => item.events.length > 0);
}

/** What the address line says, for each state a user can be in. */
export function addressState(view: { address: string | null; confirmed: boolean; mailAvailable: boolean }): string {
  if (!view.mailAvailable) return 'This portal sends no e-mail: an admin has to configure an SMTP server (TETHER_SMTP_HOST).';
  if (view.address === null) return 'No address yet: alerts are mailed only to a confirmed address.';
  if (!view.confirmed) return `${view.address} — waiting for confirmation: follow the link in the mail sent to it (valid 24 hours).`;
  return `${view.address} — confirmed: alerts are mailed here.`;
}
