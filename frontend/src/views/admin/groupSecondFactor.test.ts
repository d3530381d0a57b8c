import { describe, expect, it } from 'vitest';
import { savedText, secondFactorPatch } from './groupSecondFactor';

describe('second factor form', () => {
  it('sends the requirement with the days typed', () => {
    expect(secondFactorPatch(true, ' 14 ')).toEqual({ ok: true, patch: { requireSecondFactor: true, secondFactorTokenDays: 14, noReauth: true } });
    expect(secondFactorPatch(false, '30', '15')).toEqual({ ok: true, patch: { requireSecondFactor: false, secondFactorTokenDays: 30, reauthMinutes: 15 } });
  });

  it('names the minutes the portal would refuse', () => {
    for (const bad of ['0', '1441', '2.5']) {
      expect(secondFactorPatch(true, '30', bad)).toMatchObject({ ok: false, field: 'reauthMinutes' });
    }
  });

  it('names the field of days the portal would refuse', () => {
    for (const bad of ['', '0', '366', '1.5', 'x']) {
      expect(secondFactorPatch(true, bad)).toMatchObject({ ok: false, field: 'secondFactorTokenDays' });
    }
  });

  it('says what a saved requirement means for tokens', () => {
    expect(savedText(true, 7)).toContain('API tokens for 7 days');
    expect(savedText(false, 7)).toBe('Saved: a password sign-in opens terminals here again.');
  });
});
