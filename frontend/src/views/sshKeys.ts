// The account page's "SSH keys" card: paste a public key, see and delete keys, and how to connect.

import * as sshApi from '../api/sshKeys';
import type { SshKey, SshServer } from '../api/types';
import { confirmDialog } from '../components/confirm';
import { busy, input, markInvalid, problemField, textarea } from '../components/form';
import { errorNotice, statusNotice } from '../components/notice';
import { h, replace } from '../dom';
import { exact } from '../format';

/** The ssh command for this portal, or null when its SSH server is off. */
export function sshCommand(server: SshServer, host: string, username: string): string | null {
  if (!server.enabled || server.port === null) return null;
  const port = server.port === 22 ? '' : `-p ${server.port} `;
  return `ssh ${port}${username}:DEVICE:TARGET@${host}`;
}

export function sshKeysCard(username: string): HTMLElement {
  const name = input({ label: 'Key name', name: 'ssh-key-name', required: true, maxlength: 64, hint: 'Where the key lives, e.g. laptop' });
  const key = textarea({ label: 'Public key', name: 'ssh-public-key', rows: 3, hint: 'One line of your .pub file, e.g. ~/.ssh/id_ed25519.pub' });
  key.control.required = true;
  const error = errorNotice();
  const done = statusNotice();
  const how = h('div');
  const body = h('tbody');
  const controls = { name: name.control, publicKey: key.control };

  const remove = async (k: SshKey) => {
    const ok = await confirmDialog({ title: `Delete key ${k.name}?`, message: 'SSH sessions signed in with it end at once.', confirmLabel: 'Delete' });
    if (!ok) return;
    error.clear();
    try {
      await sshApi.remove(k.id);
      done.show(`Key ${k.name} deleted.`);
      await load();
    } catch (e) {
      error.error(e);
    }
  };

  const load = async () => {
    try {
      const keys = await sshApi.list();
      replace(
        body,
        keys.length === 0
          ? h('tr', null, h('td', { attrs: { colspan: 5 }, class: 'muted' }, 'No keys.'))
          : keys.map((k) =>
              h(
                'tr',
                null,
                h('th', { attrs: { scope: 'row' } }, k.name),
                h('td', { class: 'mono' }, `${k.fingerprint} (${k.type})`),
                h('td', null, exact(k.createdAt)),
                h('td', null, k.lastUsedAt ? exact(k.lastUsedAt) : 'never'),
                h('td', null, h('button', { class: 'btn btn-danger', attrs: { type: 'button', 'aria-label': `Delete key ${k.name}` }, on: { click: () => void remove(k) } }, 'Delete')),
              ),
            ),
      );
    } catch (e) {
      error.error(e);
    }
  };

  const showServer = async () => {
    try {
      const server = await sshApi.server();
      const command = sshCommand(server, window.location.hostname, username);
      replace(
        how,
        command === null
          ? h('p', { class: 'hint' }, 'The SSH server is off on this portal (TETHER_SSH_PORT).')
          : [
              h('p', null, 'Connect with ', h('code', null, command), ' (TARGET may be left out: the device\u2019s first serial port).'),
              h('p', null, 'On first connection ssh shows the host key: it must be ', h('code', null, `${server.hostKeyFingerprint ?? ''}`), ` (${server.hostKeyType ?? ''}).`),
            ],
      );
    } catch (e) {
      error.error(e);
    }
  };

  const form: HTMLFormElement = h(
    'form',
    {
      attrs: { 'aria-label': 'Add an SSH key' },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          done.clear();
          markInvalid(controls, null);
          try {
            const added = await busy(form, () => sshApi.add(name.control.value.trim(), key.control.value.trim()));
            form.reset();
            done.show(`Key ${added.name} added: ${added.fingerprint}.`);
            await load();
          } catch (e) {
            error.error(e);
            markInvalid(controls, problemField(e));
          }
        },
      },
    },
    name.row,
    key.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Add key')),
  );
  void load();
  void showServer();
  return h(
    'section',
    { class: 'card', attrs: { 'aria-labelledby': 'ssh-keys-title' } },
    h('h2', { attrs: { id: 'ssh-keys-title' } }, 'SSH keys'),
    how,
    error.element,
    done.element,
    form,
    h(
      'table',
      { class: 'list' },
      h('caption', { class: 'visually-hidden' }, 'Your SSH keys'),
      h('thead', null, h('tr', null, ['Name', 'Fingerprint', 'Added', 'Last used', ''].map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
      body,
    ),
  );
}
