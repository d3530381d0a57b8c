// The account page's "Security keys and passkeys" card: register a key (named), list them with
// when each was added and last used, rename, remove. Every refusal of the browser has words.

import { ApiError, describeError } from '../api/http';
import type { SecurityKey } from '../api/types';
import * as keysApi from '../api/webauthn';
import { confirmDialog } from '../components/confirm';
import { busy, input, markInvalid, problemField } from '../components/form';
import { errorNotice, statusNotice } from '../components/notice';
import { h, replace } from '../dom';
import { exact } from '../format';
import { FACTORS_CHANGED, recoveryCodesBlock } from './security';

/** What the card says about a failed registration or change, in words. */
export function keyError(error: unknown): string {
  const browser = keysApi.keyProblem(error);
  if (browser !== null) return browser;
  if (error instanceof ApiError && error.status === 400 && error.field === 'credential') {
    return `The portal did not accept this key: ${error.detail}`;
  }
  return describeError(error);
}

export function securityKeysCard(username: string): HTMLElement {
  const error = errorNotice();
  const done = statusNotice();
  const body = h('tbody');
  const extra = h('div');
  const name = input({ label: 'Security key name', name: 'security-key-name', required: true, maxlength: 64, hint: 'So you can tell your keys apart, e.g. YubiKey on the keyring' });
  const unsupported = keysApi.unsupportedReason();

  const changed = () => window.dispatchEvent(new Event(FACTORS_CHANGED));

  const load = async () => {
    try {
      const keys = await keysApi.list();
      replace(body, keys.length === 0 ? h('tr', null, h('td', { attrs: { colspan: 4 }, class: 'muted' }, 'No security keys.')) : keys.map(row));
    } catch (e) {
      error.error(e);
    }
  };

  const row = (k: SecurityKey) =>
    h(
      'tr',
      null,
      h('th', { attrs: { scope: 'row' } }, k.name),
      h('td', null, exact(k.createdAt)),
      h('td', null, k.lastUsedAt ? exact(k.lastUsedAt) : 'never'),
      h(
        'td',
        null,
        h('button', { class: 'btn btn-plain', attrs: { type: 'button', 'aria-label': `Rename key ${k.name}` }, on: { click: () => renameForm(k) } }, 'Rename'),
        ' ',
        h('button', { class: 'btn btn-danger', attrs: { type: 'button', 'aria-label': `Remove key ${k.name}` }, on: { click: () => void remove(k) } }, 'Remove'),
      ),
    );

  const renameForm = (k: SecurityKey) => {
    error.clear();
    done.clear();
    const newName = input({ label: `New name for ${k.name}`, name: 'security-key-rename', required: true, maxlength: 64 });
    newName.control.value = k.name;
    const form: HTMLFormElement = h(
      'form',
      {
        attrs: { 'aria-label': `Rename key ${k.name}`, novalidate: true },
        on: {
          submit: async (event) => {
            event.preventDefault();
            const value = newName.control.value.trim();
            if (value === '') {
              error.show('Enter a name for the key.');
              return;
            }
            try {
              await busy(form, () => keysApi.rename(k.id, value));
              replace(extra);
              done.show(`Key ${k.name} is now ${value}.`);
              await load();
            } catch (e) {
              error.error(e);
            }
          },
        },
      },
      newName.row,
      h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Save name'), h('button', { class: 'btn btn-plain', attrs: { type: 'button' }, on: { click: () => replace(extra) } }, 'Cancel')),
    );
    replace(extra, form);
    newName.control.focus();
  };

  const remove = async (k: SecurityKey) => {
    const ok = await confirmDialog({ title: `Remove key ${k.name}?`, message: 'It no longer signs you in. With your last second factor, your recovery codes go too.', confirmLabel: 'Remove' });
    if (!ok) return;
    error.clear();
    done.clear();
    try {
      await keysApi.remove(k.id);
      done.show(`Key ${k.name} removed.`);
      changed();
      await load();
    } catch (e) {
      error.error(e);
    }
  };

  const form: HTMLFormElement = h(
    'form',
    {
      attrs: { 'aria-label': 'Register a security key', novalidate: true },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          done.clear();
          markInvalid({ name: name.control }, null);
          const value = name.control.value.trim();
          if (value === '') {
            error.show('Enter a name for the key first.');
            name.control.focus();
            return;
          }
          try {
            done.show('Touch your security key (or confirm on your device) when the browser asks.');
            const registered = await busy(form, () => keysApi.register(value));
            form.reset();
            done.show(`Key ${registered.key.name} registered: it signs you in from now on.`);
            changed();
            await load();
            if (registered.recoveryCodes.length > 0) replace(extra, ...recoveryCodesBlock(username, registered.recoveryCodes, () => replace(extra)));
          } catch (e) {
            done.clear();
            error.show(keyError(e));
            markInvalid({ name: name.control }, problemField(e));
          }
        },
      },
    },
    name.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Register a security key')),
  );
  if (unsupported !== null) {
    form.hidden = true;
  }
  void load();
  return h(
    'section',
    { class: 'card', attrs: { 'aria-labelledby': 'security-keys-title' } },
    h('h2', { attrs: { id: 'security-keys-title' } }, 'Security keys and passkeys'),
    h('p', null, 'A security key (USB or NFC) or a passkey on this device signs you in after your password, in place of a code. It works only at this portal\u2019s address, so a look-alike site cannot use it.'),
    unsupported !== null ? h('p', { class: 'notice notice-status', attrs: { role: 'status' } }, unsupported) : null,
    error.element,
    done.element,
    form,
    extra,
    h(
      'table',
      { class: 'list' },
      h('caption', { class: 'visually-hidden' }, 'Your security keys'),
      h('thead', null, h('tr', null, ['Name', 'Added', 'Last used', ''].map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
      body,
    ),
  );
}
