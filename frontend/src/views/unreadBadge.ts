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

const SVG = 'http://www.w3.org/2000/svg';

/** A bell drawn with the text colour (no icon font, no emoji: every platform shows it). */
function bell(): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('d', 'M8 1.5a1 1 0 0 1 1 1v.6a4.5 4.5 0 0 1 3.5 4.4v3l1.3 1.8a.5.5 0 0 1-.4.8H2.6a.5.5 0 0 1-.4-.8L3.5 10.5v-3A4.5 4.5 0 0 1 7 3.1v-.6a1 1 0 0 1 1-1zM6.3 14h3.4a1.7 1.7 0 0 1-3.4 0z');
  svg.append(path);
  return svg;
}

export function unreadBadge(): HTMLElement {
  if (!element) {
    count = h('span', { class: 'badge badge-count', attrs: { hidden: true, 'data-testid': 'unread-count' } });
    spoken = h('span', { class: 'visually-hidden' }, ', none unread');
    // a bell, not a word: the header holds one line at 1280 px with an admin's menu and open
    // terminals; the link's name is the hidden "Alerts" and what follows it
    element = h('a', { class: 'alerts-link', attrs: { href: NOTIFICATIONS_PATH, title: 'Alerts' } }, bell(), h('span', { class: 'visually-hidden' }, 'Alerts'), count, spoken);
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
