// Notifications: recent alerts for the groups the user can see (devices offline or flapping,
// console matches; for admins also nodes down, restarts and disabled webhooks). Opening the page
// marks them read; new ones arrive live.

import * as notificationsApi from '../api/notifications';
import type { Notification } from '../api/notifications';
import { errorNotice } from '../components/notice';
import { h, replace } from '../dom';
import { exact } from '../format';
import { presenceSource } from '../live/presence';
import type { View } from '../router';
import { NOTIFICATIONS_PATH, refreshUnread } from './unreadBadge';

export { NOTIFICATIONS_PATH };

function row(n: Notification): HTMLElement {
  return h(
    'tr',
    n.unread ? { class: 'unread' } : null,
    h('td', null, exact(n.at)),
    h('td', null, n.deviceId !== null ? h('a', { attrs: { href: `/devices/${n.deviceId}` } }, n.text) : n.text, n.unread ? h('span', { class: 'badge' }, 'new') : null),
  );
}

export function notificationsView(): View {
  const error = errorNotice();
  const body = h('tbody');
  const load = async () => {
    try {
      const page = await notificationsApi.list();
      replace(body, page.items.length === 0 ? h('tr', null, h('td', { attrs: { colspan: 2 }, class: 'muted' }, 'No notifications in the last 30 days.')) : page.items.map(row));
      const newest = page.items[0];
      if (newest && newest.unread) {
        await notificationsApi.read(newest.id);
        refreshUnread();
      }
    } catch (e) {
      error.error(e);
    }
  };
  const stop = presenceSource().subscribe(() => {}, { notification: () => void load(), resync: () => void load() });
  void load();
  return {
    title: 'Notifications',
    element: h(
      'section',
      null,
      h('h1', null, 'Notifications'),
      h('p', { class: 'hint' }, 'Devices of your groups that went offline or keep dropping, and console rule matches, from the last 30 days. E-mail for them: your account page.'),
      error.element,
      h('table', { class: 'list' }, h('caption', { class: 'visually-hidden' }, 'Notifications, newest first'), h('thead', null, h('tr', null, h('th', { attrs: { scope: 'col' } }, 'When'), h('th', { attrs: { scope: 'col' } }, 'What'))), body),
    ),
    dispose: stop,
  };
}
