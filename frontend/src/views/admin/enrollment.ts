// Admin: enrollment tokens. A token lets devices register themselves (their agents dial in with
// it); it is shown once with the command line to run on the device, and listed with its uses and
// state, revocable while active. The devices it enrolls wait on the Devices page for approval.

import * as enrollmentApi from '../../api/enrollment';
import * as groupsApi from '../../api/groups';
import type { EnrollmentToken } from '../../api/types';
import { confirmDialog } from '../../components/confirm';
import { tagList } from '../../components/deviceBits';
import { enrollPanel } from '../../components/enrollPanel';
import { busy, checkbox, input, markInvalid, problemField, select, setOptions } from '../../components/form';
import { errorNotice, statusNotice } from '../../components/notice';
import { h, replace } from '../../dom';
import { exact } from '../../format';
import type { View } from '../../router';
import { DEFAULT_EXPIRY, EXPIRY_CHOICES, MAX_USES, newestFirst, newTokenBody, revocable, stateBadgeClass, usesText } from './enrollmentForm';

export const ENROLLMENT_PATH = '/admin/enrollment';

export function enrollmentView(): View {
  const group = select('Group', 'group', [{ value: 'default', label: 'default' }], 'default');
  const expires = select('Expires in', 'expiresIn', EXPIRY_CHOICES, DEFAULT_EXPIRY);
  const uses = input({ label: 'Uses', name: 'uses', type: 'number', value: '1', required: true, hint: `How many devices it may enroll (1-${MAX_USES})` });
  uses.control.min = '1';
  uses.control.max = String(MAX_USES);
  const tags = input({ label: 'Tags', name: 'tags', hint: 'Every enrolled device gets them; separated by commas or spaces' });
  const autoApprove = checkbox('Approve enrolled devices automatically (no review)', 'autoApprove');
  const description = input({ label: 'Description', name: 'description', maxlength: 256, hint: 'What the token is for, e.g. hall 3 rollout' });
  const invalid = { group: group.control, expiresIn: expires.control, uses: uses.control, tags: tags.control, description: description.control };
  const error = errorNotice();
  const done = statusNotice();
  const once = h('div');
  const body = h('tbody');

  const load = async () => {
    try {
      const tokens = newestFirst(await enrollmentApi.list());
      replace(body, tokens.length === 0 ? h('tr', null, h('td', { attrs: { colspan: 8 }, class: 'muted' }, 'No enrollment tokens yet.')) : tokens.map(row));
    } catch (e) {
      error.error(e);
    }
  };

  const revoke = async (token: EnrollmentToken) => {
    const ok = await confirmDialog({
      title: `Revoke ${token.prefix}?`,
      message: 'It enrolls no more devices. Devices it already enrolled keep working.',
      confirmLabel: 'Revoke',
    });
    if (!ok) return;
    error.clear();
    done.clear();
    try {
      await enrollmentApi.revoke(token.id);
      done.show(`Enrollment token ${token.prefix} revoked.`);
      await load();
    } catch (e) {
      error.error(e);
    }
  };

  const row = (t: EnrollmentToken): HTMLTableRowElement =>
    h(
      'tr',
      { attrs: { 'data-token-id': t.id } },
      h('th', { attrs: { scope: 'row' } }, h('span', { class: 'mono' }, t.prefix), t.description ? h('div', { class: 'muted' }, t.description) : null),
      h('td', null, t.group, t.autoApprove ? h('div', { class: 'muted' }, 'auto-approve') : null),
      h('td', null, tagList(t.tags)),
      h('td', null, usesText(t)),
      h('td', null, h('span', { class: stateBadgeClass(t.state) }, t.state)),
      h('td', null, exact(t.expiresAt)),
      h('td', null, t.createdBy ?? '—'),
      h(
        'td',
        null,
        revocable(t)
          ? h('button', { class: 'btn btn-danger', attrs: { type: 'button', 'aria-label': `Revoke ${t.prefix}` }, on: { click: () => void revoke(t) } }, 'Revoke')
          : null,
      ),
    );

  groupsApi
    .list()
    .then((groups) => {
      if (groups.length > 0) setOptions(group.control, groups.map((g) => ({ value: g.name, label: g.name })));
    })
    .catch(() => {
      // the default group stays offered; the portal names a group that does not exist
    });

  const form: HTMLFormElement = h(
    'form',
    {
      class: 'card',
      attrs: { 'aria-labelledby': 'new-enrollment-title' },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          done.clear();
          replace(once);
          const checked = newTokenBody({
            group: group.control.value,
            expiresIn: expires.control.value,
            uses: uses.control.value,
            tags: tags.control.value,
            autoApprove: autoApprove.control.checked,
            description: description.control.value,
          });
          if (!checked.ok) {
            error.show(checked.error);
            markInvalid(invalid, checked.field);
            return;
          }
          try {
            const issued = await busy(form, () => enrollmentApi.create(checked.body));
            replace(once, enrollPanel(issued));
            markInvalid(invalid, null); // the choices stay: the next batch is often alike
            await load();
          } catch (e) {
            error.error(e);
            markInvalid(invalid, problemField(e));
          }
        },
      },
    },
    h('h2', { attrs: { id: 'new-enrollment-title' } }, 'New enrollment token'),
    error.element,
    done.element,
    group.row,
    expires.row,
    uses.row,
    tags.row,
    description.row,
    autoApprove.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Create enrollment token')),
  );
  void load();
  return {
    title: 'Enrollment',
    element: h(
      'section',
      null,
      h('h1', null, 'Enrollment'),
      h(
        'p',
        { class: 'hint' },
        'An enrollment token lets devices register themselves: their agent enrolls with it and joins the group. Unless the token approves them automatically, they wait under "Waiting for approval" on the ',
        h('a', { attrs: { href: '/devices' } }, 'Devices'),
        ' page.',
      ),
      form,
      once,
      h('h2', null, 'Enrollment tokens'),
      h(
        'table',
        { class: 'list' },
        h('caption', { class: 'visually-hidden' }, 'Enrollment tokens'),
        h('thead', null, h('tr', null, ['Token', 'Group', 'Tags', 'Uses', 'State', 'Expires', 'Created by', ''].map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
        body,
      ),
    ),
  };
}
