// Admin: whether a group's terminals, forwards and data flows need a second factor, and for how
// many days an API token made with one counts as one there (README, "Second factor").

import * as groupsApi from '../../api/groups';
import type { Group, GroupPatch } from '../../api/types';
import { busy, checkbox, input } from '../../components/form';
import { errorNotice, statusNotice } from '../../components/notice';
import { h } from '../../dom';

/** The portal's default and bound (AccessPolicy.DEFAULT_/MAX_SECOND_FACTOR_TOKEN_DAYS). */
export const DEFAULT_TOKEN_DAYS = 30;
export const MAX_TOKEN_DAYS = 365;
/** DeviceApi.MAX_REAUTH_MINUTES: a day. */
export const MAX_REAUTH_MINUTES = 1440;

/** The PATCH body of the form (empty minutes: never ask again), or the problem with what was typed. */
export function secondFactorPatch(required: boolean, tokenDays: string, reauthMinutes = ''): { ok: true; patch: GroupPatch } | { ok: false; field: string; error: string } {
  const value = Number(tokenDays.trim());
  if (tokenDays.trim() === '' || !Number.isInteger(value) || value < 1 || value > MAX_TOKEN_DAYS) {
    return { ok: false, field: 'secondFactorTokenDays', error: `API tokens count for a whole number of days, 1 to ${MAX_TOKEN_DAYS}.` };
  }
  const minutesText = reauthMinutes.trim();
  if (minutesText === '') {
    return { ok: true, patch: { requireSecondFactor: required, secondFactorTokenDays: value, noReauth: true } };
  }
  const minutes = Number(minutesText);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_REAUTH_MINUTES) {
    return { ok: false, field: 'reauthMinutes', error: `Ask again after a whole number of minutes, 1 to ${MAX_REAUTH_MINUTES}, or leave it empty.` };
  }
  return { ok: true, patch: { requireSecondFactor: required, secondFactorTokenDays: value, reauthMinutes: minutes } };
}

/** What the form says once saved. */
export function savedText(required: boolean, tokenDays: number): string {
  return required
    ? `Saved: terminals, forwards and data flows here need a second factor (API tokens for ${tokenDays} days after they were made); open ones without it close.`
    : 'Saved: a password sign-in opens terminals here again.';
}

/** The form on a group's card. */
export function groupSecondFactor(group: Group): HTMLFormElement {
  const required = checkbox('Require a second factor', 'require-second-factor', group.requireSecondFactor === true);
  const days = input({
    label: 'API tokens count as a second factor for (days)',
    name: 'second-factor-token-days',
    type: 'number',
    value: String(group.secondFactorTokenDays ?? DEFAULT_TOKEN_DAYS),
    hint: 'After a token was made from a session signed in with a second factor; then a new token is needed.',
  });
  days.control.min = '1';
  days.control.max = String(MAX_TOKEN_DAYS);
  const again = input({
    label: 'Ask again before each session after (minutes)',
    name: 'reauth-minutes',
    type: 'number',
    value: group.reauthMinutes == null ? '' : String(group.reauthMinutes),
    hint: 'A terminal, forward or device page then opens only if the second factor was given this recently; the terminal asks for a code. Empty: never ask again.',
  });
  again.control.min = '1';
  again.control.max = String(MAX_REAUTH_MINUTES);
  const error = errorNotice();
  const done = statusNotice();
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'group-settings',
      attrs: { 'aria-label': `Second factor on ${group.name}` },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          done.clear();
          const result = secondFactorPatch(required.control.checked, days.control.value, again.control.value);
          if (!result.ok) {
            error.show(result.error);
            return;
          }
          try {
            const saved = await busy(form, () => groupsApi.update(group.id, result.patch));
            done.show(savedText(saved?.requireSecondFactor ?? required.control.checked, saved?.secondFactorTokenDays ?? Number(days.control.value)));
          } catch (e) {
            error.error(e);
          }
        },
      },
    },
    h('h4', null, 'Second factor'),
    required.row,
    h('p', { class: 'hint' }, 'Users then open terminals here only when signed in with a second factor, and API tokens only when made from such a session.'),
    days.row,
    again.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-plain', attrs: { type: 'submit' } }, 'Save')),
    error.element,
    done.element,
  );
  return form;
}
