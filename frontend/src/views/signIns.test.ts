import { describe, expect, it } from 'vitest';
import { signInMethod } from './signIns';

describe('signInMethod', () => {
  it('names each way in, with the second factor when there was one', () => {
    expect(signInMethod({ method: 'password', mfa: false })).toBe('password');
    expect(signInMethod({ method: 'password', mfa: true })).toBe('password + second factor');
    expect(signInMethod({ method: 'oidc:corp', mfa: true })).toBe('single sign-on (corp) + second factor');
    expect(signInMethod({ method: 'ssh', mfa: false })).toBe('SSH (password)');
    expect(signInMethod({ method: null, mfa: false })).toBe('browser');
  });
});
