// The account page's "Security" card: add a TOTP second factor (QR code drawn in the browser, the
// secret as text, confirm with a code), the recovery codes shown once, codes left, remove it; the
// summary counts security keys too (their own card is securityKeys.ts).

import * as totpApi from '../api/totp';
import * as keysApi from '../api/webauthn';
import type { TotpEnrolment, TotpStatus } from '../api/types';
import { busy, input } from '../components/form';
import { errorNotice, statusNotice } from '../components/notice';
import { qrImage } from '../components/qr';
import { copyBox } from '../components/secret';
import { h, replace } from '../dom';
import { cleanCode, isTotpCode } from './secondFactorStep';

/** Recovery codes left below which the card warns. */
export const FEW_RECOVERY_CODES = 3;

export const RECOVERY_FILE = 'tether-recovery-codes.txt';

/** The recovery codes as the downloaded file has them. */
export function recoveryCodesFile(username: string, host: string, codes: string[]): string {
  return [`Tether recovery codes for ${username} at ${host}`, 'Each code signs in once, in place of the authenticator app or a security key.', '', ...codes, ''].join('\n');
}

/** Fired on window when a factor is added or removed elsewhere on the page (the keys card). */
export const FACTORS_CHANGED = 'tether:second-factor-changed';

/** The card's sentences about the factors as they stand: the app, and how many security keys. */
export function securitySummary(status: TotpStatus, keys = 0): string[] {
  if (!status.active && keys === 0) {
    return ['Two-step sign-in is off: your password alone signs you in. Groups that require a second factor refuse your terminals until you add one.'];
  }
  const factors = [status.active ? 'authenticator app' : null, keys > 0 ? (keys === 1 ? '1 security key' : `${keys} security keys`) : null].filter((w) => w !== null).join(' and ');
  const lines = [`Two-step sign-in is on (${factors}). ${status.recoveryCodesLeft} of 10 recovery codes left.`];
  if (status.recoveryCodesLeft < FEW_RECOVERY_CODES) {
    lines.push(status.active ? 'Few recovery codes are left: remove the factor and add it again for ten new ones.' : 'Few recovery codes are left: add an authenticator app for ten new ones.');
  }
  if (!status.sessionMfa) {
    lines.push('This session was signed in with your password alone: sign out and sign in again with your second factor to open terminals on groups that require one.');
  }
  return lines;
}

export function securityCard(username: string): HTMLElement {
  const error = errorNotice();
  const done = statusNotice();
  const body = h('div');

  const load = async () => {
    try {
      const [status, keys] = await Promise.all([totpApi.status(), keysApi.list()]);
      show(status, keys.length);
    } catch (e) {
      error.error(e);
    }
  };

  const show = (status: TotpStatus, keys: number) => {
    const summary = securitySummary(status, keys).map((line) => h('p', null, line));
    replace(body, ...summary, status.active ? removeForm() : h('div', { class: 'actions' }, addButton()));
  };

  const addButton = () =>
    h(
      'button',
      {
        class: 'btn btn-primary',
        attrs: { type: 'button' },
        on: {
          click: async (event) => {
            error.clear();
            done.clear();
            try {
              const button = event.currentTarget as HTMLButtonElement;
              button.disabled = true;
              enrol(await totpApi.begin());
            } catch (e) {
              error.error(e);
            }
          },
        },
      },
      'Add an authenticator app',
    );

  const enrol = (enrolment: TotpEnrolment) => {
    const code = input({ label: 'Code the app shows', name: 'totp-confirm-code', required: true, autocomplete: 'one-time-code', maxlength: 8 });
    code.control.inputMode = 'numeric';
    const form: HTMLFormElement = h(
      'form',
      {
        attrs: { 'aria-label': 'Confirm the authenticator app', novalidate: true },
        on: {
          submit: async (event) => {
            event.preventDefault();
            error.clear();
            const value = cleanCode('code', code.control.value);
            if (!isTotpCode(value)) {
              error.show('Enter the six digits the app shows for Tether.');
              return;
            }
            try {
              const { recoveryCodes } = await busy(form, () => totpApi.confirm(value));
              showRecoveryCodes(recoveryCodes);
            } catch (e) {
              code.control.value = '';
              error.error(e);
              code.control.focus();
            }
          },
        },
      },
      code.row,
      h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Confirm')),
    );
    replace(
      body,
      h('p', null, 'Scan this QR code with an authenticator app (any TOTP app), or type the secret into it. Then enter the code it shows.'),
      h('div', { class: 'totp-qr' }, qrImage(enrolment.otpauthUri, 'QR code of your TOTP secret')),
      copyBox('Secret', enrolment.secret),
      form,
    );
    queueMicrotask(() => code.control.focus());
  };

  const showRecoveryCodes = (codes: string[]) => {
    replace(
      body,
      ...recoveryCodesBlock(username, codes, () => {
        done.show('Two-step sign-in is on. Sign out and in again with a code to open terminals on groups that require it.');
        void load();
      }),
    );
  };

  const removeForm = () => {
    const password = input({ label: 'Password', name: 'totp-remove-password', type: 'password', required: true, autocomplete: 'current-password' });
    const code = input({ label: 'Code from the app, or a recovery code', name: 'totp-remove-code', required: true, autocomplete: 'one-time-code', maxlength: 64 });
    const form: HTMLFormElement = h(
      'form',
      {
        attrs: { 'aria-label': 'Remove two-step sign-in', novalidate: true },
        on: {
          submit: async (event) => {
            event.preventDefault();
            error.clear();
            done.clear();
            const typed = cleanCode('code', code.control.value);
            const proof = isTotpCode(typed) ? { code: typed } : { recoveryCode: code.control.value.trim() };
            try {
              await busy(form, () => totpApi.remove(password.control.value, proof));
              done.show('Two-step sign-in removed: your password alone signs you in.');
              await load();
            } catch (e) {
              error.error(e);
            }
          },
        },
      },
      h('h3', null, 'Remove'),
      password.row,
      code.row,
      h('div', { class: 'actions' }, h('button', { class: 'btn btn-danger', attrs: { type: 'submit' } }, 'Remove two-step sign-in')),
    );
    return form;
  };

  void load();
  const card = h('section', { class: 'card', attrs: { 'aria-labelledby': 'security-title' } }, h('h2', { attrs: { id: 'security-title' } }, 'Security'), error.element, done.element, body);
  const changed = () => {
    if (!card.isConnected) {
      window.removeEventListener(FACTORS_CHANGED, changed);
      return;
    }
    void load();
  };
  window.addEventListener(FACTORS_CHANGED, changed);
  return card;
}

/**
 * The recovery codes, shown once: the list, a copy box, a download, and "I have saved them"
 * (which runs {@code saved}).
 */
export function recoveryCodesBlock(username: string, codes: string[], saved: () => void): HTMLElement[] {
  const text = recoveryCodesFile(username, window.location.host, codes);
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const done = h('button', { class: 'btn btn-primary', attrs: { type: 'button' } }, 'I have saved them');
  done.addEventListener('click', () => {
    URL.revokeObjectURL(url);
    saved();
  });
  return [
    h('p', null, h('strong', null, 'Save these recovery codes now: they are shown only once. '), 'Each one signs you in once if you lose your second factor.'),
    h('ul', { class: 'recovery-codes mono' }, codes.map((c) => h('li', null, c))),
    copyBox('Recovery codes', codes.join('\n'), codes.length),
    h('div', { class: 'actions' }, h('a', { class: 'btn', attrs: { href: url, download: RECOVERY_FILE } }, 'Download'), done),
  ];
}
