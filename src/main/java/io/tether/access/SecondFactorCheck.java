package io.tether.access;

/**
 * The user's second factor as the access layer needs it, implemented where factors live (package
 * {@code user}, which depends on this one): whether a user has an authenticator app, and whether a
 * code of it is right — counted, throttled and audited like a sign-in's.
 */
public interface SecondFactorCheck {
  /** Whether the user has a confirmed authenticator app (TOTP) factor. */
  boolean enrolled(long userId);

  /** Whether the user has a security key (they confirm a change with a step-up instead). */
  boolean hasKeys(long userId);

  /**
   * Whether {@code code} is a current code of the user's factor; 429 while their step is locked.
   */
  boolean accepted(long userId, String code, String address);
}
