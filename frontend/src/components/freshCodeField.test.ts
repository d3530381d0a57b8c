// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { ApiError, http } from '../api/http';
import { FRESH_FACTOR_REQUIRED } from '../api/freshFactor';
import * as session from '../session';
import { cleanUpAfterEachTest, respond, settle } from '../testing/fakePortal';
import { freshCodeField, freshCodePrompt } from './freshCode';

cleanUpAfterEachTest();

const refused = new ApiError(403, 'Fresh second factor required', 'present your security key', null, null, { type: FRESH_FACTOR_REQUIRED });

async function signedInWith(methods: string[]): Promise<void> {
  respond({ '/api/me': { id: 1, username: 'root', admin: true, csrfToken: 'csrf-1', grants: [], secondFactorMethods: methods } });
  await session.restore();
}

/** A form holding the field, counting its submissions. */
function formWith() {
  const field = freshCodeField();
  const form = document.createElement('form');
  const submitted = vi.fn((e: Event) => e.preventDefault());
  form.addEventListener('submit', submitted);
  form.append(field.row);
  document.body.append(form);
  const keyButton = () => [...form.querySelectorAll('button')].find((b) => b.textContent === 'Use a security key')!;
  return { field, form, submitted, keyButton };
}

describe('the fresh second factor a form asks for', () => {
  it('asks an admin with an authenticator app for a code', async () => {
    await signedInWith(['totp']);
    const { field, keyButton } = formWith();
    expect(field.row.hidden).toBe(true);
    field.ask();
    expect(field.row.hidden).toBe(false);
    expect(keyButton().hidden).toBe(true);
    field.control.value = '123456';
    expect(field.value()).toBe('123456');
    expect(freshCodePrompt(refused, 'a link port')).toContain('enter a current code from your authenticator app to confirm');
  });

  it('offers an admin with keys alone the key: a step-up, then the form is sent again without a code', async () => {
    await signedInWith(['webauthn']);
    const { field, submitted, keyButton } = formWith();
    field.ask();
    expect(field.control.closest('[hidden]')).not.toBeNull();
    expect(keyButton().hidden).toBe(false);
    expect(freshCodePrompt(refused, 'a link port')).toContain('use your security key to confirm it is you');
    http.setCsrfToken('csrf-1');
    const bytes = (n: number) => new Uint8Array([n]).buffer;
    vi.stubGlobal('navigator', {
      credentials: { get: vi.fn(async () => ({ id: '_w', rawId: bytes(255), type: 'public-key', response: { clientDataJSON: bytes(1), authenticatorData: bytes(2), signature: bytes(3), userHandle: null } })) },
    });
    const calls = respond({
      'POST /api/me/second-factor/fresh/webauthn/options': { challenge: 'AAEC', rpId: 'localhost', timeout: 1, allowCredentials: [], userVerification: 'preferred' },
      'POST /api/me/second-factor/fresh': { status: 204 },
    });
    keyButton().click();
    await settle(8);
    expect(calls.map((c) => c.url)).toEqual(['/api/me/second-factor/fresh/webauthn/options', '/api/me/second-factor/fresh']);
    expect(submitted).toHaveBeenCalledOnce();
    expect(field.value()).toBeUndefined();
  });

  it('offers both to an admin with both', async () => {
    await signedInWith(['totp', 'webauthn']);
    const { field, keyButton } = formWith();
    field.ask();
    expect(field.control.closest('[hidden]')).toBeNull();
    expect(keyButton().hidden).toBe(false);
    expect(freshCodePrompt(refused, 'raw ingress')).toContain('authenticator app or use your security key');
  });
});
