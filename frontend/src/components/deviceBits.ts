// Small pieces every device view shows the same way. All device-supplied strings go in as text.

import type { DeviceTarget } from '../api/types';
import { h } from '../dom';
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

export function targetList(targets: DeviceTarget[]): HTMLElement {
  if (targets.length === 0) {
    return h('span', { class: 'muted' }, 'none reported');
  }
  return h(
    'ul',
    { class: 'targets', attrs: { 'aria-label': 'Targets' } },
    targets.map((t) => h('li', null, h('span', { class: 'target-name' }, t.name), ' ', targetStatus(t.status))),
  );
}
