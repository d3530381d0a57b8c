// The device page's "Recent sessions": the device's last sessions (GET /api/sessions?device=ID),
// live ones marked, each linking to its page.

import * as sessionsApi from '../api/sessions';
import type { Session } from '../api/types';
import { errorNotice } from '../components/notice';
import { participantSummary, sessionLink, sessionStateBadge, timeCell } from '../components/sessionBits';
import { h, replace } from '../dom';

export const RECENT_SESSIONS = 10;

export interface RecentSessions {
  element: HTMLElement;
  /** Reads the list again (a presence change may have ended or started one). */
  reload(): void;
}

export function recentSessions(deviceId: number): RecentSessions {
  const error = errorNotice();
  const content = h('div', null, h('p', { class: 'muted' }, 'Loading sessions…'));
  let generation = 0;

  const reload = () => {
    const mine = ++generation;
    sessionsApi
      .recentOfDevice(deviceId, RECENT_SESSIONS)
      .then((page) => {
        if (mine !== generation) return;
        error.clear();
        replace(content, page.items.length === 0 ? h('p', { class: 'muted' }, 'No sessions yet.') : table(page.items));
      })
      .catch((e) => {
        if (mine !== generation) return;
        error.error(e);
        replace(content);
      });
  };
  reload();

  return {
    reload,
    element: h(
      'section',
      { attrs: { 'aria-labelledby': 'recent-sessions-title' } },
      h('div', { class: 'title-row' }, h('h2', { attrs: { id: 'recent-sessions-title' } }, 'Recent sessions'), h('a', { attrs: { href: `/sessions?device=${deviceId}` } }, 'All sessions of this device')),
      error.element,
      content,
    ),
  };
}

function table(sessions: Session[]): HTMLElement {
  return h(
    'table',
    { class: 'list' },
    h('caption', { class: 'visually-hidden' }, 'Recent sessions, newest first'),
    h('thead', null, h('tr', null, ['Session', 'Target', 'State', 'Started', 'Ended', 'Participants'].map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
    h(
      'tbody',
      null,
      sessions.map((s) =>
        h(
          'tr',
          { attrs: { 'data-session-id': s.id, 'data-live': s.state === 'live' ? 'true' : null } },
          h('th', { attrs: { scope: 'row' } }, sessionLink(s)),
          h('td', null, s.target),
          h('td', null, sessionStateBadge(s.state)),
          h('td', null, timeCell(s.startedAt)),
          h('td', null, timeCell(s.endedAt)),
          h('td', null, participantSummary(s.participants ?? [])),
        ),
      ),
    ),
  );
}
