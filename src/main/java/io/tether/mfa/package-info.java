/**
 * The second factor: RFC 6238 TOTP with single-use recovery codes, the pending sign-ins that wait
 * for it, and the per-account count of wrong codes. Keyed by user id; the user package's sign-in
 * and account endpoints drive it.
 */
package io.tether.mfa;
