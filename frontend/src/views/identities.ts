// The account page's "Single sign-on" card: the identities linked to the account (unlink each), and
// linking one more after re-entering the password (and a code when two-step sign-in is on). Linking
// leaves for the provider and comes back to /account?linked=NAME.

import * as ssoApi from '../api/sso';
import type { Identity, Providers } from '../api/types';
import { busy, input, select } from '../components/form';
import { errorNotice, statusNotice } from '../components/notice';
import { h, replace } from '../dom';
import { ago } from '../format';

/** One identity as the card lists it. */
export function identityLine(identity: Identity): string {
  const used = identity.lastLoginAt ? `last used ${ago(identity.lastLoginAt)}` : 'not used yet';
  return `${identity.displayName} (subject ${identity.subject}), ${used}`;
}

export function identitiesCard(linked: string | null): HTMLElement {
  const error = errorNotice();
  const done = statusNotice();
  const body = h('div');
  const card = h('section', { class: 'card', attrs: { 'aria-labelledby': 'sso-title' } }, h('h2', { attrs: { id: 'sso-title' } }, 'Single sign-on'), error.element, done.element, body);
  card.hidden = true;

  const load = async () => {
    try {
      const [providers, identities] = await Promise.all([ssoApi.providers(), ssoApi.identities()]);
      if (providers.items.length === 0 && identities.length === 0) return; // no single sign-on here
      card.hidden = false;
      show(providers, identities);
    } catch (e) {
      card.hidden = false;
      error.error(e);
    }
  };

  const show = (providers: Providers, identities: Identity[]) => {
    const list =
      identities.length === 0
        ? h('p', null, 'No identity is linked: you sign in with your password.')
        : h(
            'ul',
            { class: 'identities' },
            identities.map((identity) =>
              h(
                'li',
                null,
                identityLine(identity),
                ' ',
                h(
                  'button',
                  {
                    class: 'btn btn-plain',
                    attrs: { type: 'button', 'aria-label': `Unlink ${identity.displayName}` },
                    on: {
                      click: async () => {
                        error.clear();
                        try {
                          await ssoApi.unlink(identity.id);
                          done.show(`${identity.displayName} is unlinked: it no longer signs in to this account.`);
                          await load();
                        } catch (e) {
                          error.error(e);
                        }
                      },
                    },
                  },
                  'Unlink',
                ),
              ),
            ),
          );
    replace(body, list, providers.items.length > 0 ? linkForm(providers) : h('span'));
  };

  const linkForm = (providers: Providers) => {
    const provider = select(
      'Provider',
      'sso-provider',
      providers.items.map((p) => ({ value: p.name, label: p.displayName })),
    );
    const password = input({ label: 'Your password', name: 'sso-link-password', type: 'password', required: true, autocomplete: 'current-password' });
    const code = input({ label: 'Code from your authenticator app (if two-step sign-in is on)', name: 'sso-link-code', autocomplete: 'one-time-code', maxlength: 8 });
    const form: HTMLFormElement = h(
      'form',
      {
        attrs: { 'aria-label': 'Link an identity', novalidate: true },
        on: {
          submit: async (event) => {
            event.preventDefault();
            error.clear();
            if (!password.control.value) {
              error.show('Enter your password to link an identity.');
              return;
            }
            try {
              const { authorizeUrl } = await busy(form, () => ssoApi.link(provider.control.value, password.control.value, code.control.value.replace(/\s+/g, '') || undefined));
              window.location.assign(authorizeUrl);
            } catch (e) {
              password.control.value = '';
              error.error(e);
            }
          },
        },
      },
      h('p', { class: 'hint' }, 'Link your account at a provider so that it signs you in here. You confirm it is you first.'),
      provider.row,
      password.row,
      code.row,
      h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Link identity')),
    );
    return form;
  };

  if (linked) done.show(`Your identity at ${linked} is linked: it signs you in from now on.`);
  void load();
  return card;
}
