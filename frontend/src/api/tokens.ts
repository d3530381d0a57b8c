// The caller's own API tokens: /api/tokens.

import { http } from './http';
import type { ApiToken, IssuedToken } from './types';

export function list(): Promise<ApiToken[]> {
  return http.all<ApiToken>('/api/tokens');
}

export function create(name: string, expiresAt?: string | null): Promise<IssuedToken> {
  return http.post<IssuedToken>('/api/tokens', expiresAt ? { name, expiresAt } : { name });
}

export function revoke(id: number): Promise<void> {
  return http.delete(`/api/tokens/${id}`);
}
