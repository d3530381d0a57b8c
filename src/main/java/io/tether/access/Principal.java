package io.tether.access;

import java.time.Instant;

/**
 * Who is acting: a user, through a browser session, an API token or an SSH key. {@code mfa} says
 * whether the credential was established with a second factor (a browser session signed in with
 * one, or an API token created from such a session); {@code issuedAt} when the credential was made
 * (known for API tokens, whose age a group that requires a second factor bounds; null otherwise);
 * {@code factorAt} when a second factor was last presented for it (a sign-in with one, a step-up, a
 * token's {@code X-Tether-OTP}), for groups that ask for one again before each session.
 */
public record Principal(
    long userId,
    String username,
    boolean admin,
    Via via,
    Long credentialId,
    String csrfToken,
    boolean mfa,
    Instant issuedAt,
    Instant factorAt) {

  /** A principal whose credential's age does not matter (every kind but API tokens). */
  public Principal(
      long userId,
      String username,
      boolean admin,
      Via via,
      Long credentialId,
      String csrfToken,
      boolean mfa) {
    this(userId, username, admin, via, credentialId, csrfToken, mfa, null, null);
  }

  /** A principal whose credential was established without a second factor. */
  public Principal(
      long userId, String username, boolean admin, Via via, Long credentialId, String csrfToken) {
    this(userId, username, admin, via, credentialId, csrfToken, false, null, null);
  }

  /** This principal with its second factor presented just now. */
  public Principal withFactorAt(Instant at) {
    return new Principal(userId, username, admin, via, credentialId, csrfToken, mfa, issuedAt, at);
  }

  /** How the principal authenticated. */
  public enum Via {
    WEB_SESSION,
    API_TOKEN,
    /** A registered SSH public key ({@code credentialId} is the key's id): the SSH front door. */
    SSH_KEY
  }
}
