// The sign-in form, with a "Sign in with …" button per single sign-on provider. Errors are the API's
// own words (wrong password, lockout with its wait time). A user with a second factor then gets the
// code step (secondFactorStep.ts) in its place, also after single sign-on (/sign-in?second-factor=
// NAME#PENDING-TOKEN). A refused single sign-on lands here as ?sso=REASON and is explained.

import { h } from '../dom';
import * as ssoApi from '../api/sso';
import type { Me, Providers } from '../api/types';
import { busy, input } from '../components/form';
import { errorNotice, statusNotice } from '../components/notice';
import type { View, ViewContext } from '../router';
import * as session from '../session';
import { parseMethods, secondFactorForm } from './secondFactorStep';

export const FIRST_LOGIN_HINT =
  "The first admin is 'admin'; its password was printed once in the portal log, or set with TETHER_ADMIN_PASSWORD.";

/** Where to go after signing in: only a path of this site (never "//other.host"). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/sign-in') ? next : '/';
}

/** The account page's enrolment: where a sign-in goes that groups refuse for want of a factor. */
export const ENROL_PATH = '/account?enrol=second-factor';

/** The groups the user has a grant on that refuse this sign-in for want of a second factor. */
export function groupsRequiringEnrolment(me: Me | null): string[] {
  const granted = new Set((me?.grants ?? []).map((g) => g.group));
  return (me?.secondFactorRequired ?? []).filter((g) => granted.has(g));
}

/**
 * Where a fresh sign-in goes: the page asked for ({@code next}), or — when nothing was asked and a
 * group the user has a grant on refuses this sign-in for want of a second factor — enrolment. (An
 * admin reaches every group without a grant: their terminals say so when they open one.)
 */
export function afterSignIn(me: Me | null, next: string | null): string {
  if (next === null && groupsRequiringEnrolment(me).length > 0) return ENROL_PATH;
  return safeNext(next);
}

const NEXT_KEY = 'tether.next';

/**
 * Single sign-on leaves the app and comes back to "/": where the user was going (the page that sent
 * them to sign in, e.g. the command line's /cli-login) is kept in this tab meanwhile.
 */
export function rememberNext(next: string | null): void {
  try {
    if (next && safeNext(next) !== '/') sessionStorage.setItem(NEXT_KEY, next);
    else sessionStorage.removeItem(NEXT_KEY);
  } catch {
    // no storage (privacy settings): single sign-on then lands on the overview
  }
}

/** Where {@link rememberNext} said to go, once; null when nothing is kept. */
export function takeRememberedNext(): string | null {
  try {
    const next = sessionStorage.getItem(NEXT_KEY);
    sessionStorage.removeItem(NEXT_KEY);
    return next ? safeNext(next) : null;
  } catch {
    return null;
  }
}

/** What the page says about a refused single sign-on, by the portal's reason code. */
export const SSO_PROBLEMS: Record<string, string> = {
  expired: 'This sign-in expired or was already used. Start again with the button below.',
  refused: "The identity provider's answer was refused (it was for another portal, from another issuer, or expired). Try again; if it keeps happening, tell your administrator: the audit log says why.",
  provider: 'The identity provider could not be reached or did not sign you in. Try again later, or sign in with a password if you have one.',
  unbound: 'No account for this identity. Ask an administrator for an invitation link, then open it and sign in again.',
  disabled: 'This account is disabled. Ask an administrator.',
  invitation: 'This invitation link has expired or was already used. Ask an administrator for a new one.',
  'linked-elsewhere': 'That identity is already linked to another account.',
};

/** The sentence for {@code reason}; an unknown code still gets words and a way forward. */
export function ssoProblem(reason: string): string {
  return SSO_PROBLEMS[reason] ?? 'Single sign-on did not complete. Start again with the button below.';
}

/** The "Sign in with …" links; an invitation rides along so that its first sign-in binds. */
export function providerLinks(providers: Providers, invitation: string | null): HTMLElement[] {
  return providers.items.map((p) =>
    h(
      'a',
      { class: 'btn btn-primary sso', attrs: { href: invitation ? `${p.loginUrl}?invitation=${encodeURIComponent(invitation)}` : p.loginUrl } },
      `Sign in with ${p.displayName}`,
    ),
  );
}

export function signInView(context: ViewContext): View {
  const username = input({ label: 'Username', name: 'username', required: true, autocomplete: 'username' });
  const password = input({ label: 'Password', name: 'password', type: 'password', required: true, autocomplete: 'current-password' });
  const error = errorNotice();
  const notice = statusNotice();
  const sso = h('div', { class: 'actions sso-providers', attrs: { role: 'group', 'aria-label': 'Single sign-on' } });
  sso.hidden = true; // until the portal names providers
  sso.addEventListener('click', () => rememberNext(context.query.get('next')));
  const passwordNote = h('p', { class: 'hint' });
  passwordNote.hidden = true;
  const invitation = context.query.get('invitation');
  const problem = context.query.get('sso');
  if (problem) error.show(ssoProblem(problem));
  if (invitation) notice.show('You were invited to Tether: sign in with your organisation\u2019s account below. This first sign-in links it to your Tether account.');
  void ssoApi
    .providers()
    .then((providers) => {
      sso.replaceChildren(...providerLinks(providers, invitation));
      sso.hidden = providers.items.length === 0;
      if (!providers.passwordLogin) {
        passwordNote.hidden = false;
        passwordNote.textContent = 'Password sign-in is off on this portal, except for break-glass administrators.';
      } else if (providers.items.length > 0) {
        passwordNote.hidden = false;
        passwordNote.textContent = 'Or sign in with your Tether username and password:';
      }
    })
    .catch(() => undefined); // an older portal without single sign-on: the password form alone
  const submit = h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Sign in');
  const signedIn = () => {
    const remembered = takeRememberedNext(); // an earlier single sign-on's, or this one's
    context.navigate(afterSignIn(session.me(), context.query.get('next') ?? remembered), { replace: true });
  };
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
                secondFactorForm(
                  step.pendingToken,
                  signedIn,
                  () => {
                    section.replaceChildren(form);
                    error.show('Sign in again with your password.');
                    password.control.focus();
                  },
                  undefined,
                  step.methods,
                ),
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
    notice.element,
    sso,
    passwordNote,
    username.row,
    password.row,
    h('div', { class: 'actions' }, submit),
    h('p', { class: 'hint first-login' }, h('strong', null, 'First sign-in? '), FIRST_LOGIN_HINT),
  );
  const section = h('section', { class: 'center' }, form);
  const pendingSso = context.query.get('second-factor');
  const pendingToken = location.hash.slice(1);
  if (pendingSso && pendingToken) {
    history.replaceState(null, '', location.pathname + location.search); // the token leaves the address bar
    section.replaceChildren(
      secondFactorForm(
        pendingToken,
        signedIn,
        () => {
          section.replaceChildren(form);
          error.show('Start again: sign in with your provider or your password.');
        },
        'Single sign-on was right. Now confirm it is you with your second factor.',
        parseMethods(context.query.get('methods')),
      ),
    );
    return { title: 'Sign in', element: section };
  }
  queueMicrotask(() => username.control.focus());
  return { title: 'Sign in', element: section };
}
