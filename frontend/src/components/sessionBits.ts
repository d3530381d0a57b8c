// Small pieces every session view shows the same way. Usernames, device names and close reasons come
// from the portal and go in as text.

import { sessionPagePath } from '../api/sessions';
import type { Session, SessionParticipantSpan } from '../api/types';
import { h } from '../dom';
import { exact } from '../format';

export function sessionStateBadge(state: Session['state']): HTMLElement {
  return h('span', { class: `badge ${state === 'live' ? 'badge-live' : 'badge-offline'}` }, state === 'live' ? 'live' : 'ended');
}

/** "alice (controller, observer), bob (observer)": each user once, with every role they had, in order of joining. */
export function participantSummary(spans: readonly SessionParticipantSpan[]): string {
  const roles = new Map<string, string[]>();
  for (const span of spans) {
    const list = roles.get(span.username) ?? [];
    if (!list.includes(span.role)) list.push(span.role);
    roles.set(span.username, list);
  }
  return [...roles].map(([user, r]) => `${user} (${r.join(', ')})`).join(', ');
}

/** A link to the session's page, named for screen readers and tests: "Session 41 on plc-7/console". */
export function sessionLink(s: Pick<Session, 'id' | 'device' | 'target'>, text = `#${s.id}`): HTMLElement {
  return h('a', { attrs: { href: sessionPagePath(s.id), 'aria-label': `Session ${s.id} on ${s.device.name}/${s.target}` } }, text);
}

export function timeCell(iso: string | null): HTMLElement | string {
  return iso ? h('time', { attrs: { datetime: iso } }, exact(iso)) : '—';
}

/** "2 min 5 s", "1 h 3 min": how long a session ran (or has run). */
export function duration(fromIso: string, toIso: string | null, now: Date = new Date()): string {
  const from = new Date(fromIso).getTime();
  const to = toIso ? new Date(toIso).getTime() : now.getTime();
  if (Number.isNaN(from) || Number.isNaN(to)) return '—';
  const seconds = Math.max(0, Math.round((to - from) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** "1.2 KiB", "3 MiB", "512 B". */
export function bytes(count: number | null | undefined): string {
  if (count === null || count === undefined || !Number.isFinite(count)) return '—';
  if (count < 1024) return `${count} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = count / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
