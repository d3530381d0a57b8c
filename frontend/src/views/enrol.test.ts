import { describe, expect, it } from 'vitest';
import type { Me } from '../api/types';
import { enrolMessage } from './account';
import { ENROL_PATH, afterSignIn } from './signIn';

const me = (secondFactorRequired: string[], granted: string[] = secondFactorRequired): Me => ({
  id: 1,
  username: 'ann',
  admin: false,
  csrfToken: 'x',
  grants: granted.map((group) => ({ group, role: 'operator' })),
  mfa: false,
  secondFactorRequired,
});

describe('afterSignIn', () => {
  it('takes a sign-in that groups refuse for want of a second factor to enrolment', () => {
    expect(afterSignIn(me(['plant']), null)).toBe(ENROL_PATH);
  });

  it('leaves an admin who reaches such a group without a grant on the overview', () => {
    expect(afterSignIn(me(['plant'], []), null)).toBe('/');
  });

  it('goes where it was asked to, and to the overview when nothing refuses it', () => {
    expect(afterSignIn(me(['plant']), '/cli-login?port=4000')).toBe('/cli-login?port=4000');
    expect(afterSignIn(me([]), null)).toBe('/');
    expect(afterSignIn(null, '//evil.example')).toBe('/');
  });
});

describe('enrolMessage', () => {
  it('names the groups and the way forward', () => {
    expect(enrolMessage('second-factor', ['plant'])).toMatch(/^Group plant requires a second factor .* Add an authenticator app/);
    expect(enrolMessage('second-factor', ['a', 'b'])).toMatch(/^Groups a, b require/);
  });

  it('says nothing when not enrolling or nothing refuses', () => {
    expect(enrolMessage(null, ['plant'])).toBeNull();
    expect(enrolMessage('second-factor', [])).toBeNull();
  });
});
