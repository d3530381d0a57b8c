// The caller's live sign-ins (/api/me/sign-ins): browser sessions and SSH password sign-ins; and the
// device web pages opened from them (/api/me/device-web).

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

/** A device web page the caller opened, live until closed or its sign-in ends. */
export interface DeviceWebSession {
  id: number;
  deviceId: number;
  device: string;
  target: string;
  /** The sign-in it was opened from ({@link SignIn.id}). */
  signInId: number;
  address: string | null;
  createdAt: string;
  expiresAt: string;
  bytesUp: number;
  bytesDown: number;
}

export function deviceWeb(): Promise<DeviceWebSession[]> {
  return http.all<DeviceWebSession>('/api/me/device-web');
}

export function closeDeviceWeb(id: number): Promise<void> {
  return http.delete(`/api/me/device-web/${id}`);
}
