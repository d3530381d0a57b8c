// Single sign-on: the providers (public), the caller's linked identities, and for admins a user's
// identities and invitation links (/api/auth/providers, /api/me/identities, /api/users/{id}/sso).

import { http } from './http';
import type { Identity, Invitation, Providers } from './types';

export function providers(): Promise<Providers> {
  return http.request<Providers>('GET', '/api/auth/providers', { expectUnauthorized: true });
}

export function identities(): Promise<Identity[]> {
  return http.all<Identity>('/api/me/identities');
}

/** Starts linking an identity (password and, with a second factor, a code re-checked). */
export function link(provider: string, password: string, code?: string): Promise<{ authorizeUrl: string }> {
  return http.post<{ authorizeUrl: string }>('/api/me/identities', { provider, password, ...(code ? { code } : {}) });
}

export function unlink(id: number): Promise<void> {
  return http.delete(`/api/me/identities/${id}`);
}

export function userIdentities(userId: number): Promise<Identity[]> {
  return http.all<Identity>(`/api/users/${userId}/sso/identities`);
}

export function invite(userId: number): Promise<Invitation> {
  return http.post<Invitation>(`/api/users/${userId}/sso/invitation`);
}
