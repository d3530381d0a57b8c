package io.tether.user;

import io.tether.access.Principal;
import io.tether.access.TokenHasher;
import io.tether.boot.TetherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/** Server-side browser sessions: create at login, verify per request, revoke one or all. */
@ApplicationScoped
public class WebSessionService {
  /** 256-bit session ids. */
  static final int ID_BYTES = 32;

  /** Writes of last-seen are coalesced to at most one per this interval per session. */
  static final Duration MAX_TOUCH_INTERVAL = Duration.ofSeconds(60);

  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject TokenHasher hasher;
  @Inject TetherConfig config;

  /** A new session; the returned cookie value is known only to the browser from now on. */
  public record Created(String cookieValue, WebSession session) {}

  @Transactional
  public Created create(UserAccount user, String address) {
    String cookieValue = random();
    WebSession session = new WebSession();
    session.userId = user.id;
    session.idHash = hasher.hash(cookieValue);
    session.csrfToken = random();
    session.address = address;
    session.expiresAt = Instant.now().plus(config.auth().sessionAbsoluteTimeout());
    session.persist();
    return new Created(cookieValue, session);
  }

  @Transactional
  public Optional<Principal> verify(String cookieValue) {
    if (cookieValue == null || cookieValue.isBlank() || cookieValue.length() > 128) {
      return Optional.empty();
    }
    Optional<WebSession> found =
        WebSession.find("idHash", hasher.hash(cookieValue)).firstResultOptional();
    if (found.isEmpty()) {
      return Optional.empty();
    }
    WebSession session = found.get();
    Instant now = Instant.now();
    Duration idle = config.auth().sessionIdleTimeout();
    if (session.revokedAt != null
        || !now.isBefore(session.expiresAt)
        || !now.isBefore(session.lastSeenAt.plus(idle))) {
      return Optional.empty();
    }
    UserAccount user = UserAccount.findById(session.userId);
    if (user == null || user.disabled) {
      return Optional.empty();
    }
    Duration touch =
        idle.dividedBy(10).compareTo(MAX_TOUCH_INTERVAL) < 0
            ? idle.dividedBy(10)
            : MAX_TOUCH_INTERVAL;
    if (session.lastSeenAt.plus(touch).isBefore(now)) {
      session.lastSeenAt = now;
    }
    return Optional.of(
        new Principal(
            user.id,
            user.username,
            user.admin,
            Principal.Via.SESSION,
            session.id,
            session.csrfToken));
  }

  @Transactional
  public void revoke(long sessionId) {
    WebSession.update(
        "revokedAt = ?1 where id = ?2 and revokedAt is null", Instant.now(), sessionId);
  }

  /** Ends every session of a user, optionally sparing one (the caller's own). */
  @Transactional
  public int revokeAll(long userId, Long except) {
    if (except == null) {
      return WebSession.update(
          "revokedAt = ?1 where userId = ?2 and revokedAt is null", Instant.now(), userId);
    }
    return WebSession.update(
        "revokedAt = ?1 where userId = ?2 and revokedAt is null and id <> ?3",
        Instant.now(),
        userId,
        except);
  }

  private static String random() {
    byte[] bytes = new byte[ID_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
