// The caller's TOTP second factor: /api/me/totp.

import type { SecondFactorProof } from './auth';
import { http } from './http';
import type { TotpEnrolment, TotpStatus } from './types';

export function status(): Promise<TotpStatus> {
  return http.get<TotpStatus>('/api/me/totp');
}

export function begin(): Promise<TotpEnrolment> {
  return http.post<TotpEnrolment>('/api/me/totp');
}

export function confirm(code: string): Promise<{ recoveryCodes: string[] }> {
  return http.post<{ recoveryCodes: string[] }>('/api/me/totp/confirm', { code });
}

export function remove(password: string, proof: SecondFactorProof): Promise<void> {
  return http.request<void>('DELETE', '/api/me/totp', { body: { password, ...proof } });
}
