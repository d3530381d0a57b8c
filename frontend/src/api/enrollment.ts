// Enrollment tokens (admin): /api/enrollment-tokens. A device's agent redeems one to register
// itself (POST /api/enroll, never called by the UI); the devices it enrolls wait for approval
// (devices.ts: pending, approve, reject) unless the token auto-approves.

import { http } from './http';
import type { EnrollmentToken, IssuedEnrollmentToken, NewEnrollmentToken } from './types';

export function list(): Promise<EnrollmentToken[]> {
  return http.all<EnrollmentToken>('/api/enrollment-tokens');
}

/** Mints a token; its secret is in this answer only. */
export function create(token: NewEnrollmentToken): Promise<IssuedEnrollmentToken> {
  return http.post<IssuedEnrollmentToken>('/api/enrollment-tokens', token);
}

/** Revokes a token: it enrolls no more devices; those it enrolled keep working. */
export function revoke(id: number): Promise<void> {
  return http.delete(`/api/enrollment-tokens/${id}`);
}
