// The account page's "E-mail alerts" card: the address (set, confirmation pending, confirmed) and
// which alerts to get per group, as a grid of checkboxes.

import * as alertsApi from '../api/alerts';
import * as groupsApi from '../api/groups';
import { busy } from '../components/form';
import { errorNotice, statusNotice } from '../components/notice';
import { h, replace, uid } from '../dom';
import { addressEditor } from './addressEditor';
import { ALERT_LABELS, key, ticked, toItems, type Scope } from './alertChoices';

export function emailAlertsCard(): HTMLElement {
  const error = errorNotice();
  const done = statusNotice();
  const grid = h('div');
  const editor = addressEditor({
    label: 'Alert e-mail address',
    hint: 'A confirmation link is mailed to it; alerts start once you follow it',
    testId: 'email-state',
    error,
    done,
    save: (address) => alertsApi.setEmail(address),
    saved: (view) => (view.confirmed ? 'Address unchanged.' : `A confirmation link was mailed to ${view.address ?? ''}.`),
    remove: async () => {
      await alertsApi.removeEmail();
      return alertsApi.email();
    },
    removed: 'Address removed: no more alert mail.',
  });
  let scopes: Scope[] = [];
  let events: string[] = [];
  const boxes = new Map<string, HTMLInputElement>();

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
      editor.show(await alertsApi.email());
      await loadGrid();
    } catch (e) {
      error.error(e);
    }
  };

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
    editor.state,
    error.element,
    done.element,
    editor.form,
    alertsForm,
  );
}
