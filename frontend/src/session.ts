// Who is signed in. The session itself is the HttpOnly cookie; this keeps the caller's profile and
// hands its CSRF token to the fetch wrapper.

import * as auth from './api/auth';
import { ApiError, http } from './api/http';
import type { Me } from './api/types';
import * as webauthn from './api/webauthn';

let current: Me | null = null;

export function me(): Me | null {
  return current;
}

export function isAdmin(): boolean {
  return current?.admin === true;
}

/**
 * Whether the signed-in user may open terminals on devices of {@code group} (admin, or an operator
 * grant on it). Only decides which buttons to show: the portal asks its access policy on every open.
 */
export function canOperate(group: string): boolean {
  if (!current) return false;
  return current.admin || current.grants.some((g) => g.group === group && g.role === 'operator');
}

/** Asks the portal whether the cookie still names a session; null when not signed in. */
export async function restore(): Promise<Me | null> {
  try {
    set(await auth.me(true));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      set(null);
    } else {
      throw error;
    }
  }
  return current;
}

/** What a password sign-in led to: signed in, or a second step to take with the pending token. */
export type SignInStep = { kind: 'signed-in'; me: Me } | { kind: 'second-factor'; pendingToken: string; methods: string[] };

export async function signIn(username: string, password: string): Promise<SignInStep> {
  const answer = await auth.login(username, password);
  if ('secondFactor' in answer) {
    return { kind: 'second-factor', pendingToken: answer.pendingToken, methods: answer.methods };
  }
  return { kind: 'signed-in', me: await established(answer.csrfToken) };
}

/** The second step of a sign-in: a code of the authenticator app or a recovery code. */
export async function completeSecondFactor(pendingToken: string, proof: auth.SecondFactorProof): Promise<Me> {
  const answer = await auth.secondFactor(pendingToken, proof);
  return established(answer.csrfToken);
}

/** The second step of a sign-in with a security key (the browser prompts for it). */
export async function completeWithKey(pendingToken: string): Promise<Me> {
  const answer = await webauthn.signIn(pendingToken);
  return established(answer.csrfToken);
}

async function established(csrfToken: string): Promise<Me> {
  http.setCsrfToken(csrfToken);
  const profile = await auth.me();
  set(profile);
  return profile;
}

export async function signOut(): Promise<void> {
  try {
    await auth.logout();
  } finally {
    set(null);
  }
}

/** Forgets the session locally (after a 401: it expired or was revoked). */
export function forget(): void {
  set(null);
}

function set(profile: Me | null): void {
  current = profile;
  http.setCsrfToken(profile?.csrfToken ?? null);
}
