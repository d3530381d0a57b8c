package io.tether.mfa;

import io.tether.access.SecretToken;
import io.tether.access.TokenHasher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Password sign-ins waiting for their second factor, in PostgreSQL so that the second step may land
 * on any node. The token is random, stored hashed, bound to the account, lives {@link #LIFETIME}
 * and completes one sign-in. It is no credential: the authenticator never looks here, so nothing is
 * reachable with it but the second-factor step.
 */
@ApplicationScoped
public class PendingLogins {
  /** Long enough to open an authenticator app and type a code; short enough to be worthless. */
  public static final Duration LIFETIME = Duration.ofMinutes(5);

  /** 256 bits, like a session id. */
  static final int TOKEN_BYTES = 32;

  @Inject TokenHasher hasher;

  /** A pending sign-in: which account, from where, and its first step (null: a password). */
  public record Pending(long id, long userId, String address, String method) {}

  public String issue(long userId, String address) {
    return issue(userId, address, null);
  }

  /** A pending sign-in whose first step was {@code method} ({@code oidc:<provider>}). */
  @Transactional
  public String issue(long userId, String address, String method) {
    String token = SecretToken.random(TOKEN_BYTES);
    PendingLogin p = new PendingLogin();
    p.userId = userId;
    p.tokenHash = hasher.hash(token);
    p.address = address;
    p.method = method;
    p.expiresAt = Instant.now().plus(LIFETIME);
    p.persist();
    return token;
  }

  /** The pending sign-in of a token that is neither used nor expired. */
  @Transactional
  public Optional<Pending> find(String token) {
    if (token == null || token.isBlank() || token.length() > 128) {
      return Optional.empty();
    }
    return PendingLogin.<PendingLogin>find(
            "tokenHash = ?1 and usedAt is null and expiresAt > ?2",
            hasher.hash(token),
            Instant.now())
        .firstResultOptional()
        .map(p -> new Pending(p.id, p.userId, p.address, p.method));
  }

  /** Uses the pending sign-in up; false when another request did first. */
  @Transactional
  public boolean complete(long id) {
    return PendingLogin.update(
            "usedAt = ?1 where id = ?2 and usedAt is null and expiresAt > ?1", Instant.now(), id)
        == 1;
  }

  /** Test hook and admin reset: a user's waiting sign-ins end. */
  @Transactional
  public void endAll(long userId) {
    PendingLogin.update("usedAt = ?1 where userId = ?2 and usedAt is null", Instant.now(), userId);
  }

  /** Pending sign-ins are worthless an hour after they ended. */
  @io.quarkus.scheduler.Scheduled(
      every = "10m",
      delayed = "2m",
      concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = io.tether.boot.Stopping.class)
  @Transactional
  void purge() {
    PendingLogin.delete("expiresAt < ?1", Instant.now().minus(Duration.ofHours(1)));
  }
}
