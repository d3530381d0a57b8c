// Small pieces every device view shows the same way. All device-supplied strings go in as text.

import type { ConsoleMatch, DeviceTarget, Severity } from '../api/types';
import { type Child, h } from '../dom';
import { ago, exact } from '../format';

export function onlineBadge(online: boolean): HTMLElement {
  return h('span', { class: `badge ${online ? 'badge-online' : 'badge-offline'}` }, online ? 'online' : 'offline');
}

export function lastSeen(iso: string | null): HTMLElement {
  return iso ? h('time', { attrs: { datetime: iso, title: exact(iso) } }, ago(iso)) : h('span', { class: 'muted' }, 'never');
}

export function tagList(tags: string[]): HTMLElement {
  if (tags.length === 0) {
    return h('span', { class: 'muted' }, '—');
  }
  return h('ul', { class: 'chips', attrs: { 'aria-label': 'Tags' } }, tags.map((t) => h('li', { class: 'chip' }, t)));
}

/** "ok" when a target reports nothing else; `missing` and `busy` stand out. */
export function targetStatus(status: string | null): HTMLElement {
  const text = status || 'unknown';
  return h('span', { class: `target-status target-${/^[a-z]+$/.test(text) ? text : 'other'}` }, text);
}

/** Where the web terminal of a device target lives (a deep link). */
export function terminalPath(deviceId: number, target: string): string {
  return `/devices/${deviceId}/terminal/${encodeURIComponent(target)}`;
}

/** "Open terminal" for one target: a link (it navigates), named for screen readers and tests. */
export function openTerminalLink(device: { id: number; name: string }, target: string): HTMLElement {
  return h(
    'a',
    {
      class: 'btn btn-small',
      attrs: { href: terminalPath(device.id, target), 'aria-label': `Open terminal on ${device.name}/${target}` },
    },
    'Open terminal',
  );
}

/** Where the data-flow view of a device target lives. */
export function flowPath(deviceId: number, target: string): string {
  return `/devices/${deviceId}/flow/${encodeURIComponent(target)}`;
}

/** "View data flow" for one target (a viewer may watch): named for screen readers and tests. */
export function flowLink(device: { id: number; name: string }, target: string): HTMLElement {
  return plainTargetLink(flowPath(device.id, target), `View data flow of ${device.name}/${target}`, 'View data flow');
}

/** A small plain link of a target's row: its visible text, and a name that says which target. */
function plainTargetLink(href: string, name: string, text: string): HTMLElement {
  return h('a', { class: 'btn btn-small btn-plain', attrs: { href, 'aria-label': name } }, text);
}

/** Where the console log of a device target is read. */
export function consoleLogPath(deviceId: number, target: string): string {
  return `/devices/${deviceId}/targets/${encodeURIComponent(target)}/log`;
}

/** "Console log" for one target (a viewer may read it): named for screen readers and tests. */
export function consoleLogLink(device: { id: number; name: string }, target: string): HTMLElement {
  return plainTargetLink(consoleLogPath(device.id, target), `Console log of ${device.name}/${target}`, 'Console log');
}

/** The targets with their status; with {@code operable}, an "Open terminal" link on each. */
export function targetList(targets: DeviceTarget[], operable: { id: number; name: string } | null = null): HTMLElement {
  if (targets.length === 0) {
    return h('span', { class: 'muted' }, 'none reported');
  }
  return h(
    'ul',
    { class: 'targets', attrs: { 'aria-label': 'Targets' } },
    targets.map((t) =>
      h('li', null, h('span', { class: 'target-name' }, t.name), ' ', targetStatus(t.status), operable ? [' ', openTerminalLink(operable, t.name)] : null),
    ),
  );
}

export const UNAUTHENTICATED_TITLE = 'Raw TCP device: admitted by source address only';

/** Marks a raw device: plain TCP, no credentials, only its allowed sources get in. */
export function unauthenticatedBadge(): HTMLElement {
  return h('span', { class: 'badge badge-unauthenticated', attrs: { title: UNAUTHENTICATED_TITLE } }, 'unauthenticated');
}

/** For a device the portal calls unauthenticated (raw): a space and the badge, to follow its name; else nothing. */
export function authBadge(device: { ingress?: { unauthenticated: boolean } | null }): Child[] {
  return device.ingress?.unauthenticated ? [' ', unauthenticatedBadge()] : [];
}

export const OUTDATED_TITLE = "Older than the portal's minimum agent version (TETHER_AGENT_MIN_VERSION)";

/** The agent's version as it reported it, with an "outdated" badge when it is older than the portal's minimum. */
export function agentVersion(device: { agentVersion: string | null; agentOutdated?: boolean; mode: string | null }): HTMLElement {
  if (!device.agentVersion) {
    return h('span', { class: 'muted' }, '—');
  }
  if (device.mode === 'raw') {
    // no agent: the portal names the ingress (raw-tcp), never outdated
    return h('span', { class: 'muted' }, device.agentVersion);
  }
  return h(
    'span',
    { class: 'agent-version' },
    device.agentVersion,
    device.agentOutdated ? [' ', h('span', { class: 'badge badge-warn', attrs: { title: OUTDATED_TITLE } }, 'outdated')] : null,
  );
}

/** How each severity of a console match looks: critical as an error, warning as a warning, info plain. */
export const SEVERITY_CLASS: Record<Severity, string> = { info: '', warning: ' badge-warn', critical: ' badge-danger' };

/** What a console match badge's tooltip says: severity, target, time and the line. */
export function consoleMatchTitle(match: ConsoleMatch): string {
  return `${match.severity} on ${match.target} at ${exact(match.at)}: ${match.line}`;
}

/**
 * The device's last console match as a badge (the rule's name, in its severity's colour, the line in
 * the tooltip), after a space; nothing when there is none. Screen readers hear what the badge is.
 */
export function consoleMatchBadge(match: ConsoleMatch | null | undefined): Child[] {
  if (!match) {
    return [];
  }
  return [
    ' ',
    h(
      'span',
      { class: `badge badge-console${SEVERITY_CLASS[match.severity] ?? ''}`, attrs: { title: consoleMatchTitle(match), 'data-severity': match.severity } },
      h('span', { class: 'visually-hidden' }, `Console match, ${match.severity}: `),
      match.rule,
    ),
  ];
}
