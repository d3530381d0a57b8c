// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { callbackUrl, cancelUrl, parseCliLogin } from './cliLoginRequest';
import { rememberNext, takeRememberedNext } from './signIn';

const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const parse = (query: string) => parseCliLogin(new URLSearchParams(query));

describe('the command-line sign-in request', () => {
  it('reads port, state, challenge, name and days, naming the host of cli@HOST', () => {
    const p = parse(`port=43121&state=abcdefghij&challenge=${challenge}&name=cli%40build-7&days=10`);
    expect(p).toEqual({ ok: true, request: { port: 43121, state: 'abcdefghij', challenge, name: 'cli@build-7', host: 'build-7', days: 10 } });
  });

  it('without a port the code is shown to paste, and the lifetime defaults to 30 days', () => {
    const p = parse(`challenge=${challenge}&name=cli%40x`);
    expect(p.ok && p.request.port).toBeNull();
    expect(p.ok && p.request.days).toBe(30);
  });

  it('refuses a port that is not an unprivileged number: the code goes nowhere else', () => {
    for (const port of ['80', '1023', '65536', '8080.evil.example', '-1', 'abc', '']) {
      expect(parse(`port=${encodeURIComponent(port)}&state=abcdefghij&challenge=${challenge}`).ok, port).toBe(false);
    }
  });

  it('refuses a missing challenge or state, a name with control characters, and days over 365', () => {
    expect(parse('port=43121&state=abcdefghij').ok).toBe(false);
    expect(parse(`port=43121&challenge=${challenge}`).ok).toBe(false);
    expect(parse(`challenge=${challenge}&name=cli%0a@x`).ok).toBe(false);
    expect(parse(`challenge=${challenge}&days=366`).ok).toBe(false);
    expect(parse(`challenge=${challenge}&days=0`).ok).toBe(false);
  });

  it('hands the code back to 127.0.0.1 only, with the state', () => {
    expect(callbackUrl(43121, 'st', 'a b&c')).toBe('http://127.0.0.1:43121/callback?code=a%20b%26c&state=st');
    expect(cancelUrl(43121, 'st')).toBe('http://127.0.0.1:43121/callback?error=cancelled&state=st');
  });
});

describe('single sign-on comes back to where the user was going', () => {
  it('keeps a path of this site once, never another site', () => {
    rememberNext('/cli-login?challenge=x');
    expect(takeRememberedNext()).toBe('/cli-login?challenge=x');
    expect(takeRememberedNext()).toBeNull();
    rememberNext('//evil.example/x');
    expect(takeRememberedNext()).toBeNull();
  });
});
