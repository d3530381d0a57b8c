package io.tether.deviceweb;

import io.tether.access.AccessChanged;
import io.tether.access.Action;
import io.tether.access.Authenticator;
import io.tether.access.CredentialLifetime;
import io.tether.access.Principal;
import io.tether.access.SecretToken;
import io.tether.api.ApiException;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.device.Device;
import io.tether.device.DeviceAccess;
import io.tether.device.WebTarget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Launch URLs and device-web sessions (docs/device-web.md): a launch is single use and valid {@link
 * #LAUNCH_LIFETIME}; redeeming it starts a session bound to the user, the web target and the
 * browser session that asked, ending no later than that browser session. Only hashes of the random
 * ids are stored.
 */
@ApplicationScoped
public class DeviceWebSessions {
  /** Long enough for a new tab to open on a slow machine; short enough to be useless if leaked. */
  static final Duration LAUNCH_LIFETIME = Duration.ofSeconds(60);

  @Inject EntityManager em;
  @Inject DeviceAccess deviceAccess;
  @Inject Authenticator authenticator;
  @Inject AuditLog audit;

  /** Who a device-web session admits, as checked now. */
  record Admitted(
      long sessionId,
      Principal principal,
      long deviceId,
      String deviceName,
      String target,
      String scheme,
      long webTargetId,
      String pinnedSha256,
      String deviceHost) {}

  /**
   * A launch token for the web target, after the same checks as opening a terminal: the operate
   * right (404 without it), the group's second-factor rule, and a group that records everything
   * only with {@code allowUnrecorded} (web traffic is never recorded).
   */
  @Transactional
  public Launched launch(Principal p, long deviceId, String target, String address) {
    Device device;
    try {
      device = deviceAccess.requireFreshOpen(p, Action.OPERATE, deviceId);
    } catch (ApiException e) {
      if (e.status() == 403 && e.getMessage().contains("second factor")) {
        throw e;
      }
      throw e.status() == 403 ? ApiException.notFound("no device " + deviceId) : e;
    }
    WebTarget web =
        device
            .webTarget(target)
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "device '" + device.name + "' has no web target '" + target + "'"));
    if (p.via() != Principal.Via.WEB_SESSION || p.credentialId() == null) {
      throw ApiException.forbidden("a device web page opens from a signed-in browser only");
    }
    if ("all".equals(device.group.recording) && !device.group.allowUnrecorded) {
      throw ApiException.conflict(
          "target",
          "group '"
              + device.group.name
              + "' records everything and device web pages are not recorded (an admin can set"
              + " allowUnrecorded on the group)");
    }
    String token = SecretToken.random(32);
    em.createNativeQuery(
            "insert into device_web_launches (id_hash, web_target_id, user_id, web_session_id,"
                + " expires_at) values (?1, ?2, ?3, ?4, ?5)")
        .setParameter(1, hash(token))
        .setParameter(2, web.id)
        .setParameter(3, p.userId())
        .setParameter(4, p.credentialId())
        .setParameter(5, Timestamp.from(Instant.now().plus(LAUNCH_LIFETIME)))
        .executeUpdate();
    audit.record(
        Audit.by(p, address)
            .action("web.open")
            .subject(device.name + "/" + target)
            .device(device.id)
            .detail("launch " + web.hostName()));
    return new Launched(token, web.hostName());
  }

  /** A launch token and the host label ({@code d-…}) it is valid on. */
  public record Launched(String token, String hostName) {}

  /**
   * Redeems a launch for the host {@code label}: once, within its lifetime, while its browser
   * session lasts. Answers the new session's cookie value.
   */
  @Transactional
  public Optional<String> redeem(String token, String label, String address) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "update device_web_launches l set used_at = now() from device_web_targets t"
                    + " where l.id_hash = ?1 and l.used_at is null and l.expires_at > now()"
                    + " and t.id = l.web_target_id and t.host_label = ?2 and t.scheme is not null"
                    + " returning l.web_target_id, l.user_id, l.web_session_id")
            .setParameter(1, hash(token))
            .setParameter(2, label)
            .getResultList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Object[] row = rows.get(0);
    long webSessionId = ((Number) row[2]).longValue();
    CredentialLifetime life =
        authenticator.lifetime(snapshot(((Number) row[1]).longValue(), webSessionId));
    if (!life.valid() || life.absoluteEnd() == null) {
      return Optional.empty();
    }
    String cookie = SecretToken.random(32);
    em.createNativeQuery(
            "insert into device_web_sessions (id_hash, web_target_id, user_id, web_session_id,"
                + " address, expires_at) values (?1, ?2, ?3, ?4, ?5, ?6)")
        .setParameter(1, hash(cookie))
        .setParameter(2, ((Number) row[0]).longValue())
        .setParameter(3, ((Number) row[1]).longValue())
        .setParameter(4, webSessionId)
        .setParameter(5, address)
        .setParameter(6, Timestamp.from(life.absoluteEnd()))
        .executeUpdate();
    return Optional.of(cookie);
  }

  /**
   * The session behind a cookie on host {@code label}, re-checked as things are now: its browser
   * session alive, the user's operate right on the device. A session that fails is ended.
   */
  @Transactional
  public Optional<Admitted> admit(String cookie, String label) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(SELECT + " s.id_hash = ?1 and t.host_label = ?2")
            .setParameter(1, hash(cookie))
            .setParameter(2, label)
            .getResultList();
    return admitted(rows);
  }

  /** Whether a live session still admits its user (re-checked on access changes). */
  @Transactional
  public boolean stillAdmitted(long sessionId) {
    return byId(sessionId).isPresent();
  }

  /**
   * A session by its id, re-checked as {@link #admit} does: on the device's node, for an exchange
   * another node relays (its cookie stays there).
   */
  @Transactional
  public Optional<Admitted> byId(long sessionId) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(SELECT + " s.id = ?1").setParameter(1, sessionId).getResultList();
    return admitted(rows);
  }

  private static final String SELECT =
      "select s.id, s.user_id, s.web_session_id, t.device_id, t.target, t.scheme, t.id,"
          + " t.pinned_sha256 from device_web_sessions s join device_web_targets t on t.id ="
          + " s.web_target_id where s.ended_at is null and s.expires_at > now() and t.scheme is"
          + " not null and";

  private Optional<Admitted> admitted(List<Object[]> rows) {
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Object[] r = rows.get(0);
    long sessionId = ((Number) r[0]).longValue();
    Optional<Principal> now =
        authenticator.current(snapshot(((Number) r[1]).longValue(), ((Number) r[2]).longValue()));
    long deviceId = ((Number) r[3]).longValue();
    Device device;
    try {
      device =
          deviceAccess.requireOpen(
              now.orElseThrow(() -> ApiException.unauthorized("signed out")),
              Action.OPERATE,
              deviceId);
    } catch (ApiException e) {
      end(sessionId, now.isEmpty() ? "signed-out" : "access-revoked");
      return Optional.empty();
    }
    String target = (String) r[4];
    String scheme = (String) r[5];
    String description =
        device.targets.stream()
            .filter(t -> t.name().equals(target))
            .map(io.tether.device.DeviceTarget::description)
            .findFirst()
            .orElse(null);
    return Optional.of(
        new Admitted(
            sessionId,
            now.get(),
            deviceId,
            device.name,
            target,
            scheme,
            ((Number) r[6]).longValue(),
            (String) r[7],
            HeaderRules.deviceHost(description, target, scheme)));
  }

  /** Whether a host label is a live device's web target now (else its host answers 421). */
  @Transactional
  public boolean known(String label) {
    return ((Number)
                em.createNativeQuery(
                        "select count(*) from device_web_targets t join devices d on d.id ="
                            + " t.device_id where t.host_label = ?1 and t.scheme is not null and"
                            + " d.deleted_at is null")
                    .setParameter(1, label)
                    .getSingleResult())
            .longValue()
        > 0;
  }

  /** Ends a session (no more requests pass) with its reason; audited with its bytes. */
  @Transactional
  public void end(long sessionId, String reason) {
    endWhere("s.id = :a", sessionId, null, reason);
  }

  /**
   * Ends the device-web sessions a revocation ends at once: the user's (disabled, deleted), those
   * of one browser session (signed out), or all but one (signed out everywhere else).
   */
  @Transactional
  public void endFor(AccessChanged change) {
    if (change.userId() == null) {
      return;
    }
    String reason = change.reason() == null ? change.kind().name() : change.reason();
    switch (change.kind()) {
      case USER_DISABLED, USER_DELETED -> endWhere("s.user_id = :a", change.userId(), null, reason);
      case SESSION_ENDED -> {
        if (change.sessionId() != null) {
          endWhere("s.web_session_id = :a", change.sessionId(), null, reason);
        }
      }
      case SESSIONS_REVOKED ->
          endWhere(
              "s.user_id = :a and s.web_session_id <> :b",
              change.userId(),
              change.sessionId() == null ? -1L : change.sessionId(),
              reason);
      default -> {
        // rights changed: the next request re-checks them and ends the session if they are gone
      }
    }
  }

  private int endWhere(String where, long first, Long second, String reason) {
    var query =
        em.createNativeQuery(
                "update device_web_sessions s set ended_at = now(), end_reason = :reason from users u,"
                    + " device_web_targets t, devices d where "
                    + where
                    + " and s.ended_at is null and u.id = s.user_id and t.id = s.web_target_id"
                    + " and d.id = t.device_id returning s.id, u.username, u.id, d.id, d.name,"
                    + " t.target, s.bytes_up, s.bytes_down")
            .setParameter("reason", reason.length() > 64 ? reason.substring(0, 64) : reason);
    if (where.contains(":a")) {
      query.setParameter("a", first);
    }
    if (second != null) {
      query.setParameter("b", second);
    }
    @SuppressWarnings("unchecked")
    List<Object[]> ended = query.getResultList();
    for (Object[] r : ended) {
      audit.record(
          Audit.by((String) r[1], ((Number) r[2]).longValue(), null)
              .action("web.open")
              .subject(r[4] + "/" + r[5])
              .device(((Number) r[3]).longValue())
              .detail(
                  "ended ("
                      + reason
                      + "): "
                      + r[6]
                      + " bytes to the device, "
                      + r[7]
                      + " bytes from it"));
    }
    return ended.size();
  }

  /** Why a session ended that its user closed from the account page. */
  static final String ENDED_BY_USER = "ended by the user";

  /** Why a session ended that reached its end time (its browser session's absolute end). */
  static final String EXPIRED = "expired";

  /** One of a user's live device-web sessions, as the account page lists it. */
  public record Mine(
      long id,
      long deviceId,
      String device,
      String target,
      long signInId,
      String address,
      Instant createdAt,
      Instant expiresAt,
      long bytesUp,
      long bytesDown) {}

  /** The user's live device-web sessions, newest first. */
  @Transactional
  public List<Mine> mine(long userId) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "select s.id, d.id, d.name, t.target, s.web_session_id, s.address, s.created_at,"
                    + " s.expires_at, s.bytes_up, s.bytes_down from device_web_sessions s join"
                    + " device_web_targets t on t.id = s.web_target_id join devices d on d.id ="
                    + " t.device_id where s.user_id = ?1 and s.ended_at is null and s.expires_at"
                    + " > now() order by s.created_at desc, s.id desc")
            .setParameter(1, userId)
            .getResultList();
    return rows.stream()
        .map(
            r ->
                new Mine(
                    ((Number) r[0]).longValue(),
                    ((Number) r[1]).longValue(),
                    (String) r[2],
                    (String) r[3],
                    ((Number) r[4]).longValue(),
                    (String) r[5],
                    instant(r[6]),
                    instant(r[7]),
                    ((Number) r[8]).longValue(),
                    ((Number) r[9]).longValue()))
        .toList();
  }

  /** Ends one of the user's live sessions; false when it is not theirs or has ended. */
  @Transactional
  public boolean endMine(long userId, long sessionId) {
    return endWhere("s.id = :a and s.user_id = :b", sessionId, userId, ENDED_BY_USER) > 0;
  }

  /**
   * Sessions past their end time that no request ended are ended here, audited with their bytes as
   * any end is. In a cluster every node runs it; a row is ended (and audited) once.
   */
  @io.quarkus.scheduler.Scheduled(
      every = "${tether.device-web.expiry-check:60s}",
      delayed = "30s",
      concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = io.tether.boot.Stopping.class)
  @Transactional
  public void expire() {
    endWhere("s.expires_at <= now()", 0, null, EXPIRED);
  }

  private static Instant instant(Object value) {
    if (value instanceof Instant i) {
      return i;
    }
    if (value instanceof java.time.OffsetDateTime o) {
      return o.toInstant();
    }
    return ((Timestamp) value).toInstant();
  }

  /** Adds a finished exchange's bytes to its session. */
  @Transactional
  public void count(long sessionId, long up, long down) {
    em.createNativeQuery(
            "update device_web_sessions set bytes_up = bytes_up + ?2, bytes_down = bytes_down +"
                + " ?3 where id = ?1")
        .setParameter(1, sessionId)
        .setParameter(2, up)
        .setParameter(3, down)
        .executeUpdate();
  }

  /**
   * Records the certificate an https web target presented: pinned on first use; a different one is
   * kept as offered (for an admin to accept). Answers the pinned fingerprint.
   */
  @Transactional
  public String pin(long webTargetId, String sha256) {
    WebTarget t = WebTarget.findById(webTargetId);
    if (t == null) {
      return null;
    }
    if (t.pinnedSha256 == null) {
      t.pinnedSha256 = sha256;
    } else if (!t.pinnedSha256.equals(sha256)) {
      t.offeredSha256 = sha256;
    }
    return t.pinnedSha256;
  }

  private static Principal snapshot(long userId, long webSessionId) {
    return new Principal(userId, "", false, Principal.Via.WEB_SESSION, webSessionId, "");
  }

  static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
