// A fresh second factor sent with one request (docs/api.md, "Second factor"): link ports and raw
// ingress carry no user, so on a group that requires a second factor the admin who creates one
// sends a current code of their authenticator app in X-Tether-OTP.

import { ApiError, type RequestOptions } from './http';

export const FRESH_FACTOR_HEADER = 'X-Tether-OTP';

/** The problem type of a refusal for want of it (FreshSecondFactor.REQUIRED). */
export const FRESH_FACTOR_REQUIRED = 'urn:tether:problem:fresh-second-factor-required';

/** The request options carrying {@code code}, or none without one. */
export function withFreshFactor(code: string | null | undefined): RequestOptions {
  const trimmed = code?.trim();
  return trimmed ? { headers: { [FRESH_FACTOR_HEADER]: trimmed } } : {};
}

/** Whether the portal refused for want of a fresh code — one the user can type and retry with. */
export function wantsFreshFactor(error: unknown): boolean {
  return error instanceof ApiError && error.body.type === FRESH_FACTOR_REQUIRED && !error.detail.includes('enrol');
}
