// Admin: webhook endpoints. An endpoint gets the events it names, signed (Standard Webhooks); its
// secret is shown once, with a copy button, on creation and on rotation. Each endpoint's delivery
// log lists the latest deliveries with every attempt, and sends one again on request.

import * as webhooksApi from '../../api/webhooks';
import type { Webhook } from '../../api/webhooks';
import { confirmDialog } from '../../components/confirm';
import { busy, input, markInvalid, problemField } from '../../components/form';
import { errorNotice, statusNotice } from '../../components/notice';
import { copyBox } from '../../components/secret';
import { h, replace } from '../../dom';
import { exact } from '../../format';
import type { View } from '../../router';
import { mailCard } from './mailCard';
import { attemptText, deliveryState, parseEvents } from './webhookRows';

export const WEBHOOKS_PATH = '/admin/webhooks';

export function webhooksView(): View {
  const url = input({ label: 'URL', name: 'url', type: 'url', required: true, hint: 'http:// or https://; redirects are not followed' });
  const events = input({ label: 'Events', name: 'events', value: 'device.*, session.*', required: true, hint: 'Types or prefixes: device.online, session.ended, device.*, session.*, audit.*, *' });
  const groups = input({ label: 'Groups', name: 'groups', hint: 'Only devices of these groups (empty: every group); separated by commas or spaces' });
  const invalid = { url: url.control, events: events.control, groups: groups.control };
  const error = errorNotice();
  const done = statusNotice();
  const once = h('div');
  const body = h('tbody');
  const log = h('section', { attrs: { 'aria-live': 'polite' } });

  const load = async () => {
    try {
      const hooks = await webhooksApi.list();
      replace(body, hooks.length === 0 ? h('tr', null, h('td', { attrs: { colspan: 5 }, class: 'muted' }, 'No webhooks yet.')) : hooks.map(row));
    } catch (e) {
      error.error(e);
    }
  };

  const act = async (what: () => Promise<void>) => {
    error.clear();
    done.clear();
    try {
      await what();
      await load();
    } catch (e) {
      error.error(e);
    }
  };

  const showSecret = (title: string, secret: string) =>
    replace(once, h('div', { class: 'card' }, h('h2', null, title), h('p', { class: 'hint' }, 'Shown only now: store it with the receiver.'), copyBox('Signing secret', secret)));

  const showLog = async (w: Webhook) => {
    try {
      const deliveries = await webhooksApi.deliveries(w.id);
      const rows = deliveries.map((d) =>
        h(
          'tr',
          { attrs: { 'data-delivery-id': d.id } },
          h('th', { attrs: { scope: 'row' } }, d.type, h('div', { class: 'muted mono' }, d.messageId)),
          h('td', null, deliveryState(d)),
          h('td', null, h('ol', { class: 'plain' }, d.attempts.map((a) => h('li', null, `${exact(a.at)}: ${attemptText(a)}`, a.response ? h('pre', { class: 'mono' }, a.response) : null)))),
          h(
            'td',
            null,
            h('button', { class: 'btn btn-plain', attrs: { type: 'button', 'aria-label': `Redeliver ${d.messageId}` }, on: { click: () => void act(async () => { await webhooksApi.redeliver(w.id, d.id); done.show(`Delivery ${d.messageId} queued again.`); await showLog(w); }) } }, 'Redeliver'),
          ),
        ),
      );
      replace(
        log,
        h('h2', { attrs: { id: 'delivery-log-title' } }, `Deliveries to ${w.url}`),
        h('button', { class: 'btn btn-plain', attrs: { type: 'button' }, on: { click: () => void showLog(w) } }, 'Refresh'),
        h(
          'table',
          { class: 'list', attrs: { 'aria-labelledby': 'delivery-log-title' } },
          h('thead', null, h('tr', null, ['Event', 'State', 'Attempts', ''].map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
          h('tbody', null, rows.length === 0 ? h('tr', null, h('td', { attrs: { colspan: 4 }, class: 'muted' }, 'No deliveries yet.')) : rows),
        ),
      );
    } catch (e) {
      error.error(e);
    }
  };

  const remove = async (w: Webhook) => {
    const ok = await confirmDialog({ title: `Delete the webhook to ${w.url}?`, message: 'Its delivery log goes with it; queued deliveries are not sent.', confirmLabel: 'Delete' });
    if (ok) await act(async () => { await webhooksApi.remove(w.id); replace(log); done.show(`Webhook to ${w.url} deleted.`); });
  };

  const button = (label: string, aria: string, onClick: () => void, kind = 'btn-plain') =>
    h('button', { class: `btn ${kind}`, attrs: { type: 'button', 'aria-label': aria }, on: { click: onClick } }, label);

  const row = (w: Webhook): HTMLTableRowElement =>
    h(
      'tr',
      { attrs: { 'data-webhook-id': w.id } },
      h('th', { attrs: { scope: 'row' } }, h('span', { class: 'mono' }, w.url)),
      h('td', null, w.events.join(', '), w.groups.length > 0 ? h('div', { class: 'muted' }, `groups: ${w.groups.join(', ')}`) : null),
      h('td', null, w.enabled ? 'enabled' : 'disabled', w.disabledReason ? h('div', { class: 'muted' }, w.disabledReason) : null),
      h('td', null, w.previousSecretUntil ? `previous secret signs until ${exact(w.previousSecretUntil)}` : '—'),
      h(
        'td',
        null,
        button('Deliveries', `Deliveries of ${w.url}`, () => void showLog(w)),
        button(w.enabled ? 'Disable' : 'Enable', `${w.enabled ? 'Disable' : 'Enable'} ${w.url}`, () => void act(async () => { await webhooksApi.setEnabled(w.id, !w.enabled); })),
        button('Rotate secret', `Rotate secret of ${w.url}`, () => void act(async () => { const r = await webhooksApi.rotate(w.id); showSecret('New signing secret', r.secret); })),
        button('Delete', `Delete ${w.url}`, () => void remove(w), 'btn-danger'),
      ),
    );

  const form: HTMLFormElement = h(
    'form',
    {
      class: 'card',
      attrs: { 'aria-labelledby': 'new-webhook-title' },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          done.clear();
          replace(once);
          const groupList = parseEvents(groups.control.value);
          try {
            const created = await busy(form, () =>
              webhooksApi.create({ url: url.control.value.trim(), events: parseEvents(events.control.value), ...(groupList.length > 0 ? { groups: groupList } : {}) }),
            );
            showSecret('Signing secret', created.secret);
            markInvalid(invalid, null);
            await load();
          } catch (e) {
            error.error(e);
            markInvalid(invalid, problemField(e));
          }
        },
      },
    },
    h('h2', { attrs: { id: 'new-webhook-title' } }, 'New webhook'),
    error.element,
    done.element,
    url.row,
    events.row,
    groups.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Create webhook')),
  );
  void load();
  return {
    title: 'Webhooks',
    element: h(
      'section',
      null,
      h('h1', null, 'Webhooks'),
      h('p', { class: 'hint' }, 'The portal POSTs events to these URLs, signed as Standard Webhooks describes, and retries for about a day. Receivers deduplicate on the webhook-id header.'),
      form,
      once,
      h('h2', null, 'Endpoints'),
      h(
        'table',
        { class: 'list' },
        h('caption', { class: 'visually-hidden' }, 'Webhook endpoints'),
        h('thead', null, h('tr', null, ['URL', 'Events', 'State', 'Secret', ''].map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
        body,
      ),
      log,
      mailCard(),
    ),
  };
}
