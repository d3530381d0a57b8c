// Admin: the user list and the form that creates a user.

import * as usersApi from '../../api/users';
import type { User } from '../../api/types';
import { busy, checkbox, input } from '../../components/form';
import { errorNotice, statusNotice } from '../../components/notice';
import { h, replace } from '../../dom';
import { exact } from '../../format';
import type { View } from '../../router';

export function usersView(): View {
  const username = input({ label: 'New username', name: 'username', required: true, maxlength: 64, hint: 'Letters, digits and _ . @ -' });
  const password = input({ label: 'Initial password', name: 'password', type: 'password', required: true, autocomplete: 'new-password', hint: '8 to 72 bytes' });
  const admin = checkbox('Administrator', 'admin');
  const error = errorNotice();
  const done = statusNotice();
  const body = h('tbody');
  const more = h('button', { class: 'btn btn-plain', attrs: { type: 'button', hidden: true } }, 'Load more users');
  let users: User[] = [];
  let next: string | null = null;

  const load = async (append: boolean) => {
    try {
      const page = await usersApi.list(append ? next : null);
      users = append ? [...users, ...page.items] : page.items;
      next = page.next;
      more.hidden = next === null;
      replace(
        body,
        users.map((u) =>
          h(
            'tr',
            null,
            h('th', { attrs: { scope: 'row' } }, h('a', { attrs: { href: `/admin/users/${u.id}` } }, u.username)),
            h('td', null, u.admin ? 'admin' : 'user'),
            h('td', null, u.disabled ? h('span', { class: 'badge badge-offline' }, 'disabled') : 'active'),
            h('td', null, exact(u.createdAt)),
          ),
        ),
      );
    } catch (e) {
      error.error(e);
    }
  };
  more.addEventListener('click', () => void load(true));

  const form: HTMLFormElement = h(
    'form',
    {
      class: 'card',
      attrs: { 'aria-labelledby': 'new-user-title' },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          done.clear();
          try {
            const user = await busy(form, () => usersApi.create(username.control.value.trim(), password.control.value, admin.control.checked));
            form.reset();
            done.show(`User ${user.username} created. Grant them a group so they see devices.`);
            void load(false);
          } catch (e) {
            error.error(e);
          }
        },
      },
    },
    h('h2', { attrs: { id: 'new-user-title' } }, 'New user'),
    error.element,
    done.element,
    username.row,
    password.row,
    admin.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Create user')),
  );
  void load(false);
  return {
    title: 'Users',
    element: h(
      'section',
      null,
      h('h1', null, 'Users'),
      form,
      h(
        'table',
        { class: 'list' },
        h('caption', { class: 'visually-hidden' }, 'Users'),
        h('thead', null, h('tr', null, ['Username', 'Role', 'State', 'Created'].map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
        body,
      ),
      more,
    ),
  };
}
