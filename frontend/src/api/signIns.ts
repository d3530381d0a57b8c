// The caller's live sign-ins (/api/me/sign-ins): browser sessions and SSH password sign-ins.

import { http } from './http';

/** One sign-in as its owner sees it (docs/api.md "Auth"). */
export interface SignIn {
  id: number;
  /** "password", "oidc:<provider>", "ssh"; null for sessions older than this field. */
  method: string | null;
  address: string | null;
  createdAt: string;
  lastSeenAt: string;
  endsAt: string;
  mfa: boolean;
  /** The one making this request. */
  current: boolean;
}

export function list(): Promise<SignIn[]> {
  return http.all<SignIn>('/api/me/sign-ins');
}

export function signOut(id: number): Promise<void> {
  return http.delete(`/api/me/sign-ins/${id}`);
}
