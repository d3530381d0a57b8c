// The dashboard at "/": the fleet at a glance for an on-call phone or a wall screen. Devices online,
// offline and never seen per group, live sessions with who controls them, recent refusals; every
// figure links to the filtered list. Composed from the existing API (devices, sessions, audit) and
// kept current by the live stream (GET /api/events): a presence event updates the counts, a session
// event the live sessions, a refusal event the refusals, each at once; nothing polls.

import * as auditApi from '../api/audit';
import * as devicesApi from '../api/devices';
import * as sessionsApi from '../api/sessions';
import type { Device } from '../api/types';
import { errorNotice } from '../components/notice';
import { sessionLink } from '../components/sessionBits';
import { type Child, h, replace } from '../dom';
import { ago, exact } from '../format';
import { applyPresence, presenceSource, type RefusalEvent, type SessionEvent } from '../live/presence';
import type { View } from '../router';
import { applySession, liveRow, type LiveSessionRow, mergeRefusals, newestFirst, type PresenceCounts, refusals, summarize } from './dashboardSummary';
import { fleetLink, type Presence } from './fleetQuery';

/** The API's largest page. */
const PAGE = 200;
/** Counting stops here (a very large fleet is better read through the filtered list). */
const MAX_DEVICES = 5000;
/** Refusals shown, from the newest audit entries read. */
const REFUSALS_SHOWN = 8;
const AUDIT_READ = 200;

const PRESENCE_LABELS: Record<Presence, string> = { online: 'Online', offline: 'Offline', never: 'Never seen' };
const PRESENCES: Presence[] = ['online', 'offline', 'never'];

async function allDevices(): Promise<{ devices: Device[]; capped: boolean }> {
  const devices: Device[] = [];
  let cursor: string | null = null;
  do {
    const page = await devicesApi.list({}, cursor, PAGE);
    devices.push(...page.items);
    cursor = page.next;
  } while (cursor && devices.length < MAX_DEVICES);
  return { devices, capped: cursor !== null };
}

function figure(count: number, href: string, label: string): HTMLElement {
  return h('a', { class: 'figure', attrs: { href, 'aria-label': `${count} ${label}` } }, String(count));
}

function countsRow(group: string | null, counts: PresenceCounts): HTMLElement {
  const name = group ?? 'All groups';
  return h(
    'tr',
    { attrs: { 'data-group': group ?? '*' } },
    h('th', { attrs: { scope: 'row' } }, group === null ? name : h('a', { attrs: { href: fleetLink({ group }) } }, name)),
    PRESENCES.map((p) =>
      h(
        'td',
        { class: `count count-${p}` },
        figure(counts[p], fleetLink({ group: group ?? undefined, online: p === 'never' ? undefined : p === 'online', neverSeen: p === 'never' || undefined }), `${PRESENCE_LABELS[p].toLowerCase()} in ${name}`),
      ),
    ),
  );
}

export function dashboardView(): View {
  const error = errorNotice();
  const totals = h('div', { class: 'tiles', attrs: { 'aria-live': 'polite' } });
  const groupBody = h('tbody');
  const capNote = h('p', { class: 'hint', attrs: { hidden: true } }, `Counts cover the first ${MAX_DEVICES} devices.`);
  const sessionCount = h('span', { class: 'badge', attrs: { 'data-count': 'sessions' } }, '0');
  const sessionList = h('ul', { class: 'plain-list dash-list', attrs: { 'aria-live': 'polite' } });
  const refusalList = h('ul', { class: 'plain-list dash-list' });
  let devices: Device[] = [];
  let disposed = false;
  /** The live sessions shown, by id. */
  let live = new Map<number, LiveSessionRow>();
  let shownRefusals: RefusalEvent[] = [];
  /** Session events that came while the sessions were being read: applied again to what was read. */
  let sessionEventsWhileReading: SessionEvent[] | null = null;

  const renderCounts = () => {
    const summary = summarize(devices);
    replace(
      totals,
      PRESENCES.map((p) =>
        h(
          'a',
          { class: `tile tile-${p}`, attrs: { href: fleetLink({ online: p === 'never' ? undefined : p === 'online', neverSeen: p === 'never' || undefined }) } },
          h('span', { class: 'tile-count', attrs: { 'data-count': p } }, String(summary.total[p])),
          h('span', { class: 'tile-label' }, PRESENCE_LABELS[p]),
        ),
      ),
    );
    replace(groupBody, summary.groups.map((g) => countsRow(g.group, g)), summary.groups.length > 1 ? countsRow(null, summary.total) : null);
  };

  const renderSessions = () => {
    const rows = newestFirst(live.values());
    sessionCount.textContent = String(rows.length);
    replace(
      sessionList,
      rows.length === 0
        ? h('li', { class: 'muted' }, 'No live sessions.')
        : rows.map((s) =>
            h(
              'li',
              { class: 'dash-item', attrs: { 'data-session-id': s.id } },
              sessionLink(s, `${s.device.name}/${s.target}`),
              h('span', null, s.controller ? ` controlled by ${s.controller}` : ' nobody in control'),
              s.people > 1 ? h('span', { class: 'muted' }, ` · ${s.people} people`) : null,
            ),
          ),
    );
  };

  const renderRefusals = () => {
    const entries = shownRefusals;
    replace(
      refusalList,
      entries.length === 0
        ? h('li', { class: 'muted' }, 'No recent refusals.')
        : entries.map((e) => {
            const parts: Child[] = [h('time', { attrs: { datetime: e.at, title: exact(e.at) } }, ago(e.at)), ' ', h('a', { attrs: { href: `/audit?action=${encodeURIComponent(e.action)}` } }, e.action)];
            if (e.actor) parts.push(` by ${e.actor}`);
            if (e.address) parts.push(` from ${e.address}`);
            if (e.subject) parts.push(h('span', { class: 'muted' }, ` · ${e.subject}`));
            return h('li', { class: 'dash-item' }, parts);
          }),
    );
  };

  const loadDevices = async () => {
    const { devices: all, capped } = await allDevices();
    if (disposed) return;
    devices = all;
    capNote.hidden = !capped;
    renderCounts();
  };
  const loadActivity = async () => {
    const seen: SessionEvent[] = [];
    sessionEventsWhileReading = seen;
    try {
      const [sessions, audit] = await Promise.all([sessionsApi.list({ live: true }, null, PAGE), auditApi.list({}, null, AUDIT_READ)]);
      if (disposed || sessionEventsWhileReading !== seen) return; // a newer read took over
      live = new Map(sessions.items.map((s) => [s.id, liveRow(s)]));
      seen.forEach((e) => applySession(live, e)); // newer than what was read, or as new
      renderSessions();
      shownRefusals = mergeRefusals(shownRefusals, refusals(audit.items, REFUSALS_SHOWN), REFUSALS_SHOWN);
      renderRefusals();
    } finally {
      if (sessionEventsWhileReading === seen) sessionEventsWhileReading = null;
    }
  };
  const loadAll = () => {
    error.clear();
    Promise.all([loadDevices(), loadActivity()]).catch((e) => {
      if (!disposed) error.error(e);
    });
  };

  const unsubscribe = presenceSource().subscribe(
    (event) => {
      const index = devices.findIndex((d) => d.id === event.deviceId);
      if (index < 0) {
        void loadDevices().catch((e) => error.error(e)); // a device this page has not seen yet
      } else {
        devices[index] = applyPresence(devices[index], event);
        renderCounts();
        // the first connection gives a device its lastSeen: re-read it
        void devicesApi.get(event.deviceId).then((fresh) => {
          const at = devices.findIndex((d) => d.id === fresh.id);
          if (at >= 0 && !disposed) {
            devices[at] = fresh;
            renderCounts();
          }
        }, () => {});
      }
    },
    {
      resync: loadAll,
      session: (event) => {
        sessionEventsWhileReading?.push(event);
        applySession(live, event);
        renderSessions();
      },
      refusal: (event) => {
        shownRefusals = mergeRefusals(shownRefusals, [event], REFUSALS_SHOWN);
        renderRefusals();
      },
    },
  );
  loadAll();

  const element = h(
    'section',
    { class: 'dashboard' },
    h('div', { class: 'title-row' }, h('h1', null, 'Overview'), h('a', { attrs: { href: fleetLink({}) } }, 'All devices')),
    error.element,
    h('h2', { class: 'visually-hidden' }, 'Devices'),
    totals,
    capNote,
    h(
      'div',
      { class: 'dash-grid' },
      h(
        'section',
        { class: 'card', attrs: { 'aria-labelledby': 'dash-groups' } },
        h('h2', { attrs: { id: 'dash-groups' } }, 'Devices per group'),
        h(
          'table',
          { class: 'list counts' },
          h('caption', { class: 'visually-hidden' }, 'Devices online, offline and never seen per group'),
          h('thead', null, h('tr', null, h('th', { attrs: { scope: 'col' } }, 'Group'), PRESENCES.map((p) => h('th', { attrs: { scope: 'col' } }, PRESENCE_LABELS[p])))),
          groupBody,
        ),
      ),
      h(
        'section',
        { class: 'card', attrs: { 'aria-labelledby': 'dash-sessions' } },
        h('h2', { attrs: { id: 'dash-sessions' } }, h('a', { attrs: { href: '/sessions?live=true' } }, 'Live sessions'), ' ', sessionCount),
        sessionList,
      ),
      h(
        'section',
        { class: 'card', attrs: { 'aria-labelledby': 'dash-refusals' } },
        h('h2', { attrs: { id: 'dash-refusals' } }, h('a', { attrs: { href: '/audit' } }, 'Recent refusals')),
        refusalList,
      ),
    ),
  );
  return {
    title: 'Overview',
    element,
    dispose() {
      disposed = true;
      unsubscribe();
    },
  };
}
