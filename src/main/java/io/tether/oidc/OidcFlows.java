package io.tether.oidc;

import io.tether.access.Pkce;
import io.tether.access.SecretToken;
import io.tether.access.TokenHasher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Code flows in progress, in PostgreSQL so that the callback may land on any node. The state is
 * random and stored hashed; a flow is used once, within {@link #LIFETIME}, and only by the browser
 * that started it (the hash of its flow cookie's value is kept with it).
 */
@ApplicationScoped
public class OidcFlows {
  /** Long enough to type a password and a code at the provider. */
  static final Duration LIFETIME = Duration.ofMinutes(10);

  static final int RANDOM_BYTES = 32;

  /**
   * Unfinished flows kept at most: starting one needs no credential, so this bounds the rows anyone
   * can make (far above what people signing in within {@link #LIFETIME} start).
   */
  static final long MAX_LIVE = 10_000;

  @Inject TokenHasher hasher;

  /** What the start of a flow hands out: to the provider (state, nonce, challenge of verifier). */
  record Started(String state, String nonce, String verifier) {}

  /** A flow taken for its callback. */
  record Taken(
      String provider, String nonce, String verifier, Long linkUserId, Long invitationId) {}

  @Transactional
  Started start(String provider, String browser, Long linkUserId, Long invitationId) {
    if (OidcFlow.count("usedAt is null and expiresAt > ?1", Instant.now()) >= MAX_LIVE) {
      throw new SsoRefusal(
          SsoRefusal.PROVIDER,
          "too many sign-ins in progress (" + MAX_LIVE + "): try again shortly");
    }
    Started s = new Started(random(), random(), Pkce.verifier());
    OidcFlow flow = new OidcFlow();
    flow.stateHash = hasher.hash(s.state());
    flow.browserHash = hasher.hash(browser);
    flow.provider = provider;
    flow.nonce = s.nonce();
    flow.codeVerifier = s.verifier();
    flow.linkUserId = linkUserId;
    flow.invitationId = invitationId;
    flow.expiresAt = Instant.now().plus(LIFETIME);
    flow.persist();
    return s;
  }

  /**
   * Uses the flow of {@code state} up: empty when it is unknown, already used (a replay), expired,
   * or was started by another browser. The conditional update makes it single use on any node.
   */
  @Transactional
  Optional<Taken> take(String state, String browser) {
    if (state == null || state.isBlank() || state.length() > 128 || browser == null) {
      return Optional.empty();
    }
    Optional<OidcFlow> found =
        OidcFlow.<OidcFlow>find("stateHash", hasher.hash(state)).firstResultOptional();
    if (found.isEmpty() || !MessageDigest.isEqual(found.get().browserHash, hasher.hash(browser))) {
      return Optional.empty();
    }
    OidcFlow flow = found.get();
    int used =
        OidcFlow.update(
            "usedAt = ?1 where id = ?2 and usedAt is null and expiresAt > ?1",
            Instant.now(),
            flow.id);
    if (used != 1) {
      return Optional.empty();
    }
    return Optional.of(
        new Taken(
            flow.provider, flow.nonce, flow.codeVerifier, flow.linkUserId, flow.invitationId));
  }

  /** Flows are worthless an hour after they ended. */
  @io.quarkus.scheduler.Scheduled(
      every = "10m",
      delayed = "3m",
      concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = io.tether.boot.Stopping.class)
  @Transactional
  void purge() {
    OidcFlow.delete("expiresAt < ?1", Instant.now().minus(Duration.ofHours(1)));
  }

  static String random() {
    return SecretToken.random(RANDOM_BYTES);
  }

  static boolean sameText(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
