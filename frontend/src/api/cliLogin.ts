// The command line's browser sign-in: POST /api/auth/cli/authorize (the exchange is the CLI's).

import { http } from './http';

export interface CliLoginCode {
  code: string;
  expiresAt: string;
}

/** Allows the sign-in of the CLI that holds the verifier of {@code challenge}; its one-time code. */
export function authorize(challenge: string, name: string, ttlDays: number): Promise<CliLoginCode> {
  return http.post<CliLoginCode>('/api/auth/cli/authorize', { challenge, name, ttlDays });
}
