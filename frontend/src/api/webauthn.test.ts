import { describe, expect, it } from 'vitest';
import { ApiError } from './http';
import { creationOptions, fromBase64url, keyProblem, requestOptions, toBase64url } from './webauthn';

describe('security keys in the browser', () => {
  it('converts base64url both ways, without padding', () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253, 254, 255]);
    expect(toBase64url(bytes)).toBe('AAEC-vv8_f7_');
    expect(Array.from(fromBase64url('AAEC-vv8_f7_'))).toEqual(Array.from(bytes));
    expect(Array.from(fromBase64url(toBase64url(new Uint8Array([7]))))).toEqual([7]);
  });

  it('turns the portal options into what navigator.credentials takes', () => {
    const create = creationOptions({
      challenge: 'AAEC',
      rp: { id: 'portal.example.com', name: 'Tether' },
      user: { id: 'AAAAAAAAAAc', name: 'alice', displayName: 'alice' },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      timeout: 120000,
      attestation: 'none',
      excludeCredentials: [{ type: 'public-key', id: '_w', transports: ['usb'] }],
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
    expect(Array.from(create.challenge as Uint8Array)).toEqual([0, 1, 2]);
    expect(Array.from(create.user.id as Uint8Array)).toEqual([0, 0, 0, 0, 0, 0, 0, 7]);
    expect(create.excludeCredentials?.[0].transports).toEqual(['usb']);
    const get = requestOptions({ challenge: 'AAEC', rpId: 'portal.example.com', timeout: 1, allowCredentials: [{ type: 'public-key', id: '_w' }], userVerification: 'preferred' });
    expect(Array.from(get.allowCredentials?.[0].id as Uint8Array)).toEqual([255]);
    expect(get.allowCredentials?.[0].transports).toBeUndefined();
  });

  it('has words for what the browser says', () => {
    expect(keyProblem(new DOMException('x', 'NotAllowedError'))).toMatch(/cancelled or timed out/);
    expect(keyProblem(new DOMException('x', 'InvalidStateError'))).toMatch(/registered already/);
    expect(keyProblem(new DOMException('x', 'SecurityError'))).toMatch(/HTTPS/);
    expect(keyProblem(new ApiError(401, 'Unauthorized', 'security key not recognised'))).toBeNull();
  });
});
