// The sign-in form. Errors are the API's own words (wrong password, lockout with its wait time). A
// user with a second factor then gets the code step (secondFactorStep.ts) in its place.

import { h } from '../dom';
import { busy, input } from '../components/form';
import { errorNotice } from '../components/notice';
import type { View, ViewContext } from '../router';
import * as session from '../session';
import { secondFactorForm } from './secondFactorStep';

export const FIRST_LOGIN_HINT =
  "The first admin is 'admin'; its password was printed once in the portal log, or set with TETHER_ADMIN_PASSWORD.";

/** Where to go after signing in: only a path of this site (never "//other.host"). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/sign-in') ? next : '/';
}

export function signInView(context: ViewContext): View {
  const username = input({ label: 'Username', name: 'username', required: true, autocomplete: 'username' });
  const password = input({ label: 'Password', name: 'password', type: 'password', required: true, autocomplete: 'current-password' });
  const error = errorNotice();
  const submit = h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Sign in');
  const signedIn = () => context.navigate(safeNext(context.query.get('next')), { replace: true });
  const form = h(
    'form',
    {
      class: 'card sign-in',
      attrs: { 'aria-labelledby': 'sign-in-title', novalidate: true },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          if (!username.control.value || !password.control.value) {
            error.show('Enter your username and password.');
            return;
          }
          try {
            const step = await busy(form, () => session.signIn(username.control.value.trim(), password.control.value));
            if (step.kind === 'second-factor') {
              password.control.value = '';
              section.replaceChildren(
                secondFactorForm(step.pendingToken, signedIn, () => {
                  section.replaceChildren(form);
                  error.show('Sign in again with your password.');
                  password.control.focus();
                }),
              );
              return;
            }
            signedIn();
          } catch (e) {
            password.control.value = '';
            error.error(e);
            password.control.focus();
          }
        },
      },
    },
    h('h1', { attrs: { id: 'sign-in-title' } }, 'Sign in to Tether'),
    error.element,
    username.row,
    password.row,
    h('div', { class: 'actions' }, submit),
    h('p', { class: 'hint first-login' }, h('strong', null, 'First sign-in? '), FIRST_LOGIN_HINT),
  );
  const section = h('section', { class: 'center' }, form);
  queueMicrotask(() => username.control.focus());
  return { title: 'Sign in', element: section };
}
