// Security keys and passkeys (WebAuthn): the caller's keys (/api/me/webauthn), the key step of a
// sign-in (/api/auth/login/second-factor/webauthn/options), and the browser's side of both: the
// portal speaks WebAuthn's JSON forms (binary values base64url), navigator.credentials binary.

import { http } from './http';
import type { LoginAnswer, SecurityKey } from './types';

/** A credential descriptor in JSON form. */
interface DescriptorJson {
  type: 'public-key';
  id: string;
  transports?: string[];
}

/** PublicKeyCredentialCreationOptions as the portal sends them. */
export interface CreationOptionsJson {
  challenge: string;
  rp: { id: string; name: string };
  user: { id: string; name: string; displayName: string };
  pubKeyCredParams: { type: 'public-key'; alg: number }[];
  timeout: number;
  attestation: AttestationConveyancePreference;
  excludeCredentials: DescriptorJson[];
  authenticatorSelection: { residentKey: ResidentKeyRequirement; userVerification: UserVerificationRequirement };
}

/** PublicKeyCredentialRequestOptions as the portal sends them. */
export interface RequestOptionsJson {
  challenge: string;
  rpId: string;
  timeout: number;
  allowCredentials: DescriptorJson[];
  userVerification: UserVerificationRequirement;
}

export function toBase64url(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  for (const b of view) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const descriptor = (d: DescriptorJson): PublicKeyCredentialDescriptor => ({
  type: d.type,
  id: fromBase64url(d.id),
  ...(d.transports && d.transports.length > 0 ? { transports: d.transports as AuthenticatorTransport[] } : {}),
});

export function creationOptions(o: CreationOptionsJson): PublicKeyCredentialCreationOptions {
  return {
    challenge: fromBase64url(o.challenge),
    rp: o.rp,
    user: { ...o.user, id: fromBase64url(o.user.id) },
    pubKeyCredParams: o.pubKeyCredParams,
    timeout: o.timeout,
    attestation: o.attestation,
    excludeCredentials: o.excludeCredentials.map(descriptor),
    authenticatorSelection: o.authenticatorSelection,
  };
}

export function requestOptions(o: RequestOptionsJson): PublicKeyCredentialRequestOptions {
  return {
    challenge: fromBase64url(o.challenge),
    rpId: o.rpId,
    timeout: o.timeout,
    allowCredentials: o.allowCredentials.map(descriptor),
    userVerification: o.userVerification,
  };
}

/** The PublicKeyCredential's members common to both ceremonies, with its response as given. */
function credentialJson(credential: PublicKeyCredential, response: Record<string, unknown>): Record<string, unknown> {
  return { id: credential.id, rawId: toBase64url(credential.rawId), type: credential.type, authenticatorAttachment: credential.authenticatorAttachment, clientExtensionResults: {}, response };
}

/** A new credential in the JSON form of {@code PublicKeyCredential.toJSON()}. */
export function registrationJson(credential: PublicKeyCredential): Record<string, unknown> {
  const response = credential.response as AuthenticatorAttestationResponse;
  return credentialJson(credential, {
    clientDataJSON: toBase64url(response.clientDataJSON),
    attestationObject: toBase64url(response.attestationObject),
    transports: typeof response.getTransports === 'function' ? response.getTransports() : [],
  });
}

/** A signed challenge in the JSON form of {@code PublicKeyCredential.toJSON()}. */
export function assertionJson(credential: PublicKeyCredential): Record<string, unknown> {
  const response = credential.response as AuthenticatorAssertionResponse;
  return credentialJson(credential, {
    clientDataJSON: toBase64url(response.clientDataJSON),
    authenticatorData: toBase64url(response.authenticatorData),
    signature: toBase64url(response.signature),
    ...(response.userHandle ? { userHandle: toBase64url(response.userHandle) } : {}),
  });
}

export function list(): Promise<SecurityKey[]> {
  return http.get<SecurityKey[]>('/api/me/webauthn/credentials');
}

/** Asks the portal for a challenge, the browser for a new credential, the portal to keep it. */
export async function register(name: string): Promise<{ key: SecurityKey; recoveryCodes: string[] }> {
  const options = await http.post<CreationOptionsJson>('/api/me/webauthn/registration');
  const credential = (await navigator.credentials.create({ publicKey: creationOptions(options) })) as PublicKeyCredential | null;
  if (!credential) throw new DOMException('no credential', 'NotAllowedError');
  return http.post<{ key: SecurityKey; recoveryCodes: string[] }>('/api/me/webauthn/registration/finish', { name, credential: registrationJson(credential) });
}

export function rename(id: number, name: string): Promise<void> {
  return http.request<void>('PATCH', `/api/me/webauthn/credentials/${id}`, { body: { name } });
}

export function remove(id: number): Promise<void> {
  return http.delete(`/api/me/webauthn/credentials/${id}`);
}

/** The key step of a sign-in: the pending sign-in's challenge, signed by one of the user's keys. */
export async function signIn(pendingToken: string): Promise<LoginAnswer> {
  const options = await http.post<RequestOptionsJson>('/api/auth/login/second-factor/webauthn/options', { pendingToken }, { expectUnauthorized: true });
  const credential = (await navigator.credentials.get({ publicKey: requestOptions(options) })) as PublicKeyCredential | null;
  if (!credential) throw new DOMException('no credential', 'NotAllowedError');
  return http.post<LoginAnswer>('/api/auth/login/second-factor', { pendingToken, webauthn: assertionJson(credential) }, { expectUnauthorized: true });
}

/** The step-up before a session: a challenge of its own, signed by one of the user's keys. */
export async function presentFreshKey(): Promise<void> {
  const options = await http.post<RequestOptionsJson>('/api/me/second-factor/fresh/webauthn/options');
  const credential = (await navigator.credentials.get({ publicKey: requestOptions(options) })) as PublicKeyCredential | null;
  if (!credential) throw new DOMException('no credential', 'NotAllowedError');
  return http.post<void>('/api/me/second-factor/fresh', { webauthn: assertionJson(credential) });
}

/**
 * Words for what the browser or the portal said about a key: no support, cancelled or timed out,
 * a key registered already, or null to fall back to the API's words.
 */
export function keyProblem(error: unknown): string | null {
  if (error instanceof DOMException || (error instanceof Error && /Error$/.test(error.name) && error.name !== 'ApiError')) {
    switch (error.name) {
      case 'NotAllowedError':
      case 'AbortError':
        return 'The security key request was cancelled or timed out. Try again, and touch the key when it blinks.';
      case 'InvalidStateError':
        return 'This security key is registered already.';
      case 'NotSupportedError':
        return 'This security key does not support what Tether asks for (a P-256, Ed25519 or RSA key).';
      case 'SecurityError':
        return 'The browser refused security keys for this address: open Tether at its own name over HTTPS (or localhost).';
      default:
        return `The browser could not use the security key (${error.name}).`;
    }
  }
  return null;
}

/** Why the browser cannot use keys here, in words, or null when it can. */
export function unsupportedReason(): string | null {
  if (typeof window === 'undefined' || typeof window.PublicKeyCredential !== 'function') {
    return 'This browser does not support security keys or passkeys.';
  }
  if (!window.isSecureContext) {
    return 'Security keys work only over HTTPS (or on localhost): open Tether at its https:// address.';
  }
  return null;
}
