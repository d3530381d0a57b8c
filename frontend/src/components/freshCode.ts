// What a form shows once the portal asks for a fresh second factor (link ports and raw ingress on a
// group that requires one: api/freshFactor.ts): a code field for an authenticator app, a button for
// a security key (a step-up for the session, then the form is sent again), by what the user has.

import { ApiError, describeError } from '../api/http';
import { keyProblem, presentFreshKey } from '../api/webauthn';
import { h } from '../dom';
import * as session from '../session';
import { input } from './form';

export interface FreshCodeField {
  row: HTMLElement;
  control: HTMLInputElement;
  /** Shows what the user can confirm with and moves the focus there. */
  ask: () => void;
  /** The code typed, while the field is shown. */
  value: () => string | undefined;
  /** Empties and hides the field (after a success). */
  reset: () => void;
}

/** What the user can confirm with: an authenticator app unless the portal says otherwise, keys. */
function methods(): { app: boolean; key: boolean } {
  const listed = session.me()?.secondFactorMethods;
  return { app: listed === undefined || listed.includes('totp'), key: listed?.includes('webauthn') === true };
}

/** What to tell the user when the portal wants a fresh second factor for {@code what} ("a link port"). */
export function freshCodePrompt(error: unknown, what: string): string {
  if (error instanceof ApiError && error.detail.includes('is wrong')) {
    return 'That code is wrong or was used already: enter the current one from your authenticator app.';
  }
  const { app, key } = methods();
  const how = app && key ? 'enter a current code from your authenticator app or use your security key' : key ? 'use your security key' : 'enter a current code from your authenticator app';
  return `This device's group requires a second factor, and ${what} lets connections in without one: ${how} to confirm it is you.`;
}

export function freshCodeField(): FreshCodeField {
  const field = input({
    label: 'Code from your authenticator app',
    name: 'fresh-code',
    autocomplete: 'one-time-code',
    maxlength: 6,
    hint: 'Six digits, used once.',
  });
  field.control.inputMode = 'numeric';
  const problem = h('p', { class: 'error', attrs: { role: 'alert' } });
  problem.hidden = true;
  const useKey = h('button', { class: 'btn', attrs: { type: 'button' } }, 'Use a security key');
  const row = h('div', { class: 'fresh-code' }, field.row, h('div', { class: 'actions' }, useKey), problem);
  row.hidden = true;
  useKey.addEventListener('click', async () => {
    problem.hidden = true;
    try {
      await presentFreshKey();
      // the session's step-up stands in for a code for a moment: send the form again without one
      field.row.hidden = true;
      useKey.closest('form')?.requestSubmit();
    } catch (e) {
      problem.textContent = keyProblem(e) ?? describeError(e);
      problem.hidden = false;
    }
  });
  return {
    row,
    control: field.control,
    ask: () => {
      const { app, key } = methods();
      row.hidden = false;
      field.row.hidden = !app;
      useKey.hidden = !key;
      field.control.value = '';
      (app ? field.control : useKey).focus();
    },
    value: () => (row.hidden || field.row.hidden ? undefined : field.control.value),
    reset: () => {
      field.control.value = '';
      problem.hidden = true;
      row.hidden = true;
    },
  };
}
