// Admin: one user — enable/disable, admin flag, second factor reset, password reset, delete, and
// group grants.

import * as groupsApi from '../../api/groups';
import { ApiError } from '../../api/http';
import * as usersApi from '../../api/users';
import type { Grant, Role, User } from '../../api/types';
import { confirmDialog } from '../../components/confirm';
import { busy, checkbox, input, select, setOptions } from '../../components/form';
import { errorNotice, statusNotice } from '../../components/notice';
import { h, replace } from '../../dom';
import { exact } from '../../format';
import type { View, ViewContext } from '../../router';
import * as session from '../../session';
import { userEmailCard } from './userEmail';
import { passwordWords, userSsoCard } from './userSso';

export function userView(context: ViewContext): View {
  const id = Number(context.params.id);
  const element = h('section', null, h('p', { class: 'muted', attrs: { role: 'status' } }, 'Loading user…'));
  const error = errorNotice();
  const done = statusNotice();

  const show = (user: User, grants: Grant[]) => {
    document.title = `${user.username} · Tether`;
    replace(
      element,
      h('p', { class: 'crumbs' }, h('a', { attrs: { href: '/admin/users' } }, 'Users')),
      h('h1', null, user.username),
      error.element,
      done.element,
      h(
        'dl',
        { class: 'facts' },
        h('dt', null, 'Role'),
        h('dd', null, user.admin ? 'admin' : 'user'),
        h('dt', null, 'State'),
        h('dd', null, user.disabled ? 'disabled' : 'active'),
        h('dt', null, 'Created'),
        h('dd', null, exact(user.createdAt)),
        h('dt', null, 'Sign-in'),
        h('dd', null, user.secondFactor ? passwordWords(user) : 'password only'),
        h('dt', null, 'Security keys'),
        h('dd', { attrs: { 'data-testid': 'security-keys' } }, String(user.securityKeys ?? 0)),
      ),
      accountActions(user),
      userSsoCard(user, (message) => void reload(message)),
      passwordForm(user),
      userEmailCard(user.id),
      grantsSection(user, grants),
    );
  };

  const reload = async (message?: string) => {
    try {
      const [user, grants] = await Promise.all([usersApi.get(id), usersApi.grants(id)]);
      show(user, grants);
      if (message) done.show(message);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        replace(element, h('h1', null, 'No such user'), h('p', null, h('a', { attrs: { href: '/admin/users' } }, 'Back to the users')));
      } else {
        error.error(e);
        replace(element, h('h1', null, 'User'), error.element);
      }
    }
  };

  const act = async (work: () => Promise<unknown>, message: string) => {
    error.clear();
    done.clear();
    try {
      await work();
      await reload(message);
    } catch (e) {
      error.error(e);
    }
  };

  const accountActions = (user: User) => {
    const self = session.me()?.id === user.id;
    return h(
      'div',
      { class: 'actions', attrs: { role: 'group', 'aria-label': 'Account' } },
      h(
        'button',
        {
          class: 'btn btn-plain',
          attrs: { type: 'button', disabled: self && !user.disabled },
          on: { click: () => void act(() => usersApi.update(user.id, { disabled: !user.disabled }), user.disabled ? 'User enabled.' : 'User disabled; their sessions and tokens ended.') },
        },
        user.disabled ? 'Enable user' : 'Disable user',
      ),
      h(
        'button',
        {
          class: 'btn btn-plain',
          attrs: { type: 'button', disabled: self },
          on: { click: () => void act(() => usersApi.update(user.id, { admin: !user.admin }), user.admin ? 'Admin rights removed.' : 'User is now an admin.') },
        },
        user.admin ? 'Remove admin rights' : 'Make admin',
      ),
      user.secondFactor
        ? h(
            'button',
            {
              class: 'btn btn-plain',
              attrs: { type: 'button' },
              on: {
                click: async () => {
                  const ok = await confirmDialog({
                    title: `Reset ${user.username}'s second factor?`,
                    message: 'Their authenticator app, security keys and recovery codes stop working; their password alone signs them in until they add a factor again.',
                    confirmLabel: 'Reset second factor',
                  });
                  if (ok) await act(() => usersApi.resetSecondFactor(user.id), 'Second factor reset: the user signs in with their password and can add a new app or key on their account page.');
                },
              },
            },
            'Reset second factor',
          )
        : null,
      h(
        'button',
        {
          class: 'btn btn-danger',
          attrs: { type: 'button', disabled: self },
          on: {
            click: async () => {
              const ok = await confirmDialog({ title: `Delete ${user.username}?`, message: 'Their sessions, tokens and grants end. Audit entries stay.', confirmLabel: 'Delete' });
              if (!ok) return;
              error.clear();
              try {
                await usersApi.remove(user.id);
                context.navigate('/admin/users');
              } catch (e) {
                error.error(e);
              }
            },
          },
        },
        'Delete user',
      ),
    );
  };

  const passwordForm = (user: User) => {
    const password = input({ label: 'New password', name: 'new-password', type: 'password', required: true, autocomplete: 'new-password', hint: '8 to 72 bytes; the user\'s sessions end' });
    const form: HTMLFormElement = h(
      'form',
      {
        class: 'card',
        attrs: { 'aria-labelledby': 'reset-title' },
        on: {
          submit: async (event) => {
            event.preventDefault();
            await busy(form, () => act(() => usersApi.resetPassword(user.id, password.control.value), 'Password reset.'));
          },
        },
      },
      h('h2', { attrs: { id: 'reset-title' } }, 'Reset password'),
      password.row,
      h('div', { class: 'actions' }, h('button', { class: 'btn btn-plain', attrs: { type: 'submit' } }, 'Reset password')),
    );
    return form;
  };

  const grantsSection = (user: User, grants: Grant[]) => {
    const group = select('Group', 'grant-group', []);
    const role = select('Role', 'grant-role', [
      { value: 'viewer', label: 'viewer — sees devices, watches sessions' },
      { value: 'operator', label: 'operator — also opens sessions' },
    ]);
    const replay = checkbox('May replay sessions', 'grant-replay');
    groupsApi
      .list()
      .then((groups) => setOptions(group.control, groups.map((g) => ({ value: g.name, label: g.name }))))
      .catch((e) => error.error(e));
    const form: HTMLFormElement = h(
      'form',
      {
        attrs: { 'aria-label': 'Add grant' },
        on: {
          submit: async (event) => {
            event.preventDefault();
            await busy(form, () => act(() => usersApi.addGrant(user.id, group.control.value, role.control.value as Role, replay.control.checked), 'Grant added.'));
          },
        },
      },
      group.row,
      role.row,
      replay.row,
      h('p', { class: 'hint' }, "Replaying lets them watch and download the recordings of the group's sessions."),
      h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Add grant')),
    );
    return h(
      'section',
      { class: 'card', attrs: { 'aria-labelledby': 'grants-title' } },
      h('h2', { attrs: { id: 'grants-title' } }, 'Grants'),
      user.admin ? h('p', { class: 'hint' }, 'Admins may do everything on every group; grants matter once admin rights are removed.') : null,
      grants.length === 0
        ? h('p', { class: 'muted' }, 'No grants: this user sees no devices.')
        : h(
            'table',
            { class: 'list' },
            h('caption', { class: 'visually-hidden' }, 'Grants'),
            h('thead', null, h('tr', null, ['Group', 'Role', 'Replay sessions', 'From', ''].map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
            h(
              'tbody',
              null,
              grants.map((g) =>
                h(
                  'tr',
                  null,
                  h('th', { attrs: { scope: 'row' } }, g.group),
                  h('td', null, g.role),
                  h('td', { class: g.replay ? 'grant-replay' : 'muted' }, g.replay ? 'may replay' : 'no'),
                  h('td', null, g.source ? `${g.source} groups claim` : 'admin'),
                  h(
                    'td',
                    null,
                    h(
                      'button',
                      {
                        class: 'btn btn-plain',
                        attrs: { type: 'button', 'aria-label': `Remove grant on ${g.group}` },
                        on: { click: () => void act(() => usersApi.removeGrant(user.id, g.id), 'Grant removed.') },
                      },
                      'Remove',
                    ),
                  ),
                ),
              ),
            ),
          ),
      form,
    );
  };

  if (!Number.isInteger(id) || id <= 0) {
    replace(element, h('h1', null, 'No such user'));
  } else {
    void reload();
  }
  return { title: 'User', element };
}
