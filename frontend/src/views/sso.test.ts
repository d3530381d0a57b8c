// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { User } from '../api/types';
import { signInSummary } from './admin/userSso';
import { SSO_PROBLEMS, providerLinks, ssoProblem } from './signIn';

describe('single sign-on on the sign-in page', () => {
  it('offers "Sign in with DISPLAY NAME" for each provider, the invitation riding along', () => {
    const providers = { items: [{ name: 'corp', displayName: 'Corp SSO', loginUrl: '/api/auth/oidc/corp/login' }], passwordLogin: true };
    const [plain] = providerLinks(providers, null);
    expect(plain.textContent).toBe('Sign in with Corp SSO');
    expect(plain.getAttribute('href')).toBe('/api/auth/oidc/corp/login');
    const [invited] = providerLinks(providers, 'a/b');
    expect(invited.getAttribute('href')).toBe('/api/auth/oidc/corp/login?invitation=a%2Fb');
  });

  it('explains every refusal the portal names, and an unknown one too', () => {
    for (const reason of ['expired', 'refused', 'provider', 'unbound', 'disabled', 'invitation', 'linked-elsewhere']) {
      expect(SSO_PROBLEMS[reason], reason).toBeTruthy();
    }
    expect(ssoProblem('unbound')).toContain('No account for this identity');
    expect(ssoProblem('something-new')).toContain('Start again');
  });
});

describe("the admin's sign-in summary of a user", () => {
  const user: User = { id: 2, username: 'ann', admin: false, disabled: false, createdAt: '2026-12-01T00:00:00Z', passwordLogin: true };
  const corp = { id: 1, provider: 'corp', displayName: 'Corp SSO', issuer: 'https://idp', subject: 's', createdAt: '2026-12-01T00:00:00Z', lastLoginAt: null };

  it('names the password and the providers', () => {
    expect(signInSummary(user, [corp])).toBe('Signs in with password or single sign-on (Corp SSO).');
    expect(signInSummary({ ...user, passwordLogin: false }, [corp])).toBe('Signs in with single sign-on (Corp SSO).');
  });

  it('says when nothing signs the user in, and what to do', () => {
    expect(signInSummary({ ...user, passwordLogin: false }, [])).toContain('send an invitation link');
  });
});
