// The caller's own API tokens: create (the secret is shown once), list, revoke.

import * as tokensApi from '../api/tokens';
import type { ApiToken } from '../api/types';
import { confirmDialog } from '../components/confirm';
import { busy, input } from '../components/form';
import { errorNotice, statusNotice } from '../components/notice';
import { copyBox } from '../components/secret';
import { h, replace } from '../dom';
import { exact } from '../format';
import type { View } from '../router';

/** A date input's "YYYY-MM-DD" as the end of that day in UTC; undefined when empty. */
export function expiryFromDate(value: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59Z` : undefined;
}

export function tokensView(): View {
  const name = input({ label: 'Token name', name: 'token-name', required: true, maxlength: 64, hint: 'What uses it, e.g. ci-pipeline' });
  const expires = input({ label: 'Expires on (optional)', name: 'token-expires', type: 'date' });
  const error = errorNotice();
  const done = statusNotice();
  const once = h('div');
  const body = h('tbody');

  const revoke = async (token: ApiToken) => {
    const ok = await confirmDialog({ title: `Revoke ${token.name}?`, message: 'Whatever uses this token loses access immediately.', confirmLabel: 'Revoke' });
    if (!ok) return;
    error.clear();
    try {
      await tokensApi.revoke(token.id);
      done.show(`Token ${token.name} revoked.`);
      await load();
    } catch (e) {
      error.error(e);
    }
  };

  const load = async () => {
    try {
      const tokens = await tokensApi.list();
      replace(
        body,
        tokens.length === 0
          ? h('tr', null, h('td', { attrs: { colspan: 6 }, class: 'muted' }, 'No tokens.'))
          : tokens.map((t) =>
              h(
                'tr',
                null,
                h('th', { attrs: { scope: 'row' } }, t.name),
                h('td', null, exact(t.createdAt)),
                h('td', null, t.expiresAt ? exact(t.expiresAt) : 'never'),
                h('td', null, t.lastUsedAt ? exact(t.lastUsedAt) : 'never'),
                h('td', { attrs: { title: 'Made after a second factor: opens terminals on groups that require one' } }, t.mfa ? 'yes' : 'no'),
                h('td', null, h('button', { class: 'btn btn-danger', attrs: { type: 'button', 'aria-label': `Revoke ${t.name}` }, on: { click: () => void revoke(t) } }, 'Revoke')),
              ),
            ),
      );
    } catch (e) {
      error.error(e);
    }
  };

  const form: HTMLFormElement = h(
    'form',
    {
      class: 'card',
      attrs: { 'aria-labelledby': 'new-token-title' },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          done.clear();
          replace(once);
          try {
            const issued = await busy(form, () => tokensApi.create(name.control.value.trim(), expiryFromDate(expires.control.value)));
            form.reset();
            replace(
              once,
              h(
                'section',
                { class: 'card once', attrs: { 'aria-label': 'New API token' } },
                h('h2', null, `Token ${issued.name} created`),
                h('p', { class: 'warning' }, 'Copy it now: it is shown only this once. Send it as "Authorization: Bearer TOKEN".'),
                copyBox('API token', issued.token),
              ),
            );
            await load();
          } catch (e) {
            error.error(e);
          }
        },
      },
    },
    h('h2', { attrs: { id: 'new-token-title' } }, 'New token'),
    error.element,
    done.element,
    name.row,
    expires.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Create token')),
  );
  void load();
  return {
    title: 'API tokens',
    element: h(
      'section',
      null,
      h('h1', null, 'API tokens'),
      h('p', { class: 'hint' }, 'A token acts with your rights, for scripts and the command line.'),
      form,
      once,
      h(
        'table',
        { class: 'list' },
        h('caption', { class: 'visually-hidden' }, 'Your tokens'),
        h('thead', null, h('tr', null, ['Name', 'Created', 'Expires', 'Last used', 'Second factor', ''].map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
        body,
      ),
    ),
  };
}
