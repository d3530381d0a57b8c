// How the Nodes page shows GET /api/nodes: state badges, the order of the rows, short ids and
// heartbeats in seconds (the cluster's rules are in seconds: docs/cluster.md "Membership and fencing").

import type { PortalNode } from '../../api/types';
import { ago } from '../../format';

/** The page re-reads the list this often: about one heartbeat period (3 s) plus the request. */
export const NODE_REFRESH_MS = 5000;

/** Live first, then those on their way out, then the gone; a state not known here goes last. */
const STATE_ORDER = ['live', 'silent', 'draining', 'stopped', 'dead'];

/** The badge class of a state: ok for live, warning for silent and draining, danger for dead, muted for stopped. */
export function stateBadgeClass(state: string): string {
  switch (state) {
    case 'live':
      return 'badge badge-online';
    case 'silent':
    case 'draining':
      return 'badge badge-warn';
    case 'dead':
      return 'badge badge-danger';
    case 'stopped':
      return 'badge badge-offline';
    default:
      return 'badge';
  }
}

function stateRank(state: string): number {
  const i = STATE_ORDER.indexOf(state);
  return i < 0 ? STATE_ORDER.length : i;
}

/** A copy of {@code nodes} by state (live, silent, draining, stopped, dead), then by id. */
export function sortNodes(nodes: readonly PortalNode[]): PortalNode[] {
  return [...nodes].sort((a, b) => stateRank(a.state) - stateRank(b.state) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The first 8 characters of a UUID node id (as git shortens a hash); other ids as they are. */
export function shortNodeId(id: string): string {
  return /^[0-9a-f]{8}-/i.test(id) ? id.slice(0, 8) : id;
}

/**
 * "3 s ago" under a minute (heartbeats come every 3 s: seconds are what tells a healthy node from
 * a silent one), "4 min ago" under an hour, then as {@link ago}; "—" for none (a single node has
 * no heartbeat). A heartbeat ahead of this browser's clock reads "0 s ago".
 */
export function heartbeatAgo(iso: string | null, now: Date = new Date()): string {
  if (!iso) {
    return '—';
  }
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) {
    return iso;
  }
  const seconds = Math.max(0, Math.floor((now.getTime() - then) / 1000));
  if (seconds < 60) {
    return `${seconds} s ago`;
  }
  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)} min ago`;
  }
  return ago(iso, now);
}
