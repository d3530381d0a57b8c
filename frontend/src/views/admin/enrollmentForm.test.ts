import { describe, expect, it } from 'vitest';
import type { EnrollmentToken } from '../../api/types';
import { newestFirst, newTokenBody, revocable, stateBadgeClass, usesText } from './enrollmentForm';

const input = { group: 'lab', expiresIn: '7d', uses: '2', tags: 'hall-3, plc  north', autoApprove: false, description: '  hall 3 rollout ' };

describe('enrollment token form', () => {
  it('builds the request body from what the admin chose', () => {
    expect(newTokenBody(input)).toEqual({
      ok: true,
      body: { group: 'lab', expiresIn: '7d', uses: 2, tags: ['hall-3', 'plc', 'north'], autoApprove: false, description: 'hall 3 rollout' },
    });
  });

  it('falls back to the default group, 24 hours and one use, and leaves an empty description out', () => {
    expect(newTokenBody({ group: '', expiresIn: '', uses: ' ', tags: '', autoApprove: true, description: ' ' })).toEqual({
      ok: true,
      body: { group: 'default', expiresIn: '24h', uses: 1, tags: [], autoApprove: true },
    });
  });

  it.each(['0', '10001', '1.5', 'two', '-3'])('refuses %s uses, naming the field', (uses) => {
    expect(newTokenBody({ ...input, uses })).toEqual({ ok: false, field: 'uses', error: 'Uses is a whole number from 1 to 10000.' });
  });

  it('reads uses, state and order as the list shows them', () => {
    const token = (id: number, state: string) => ({ id, state, uses: 2, used: 1 }) as EnrollmentToken;
    expect(usesText(token(1, 'active'))).toBe('1 of 2 used');
    expect(revocable(token(1, 'active'))).toBe(true);
    expect(['expired', 'used-up', 'revoked'].map((s) => revocable(token(1, s)))).toEqual([false, false, false]);
    expect(stateBadgeClass('active')).toBe('badge badge-online');
    expect(stateBadgeClass('revoked')).toBe('badge badge-danger');
    expect(stateBadgeClass('something-new')).toBe('badge badge-offline');
    expect(newestFirst([token(1, 'active'), token(3, 'active'), token(2, 'active')]).map((t) => t.id)).toEqual([3, 2, 1]);
  });
});
