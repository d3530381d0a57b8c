// The account page's "Security" card: add a TOTP second factor (QR code drawn in the browser, the
// secret as text, confirm with a code), the recovery codes shown once, codes left, remove it.

import * as totpApi from '../api/totp';
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
  return [`Tether recovery codes for ${username} at ${host}`, 'Each code signs in once, in place of the authenticator app.', '', ...codes, ''].join('\n');
}

/** The card's sentences about the factor as it stands. */
export function securitySummary(status: TotpStatus): string[] {
  if (!status.active) {
    return ['Two-step sign-in is off: your password alone signs you in. Groups that require a second factor refuse your terminals until you add one.'];
  }
  const lines = [`Two-step sign-in is on (authenticator app). ${status.recoveryCodesLeft} of 10 recovery codes left.`];
  if (status.recoveryCodesLeft < FEW_RECOVERY_CODES) {
    lines.push('Few recovery codes are left: remove the factor and add it again for ten new ones.');
  }
  if (!status.sessionMfa) {
    lines.push('This session was signed in with your password alone: sign out and sign in again with a code to open terminals on groups that require a second factor.');
  }
  return lines;
}

export function securityCard(username: string): HTMLElement {
  const error = errorNotice();
  const done = statusNotice();
  const body = h('div');

  const load = async () => {
    try {
      show(await totpApi.status());
    } catch (e) {
      error.error(e);
    }
  };

  const show = (status: TotpStatus) => {
    const summary = securitySummary(status).map((line) => h('p', null, line));
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
    const text = recoveryCodesFile(username, window.location.host, codes);
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const saved = h('button', { class: 'btn btn-primary', attrs: { type: 'button' } }, 'I have saved them');
    saved.addEventListener('click', () => {
      URL.revokeObjectURL(url);
      done.show('Two-step sign-in is on. Sign out and in again with a code to open terminals on groups that require it.');
      void load();
    });
    replace(
      body,
      h('p', null, h('strong', null, 'Save these recovery codes now: they are shown only once. '), 'Each one signs you in once if you lose the app.'),
      h('ul', { class: 'recovery-codes mono' }, codes.map((c) => h('li', null, c))),
      copyBox('Recovery codes', codes.join('\n'), codes.length),
      h('div', { class: 'actions' }, h('a', { class: 'btn', attrs: { href: url, download: RECOVERY_FILE } }, 'Download'), saved),
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
  return h('section', { class: 'card', attrs: { 'aria-labelledby': 'security-title' } }, h('h2', { attrs: { id: 'security-title' } }, 'Security'), error.element, done.element, body);
}
