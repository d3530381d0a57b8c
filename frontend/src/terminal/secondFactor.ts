// A terminal that a group's "second factor required" refuses: the words and the way forward.

import { presentFreshCode } from '../api/auth';
import { keyProblem, presentFreshKey } from '../api/webauthn';
import { describeError } from '../api/http';
import type { Me } from '../api/types';
import { busy, input } from '../components/form';
import { h } from '../dom';

/**
 * Whether the portal refuses this signed-in user's terminals on {@code group} for want of a second
 * factor (GET /api/me says). Only decides what the UI says: the portal decides on every open.
 */
export function lacksSecondFactor(me: Me | null, group: string): boolean {
  return me?.secondFactorRequired?.includes(group) === true;
}

/** The notice shown in place of the terminal, with a link to the account page's Security card. */
export function secondFactorNotice(group: string): HTMLElement {
  return h(
    'span',
    null,
    h('strong', null, 'Second factor required. '),
    `Group ${group} opens terminals only for a sign-in with a second factor: add an authenticator app on your account page if you have none, then sign out and sign in again with a code. `,
    h('a', { attrs: { href: '/account#security-title' } }, 'Go to two-step sign-in'),
  );
}

/** Whether {@code group} asks this session for its second factor again before a new session. */
export function asksAgain(me: Me | null, group: string): boolean {
  return me?.freshSecondFactor?.includes(group) === true;
}

/**
 * The prompt shown in place of the terminal when the group asks for the second factor again: a
 * code field for an authenticator app, a button for a security key (by {@code methods}, what the
 * user has; a portal that does not say offers the code); once the portal took either, {@code done}
 * opens the terminal.
 */
export function freshFactorPrompt(group: string, methods: string[] | undefined, done: () => void): HTMLElement {
  const app = methods === undefined || methods.includes('totp');
  const key = methods?.includes('webauthn') === true;
  const code = input({ label: 'Code from your authenticator app', name: 'fresh-code', autocomplete: 'one-time-code', maxlength: 6, required: app });
  code.control.inputMode = 'numeric';
  code.row.hidden = !app;
  const problem = h('p', { class: 'error', attrs: { role: 'alert' } });
  problem.hidden = true;
  const failed = (e: unknown) => {
    problem.textContent = keyProblem(e) ?? describeError(e);
    problem.hidden = false;
  };
  const useKey = h('button', { class: app ? 'btn' : 'btn btn-primary', attrs: { type: 'button' } }, 'Use a security key');
  useKey.hidden = !key;
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'fresh-factor',
      attrs: { 'aria-label': 'Second factor again' },
      on: {
        submit: async (event) => {
          event.preventDefault();
          if (!app) return;
          problem.hidden = true;
          try {
            await busy(form, () => presentFreshCode(code.control.value));
            done();
          } catch (e) {
            failed(e);
            code.control.select();
          }
        },
      },
    },
    h('p', null, h('strong', null, 'Second factor again. '), `Group ${group} asks for ${freshFactorWords(app, key)} before each session.`),
    code.row,
    problem,
    h('div', { class: 'actions' }, ...(app ? [h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Open the terminal')] : []), useKey),
  );
  useKey.addEventListener('click', async () => {
    problem.hidden = true;
    try {
      await busy(form, () => presentFreshKey());
      done();
    } catch (e) {
      failed(e);
    }
  });
  queueMicrotask(() => (app ? code.control : useKey).focus());
  return form;
}

function freshFactorWords(app: boolean, key: boolean): string {
  if (app && key) return 'a current code of your authenticator app or your security key';
  return key ? 'your security key' : 'a current code of your authenticator app';
}
