// The sessions: every session on the devices the user may see, newest first, filtered on the server
// (live only, device, user, time) and paged with the API's cursor. Filters live in the URL, so the
// device page can link to its own sessions.

import * as sessionsApi from '../api/sessions';
import type { Session, SessionFilter } from '../api/types';
import { checkbox, input } from '../components/form';
import { errorNotice } from '../components/notice';
import { participantSummary, sessionLink, sessionStateBadge, timeCell } from '../components/sessionBits';
import { h, replace } from '../dom';
import { isoToLocalInput, localInputToIso } from '../format';
import type { View, ViewContext } from '../router';

export function sessionFilterFromQuery(query: URLSearchParams): SessionFilter {
  const text = (key: string) => query.get(key)?.trim() || undefined;
  return { live: query.get('live') === 'true' || undefined, device: text('device'), user: text('user'), from: text('from'), to: text('to') };
}

export function sessionFilterToQuery(filter: SessionFilter): string {
  const params = new URLSearchParams();
  if (filter.live) params.set('live', 'true');
  if (filter.device !== undefined && filter.device !== '') params.set('device', String(filter.device));
  if (filter.user) params.set('user', filter.user);
  if (filter.from) params.set('from', filter.from);
  if (filter.to) params.set('to', filter.to);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function sessionsView(context: ViewContext): View {
  const initial = sessionFilterFromQuery(context.query);
  const live = checkbox('Live only', 'live', initial.live === true);
  const device = input({ label: 'Device id', name: 'device', type: 'number', value: initial.device === undefined ? '' : String(initial.device) });
  const user = input({ label: 'User', name: 'user', value: initial.user ?? '', placeholder: 'username' });
  const from = input({ label: 'From', name: 'from', type: 'datetime-local', value: isoToLocalInput(initial.from) });
  const to = input({ label: 'To', name: 'to', type: 'datetime-local', value: isoToLocalInput(initial.to) });
  const error = errorNotice();
  const summary = h('p', { class: 'muted', attrs: { role: 'status' } });
  const body = h('tbody');
  const more = h('button', { class: 'btn btn-plain', attrs: { type: 'button', hidden: true } }, 'Load older sessions');
  let sessions: Session[] = [];
  let next: string | null = null;
  let filter: SessionFilter = initial;
  let generation = 0;
  let disposed = false;

  const readFilter = (): SessionFilter => ({
    live: live.control.checked || undefined,
    device: device.control.value.trim() || undefined,
    user: user.control.value.trim() || undefined,
    from: localInputToIso(from.control.value),
    to: localInputToIso(to.control.value),
  });

  const load = async (append: boolean) => {
    const mine = ++generation;
    if (!append) {
      filter = readFilter();
      history.replaceState(null, '', `/sessions${sessionFilterToQuery(filter)}`);
    }
    error.clear();
    more.disabled = true;
    try {
      const page = await sessionsApi.list(filter, append ? next : null);
      if (mine !== generation || disposed) return;
      sessions = append ? [...sessions, ...page.items] : page.items;
      next = page.next;
      more.hidden = next === null;
      replace(body, sessions.map(sessionRow));
      const filtered = Object.values(filter).some((v) => v !== undefined);
      summary.textContent =
        sessions.length === 0
          ? filtered
            ? 'No session matches these filters.'
            : 'No sessions yet.'
          : `${sessions.length}${next ? '+' : ''} session${sessions.length === 1 ? '' : 's'}, ${sessions.filter((s) => s.state === 'live').length} live`;
    } catch (e) {
      if (mine === generation && !disposed) error.error(e);
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', () => void load(true));
  void load(false);

  return {
    title: 'Sessions',
    dispose() {
      disposed = true;
    },
    element: h(
      'section',
      null,
      h('h1', null, 'Sessions'),
      h(
        'form',
        {
          class: 'filters',
          attrs: { role: 'search', 'aria-label': 'Filter the sessions' },
          on: {
            submit: (event) => {
              event.preventDefault();
              void load(false);
            },
          },
        },
        live.row,
        device.row,
        user.row,
        from.row,
        to.row,
        h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Apply filters')),
      ),
      error.element,
      summary,
      h(
        'table',
        { class: 'list sessions' },
        h('caption', { class: 'visually-hidden' }, 'Sessions, newest first'),
        h(
          'thead',
          null,
          h('tr', null, ['Session', 'Device', 'Target', 'State', 'Started', 'Ended', 'Close reason', 'Participants'].map((c) => h('th', { attrs: { scope: 'col' } }, c))),
        ),
        body,
      ),
      more,
    ),
  };
}

function sessionRow(s: Session): HTMLTableRowElement {
  return h(
    'tr',
    { attrs: { 'data-session-id': s.id } },
    h('th', { attrs: { scope: 'row' } }, sessionLink(s)),
    h('td', null, h('a', { attrs: { href: `/devices/${s.device.id}` } }, s.device.name)),
    h('td', null, s.target),
    h('td', null, sessionStateBadge(s.state)),
    h('td', null, timeCell(s.startedAt)),
    h('td', null, timeCell(s.endedAt)),
    h('td', null, s.closeReason ?? ''),
    h('td', null, participantSummary(s.participants ?? [])),
  );
}
