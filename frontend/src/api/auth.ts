// Sign in and out, and who the caller is (POST /api/auth/*, GET /api/me).

import { http } from './http';
import type { LoginAnswer, Me, SecondFactorAnswer } from './types';

export function login(username: string, password: string): Promise<LoginAnswer | SecondFactorAnswer> {
  // a wrong password answers 401: that is the form's error, not "session expired"
  return http.post<LoginAnswer | SecondFactorAnswer>('/api/auth/login', { username, password }, { expectUnauthorized: true });
}

/** A code of the authenticator app, or a recovery code. */
export type SecondFactorProof = { code: string } | { recoveryCode: string };

/** Completes a sign-in that answered "second factor required". */
export function secondFactor(pendingToken: string, proof: SecondFactorProof): Promise<LoginAnswer> {
  return http.post<LoginAnswer>('/api/auth/login/second-factor', { pendingToken, ...proof }, { expectUnauthorized: true });
}

export function logout(): Promise<void> {
  return http.post<void>('/api/auth/logout');
}

export function logoutEverywhere(): Promise<void> {
  return http.post<void>('/api/auth/logout-everywhere');
}

/** GET /api/me; with {@code quiet} a 401 (not signed in) does not trigger the sign-in redirect. */
export function me(quiet = false): Promise<Me> {
  return http.request<Me>('GET', '/api/me', { expectUnauthorized: quiet });
}

export function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  return http.post<void>('/api/me/password', { currentPassword, newPassword });
}

/** Presents a current code of the user's authenticator app for this session (the step-up before a session). */
export function presentFreshCode(code: string): Promise<void> {
  return http.post<void>('/api/me/second-factor/fresh', { code: code.trim() });
}
