// Admin: register devices (the token and setup are shown once) and reach each device to manage it.

import * as devicesApi from '../../api/devices';
import * as groupsApi from '../../api/groups';
import type { Device } from '../../api/types';
import { agentPanel } from '../../components/agentPanel';
import { onlineBadge } from '../../components/deviceBits';
import { busy, input, select, setOptions, textarea } from '../../components/form';
import { errorNotice } from '../../components/notice';
import { h, replace } from '../../dom';
import { parseTags } from '../../format';
import type { View } from '../../router';

export function devicesAdminView(): View {
  const name = input({ label: 'Device name', name: 'name', required: true, maxlength: 64, hint: 'Letters, digits and _ . - (unique)' });
  const description = textarea({ label: 'Description', name: 'description', maxlength: 1024 });
  const group = select('Group', 'group', [{ value: '', label: 'default' }]);
  const tags = input({ label: 'Tags', name: 'tags', hint: 'Separated by commas or spaces' });
  const error = errorNotice();
  const once = h('div');
  const body = h('tbody');
  const more = h('button', { class: 'btn btn-plain', attrs: { type: 'button', hidden: true } }, 'Load more devices');
  let devices: Device[] = [];
  let next: string | null = null;

  const load = async (append: boolean) => {
    try {
      const page = await devicesApi.list({}, append ? next : null);
      devices = append ? [...devices, ...page.items] : page.items;
      next = page.next;
      more.hidden = next === null;
      replace(
        body,
        devices.map((d) =>
          h(
            'tr',
            null,
            h('th', { attrs: { scope: 'row' } }, h('a', { attrs: { href: `/devices/${d.id}`, 'aria-label': `Manage ${d.name}` } }, d.name)),
            h('td', null, d.group),
            h('td', null, onlineBadge(d.online)),
            h('td', { class: 'description' }, d.description ?? ''),
          ),
        ),
      );
    } catch (e) {
      error.error(e);
    }
  };
  more.addEventListener('click', () => void load(true));

  groupsApi
    .list()
    .then((groups) => setOptions(group.control, [{ value: '', label: 'default' }, ...groups.filter((g) => g.name !== 'default').map((g) => ({ value: g.name, label: g.name }))]))
    .catch(() => {});

  const form: HTMLFormElement = h(
    'form',
    {
      class: 'card',
      attrs: { 'aria-labelledby': 'new-device-title' },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          replace(once);
          try {
            const created = await busy(form, () =>
              devicesApi.create({
                name: name.control.value.trim(),
                description: description.control.value || undefined,
                group: group.control.value || undefined,
                tags: parseTags(tags.control.value),
              }),
            );
            replace(once, agentPanel(created.name, created.token, `Device ${created.name} created`));
            form.reset();
            void load(false);
          } catch (e) {
            error.error(e);
          }
        },
      },
    },
    h('h2', { attrs: { id: 'new-device-title' } }, 'New device'),
    error.element,
    name.row,
    description.row,
    group.row,
    tags.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Create device')),
  );
  void load(false);
  return {
    title: 'Manage devices',
    element: h(
      'section',
      null,
      h('h1', null, 'Manage devices'),
      form,
      once,
      h('h2', null, 'All devices'),
      h(
        'table',
        { class: 'list' },
        h('caption', { class: 'visually-hidden' }, 'All devices'),
        h('thead', null, h('tr', null, ['Name', 'Group', 'Status', 'Description'].map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
        body,
      ),
      more,
    ),
  };
}
