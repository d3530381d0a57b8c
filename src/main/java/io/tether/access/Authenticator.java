package io.tether.access;

import io.tether.user.ApiTokenService;
import io.tether.user.WebSessionService;
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

  @Inject ApiTokenService tokens;
  @Inject WebSessionService sessions;

  public Optional<Principal> authenticate(String authorization, String sessionCookie) {
    if (authorization != null && !authorization.isBlank()) {
      if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
        return Optional.empty();
      }
      return tokens.verify(authorization.substring(BEARER.length()).trim());
    }
    return sessions.verify(sessionCookie);
  }
}
