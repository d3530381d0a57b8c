// The account page's "E-mail alerts" card: the address (set, confirmation pending, confirmed) and
// which alerts to get per group, as a grid of checkboxes.

import * as alertsApi from '../api/alerts';
import type { EmailView } from '../api/alerts';
import * as groupsApi from '../api/groups';
import { busy, input, markInvalid, problemField } from '../components/form';
import { errorNotice, statusNotice } from '../components/notice';
import { h, replace, uid } from '../dom';
import { ALERT_LABELS, addressState, key, ticked, toItems, type Scope } from './alertChoices';

export function emailAlertsCard(): HTMLElement {
  const address = input({ label: 'E-mail address', name: 'alert-email', type: 'email', autocomplete: 'email', hint: 'A confirmation link is mailed to it; alerts start once you follow it' });
  const state = h('p', { attrs: { 'aria-live': 'polite', 'data-testid': 'email-state' } });
  const error = errorNotice();
  const done = statusNotice();
  const grid = h('div');
  const remove = h('button', { class: 'btn', attrs: { type: 'button', hidden: true } }, 'Remove address');
  let scopes: Scope[] = [];
  let events: string[] = [];
  const boxes = new Map<string, HTMLInputElement>();

  const show = (view: EmailView) => {
    state.textContent = addressState(view);
    address.control.value = view.address ?? '';
    remove.hidden = view.address === null;
  };

  const loadGrid = async () => {
    const [view, groups] = await Promise.all([alertsApi.subscriptions(), groupsApi.list()]);
    events = view.events;
    scopes = [{ groupId: null, name: 'All my groups' }, ...groups.map((g) => ({ groupId: g.id, name: g.name }))];
    const keys = ticked(view.items);
    boxes.clear();
    replace(
      grid,
      h(
        'table',
        { class: 'list' },
        h('caption', { class: 'visually-hidden' }, 'Alerts by group'),
        h('thead', null, h('tr', null, h('th', { attrs: { scope: 'col' } }, 'Group'), events.map((e) => h('th', { attrs: { scope: 'col' } }, ALERT_LABELS[e] ?? e)))),
        h(
          'tbody',
          null,
          scopes.map((s) =>
            h(
              'tr',
              null,
              h('th', { attrs: { scope: 'row' } }, s.name),
              events.map((e) => {
                const id = uid('alert');
                const box = h('input', { attrs: { id, type: 'checkbox', 'aria-label': `${ALERT_LABELS[e] ?? e}: ${s.name}` }, props: { checked: keys.has(key(s.groupId, e)) } });
                boxes.set(key(s.groupId, e), box);
                return h('td', null, box);
              }),
            ),
          ),
        ),
      ),
    );
  };

  const load = async () => {
    try {
      show(await alertsApi.email());
      await loadGrid();
    } catch (e) {
      error.error(e);
    }
  };

  const addressForm: HTMLFormElement = h(
    'form',
    {
      attrs: { 'aria-label': 'Alert e-mail address' },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          done.clear();
          markInvalid({ address: address.control }, null);
          try {
            const view = await busy(addressForm, () => alertsApi.setEmail(address.control.value.trim()));
            show(view);
            done.show(view.confirmed ? 'Address unchanged.' : `A confirmation link was mailed to ${view.address ?? ''}.`);
          } catch (e) {
            error.error(e);
            markInvalid({ address: address.control }, problemField(e));
          }
        },
      },
    },
    address.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Save address'), remove),
  );
  remove.addEventListener('click', async () => {
    error.clear();
    done.clear();
    try {
      await alertsApi.removeEmail();
      show(await alertsApi.email());
      done.show('Address removed: no more alert mail.');
    } catch (e) {
      error.error(e);
    }
  });

  const alertsForm: HTMLFormElement = h(
    'form',
    {
      attrs: { 'aria-label': 'Alerts' },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          done.clear();
          const keys = new Set([...boxes].filter(([, box]) => box.checked).map(([k]) => k));
          try {
            await busy(alertsForm, () => alertsApi.setSubscriptions(toItems(scopes, events, keys)));
            done.show('Alerts saved.');
          } catch (e) {
            error.error(e);
          }
        },
      },
    },
    h('p', { class: 'hint' }, 'Pick what to be mailed about. The first alert comes at once; more within a minute come as one digest.'),
    grid,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Save alerts')),
  );
  void load();
  return h(
    'section',
    { class: 'card', attrs: { 'aria-labelledby': 'alerts-title' } },
    h('h2', { attrs: { id: 'alerts-title' } }, 'E-mail alerts'),
    state,
    error.element,
    done.element,
    addressForm,
    alertsForm,
  );
}
