// Where a confirmation link lands: /confirm-email#SECRET. The secret (after '#', never sent when
// the link is fetched) is POSTed, so a mail scanner that fetches the link confirms nothing.

import * as alertsApi from '../api/alerts';
import { describeError } from '../api/http';
import { h, replace } from '../dom';
import type { View } from '../router';

export const CONFIRM_EMAIL_PATH = '/confirm-email';

export function confirmEmailView(): View {
  const token = window.location.hash.replace(/^#/, '');
  const message = h('p', { attrs: { role: 'status', 'aria-live': 'polite' } }, 'Confirming your address…');
  const card = h('section', { class: 'card sign-in' }, h('h1', null, 'Confirm your e-mail address'), message);
  const next = h('p', null, h('a', { attrs: { href: '/account' } }, 'Go to your account'));
  if (!token) {
    replace(message, 'This link has no confirmation code: open the whole link from the mail.');
    card.append(next);
  } else {
    alertsApi
      .confirm(token)
      .then((view) => {
        history.replaceState(null, '', CONFIRM_EMAIL_PATH); // the secret leaves the address bar
        replace(message, `${view.address ?? 'Your address'} is confirmed: alerts you subscribe to are mailed there.`);
      })
      .catch((e: unknown) => replace(message, describeError(e)))
      .finally(() => card.append(next));
  }
  return { title: 'Confirm e-mail', element: h('section', { class: 'center' }, card) };
}
