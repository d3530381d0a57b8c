package io.tether.upgrade;

import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.device.Device;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The {@code agent_upgrades} rows, shared by every node: the one under way per device, and how one
 * is closed with its outcome (audited {@code device.agent-upgrade}). Callers hold the transaction.
 */
@ApplicationScoped
class UpgradeRows {
  private static final Logger LOG = Logger.getLogger(UpgradeRows.class);

  static final String ACTION = "device.agent-upgrade";

  @Inject AuditLog audit;
  @Inject EntityManager em;

  /** An upgrade under way: sent once a node holding the tunnel claimed it ({@code sentAt}). */
  record Open(
      long id,
      String from,
      String to,
      Instant requestedAt,
      String requestedBy,
      Instant sentAt,
      String tunnelClosed) {}

  /** The device's upgrade under way, locked until the transaction ends. */
  Optional<Open> open(long deviceId) {
    List<?> rows =
        em.createNativeQuery(
                "select id, from_version, to_version, requested_at, requested_by, sent_at,"
                    + " tunnel_closed from agent_upgrades where device_id = :d and outcome is null"
                    + " for update")
            .setParameter("d", deviceId)
            .getResultList();
    return first(
        rows,
        c ->
            new Open(
                ((Number) c[0]).longValue(),
                (String) c[1],
                (String) c[2],
                instant(c[3]),
                (String) c[4],
                instant(c[5]),
                (String) c[6]));
  }

  /** The first row of a native query's result (its columns), mapped. */
  static <T> Optional<T> first(List<?> rows, Function<Object[], T> map) {
    return rows.stream().findFirst().map(r -> map.apply((Object[]) r));
  }

  /** Closes {@code open} with {@code outcome}; false when it was closed already (another node). */
  boolean finish(Device device, Open open, String outcome, String detail) {
    String text = detail.length() > 1000 ? detail.substring(0, 1000) : detail;
    int closed =
        em.createNativeQuery(
                "update agent_upgrades set outcome = :o, detail = :detail, finished_at = :at"
                    + " where id = :id and outcome is null")
            .setParameter("o", outcome)
            .setParameter("detail", text)
            .setParameter("at", Instant.now())
            .setParameter("id", open.id())
            .executeUpdate();
    if (closed == 0) {
      return false;
    }
    audit.record(
        Audit.by("device:" + device.name, null, null)
            .action(ACTION)
            .outcome(outcome)
            .subject(device.name)
            .device(device.id)
            .detail(
                open.from()
                    + " -> "
                    + open.to()
                    + " (asked by "
                    + open.requestedBy()
                    + "): "
                    + text));
    LOG.infof(
        "device %s: agent upgrade %s -> %s %s: %s",
        device.name, open.from(), open.to(), outcome, text);
    return true;
  }

  /** Why an upgrade open for {@code timeout} is closed: unanswered, or never sent. */
  static String unanswered(Open open, Duration timeout) {
    return open.sentAt() == null
        ? "not sent within " + spoken(timeout) + ": no node held the device's tunnel"
        : "no answer within " + spoken(timeout);
  }

  /** "15 minutes", "1 minute", "90 s". */
  static String spoken(Duration d) {
    if (d.toSecondsPart() != 0 || d.toMinutes() == 0) {
      return d.toSeconds() + " s";
    }
    return d.toMinutes() + (d.toMinutes() == 1 ? " minute" : " minutes");
  }

  /** A timestamptz as the JDBC driver and Hibernate hand it over, as an Instant. */
  static Instant instant(Object value) {
    return io.tether.api.StoredTimes.instant(value);
  }
}
