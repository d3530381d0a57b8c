// Admin: register devices (the token and setup are shown once, or for a raw device server its
// ingress port and settings), or many from a CSV file, and reach each device to manage it.

import * as devicesApi from '../../api/devices';
import { wantsFreshFactor } from '../../api/freshFactor';
import * as groupsApi from '../../api/groups';
import type { Device, DeviceMode } from '../../api/types';
import { agentPanel } from '../../components/agentPanel';
import { authBadge, onlineBadge } from '../../components/deviceBits';
import { freshCodeField, freshCodePrompt } from '../../components/freshCode';
import { busy, input, markInvalid, problemField, radioGroup, select, setOptions, textarea } from '../../components/form';
import { ingressPanel } from '../../components/ingressBits';
import { errorNotice } from '../../components/notice';
import { h, replace } from '../../dom';
import type { View } from '../../router';
import { importCard } from './deviceImport';
import { ALLOWED_SOURCES_HINT, MAX_CONNECT_SECRET, newDeviceBody } from './rawSetup';

export function devicesAdminView(): View {
  const name = input({ label: 'Device name', name: 'name', required: true, maxlength: 64, hint: 'Letters, digits and _ . - (unique)' });
  const description = textarea({ label: 'Description', name: 'description', maxlength: 1024 });
  const group = select('Group', 'group', [{ value: '', label: 'default' }]);
  const tags = input({ label: 'Tags', name: 'tags', hint: 'Separated by commas or spaces' });
  const connection = radioGroup(
    'Connection',
    'mode',
    [
      { value: 'agent', label: 'Agent (tether-agent dials out)' },
      { value: 'raw', label: 'Device server in TCP-client mode (raw, no agent)' },
    ],
    'agent',
  );
  const addresses = textarea({ label: 'Allowed source addresses', name: 'allowCidrs', rows: 3, hint: ALLOWED_SOURCES_HINT });
  const connectString = input({
    label: 'Connect string',
    name: 'connectSecret',
    maxlength: MAX_CONNECT_SECRET,
    hint: `Optional: 1-${MAX_CONNECT_SECRET} Latin-1 characters the unit sends first on every connection, if it can be configured to.`,
  });
  connectString.control.spellcheck = false;
  const code = freshCodeField();
  const rawFields = h('div', { class: 'raw-fields' }, addresses.row, connectString.row, code.row);
  const syncMode = () => {
    rawFields.hidden = connection.value() !== 'raw';
  };
  connection.controls.forEach((c) => c.addEventListener('change', syncMode));
  syncMode();
  const invalid = { name: name.control, group: group.control, tags: tags.control, allowCidrs: addresses.control, connectSecret: connectString.control };
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
            h('th', { attrs: { scope: 'row' } }, h('a', { attrs: { href: `/devices/${d.id}`, 'aria-label': `Manage ${d.name}` } }, d.name), authBadge(d)),
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
          const checked = newDeviceBody({
            name: name.control.value,
            description: description.control.value,
            group: group.control.value,
            tags: tags.control.value,
            mode: connection.value() as DeviceMode,
            addresses: addresses.control.value,
            connectString: connectString.control.value,
          });
          if (!checked.ok) {
            error.show(checked.error);
            markInvalid(invalid, checked.field);
            return;
          }
          try {
            const created = await busy(form, () => devicesApi.create(checked.body, code.value()));
            code.reset();
            const heading = `Device ${created.name} created`;
            if (created.ingress) {
              replace(once, ingressPanel(created.ingress, heading));
            } else if (created.token) {
              replace(once, agentPanel(created.name, created.token, heading));
            }
            form.reset();
            syncMode();
            markInvalid(invalid, null);
            void load(false);
          } catch (e) {
            if (wantsFreshFactor(e)) {
              error.show(freshCodePrompt(e, 'a raw ingress'));
              code.ask();
              return;
            }
            error.error(e);
            markInvalid(invalid, problemField(e));
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
    connection.row,
    rawFields,
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
      importCard(() => void load(false)),
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
