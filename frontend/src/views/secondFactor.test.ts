import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http';
import type { Me, TotpStatus } from '../api/types';
import { QUIET_ZONE, qrModules, qrPath } from '../components/qr';
import { lacksSecondFactor } from '../terminal/secondFactor';
import { cleanCode, isTotpCode, parseMethods, secondFactorProblem } from './secondFactorStep';
import { FEW_RECOVERY_CODES, recoveryCodesFile, securitySummary } from './security';

describe('the second sign-in step', () => {
  it('takes six digits, spaces typed or pasted in between ignored', () => {
    expect(cleanCode('code', ' 123 456 ')).toBe('123456');
    expect(isTotpCode(cleanCode('code', '123 456'))).toBe(true);
    expect(isTotpCode('12345')).toBe(false);
    expect(isTotpCode('1234567')).toBe(false);
    expect(isTotpCode('12a456')).toBe(false);
  });

  it('keeps a recovery code as typed but for the ends', () => {
    expect(cleanCode('recoveryCode', '  abcde-fghij ')).toBe('abcde-fghij');
  });

  it('says a wrong code is wrong and lets the user try again', () => {
    const wrong = secondFactorProblem(new ApiError(401, 'Unauthorized', 'wrong totp code'));
    expect(wrong.startOver).toBe(false);
    expect(wrong.message).toMatch(/code is wrong/);
    const usedRecovery = secondFactorProblem(new ApiError(401, 'Unauthorized', 'wrong recovery code'));
    expect(usedRecovery.message).toMatch(/recovery code is wrong or was used/);
  });

  it('says a key that was not recognised or a cancelled prompt in words, without starting over', () => {
    const unknown = secondFactorProblem(new ApiError(401, 'Unauthorized', 'security key not recognised'));
    expect(unknown.startOver).toBe(false);
    expect(unknown.message).toMatch(/was not recognised/);
    const cancelled = secondFactorProblem(new DOMException('The operation either timed out or was not allowed.', 'NotAllowedError'));
    expect(cancelled.startOver).toBe(false);
    expect(cancelled.message).toMatch(/cancelled or timed out/);
  });

  it('reads the factors single sign-on passes along, app and codes when none are named', () => {
    expect(parseMethods('webauthn,recovery')).toEqual(['webauthn', 'recovery']);
    expect(parseMethods(null)).toEqual(['totp', 'recovery']);
  });

  it('passes on the lock with its wait, without starting over', () => {
    const locked = secondFactorProblem(new ApiError(429, 'Too Many Requests', "too many wrong codes: this account's second-factor step is locked; try again in 900 s", null, 900));
    expect(locked.startOver).toBe(false);
    expect(locked.message).toContain('try again in 900 s');
  });

  it('starts over with the password when the pending sign-in ended', () => {
    const expired = secondFactorProblem(new ApiError(401, 'Unauthorized', 'this sign-in has expired or was already completed: sign in again'));
    expect(expired.startOver).toBe(true);
    expect(expired.message).toMatch(/Sign in again/);
  });
});

describe('the Security card', () => {
  it('counts security keys as a second factor', () => {
    const status: TotpStatus = { active: false, pending: false, recoveryCodesLeft: 10, sessionMfa: true };
    expect(securitySummary(status, 2)[0]).toBe('Two-step sign-in is on (2 security keys). 10 of 10 recovery codes left.');
    expect(securitySummary({ ...status, active: true }, 1)[0]).toMatch(/on \(authenticator app and 1 security key\)/);
  });

  const status = (over: Partial<TotpStatus>): TotpStatus => ({ active: true, pending: false, recoveryCodesLeft: 10, sessionMfa: true, ...over });

  it('says when two-step sign-in is off', () => {
    expect(securitySummary(status({ active: false, recoveryCodesLeft: 0 }))[0]).toMatch(/off/);
  });

  it('counts the recovery codes left and warns when few are', () => {
    expect(securitySummary(status({}))).toEqual(['Two-step sign-in is on (authenticator app). 10 of 10 recovery codes left.']);
    const few = securitySummary(status({ recoveryCodesLeft: FEW_RECOVERY_CODES - 1 }));
    expect(few[1]).toMatch(/Few recovery codes/);
  });

  it('tells a password-only session to sign in again', () => {
    expect(securitySummary(status({ sessionMfa: false })).join(' ')).toMatch(/sign out and sign in again with your second factor/);
  });

  it('writes the recovery codes file with one code a line', () => {
    const text = recoveryCodesFile('alice', 'portal.example.com', ['aaaaa-bbbbb', 'ccccc-ddddd']);
    expect(text.split('\n')).toEqual(['Tether recovery codes for alice at portal.example.com', 'Each code signs in once, in place of the authenticator app or a security key.', '', 'aaaaa-bbbbb', 'ccccc-ddddd', '']);
  });
});

describe('the QR code', () => {
  const uri = 'otpauth://totp/Tether:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Tether';

  it('is a square with the three finder patterns', () => {
    const m = qrModules(uri);
    const size = m.length;
    expect(size).toBeGreaterThanOrEqual(21);
    expect((size - 17) % 4).toBe(0); // version v is 17 + 4v modules wide
    for (const row of m) expect(row.length).toBe(size);
    // a finder's outer ring is dark 7 modules wide, its second ring light
    for (const [r, c] of [
      [0, 0],
      [0, size - 7],
      [size - 7, 0],
    ]) {
      expect(m[r].slice(c, c + 7).every(Boolean)).toBe(true);
      expect(m[r + 1][c + 1]).toBe(false);
      expect(m[r + 3][c + 3]).toBe(true);
    }
  });

  it('draws each dark module once, inside the quiet zone', () => {
    const m = qrModules(uri);
    const dark = m.flat().filter(Boolean).length;
    const path = qrPath(m);
    expect(path.match(/M/g)?.length).toBe(dark);
    expect(path.startsWith(`M${QUIET_ZONE} ${QUIET_ZONE}h1v1h-1z`)).toBe(true);
  });
});

describe('a terminal on a group that requires a second factor', () => {
  const me = (required: string[] | undefined): Me => ({ id: 1, username: 'alice', admin: false, csrfToken: 'x', grants: [], mfa: false, secondFactorRequired: required });

  it('is refused where the portal says so, and only there', () => {
    expect(lacksSecondFactor(me(['plant-a']), 'plant-a')).toBe(true);
    expect(lacksSecondFactor(me(['plant-a']), 'plant-b')).toBe(false);
    expect(lacksSecondFactor(me(undefined), 'plant-a')).toBe(false);
    expect(lacksSecondFactor(null, 'plant-a')).toBe(false);
  });
});
