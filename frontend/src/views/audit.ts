// The audit log with server-side filters and export links (admins see everything, others their own).

import * as auditApi from '../api/audit';
import { AUDIT_ACTIONS, type AuditEntry, type AuditFilter } from '../api/types';
import { input, select } from '../components/form';
import { errorNotice } from '../components/notice';
import { h, replace } from '../dom';
import { exact, localInputToIso } from '../format';
import type { View, ViewContext } from '../router';
import * as session from '../session';

export function auditView(context: ViewContext): View {
  // ?actor=&action=&device= preset the filters (the dashboard's refusals link here)
  const preset = (key: string) => context.query.get(key)?.trim() ?? '';
  const actions: string[] = [...AUDIT_ACTIONS];
  if (preset('action') && !actions.includes(preset('action'))) actions.push(preset('action'));
  const actor = input({ label: 'Actor', name: 'actor', value: preset('actor') });
  const action = select('Action', 'action', [{ value: '', label: 'Any action' }, ...actions.map((a) => ({ value: a, label: a }))], preset('action'));
  const device = input({ label: 'Device id', name: 'device', type: 'number', value: preset('device') });
  const from = input({ label: 'From', name: 'from', type: 'datetime-local' });
  const to = input({ label: 'To', name: 'to', type: 'datetime-local' });
  const error = errorNotice();
  const body = h('tbody');
  const more = h('button', { class: 'btn btn-plain', attrs: { type: 'button', hidden: true } }, 'Load older entries');
  const jsonl = h('a', { class: 'btn btn-plain', attrs: { download: '' } }, 'Export JSON lines');
  const csv = h('a', { class: 'btn btn-plain', attrs: { download: '' } }, 'Export CSV');
  let entries: AuditEntry[] = [];
  let next: string | null = null;
  let filter: AuditFilter = {};

  const readFilter = (): AuditFilter => ({
    actor: actor.control.value.trim() || undefined,
    action: action.control.value || undefined,
    device: device.control.value.trim() || undefined,
    from: localInputToIso(from.control.value),
    to: localInputToIso(to.control.value),
  });

  const load = async (append: boolean) => {
    error.clear();
    if (!append) {
      filter = readFilter();
      jsonl.href = auditApi.exportUrl('jsonl', filter);
      csv.href = auditApi.exportUrl('csv', filter);
    }
    try {
      const page = await auditApi.list(filter, append ? next : null);
      entries = append ? [...entries, ...page.items] : page.items;
      next = page.next;
      more.hidden = next === null;
      replace(
        body,
        entries.length === 0
          ? h('tr', null, h('td', { attrs: { colspan: 8 }, class: 'muted' }, 'No entries match.'))
          : entries.map((e) =>
              h(
                'tr',
                null,
                h('td', null, h('time', { attrs: { datetime: e.at } }, exact(e.at))),
                h('td', null, e.actor ?? ''),
                h('td', null, e.action),
                h('td', null, h('span', { class: `outcome outcome-${e.outcome === 'ok' ? 'ok' : 'bad'}` }, e.outcome)),
                h('td', null, e.subject ?? ''),
                h('td', null, e.deviceId === null ? '' : h('a', { attrs: { href: `/devices/${e.deviceId}` } }, String(e.deviceId))),
                h('td', null, e.address ?? ''),
                h('td', null, e.detail ?? ''),
              ),
            ),
      );
    } catch (e) {
      error.error(e);
    }
  };
  more.addEventListener('click', () => void load(true));
  void load(false);

  return {
    title: 'Audit log',
    element: h(
      'section',
      null,
      h('h1', null, 'Audit log'),
      session.isAdmin()
        ? h('p', { class: 'hint' }, 'Every entry, and device and session events, can also go to other systems as signed ', h('a', { attrs: { href: '/admin/webhooks' } }, 'webhooks'), '.')
        : h('p', { class: 'hint' }, 'You see the entries about your own actions.'),
      h(
        'form',
        {
          class: 'filters',
          attrs: { role: 'search', 'aria-label': 'Filter the audit log' },
          on: {
            submit: (event) => {
              event.preventDefault();
              void load(false);
            },
          },
        },
        actor.row,
        action.row,
        device.row,
        from.row,
        to.row,
        h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Apply filters')),
      ),
      h('div', { class: 'actions', attrs: { role: 'group', 'aria-label': 'Export' } }, jsonl, csv),
      error.element,
      h(
        'table',
        { class: 'list audit' },
        h('caption', { class: 'visually-hidden' }, 'Audit entries, newest first'),
        h('thead', null, h('tr', null, ['Time', 'Actor', 'Action', 'Outcome', 'Subject', 'Device', 'Address', 'Detail'].map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
        body,
      ),
      more,
    ),
  };
}
