// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { http } from '../api/http';
import { cleanUpAfterEachTest, respond, settle } from '../testing/fakePortal';
import { freshFactorPrompt } from './secondFactor';

cleanUpAfterEachTest();

const OPTIONS = { challenge: 'AAEC', rpId: 'localhost', timeout: 60000, allowCredentials: [{ type: 'public-key', id: '_w' }], userVerification: 'preferred' };

/** A browser whose security key answers every request with the same (made-up) assertion. */
function keyAnswers(): void {
  const bytes = (n: number) => new Uint8Array([n]).buffer;
  vi.stubGlobal('navigator', {
    credentials: {
      get: vi.fn(async () => ({
        id: '_w',
        rawId: bytes(255),
        type: 'public-key',
        response: { clientDataJSON: bytes(1), authenticatorData: bytes(2), signature: bytes(3), userHandle: null },
      })),
    },
  });
}

function prompt(methods: string[] | undefined) {
  const done = vi.fn();
  const form = freshFactorPrompt('plant-a', methods, done);
  document.body.append(form);
  const button = (name: string) => [...form.querySelectorAll('button')].find((b) => b.textContent === name && !b.hidden);
  return { form, done, button, code: form.querySelector<HTMLInputElement>('input[name="fresh-code"]')! };
}

describe('the terminal asking for the second factor again', () => {
  it('asks an authenticator app user for a code and opens once the portal took it', async () => {
    http.setCsrfToken('csrf-1');
    const calls = respond({ 'POST /api/me/second-factor/fresh': { status: 204 } });
    const p = prompt(['totp']);
    expect(p.form.textContent).toContain('Group plant-a asks for a current code of your authenticator app before each session');
    expect(p.button('Use a security key')).toBeUndefined();
    expect(p.code.closest('[hidden]')).toBeNull();
    p.code.value = '123456';
    p.form.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect(calls.map((c) => [c.method, c.url, c.body])).toEqual([['POST', '/api/me/second-factor/fresh', { code: '123456' }]]);
    expect(p.done).toHaveBeenCalledOnce();
  });

  it('offers a security key alone to a user with keys only, and sends its answer to a challenge of its own', async () => {
    http.setCsrfToken('csrf-1');
    keyAnswers();
    const calls = respond({ 'POST /api/me/second-factor/fresh/webauthn/options': OPTIONS, 'POST /api/me/second-factor/fresh': { status: 204 } });
    const p = prompt(['webauthn']);
    expect(p.form.textContent).toContain('asks for your security key before each session');
    expect(p.code.closest('[hidden]')).not.toBeNull();
    expect(p.button('Open the terminal')).toBeUndefined();
    p.button('Use a security key')!.click();
    await settle(8);
    expect(calls.map((c) => c.url)).toEqual(['/api/me/second-factor/fresh/webauthn/options', '/api/me/second-factor/fresh']);
    expect(calls[1].body).toMatchObject({ webauthn: { id: '_w', type: 'public-key', response: { signature: 'Aw' } } });
    expect(p.done).toHaveBeenCalledOnce();
  });

  it('says in words why a key was not taken and leaves the prompt to try again', async () => {
    http.setCsrfToken('csrf-1');
    keyAnswers();
    respond({
      'POST /api/me/second-factor/fresh/webauthn/options': OPTIONS,
      'POST /api/me/second-factor/fresh': { status: 400, title: 'Bad Request', detail: 'webauthn: security key not recognised' },
    });
    const p = prompt(['totp', 'webauthn']);
    expect(p.form.textContent).toContain('a current code of your authenticator app or your security key');
    p.button('Use a security key')!.click();
    await settle(8);
    const alert = p.form.querySelector<HTMLElement>('[role="alert"]')!;
    expect(alert.hidden).toBe(false);
    expect(alert.textContent).toContain('security key not recognised');
    expect(p.done).not.toHaveBeenCalled();
  });

  it('asks a portal that does not list the methods for a code, as before', () => {
    const p = prompt(undefined);
    expect(p.button('Open the terminal')).toBeDefined();
    expect(p.button('Use a security key')).toBeUndefined();
  });
});
