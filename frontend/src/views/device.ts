// One device (deep link /devices/{id}): presence, targets (with their terminal and data-flow
// links), remote address, agent version, a raw device's ingress, link ports, recent sessions; for
// admins also edit, rotate token, delete, the ingress allowlist and link ports.

import * as devicesApi from '../api/devices';
import { ApiError } from '../api/http';
import type { Device } from '../api/types';
import { agentVersion, authBadge, consoleLogLink, consoleMatchBadge, flowLink, lastSeen, onlineBadge, openTerminalLink, tagList, targetStatus } from '../components/deviceBits';
import { ingressFacts, ingressSettings, unauthenticatedWarning } from '../components/ingressBits';
import { errorNotice, statusNotice } from '../components/notice';
import { h, replace } from '../dom';
import { ago, exact } from '../format';
import { applyConsoleMatch, applyPresence, presenceSource } from '../live/presence';
import type { View, ViewContext } from '../router';
import * as session from '../session';
import { manageDevice } from './admin/manageDevice';
import { manageIngress } from './admin/manageIngress';
import { type AgentUpgradePanel, agentUpgradePanel } from './agentUpgrade';
import { type LinkPorts, linkPorts } from './linkPorts';
import { type RecentSessions, recentSessions } from './recentSessions';
import { type LogCellOptions, logCell, mayHaveLog } from './targetLogging';
import { webCapable, webCell } from './targetWeb';

export function deviceView(context: ViewContext): View {
  const id = Number(context.params.id);
  const element = h('section', { class: 'device' }, h('p', { class: 'muted', attrs: { role: 'status' } }, 'Loading device…'));
  const view: View = { title: 'Device', element };
  let device: Device | null = null;
  const details = h('div');
  const titleBadge = h('span');
  /** A raw device's ingress facts (re-rendered with the device; its admin form is built once). */
  const ingressDetails = h('div');
  let sessions: RecentSessions | null = null;
  let links: LinkPorts | null = null;
  let upgrade: AgentUpgradePanel | null = null;
  const logging: LogCellOptions = {
    admin: session.isAdmin(),
    status: statusNotice(),
    error: errorNotice(),
    updated: (changed) => {
      rereads++; // a re-read already in flight may predate this change
      device = changed;
      render();
    },
  };

  const render = () => {
    if (!device) return;
    replace(titleBadge, onlineBadge(device.online), authBadge(device), consoleMatchBadge(device.consoleMatch));
    replace(details, pendingNotice(device), summary(device), targets(device, logging));
    replace(ingressDetails, device.ingress ? ingressSection(device.ingress) : null);
    links?.setTargets(device);
    upgrade?.setDevice(device);
  };

  // Presence events say "this device changed": show the new online state at once, then re-read the
  // device for the rest (targets and their status, last seen, address). The newest re-read wins.
  let rereads = 0;
  let disposed = false;
  /** An event came while the first GET was in flight: its answer may predate the change. */
  let changedWhileLoading = false;
  const reread = async () => {
    const mine = ++rereads;
    try {
      const fresh = await devicesApi.get(id);
      if (mine === rereads && !disposed) {
        device = fresh;
        render();
      }
    } catch {
      // the next event (or a reload) tries again; a 401 already went to the sign-in page
    }
  };
  const unsubscribe = presenceSource().subscribe(
    (event) => {
      if (device && event.deviceId === device.id) {
        device = applyPresence(device, event);
        render();
        void reread();
        sessions?.reload(); // going offline ends its sessions
      } else if (!device && event.deviceId === id) {
        changedWhileLoading = true;
      }
    },
    {
      resync: () => {
        if (!device) return;
        void reread();
        sessions?.reload();
      },
      consoleMatch: (event) => {
        if (device) {
          device = applyConsoleMatch(device, event);
          render();
        }
      },
    },
  );
  view.dispose = () => {
    disposed = true;
    unsubscribe();
    upgrade?.dispose();
  };

  if (!Number.isInteger(id) || id <= 0) {
    replace(element, notFound());
    return view;
  }
  devicesApi
    .get(id)
    .then((loaded) => {
      device = loaded;
      document.title = `${loaded.name} · Tether`;
      render();
      if (changedWhileLoading) {
        void reread();
      }
      sessions = recentSessions(loaded.id);
      links = linkPorts(loaded, { admin: session.isAdmin(), hostname: location.hostname });
      upgrade = session.isAdmin() && loaded.mode !== 'raw' && loaded.state !== 'pending' ? agentUpgradePanel(loaded, () => void reread()) : null;
      const updated = (changed: Device) => logging.updated(changed);
      replace(
        element,
        h('p', { class: 'crumbs' }, h('a', { attrs: { href: '/devices' } }, 'Devices')),
        h('div', { class: 'title-row title-start' }, h('h1', null, loaded.name), titleBadge),
        context.query.get('saved') ? h('p', { class: 'notice notice-status', attrs: { role: 'status' } }, 'Changes saved.') : null,
        loaded.description ? h('p', { class: 'description' }, loaded.description) : null,
        details,
        loaded.ingress
          ? h(
              'section',
              { attrs: { 'aria-labelledby': 'ingress-title' } },
              h('h2', { attrs: { id: 'ingress-title' } }, 'Ingress'),
              ingressDetails,
              session.isAdmin() ? manageIngress(loaded, updated) : null,
            )
          : null,
        links.element,
        upgrade?.element ?? null,
        sessions.element,
        session.isAdmin()
          ? manageDevice(loaded, {
              updated: (changed) => context.navigate(`/devices/${changed.id}?saved=1`, { replace: true }),
              deleted: () => context.navigate('/devices'),
            })
          : null,
      );
    })
    .catch((e) => {
      if (e instanceof ApiError && e.status === 404) {
        replace(element, notFound());
      } else {
        const error = errorNotice();
        error.error(e);
        replace(element, h('h1', null, 'Device'), error.element);
      }
    });
  return view;
}

function summary(d: Device): HTMLElement {
  const item = (term: string, value: Node | string) => [h('dt', null, term), h('dd', null, value)];
  return h(
    'dl',
    { class: 'facts', attrs: { 'aria-label': 'Device details' } },
    item('Status', onlineBadge(d.online)),
    item('Last seen', lastSeen(d.lastSeen)),
    item('Group', d.group),
    item('Tags', tagList(d.tags)),
    item('Remote address', d.remoteAddress ?? '—'),
    item('Agent version', agentVersion(d)),
    item('Mode', d.mode ?? '—'),
    item('Registered', exact(d.createdAt)),
    d.consoleMatch ? item('Last console match', lastConsoleMatch(d.consoleMatch)) : null,
  );
}

/** Which rule matched, on which target and when, and the line itself. */
function lastConsoleMatch(match: NonNullable<Device['consoleMatch']>): HTMLElement {
  return h(
    'span',
    null,
    `${match.rule} (${match.severity}) on ${match.target}, `,
    h('time', { attrs: { datetime: match.at, title: exact(match.at) } }, ago(match.at)),
    ': ',
    h('samp', { class: 'console-line' }, match.line),
  );
}

/** How a raw device dials in: port, who is admitted, connect string, and the settings per make. */
function ingressSection(ingress: NonNullable<Device['ingress']>): HTMLElement[] {
  return [unauthenticatedWarning(ingress), ingressFacts(ingress), h('h3', null, 'Settings on the device server'), ingressSettings(ingress)];
}

/** A self-enrolled device nobody can reach until an admin approves it (on the Devices page). */
function pendingNotice(d: Device): HTMLElement | null {
  if (d.state !== 'pending') return null;
  return h(
    'p',
    { class: 'notice notice-status', attrs: { role: 'status' } },
    'Waiting for approval: this device enrolled itself and nobody can reach it until an admin approves it under "Waiting for approval" on the Devices page.',
  );
}

function targets(d: Device, logging: LogCellOptions): HTMLElement {
  const pending = d.state === 'pending';
  const operable = session.canOperate(d.group) && !pending;
  // portals older than console logging say nothing about it: no column then
  const logged = d.targets.some((t) => t.log !== undefined);
  const web = d.targets.some((t) => webCapable(t) || t.web);
  return h(
    'section',
    { attrs: { 'aria-labelledby': 'targets-title' } },
    h('h2', { attrs: { id: 'targets-title' } }, 'Targets'),
    logging.status.element,
    logging.error.element,
    d.targets.length === 0
      ? h(
          'p',
          { class: 'muted' },
          d.ingress
            ? 'No targets yet: the device server has not connected.'
            : d.online
              ? 'The agent reports no targets.'
              : 'No targets reported yet: the agent has not connected.',
        )
      : h(
          'table',
          { class: 'list' },
          h('caption', { class: 'visually-hidden' }, 'Targets'),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ['Name', 'Kind', 'Description', 'Status', logged ? 'Console log' : null, web ? 'Web page' : null].map((c) => (c ? h('th', { attrs: { scope: 'col' } }, c) : null)),
              h('th', { attrs: { scope: 'col' } }, h('span', { class: 'visually-hidden' }, 'Actions')),
            ),
          ),
          h(
            'tbody',
            null,
            d.targets.map((t) =>
              h(
                'tr',
                null,
                h('th', { attrs: { scope: 'row' } }, t.name),
                h('td', null, t.kind),
                h('td', null, t.description ?? ''),
                h('td', null, targetStatus(t.status)),
                logged ? h('td', null, logCell(d, t, logging)) : null,
                web ? h('td', null, webCell(d, t, { ...logging, operable })) : null,
                h(
                  'td',
                  { class: 'target-actions' },
                  operable ? [openTerminalLink(d, t.name), ' '] : null,
                  pending ? null : flowLink(d, t.name),
                  mayHaveLog(t) ? [' ', consoleLogLink(d, t.name)] : null,
                ),
              ),
            ),
          ),
        ),
  );
}

function notFound(): HTMLElement {
  return h(
    'div',
    null,
    h('h1', null, 'No such device'),
    h('p', null, 'This device does not exist, was deleted, or you may not see it.'),
    h('p', null, h('a', { attrs: { href: '/devices' } }, 'Back to the devices')),
  );
}
