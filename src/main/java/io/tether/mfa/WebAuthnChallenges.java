package io.tether.mfa;

import io.tether.access.SecretToken;
import io.tether.access.TokenHasher;
import io.tether.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;

/**
 * WebAuthn challenges, in PostgreSQL so that the answer may land on any node: random, stored hashed
 * (as pending sign-ins are), bound to the user, the purpose and (for a sign-in) the pending
 * sign-in, claimed once with a conditional UPDATE, worthless after {@link #LIFETIME}.
 */
@ApplicationScoped
public class WebAuthnChallenges {
  /** The browser's own timeout we ask for, plus room to find the key in a pocket. */
  public static final Duration LIFETIME = Duration.ofMinutes(3);

  /** 256 bits; the spec asks for at least 16 bytes. */
  static final int CHALLENGE_BYTES = 32;

  /**
   * Open challenges a user may have at once: a few tabs and retries, not a table filled by a loop
   * (a sign-in's challenges need only a password, not a session).
   */
  static final int MAX_OPEN = 20;

  public static final String REGISTRATION = "registration";
  public static final String SIGN_IN = "sign-in";
  public static final String STEP_UP = "step-up";

  @Inject TokenHasher hasher;

  /** A new challenge (base64url) for the user's {@code purpose}; 429 past {@link #MAX_OPEN}. */
  @Transactional
  public String issue(long userId, String purpose, Long pendingLoginId) {
    long open =
        WebAuthnChallenge.count(
            "userId = ?1 and usedAt is null and expiresAt > ?2", userId, Instant.now());
    if (open >= MAX_OPEN) {
      throw ApiException.tooManyRequests(
          "too many security key requests in flight: wait a few minutes, then try again",
          LIFETIME.toSeconds());
    }
    String challenge = SecretToken.random(CHALLENGE_BYTES);
    WebAuthnChallenge c = new WebAuthnChallenge();
    c.userId = userId;
    c.purpose = purpose;
    c.pendingLoginId = pendingLoginId;
    c.challengeHash = hasher.hash(challenge);
    c.expiresAt = Instant.now().plus(LIFETIME);
    c.persist();
    return challenge;
  }

  /**
   * Uses up the challenge the browser signed: true when it was issued for this user, purpose and
   * pending sign-in, is not expired, and no other request claimed it first.
   */
  @Transactional
  public boolean claim(long userId, String purpose, Long pendingLoginId, String challenge) {
    if (challenge == null || challenge.isEmpty() || challenge.length() > 128) {
      return false;
    }
    Instant now = Instant.now();
    String claim =
        "usedAt = ?1 where challengeHash = ?2 and userId = ?3 and purpose = ?4"
            + " and usedAt is null and expiresAt > ?1";
    byte[] hash = hasher.hash(challenge);
    int claimed =
        pendingLoginId == null
            ? WebAuthnChallenge.update(
                claim + " and pendingLoginId is null", now, hash, userId, purpose)
            : WebAuthnChallenge.update(
                claim + " and pendingLoginId = ?5", now, hash, userId, purpose, pendingLoginId);
    return claimed == 1;
  }

  /** Challenges are worthless an hour after they expired. */
  @io.quarkus.scheduler.Scheduled(
      every = "10m",
      delayed = "3m",
      concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = io.tether.boot.Stopping.class)
  @Transactional
  void purge() {
    WebAuthnChallenge.delete("expiresAt < ?1", Instant.now().minus(Duration.ofHours(1)));
  }
}
