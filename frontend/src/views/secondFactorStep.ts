// The second step of a sign-in for a user with a second factor: a security key, a code of the
// authenticator app, or a recovery code. Every answer of the portal (and of the browser's key
// prompt) has words and a way forward.

import { ApiError, describeError } from '../api/http';
import { keyProblem, unsupportedReason } from '../api/webauthn';
import { busy, input } from '../components/form';
import { errorNotice } from '../components/notice';
import { h } from '../dom';
import type { Me } from '../api/types';
import * as session from '../session';

/** Which proof the step asks for. */
export type ProofKind = 'code' | 'recoveryCode';

/** A code as typed: spaces (and, for a recovery code, nothing else) removed. */
export function cleanCode(kind: ProofKind, typed: string): string {
  return kind === 'code' ? typed.replace(/\s+/g, '') : typed.trim();
}

/** Whether a typed authenticator code can be sent: six digits. */
export function isTotpCode(code: string): boolean {
  return /^\d{6}$/.test(code);
}

/**
 * What the step says about a refused proof: a wrong code (try again), a locked step (the portal's
 * words with the wait) or a pending sign-in that ended (start over with the password).
 */
export function secondFactorProblem(error: unknown): { message: string; startOver: boolean } {
  if (error instanceof ApiError && error.status === 429) {
    return { message: `${error.detail || 'Too many wrong codes.'} Wait, then try again; a recovery code is refused too while it lasts.`, startOver: false };
  }
  const browser = keyProblem(error);
  if (browser !== null) {
    return { message: browser, startOver: false };
  }
  if (error instanceof ApiError && error.status === 401) {
    if (/security key not recognised/.test(error.detail)) {
      return { message: 'That security key was not recognised: use a key you registered for this account, or a code.', startOver: false };
    }
    if (/^wrong /.test(error.detail)) {
      return { message: error.detail.includes('recovery') ? 'That recovery code is wrong or was used already.' : 'That code is wrong. Check the app shows Tether and try the current code.', startOver: false };
    }
    return { message: 'This sign-in has expired or was completed elsewhere. Sign in again with your password.', startOver: true };
  }
  return { message: describeError(error), startOver: false };
}

/** The factors a pending sign-in names (docs/api.md); unknown (older portals): app and codes. */
export function parseMethods(text: string | null | undefined): string[] {
  const methods = (text ?? '').split(',').filter((m) => m !== '');
  return methods.length > 0 ? methods : ['totp', 'recovery'];
}

/**
 * The form of the second step; {@code done} runs once signed in, {@code startOver} when the user
 * (or an ended pending sign-in) goes back to the password form. {@code methods} are the factors
 * the login answer named: "Use a security key" is offered with webauthn, the code field with totp.
 */
export function secondFactorForm(
  pendingToken: string,
  done: (me: Me) => void,
  startOver: () => void,
  intro = 'Your password was right. Now confirm it is you with your second factor.',
  methods: string[] = ['totp', 'recovery'],
): HTMLFormElement {
  const hasTotp = methods.includes('totp');
  const hasKey = methods.includes('webauthn');
  let kind: ProofKind = hasTotp ? 'code' : 'recoveryCode';
  const code = input({ label: 'Code from your authenticator app', name: 'totp-code', required: true, autocomplete: 'one-time-code', maxlength: 8, hint: 'Six digits; a new one every 30 seconds' });
  code.control.inputMode = 'numeric';
  const recovery = input({ label: 'Recovery code', name: 'recovery-code', required: true, maxlength: 64, hint: 'One of the codes you saved when you added the app; each works once' });
  recovery.row.hidden = hasTotp;
  code.row.hidden = !hasTotp;
  const error = errorNotice();
  const toggle = h('button', { class: 'btn btn-plain', attrs: { type: 'button' } }, 'Use a recovery code');
  toggle.hidden = !hasTotp;
  const keyUnsupported = hasKey ? unsupportedReason() : null;
  const keyButton = h('button', { class: 'btn btn-primary', attrs: { type: 'button' } }, 'Use a security key');
  keyButton.addEventListener('click', async () => {
    error.clear();
    try {
      done(await busy(form, () => session.completeWithKey(pendingToken)));
    } catch (e) {
      const problem = secondFactorProblem(e);
      if (problem.startOver) {
        startOver();
        return;
      }
      error.show(problem.message);
      keyButton.focus();
    }
  });
  const keyRow = hasKey
    ? h(
        'div',
        { class: 'security-key-step' },
        keyUnsupported !== null ? h('p', { class: 'hint' }, keyUnsupported) : h('p', null, 'Insert or touch your security key, or use a passkey on this device.'),
        keyUnsupported !== null ? null : h('div', { class: 'actions' }, keyButton),
        h('p', { class: 'hint' }, hasTotp ? 'Or enter a code:' : 'Or enter one of your recovery codes:'),
      )
    : null;
  const back = h('button', { class: 'btn btn-plain', attrs: { type: 'button' } }, 'Start over');
  const field = () => (kind === 'code' ? code : recovery);
  toggle.addEventListener('click', () => {
    kind = kind === 'code' ? 'recoveryCode' : 'code';
    code.row.hidden = kind !== 'code';
    recovery.row.hidden = kind === 'code';
    toggle.textContent = kind === 'code' ? 'Use a recovery code' : 'Use the authenticator app';
    error.clear();
    field().control.focus();
  });
  back.addEventListener('click', startOver);
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'card sign-in',
      attrs: { 'aria-labelledby': 'second-factor-title', novalidate: true },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          const value = cleanCode(kind, field().control.value);
          if (kind === 'code' ? !isTotpCode(value) : value === '') {
            error.show(kind === 'code' ? 'Enter the six digits your authenticator app shows.' : 'Enter one of your recovery codes.');
            field().control.focus();
            return;
          }
          try {
            const proof = kind === 'code' ? { code: value } : { recoveryCode: value };
            done(await busy(form, () => session.completeSecondFactor(pendingToken, proof)));
          } catch (e) {
            const problem = secondFactorProblem(e);
            field().control.value = '';
            if (problem.startOver) {
              startOver();
              return;
            }
            error.show(problem.message);
            field().control.focus();
          }
        },
      },
    },
    h('h1', { attrs: { id: 'second-factor-title' } }, 'Two-step sign-in'),
    h('p', null, intro),
    error.element,
    keyRow,
    code.row,
    recovery.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Verify'), toggle, back),
  );
  queueMicrotask(() => (hasKey && keyUnsupported === null ? keyButton : field().control).focus());
  return form;
}
