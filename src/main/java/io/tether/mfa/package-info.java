/**
 * The second factor: RFC 6238 TOTP, WebAuthn security keys and passkeys (their single-use
 * challenges and the ceremony checks), the recovery codes all factors share, the pending sign-ins
 * that wait for one, and the per-account count of wrong answers. Keyed by user id; the user
 * package's sign-in and account endpoints drive it.
 */
package io.tether.mfa;
