// The header's "Alerts" link with the number of unread notifications. One element for the whole
// app: it follows the live stream (a notification, or a device going offline on any node) and
// re-reads the count; the notifications page refreshes it after marking them read.

import * as notificationsApi from '../api/notifications';
import { unreadLabel } from '../api/notifications';
import { h } from '../dom';
import { presenceSource } from '../live/presence';
import * as session from '../session';

export const NOTIFICATIONS_PATH = '/notifications';

let element: HTMLAnchorElement | null = null;
let count: HTMLElement | null = null;
let spoken: HTMLElement | null = null;
let pending = false;
let again = false;

/** Re-reads the unread count (one request at a time; a call meanwhile reads once more after it). */
export function refreshUnread(): void {
  if (!element || !count || !session.me()) return;
  if (pending) {
    again = true;
    return;
  }
  pending = true;
  notificationsApi
    .list(1)
    .then((page) => {
      const label = unreadLabel(page);
      if (count) count.textContent = label;
      count?.toggleAttribute('hidden', label === '');
      // the name is the visible text and these words (no aria-label: it must contain what is seen)
      if (spoken) spoken.textContent = label === '' ? ', none unread' : ' unread';
    })
    .catch(() => {
      // the count stays as it was; the next event or page load tries again
    })
    .finally(() => {
      pending = false;
      if (again) {
        again = false;
        refreshUnread();
      }
    });
}

export function unreadBadge(): HTMLElement {
  if (!element) {
    count = h('span', { class: 'badge badge-count', attrs: { hidden: true, 'data-testid': 'unread-count' } });
    spoken = h('span', { class: 'visually-hidden' }, ', none unread');
    element = h('a', { class: 'alerts-link', attrs: { href: NOTIFICATIONS_PATH } }, 'Alerts', count, spoken);
    presenceSource().subscribe(
      (event) => {
        if (!event.online) refreshUnread();
      },
      { notification: refreshUnread, resync: refreshUnread },
    );
  }
  refreshUnread();
  return element;
}
