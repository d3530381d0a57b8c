// The admin part of a device page: edit, rotate the token (agent devices), delete.

import * as devicesApi from '../../api/devices';
import * as groupsApi from '../../api/groups';
import type { Device } from '../../api/types';
import { agentPanel } from '../../components/agentPanel';
import { confirmDialog } from '../../components/confirm';
import { busy, input, select, setOptions, textarea } from '../../components/form';
import { errorNotice } from '../../components/notice';
import { h, replace } from '../../dom';
import { parseTags } from '../../format';
import { ENCODING_LABELS } from '../../terminal/encodingPrefs';

export interface ManageCallbacks {
  updated(device: Device): void;
  deleted(): void;
}

export function manageDevice(device: Device, callbacks: ManageCallbacks): HTMLElement {
  const name = input({ label: 'Name', name: 'name', value: device.name, required: true, maxlength: 64, hint: 'Letters, digits and _ . -' });
  const description = textarea({ label: 'Description', name: 'description', value: device.description ?? '', maxlength: 1024 });
  const group = select('Group', 'group', [{ value: device.group, label: device.group }], device.group);
  const tags = input({ label: 'Tags', name: 'tags', value: device.tags.join(', '), hint: 'Separated by commas or spaces' });
  const encoding = select(
    'Terminal encoding',
    'encoding',
    Object.entries(ENCODING_LABELS).map(([value, label]) => ({ value, label })),
    device.encoding ?? 'utf-8',
  );
  const error = errorNotice();
  const once = h('div');
  groupsApi
    .list()
    .then((groups) => setOptions(group.control, groups.map((g) => ({ value: g.name, label: g.name }))))
    .catch(() => {});

  const form: HTMLFormElement = h(
    'form',
    {
      attrs: { 'aria-label': 'Edit device' },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          try {
            const changed = await busy(form, () =>
              devicesApi.update(device.id, {
                name: name.control.value.trim(),
                description: description.control.value,
                group: group.control.value,
                tags: parseTags(tags.control.value),
                encoding: encoding.control.value,
              }),
            );
            callbacks.updated(changed);
          } catch (e) {
            error.error(e);
          }
        },
      },
    },
    name.row,
    description.row,
    group.row,
    tags.row,
    encoding.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Save changes')),
  );

  const rotate = h('button', { class: 'btn btn-plain', attrs: { type: 'button' } }, 'Rotate token');
  rotate.addEventListener('click', async () => {
    const ok = await confirmDialog({
      title: `Rotate the token of ${device.name}?`,
      message: 'The agent using the current token is disconnected and cannot reconnect until it has the new one.',
      confirmLabel: 'Rotate token',
    });
    if (!ok) return;
    error.clear();
    try {
      const answer = await devicesApi.rotateToken(device.id);
      replace(once, agentPanel(device.name, answer.token, 'New device token'));
    } catch (e) {
      error.error(e);
    }
  });

  const remove = h('button', { class: 'btn btn-danger', attrs: { type: 'button' } }, 'Delete device');
  remove.addEventListener('click', async () => {
    const ok = await confirmDialog({
      title: `Delete ${device.name}?`,
      message: device.ingress
        ? 'Its ingress port closes at once. Its audit entries and recordings stay readable.'
        : 'Its token stops working at once. Its audit entries and recordings stay readable.',
      confirmLabel: 'Delete',
    });
    if (!ok) return;
    error.clear();
    try {
      await devicesApi.remove(device.id);
      callbacks.deleted();
    } catch (e) {
      error.error(e);
    }
  });

  return h(
    'section',
    { class: 'card', attrs: { 'aria-labelledby': 'manage-title' } },
    h('h2', { attrs: { id: 'manage-title' } }, 'Manage device'),
    error.element,
    form,
    // a raw device has no token to rotate (the portal answers 409): its allowlist is its gate
    h('div', { class: 'actions' }, device.ingress ? null : rotate, remove),
    once,
  );
}
