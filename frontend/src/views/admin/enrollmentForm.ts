// The request body of a new enrollment token, built from what an admin chose, and how a token's
// uses and state read in the list. Pure: enrollment.ts shows the outcome.

import type { EnrollmentToken, NewEnrollmentToken } from '../../api/types';
import { parseTags } from '../../format';
import type { Checked } from './rawSetup';

/** The portal's limit (EnrollmentApi.MAX_USES): a batch of devices, not an unbounded fleet. */
export const MAX_USES = 10_000;

/** The lifetimes offered, as the portal reads them (30m, 12h, 7d; at most 30d). */
export const EXPIRY_CHOICES = [
  { value: '30m', label: '30 minutes' },
  { value: '1h', label: '1 hour' },
  { value: '12h', label: '12 hours' },
  { value: '24h', label: '24 hours' },
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
];

/** The portal's default: a token left lying around should not enroll devices for long. */
export const DEFAULT_EXPIRY = '24h';

export interface NewTokenInput {
  /** A group name; empty is the default group. */
  group: string;
  expiresIn: string;
  /** As typed in the number field. */
  uses: string;
  tags: string;
  autoApprove: boolean;
  description: string;
}

/** POST /api/enrollment-tokens, or what is wrong and which JSON property it is about. */
export function newTokenBody(input: NewTokenInput): Checked<NewEnrollmentToken> {
  const uses = Number(input.uses.trim() || '1');
  if (!Number.isInteger(uses) || uses < 1 || uses > MAX_USES) {
    return { ok: false, field: 'uses', error: `Uses is a whole number from 1 to ${MAX_USES}.` };
  }
  const description = input.description.trim();
  return {
    ok: true,
    body: {
      group: input.group || 'default',
      expiresIn: input.expiresIn || DEFAULT_EXPIRY,
      uses,
      tags: parseTags(input.tags),
      autoApprove: input.autoApprove,
      ...(description ? { description } : {}),
    },
  };
}

/** "1 of 2 used". */
export function usesText(token: Pick<EnrollmentToken, 'uses' | 'used'>): string {
  return `${token.used} of ${token.uses} used`;
}

/** Only an active token can be used, so only it is worth revoking. */
export function revocable(token: Pick<EnrollmentToken, 'state'>): boolean {
  return token.state === 'active';
}

/** The badge class of a state: active stands out as live, revoked as stopped, the rest muted. */
export function stateBadgeClass(state: string): string {
  if (state === 'active') return 'badge badge-online';
  if (state === 'revoked') return 'badge badge-danger';
  return 'badge badge-offline';
}

/** Newest first: the token just made is at the top (the portal lists by id). */
export function newestFirst(tokens: EnrollmentToken[]): EnrollmentToken[] {
  return [...tokens].sort((a, b) => b.id - a.id);
}
