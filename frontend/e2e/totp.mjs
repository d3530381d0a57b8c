// RFC 6238 codes for scenarios whose user has an authenticator app: the test knows the secret the
// portal showed (HMAC-SHA1, 30 s steps, 6 digits).

import { createHmac } from 'node:crypto';

/** The code of {@code step} for the base32 secret. */
export function totp(base32, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const hash = createHmac('sha1', key).update(counter).digest();
  const offset = hash[hash.length - 1] & 0x0f;
  return String((hash.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** The time step now. */
export const currentStep = () => Math.floor(Date.now() / 30_000);

/** Six digits that are no code of the steps around now (the portal refuses them). */
export function wrongCode(base32) {
  const now = currentStep();
  const valid = new Set([-2, -1, 0, 1, 2].map((d) => totp(base32, now + d)));
  return ['000000', '111111', '222222', '333333'].find((c) => !valid.has(c));
}
