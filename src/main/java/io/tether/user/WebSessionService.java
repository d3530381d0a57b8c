package io.tether.user;

import io.tether.access.CredentialLifetime;
import io.tether.access.CredentialStore;
import io.tether.access.Principal;
import io.tether.access.SecretToken;
import io.tether.access.TokenHasher;
import io.tether.boot.TetherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Server-side browser sessions: create at login, verify per request, revoke one or all. */
@ApplicationScoped
public class WebSessionService implements CredentialStore.WebSessions {
  /** 256-bit session ids. */
  static final int ID_BYTES = 32;

  /** Writes of last-seen are coalesced to at most one per this interval per session. */
  static final Duration MAX_TOUCH_INTERVAL = Duration.ofSeconds(60);

  @Inject TokenHasher hasher;
  @Inject TetherConfig config;

  /** A new session; the returned cookie value is known only to the browser from now on. */
  public record Created(String cookieValue, WebSession session) {}

  /**
   * A session of a sign-in by {@code method} ({@code password}, {@code oidc:<provider>}, {@code
   * ssh}); {@code mfa} when it passed a second factor.
   */
  @Transactional
  public Created create(UserAccount user, String address, boolean mfa, String method) {
    String cookieValue = random();
    WebSession session = new WebSession();
    session.userId = user.id;
    session.idHash = hasher.hash(cookieValue);
    session.csrfToken = random();
    session.address = address;
    session.mfa = mfa;
    session.factorAt = mfa ? Instant.now() : null;
    session.method = method;
    session.expiresAt = Instant.now().plus(config.auth().sessionAbsoluteTimeout());
    session.persist();
    return new Created(cookieValue, session);
  }

  @Transactional
  @Override
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
    Optional<Principal> principal = principalOf(session, Instant.now());
    if (principal.isPresent()) {
      touch(session, Instant.now());
    }
    return principal;
  }

  /**
   * The principal of a live socket's browser session as it is now (rights and admin flag read
   * fresh), or empty when the session ended: signed out, revoked, past its idle or absolute
   * timeout, or its user disabled or deleted. Live sockets ask this, never their snapshot.
   */
  @Transactional
  @Override
  public Optional<Principal> current(long sessionId) {
    WebSession session = WebSession.findById(sessionId);
    return session == null ? Optional.empty() : principalOf(session, Instant.now());
  }

  /**
   * Activity on a live socket (typing, control messages) keeps its browser session from idling out,
   * at the same coarse resolution as requests do.
   */
  @Transactional
  @Override
  public void touch(long sessionId) {
    WebSession session = WebSession.findById(sessionId);
    if (session != null && session.revokedAt == null) {
      touch(session, Instant.now());
    }
  }

  /** How long a live socket's browser session lasts, as it stands now. */
  @Transactional
  @Override
  public CredentialLifetime lifetime(long sessionId) {
    WebSession session = WebSession.findById(sessionId);
    if (session == null || principalOf(session, Instant.now()).isEmpty()) {
      return CredentialLifetime.ENDED;
    }
    return new CredentialLifetime(true, endsAt(session), session.expiresAt);
  }

  /** When the session ends if nothing more happens: the earlier of its two timeouts. */
  public Instant endsAt(WebSession session) {
    Instant idleEnd = session.lastSeenAt.plus(config.auth().sessionIdleTimeout());
    return idleEnd.isBefore(session.expiresAt) ? idleEnd : session.expiresAt;
  }

  private Optional<Principal> principalOf(WebSession session, Instant now) {
    if (session.revokedAt != null || !now.isBefore(endsAt(session))) {
      return Optional.empty();
    }
    UserAccount user = UserAccount.findById(session.userId);
    if (user == null || user.disabled) {
      return Optional.empty();
    }
    return Optional.of(
        new Principal(
            user.id,
            user.username,
            user.admin,
            Principal.Via.WEB_SESSION,
            session.id,
            session.csrfToken,
            session.mfa,
            null,
            session.factorAt));
  }

  @Transactional
  @Override
  public void factorPresented(long id, Instant at) {
    WebSession.update("factorAt = ?1 where id = ?2", at, id);
  }

  /** How stale last-seen may get: a tenth of the idle timeout, at most a minute. */
  @Override
  public Duration touchInterval() {
    Duration tenth = config.auth().sessionIdleTimeout().dividedBy(10);
    return tenth.compareTo(MAX_TOUCH_INTERVAL) < 0 ? tenth : MAX_TOUCH_INTERVAL;
  }

  private void touch(WebSession session, Instant now) {
    if (session.lastSeenAt.plus(touchInterval()).isBefore(now)) {
      session.lastSeenAt = now;
    }
  }

  /** The user's sessions that still sign in, newest first. */
  @Transactional
  public java.util.List<WebSession> live(long userId) {
    Instant now = Instant.now();
    return WebSession.<WebSession>list(
            "userId = ?1 and revokedAt is null and expiresAt > ?2 order by createdAt desc",
            userId,
            now)
        .stream()
        .filter(s -> now.isBefore(endsAt(s)))
        .toList();
  }

  /** The user's live session {@code sessionId}, if it is theirs and live. */
  @Transactional
  public Optional<WebSession> liveOf(long userId, long sessionId) {
    return live(userId).stream().filter(s -> s.id == sessionId).findFirst();
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
    return SecretToken.random(ID_BYTES);
  }
}
