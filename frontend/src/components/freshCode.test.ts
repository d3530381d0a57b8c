import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http';
import { FRESH_FACTOR_REQUIRED, wantsFreshFactor, withFreshFactor } from '../api/freshFactor';
import { freshCodePrompt } from './freshCode';

const refused = (detail: string) => new ApiError(403, 'Fresh second factor required', detail, null, null, { type: FRESH_FACTOR_REQUIRED });

describe('a fresh second factor', () => {
  it('is sent in X-Tether-OTP only when a code was typed', () => {
    expect(withFreshFactor(' 123456 ')).toEqual({ headers: { 'X-Tether-OTP': '123456' } });
    expect(withFreshFactor('')).toEqual({});
    expect(withFreshFactor(undefined)).toEqual({});
  });

  it('is asked for when the portal wants one, not when the admin has no app to give one', () => {
    expect(wantsFreshFactor(refused("group 'a' requires a second factor and link ports carry no user: send a current code of your authenticator app in X-Tether-OTP"))).toBe(true);
    expect(wantsFreshFactor(refused('the code in X-Tether-OTP is wrong'))).toBe(true);
    expect(wantsFreshFactor(refused("group 'a' requires a second factor and link ports carry no user: enrol an authenticator app on your account page first"))).toBe(false);
    expect(wantsFreshFactor(new ApiError(403, 'Forbidden', 'this needs an admin'))).toBe(false);
  });

  it('says whether the code was wrong or is needed', () => {
    expect(freshCodePrompt(refused('the code in X-Tether-OTP is wrong'), 'a link port')).toMatch(/^That code is wrong/);
    expect(freshCodePrompt(refused('send a current code'), 'a link port')).toContain('a link port lets connections in without one');
  });
});
