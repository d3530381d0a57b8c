package io.tether.access;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Turns presented credentials into a principal: a bearer API token, else the session cookie. Used
 * by REST and by every socket endpoint, so all of them accept exactly the same credentials.
 */
@ApplicationScoped
public class Authenticator {
  private static final String BEARER = "Bearer ";

  private final CredentialStore.ApiTokens tokens;
  private final CredentialStore.WebSessions sessions;
  private final CredentialStore.SshKeys sshKeys;

  @Inject
  Authenticator(
      CredentialStore.ApiTokens tokens,
      CredentialStore.WebSessions sessions,
      CredentialStore.SshKeys sshKeys) {
    this.tokens = tokens;
    this.sessions = sessions;
    this.sshKeys = sshKeys;
  }

  public Optional<Principal> authenticate(String authorization, String sessionCookie) {
    if (authorization != null && !authorization.isBlank()) {
      if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
        return Optional.empty();
      }
      return tokens.verify(authorization.substring(BEARER.length()).trim());
    }
    return sessions.verify(sessionCookie);
  }

  /**
   * The principal behind a live socket as it is now, read from the database: its credential
   * (browser session or API token) still valid, its user still enabled, its admin flag current.
   * Empty when the credential ended. Every re-check of a live socket starts here, never from the
   * snapshot taken when the socket opened.
   */
  public Optional<Principal> current(Principal snapshot) {
    if (snapshot.credentialId() == null) {
      return Optional.empty();
    }
    return store(snapshot).current(snapshot.credentialId());
  }

  /** How long the credential behind a live socket lasts, as it stands now. */
  public CredentialLifetime lifetime(Principal snapshot) {
    if (snapshot.credentialId() == null) {
      return CredentialLifetime.ENDED;
    }
    return store(snapshot).lifetime(snapshot.credentialId());
  }

  private CredentialStore store(Principal snapshot) {
    return switch (snapshot.via()) {
      case API_TOKEN -> tokens;
      case WEB_SESSION -> sessions;
      case SSH_KEY -> sshKeys;
    };
  }

  /** The principal's credential had a second factor presented just now; answers it so. */
  public Principal factorPresented(Principal p) {
    java.time.Instant now = java.time.Instant.now();
    if (p.credentialId() != null) {
      store(p).factorPresented(p.credentialId(), now);
    }
    return p.withFactorAt(now);
  }

  /** How often activity on a live browser socket needs to reach the database at most. */
  public java.time.Duration touchInterval() {
    return sessions.touchInterval();
  }

  /** Activity on a live browser socket keeps its session from idling out. */
  public void touch(Principal snapshot) {
    if (snapshot.via() == Principal.Via.WEB_SESSION && snapshot.credentialId() != null) {
      sessions.touch(snapshot.credentialId());
    }
  }
}
