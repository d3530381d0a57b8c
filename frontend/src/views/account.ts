// The signed-in user's own account: change the password, two-step sign-in, linked single sign-on
// identities, e-mail alerts, SSH keys, the sessions signed in (each can be signed out).

import * as auth from '../api/auth';
import { busy, input } from '../components/form';
import { errorNotice, statusNotice } from '../components/notice';
import { h } from '../dom';
import type { View, ViewContext } from '../router';
import * as session from '../session';
import { emailAlertsCard } from './emailAlerts';
import { identitiesCard } from './identities';
import { securityCard } from './security';
import { securityKeysCard } from './securityKeys';
import { groupsRequiringEnrolment } from './signIn';
import { signInsCard } from './signIns';
import { sshKeysCard } from './sshKeys';

/**
 * The words a sign-in taken to enrolment reads first: which groups refuse it and what to do. Null
 * when the page was not opened for enrolment or no group refuses any more.
 */
export function enrolMessage(enrol: string | null, groups: string[]): string | null {
  if (enrol !== 'second-factor' || groups.length === 0) return null;
  const which = groups.length === 1 ? `Group ${groups[0]} requires` : `Groups ${groups.join(', ')} require`;
  return `${which} a second factor for terminals, forwards and data flows. Add an authenticator app under Security below, then sign out and sign in again with a code.`;
}

function enrolNotice(enrol: string | null, groups: string[]): HTMLElement | null {
  const message = enrolMessage(enrol, groups);
  if (message === null) return null;
  return h('div', { class: 'notice notice-status', attrs: { role: 'status' } }, message, ' ', h('a', { attrs: { href: '#security-title' } }, 'Go to Security'));
}

export function accountView(context: ViewContext): View {
  const current = input({ label: 'Current password', name: 'current-password', type: 'password', required: true, autocomplete: 'current-password' });
  const next = input({ label: 'New password', name: 'new-password', type: 'password', required: true, autocomplete: 'new-password', hint: '8 to 72 bytes; your other sessions end' });
  const error = errorNotice();
  const done = statusNotice();
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'card',
      attrs: { 'aria-labelledby': 'password-title' },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          done.clear();
          try {
            await busy(form, () => auth.changePassword(current.control.value, next.control.value));
            form.reset();
            done.show('Password changed. Your other sessions have ended.');
          } catch (e) {
            error.error(e);
          }
        },
      },
    },
    h('h2', { attrs: { id: 'password-title' } }, 'Change password'),
    error.element,
    done.element,
    current.row,
    next.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Change password')),
  );
  const signedOutHere = () => {
    session.forget();
    context.navigate('/sign-in');
  };
  return {
    title: 'Account',
    element: h(
      'section',
      null,
      h('h1', null, 'Your account'),
      h('p', null, 'Signed in as ', h('strong', null, session.me()?.username ?? '')),
      enrolNotice(context.query.get('enrol'), groupsRequiringEnrolment(session.me())),
      form,
      securityCard(session.me()?.username ?? ''),
      securityKeysCard(session.me()?.username ?? ''),
      identitiesCard(context.query.get('linked')),
      emailAlertsCard(),
      sshKeysCard(session.me()?.username ?? ''),
      signInsCard(() => auth.logoutEverywhere(), signedOutHere),
    ),
  };
}
