// A terminal that a group's "second factor required" refuses: the words and the way forward.

import type { Me } from '../api/types';
import { h } from '../dom';

/**
 * Whether the portal refuses this signed-in user's terminals on {@code group} for want of a second
 * factor (GET /api/me says). Only decides what the UI says: the portal decides on every open.
 */
export function lacksSecondFactor(me: Me | null, group: string): boolean {
  return me?.secondFactorRequired?.includes(group) === true;
}

/** The notice shown in place of the terminal, with a link to the account page's Security card. */
export function secondFactorNotice(group: string): HTMLElement {
  return h(
    'span',
    null,
    h('strong', null, 'Second factor required. '),
    `Group ${group} opens terminals only for a sign-in with a second factor: add an authenticator app on your account page if you have none, then sign out and sign in again with a code. `,
    h('a', { attrs: { href: '/account#security-title' } }, 'Go to two-step sign-in'),
  );
}
