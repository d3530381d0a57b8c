// Admin, one user: how they sign in (password allowed, break-glass, linked identities) and an
// invitation link whose first single sign-on binds the identity to this account (shown once).

import * as ssoApi from '../../api/sso';
import * as usersApi from '../../api/users';
import type { Identity, User } from '../../api/types';
import { copyBox } from '../../components/secret';
import { errorNotice, statusNotice } from '../../components/notice';
import { h, replace } from '../../dom';
import { exact } from '../../format';
import { identityLine } from '../identities';

/** The password step and what follows it: the app, security keys, or nothing. */
export function passwordWords(user: User): string {
  if (!user.secondFactor) return 'password';
  // the view counts keys but does not say whether an app is there too
  return (user.securityKeys ?? 0) === 0 ? 'password and authenticator app' : 'password and a second factor (security key or app)';
}

/** How the user signs in, in one sentence. */
export function signInSummary(user: User, identities: Identity[]): string {
  const ways: string[] = [];
  if (user.passwordLogin !== false || (user.breakGlass && user.admin)) ways.push(passwordWords(user));
  if (identities.length > 0) ways.push(`single sign-on (${identities.map((i) => i.displayName).join(', ')})`);
  const how = ways.length === 0 ? 'No way to sign in: allow the password or send an invitation link.' : `Signs in with ${ways.join(' or ')}.`;
  return user.breakGlass ? `${how} Break-glass admin: the password works even when password sign-in is off.` : how;
}

export function userSsoCard(user: User, changed: (message: string) => void): HTMLElement {
  const error = errorNotice();
  const done = statusNotice();
  const body = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
  const toggle = (label: string, patch: { passwordLogin?: boolean; breakGlass?: boolean }, message: string) =>
    h(
      'button',
      {
        class: 'btn btn-plain',
        attrs: { type: 'button' },
        on: {
          click: async () => {
            error.clear();
            try {
              await usersApi.update(user.id, patch);
              changed(message);
            } catch (e) {
              error.error(e);
            }
          },
        },
      },
      label,
    );
  const invite = h(
    'button',
    {
      class: 'btn btn-primary',
      attrs: { type: 'button' },
      on: {
        click: async () => {
          error.clear();
          try {
            const invitation = await ssoApi.invite(user.id);
            const url = invitation.url.startsWith('/') ? `${window.location.origin}${invitation.url}` : invitation.url;
            done.show(`Invitation made, valid until ${exact(invitation.expiresAt)}. It is shown only now: send it to ${user.username}.`);
            replace(inviteBox, copyBox('Invitation link', url));
          } catch (e) {
            error.error(e);
          }
        },
      },
    },
    'Make invitation link',
  );
  const inviteBox = h('div');
  void ssoApi
    .userIdentities(user.id)
    .then((identities) =>
      replace(
        body,
        h('p', { attrs: { 'data-testid': 'sign-in-summary' } }, signInSummary(user, identities)),
        identities.length === 0 ? h('p', { class: 'muted' }, 'No linked identity.') : h('ul', { class: 'identities' }, identities.map((i) => h('li', null, identityLine(i)))),
      ),
    )
    .catch((e) => error.error(e));
  return h(
    'section',
    { class: 'card', attrs: { 'aria-labelledby': 'user-sso-title' } },
    h('h2', { attrs: { id: 'user-sso-title' } }, 'Sign-in'),
    error.element,
    done.element,
    body,
    h(
      'div',
      { class: 'actions', attrs: { role: 'group', 'aria-label': 'Sign-in methods' } },
      user.passwordLogin === false
        ? toggle('Allow password sign-in', { passwordLogin: true }, 'Password sign-in allowed.')
        : toggle('Turn off password sign-in', { passwordLogin: false }, 'Password sign-in is off for this user.'),
      user.admin
        ? user.breakGlass
          ? toggle('Remove break-glass', { breakGlass: false }, 'No longer break-glass.')
          : toggle('Mark break-glass', { breakGlass: true }, 'Break-glass: this admin signs in with a password even when password sign-in is off.')
        : null,
      invite,
    ),
    h('p', { class: 'hint' }, 'An invitation link is single use and valid 7 days; the first single sign-on through it links that identity to this account.'),
    inviteBox,
  );
}
