// /cli-login: a signed-in user allows the tether command line to sign in (tether login --browser).
// Allow asks the portal for a one-time code and hands it to the CLI's loopback listener (or shows it
// to paste); Cancel tells the CLI to stop waiting. See cliLoginRequest.ts for what is accepted.

import * as cliLoginApi from '../api/cliLogin';
import { h, replace } from '../dom';
import { busy, button } from '../components/form';
import { errorNotice, statusNotice } from '../components/notice';
import { copyBox } from '../components/secret';
import type { View, ViewContext } from '../router';
import * as session from '../session';
import { callbackUrl, cancelUrl, type CliLoginRequest, parseCliLogin } from './cliLoginRequest';

export function cliLoginView(context: ViewContext): View {
  const parsed = parseCliLogin(context.query);
  const card = h('section', { class: 'card sign-in cli-login' });
  const element = h('section', { class: 'center' }, card);
  if (!parsed.ok) {
    replace(card, h('h1', null, 'Sign in the tether command line'), h('p', { attrs: { role: 'alert' } }, parsed.problem));
    return { title: 'Command-line sign-in', element };
  }
  const request = parsed.request;
  const username = session.me()?.username ?? '?';
  const error = errorNotice();
  const status = statusNotice();
  const actions = h('div', { class: 'actions' });
  const allow = button('Allow', {
    kind: 'primary',
    onClick: () => {
      error.clear();
      void busy(actions, () => cliLoginApi.authorize(request.challenge, request.name, request.days))
        .then((answer) => allowed(request, answer.code))
        .catch((e: unknown) => error.error(e));
    },
  });
  const cancel = button('Cancel', {
    onClick: () => {
      actions.remove();
      if (request.port !== null) {
        status.show('Cancelled: the command line stops waiting. No token was made.');
        window.location.assign(cancelUrl(request.port, request.state));
      } else {
        status.show('Cancelled. No token was made; you can close this tab.');
      }
    },
  });
  actions.append(allow, cancel);

  function allowed(r: CliLoginRequest, code: string): void {
    actions.remove();
    if (r.port !== null) {
      status.show('Allowed: handing the sign-in to the command line…');
      window.location.assign(callbackUrl(r.port, r.state, code));
      return;
    }
    status.show('Allowed. Paste this code into the terminal where tether login asks for it, within a minute.');
    card.append(copyBox('One-time code', code), h('p', { class: 'hint' }, 'The code works once. Never give it to anyone: it signs in as you.'));
  }

  replace(
    card,
    h('h1', null, `Sign in the tether command line on ${request.host} as ${username}?`),
    error.element,
    h(
      'p',
      null,
      'Allowing creates an API token named ',
      h('strong', { class: 'mono' }, request.name),
      ` for ${username} that expires in ${request.days} day${request.days === 1 ? '' : 's'} (sooner if your organisation\u2019s single sign-on limits tokens). `,
      'The command line can then do what you can do here. Revoke it on the ',
      h('a', { attrs: { href: '/tokens' } }, 'API tokens'),
      ' page or with tether logout.',
    ),
    session.me()?.mfa ? h('p', null, 'You signed in with a second factor: the token counts it.') : null,
    h(
      'p',
      { class: 'hint' },
      request.port !== null
        ? `Allow only if you just ran tether login on ${request.host} yourself. The browser then hands the sign-in to it on this computer (127.0.0.1:${request.port}).`
        : 'Allow only if you just ran tether login yourself. This page then shows a one-time code to paste there.',
    ),
    status.element,
    actions,
  );
  return { title: 'Command-line sign-in', element };
}
