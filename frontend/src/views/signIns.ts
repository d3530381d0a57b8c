// The account page's "Sessions" card: each live sign-in of the user (how, from where, last used),
// this browser marked, each with its own sign-out, and sign out everywhere.

import * as signInsApi from '../api/signIns';
import type { DeviceWebSession, SignIn } from '../api/signIns';
import { confirmDialog } from '../components/confirm';
import { errorNotice, statusNotice } from '../components/notice';
import { h, replace } from '../dom';
import { bytes } from '../components/sessionBits';
import { ago, exact } from '../format';

/** How a sign-in signed in, in words. */
export function signInMethod(s: Pick<SignIn, 'method' | 'mfa'>): string {
  const how =
    s.method === null
      ? 'browser'
      : s.method === 'password'
        ? 'password'
        : s.method === 'ssh'
          ? 'SSH (password)'
          : s.method.startsWith('oidc:')
            ? `single sign-on (${s.method.slice('oidc:'.length)})`
            : s.method;
  return s.mfa ? `${how} + second factor` : how;
}

/**
 * The card. {@code signedOutHere} runs when the user signs this browser out (from its own row or
 * everywhere): the caller takes them to the sign-in page.
 */
export function signInsCard(everywhere: () => Promise<void>, signedOutHere: () => void): HTMLElement {
  const error = errorNotice();
  const done = statusNotice();
  const body = h('tbody');
  const webBody = h('tbody');
  const webTable = h(
    'table',
    { class: 'list' },
    h('caption', null, 'Device web pages open'),
    h('thead', null, h('tr', null, ['Page', 'Opened from', 'Since', 'Traffic', ''].map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
    webBody,
  );
  webTable.hidden = true;

  const close = async (w: DeviceWebSession) => {
    error.clear();
    done.clear();
    try {
      await signInsApi.closeDeviceWeb(w.id);
      done.show(`Closed the web page of ${w.device}/${w.target}.`);
      await load();
    } catch (e) {
      error.error(e);
    }
  };

  const showWeb = (pages: DeviceWebSession[], signIns: SignIn[]) => {
    webTable.hidden = pages.length === 0;
    replace(
      webBody,
      pages.map((w) => {
        const from = signIns.find((s) => s.id === w.signInId);
        return h(
          'tr',
          null,
          h('th', { attrs: { scope: 'row' } }, `${w.device}/${w.target}`),
          h('td', null, from?.current ? 'this browser' : (w.address ?? from?.address ?? '—')),
          h('td', null, exact(w.createdAt)),
          h('td', null, `${bytes(w.bytesUp)} to it, ${bytes(w.bytesDown)} from it`),
          h('td', null, h('button', { class: 'btn btn-danger', attrs: { type: 'button', 'aria-label': `Close the web page of ${w.device}/${w.target}` }, on: { click: () => void close(w) } }, 'Close')),
        );
      }),
    );
  };

  const end = async (s: SignIn) => {
    const ok = await confirmDialog({
      title: s.current ? 'Sign out this browser?' : `Sign out the sign-in from ${s.address ?? 'an unknown address'}?`,
      message: 'Its terminals, data flows and SSH sessions close at once.',
      confirmLabel: 'Sign out',
    });
    if (!ok) return;
    error.clear();
    done.clear();
    try {
      await signInsApi.signOut(s.id);
      if (s.current) {
        signedOutHere();
        return;
      }
      done.show(`Signed out the sign-in from ${s.address ?? 'an unknown address'}.`);
      await load();
    } catch (e) {
      error.error(e);
    }
  };

  const load = async () => {
    try {
      const [all, pages] = await Promise.all([signInsApi.list(), signInsApi.deviceWeb()]);
      showWeb(pages, all);
      replace(
        body,
        all.map((s) =>
          h(
            'tr',
            null,
            h('th', { attrs: { scope: 'row' } }, signInMethod(s), s.current ? [' ', h('span', { class: 'badge' }, 'this browser')] : null),
            h('td', { class: 'mono' }, s.address ?? '—'),
            h('td', null, exact(s.createdAt)),
            h('td', { attrs: { title: exact(s.lastSeenAt) } }, ago(s.lastSeenAt)),
            h('td', null, exact(s.endsAt)),
            h('td', null, h('button', { class: 'btn btn-danger', attrs: { type: 'button', 'aria-label': `Sign out ${s.current ? 'this browser' : `the sign-in from ${s.address ?? 'an unknown address'}`}` }, on: { click: () => void end(s) } }, 'Sign out')),
          ),
        ),
      );
    } catch (e) {
      error.error(e);
    }
  };

  const everywhereButton = h('button', { class: 'btn btn-danger', attrs: { type: 'button' } }, 'Sign out everywhere');
  everywhereButton.addEventListener('click', async () => {
    error.clear();
    try {
      await everywhere();
      signedOutHere();
    } catch (e) {
      error.error(e);
    }
  });

  void load();
  return h(
    'section',
    { class: 'card', attrs: { 'aria-labelledby': 'sessions-title' } },
    h('h2', { attrs: { id: 'sessions-title' } }, 'Sessions'),
    h('p', { class: 'hint' }, 'Where your account is signed in: browsers and SSH password sign-ins. API tokens are on the API tokens page.'),
    error.element,
    done.element,
    h(
      'table',
      { class: 'list' },
      h('caption', { class: 'visually-hidden' }, 'Your sign-ins'),
      h('thead', null, h('tr', null, ['Signed in with', 'Address', 'Since', 'Last used', 'Ends', ''].map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
      body,
    ),
    webTable,
    h('p', { class: 'hint' }, 'Signing a sign-in out closes the device web pages opened from it. Sign out everywhere ends this and every other sign-in of your account.'),
    h('div', { class: 'actions' }, everywhereButton),
  );
}
