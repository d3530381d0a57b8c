package io.tether.access;

import java.time.Duration;
import java.util.Optional;

/**
 * Where the {@link Authenticator} checks a presented credential and re-reads a live socket's: kept
 * by the user feature (API tokens and browser sessions, hashed at rest; SSH keys by the ssh
 * feature).
 */
public interface CredentialStore {
  /** The principal behind a presented secret, if it is valid now. */
  Optional<Principal> verify(String presented);

  /** The principal behind credential {@code id} as it is now; empty when it ended. */
  Optional<Principal> current(long id);

  /** How long credential {@code id} lasts, as it stands now. */
  CredentialLifetime lifetime(long id);

  /**
   * Remembers that a second factor was presented for credential {@code id} at {@code at} (kinds
   * that cannot carry one ignore it).
   */
  default void factorPresented(long id, java.time.Instant at) {}

  /** API tokens ({@code Authorization: Bearer}). */
  interface ApiTokens extends CredentialStore {}

  /**
   * Users' SSH public keys: {@link #verify} takes a key's SHA-256 fingerprint (the SSH server has
   * checked the signature); a key lasts until it is deleted or its user disabled.
   */
  interface SshKeys extends CredentialStore {}

  /** Browser sessions (the session cookie), which idle out unless touched. */
  interface WebSessions extends CredentialStore {
    /** Activity on a live socket keeps the session from idling out. */
    void touch(long id);

    /** How often activity needs to reach the database at most. */
    Duration touchInterval();
  }
}
