package io.tether.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tether.api.StoredTimes;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.db.OutboxConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The delivery queue in PostgreSQL: fanning outbox events out to the endpoints that take them,
 * claiming due deliveries ({@code FOR UPDATE SKIP LOCKED}: no two nodes take one), and recording
 * each attempt's outcome. A claim is a lease: a node that dies mid-send leaves the delivery due
 * again when the lease ends, so a message may arrive twice (at-least-once), never not at all.
 */
@ApplicationScoped
public class Deliveries {
  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(Deliveries.class);

  /** Longer than an attempt ({@link HttpPost#TIMEOUT}) with room for a slow database. */
  static final Duration LEASE = Duration.ofSeconds(60);

  /** An endpoint whose attempts have all failed for this long is disabled. */
  static final Duration FAILING_LIMIT = Duration.ofDays(3);

  /** Columns of webhook_attempts. */
  static final int ERROR_MAX = 512;

  @Inject EntityManager em;
  @Inject ObjectMapper json;
  @Inject WebhookSecrets secrets;
  @Inject AuditLog audit;
  @Inject Instance<OutboxConsumer> consumers;
  @Inject Event<WebhookDisabled> disabled;

  /** A delivery taken by this node for one attempt. */
  record Claimed(
      long deliveryId,
      long webhookId,
      int attempt,
      String url,
      List<String> secrets,
      String messageId,
      String body) {}

  /** What one attempt came to (status null: no HTTP answer; error then says why). */
  record Outcome(
      Integer status,
      long durationMs,
      String error,
      String response,
      Optional<Duration> retryAfter) {
    boolean delivered() {
      return status != null && status >= 200 && status < 300;
    }
  }

  /** Turns up to {@code limit} outbox events into deliveries; answers how many events it took. */
  public int fanOut(int limit) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              @SuppressWarnings("unchecked")
              List<Object[]> events =
                  em.createNativeQuery(
                          "select id, type, group_id, device_id, at, cast(data as text)"
                              + " from webhook_outbox where fanned_at is null"
                              + " order by id limit :n for update skip locked")
                      .setParameter("n", limit)
                      .getResultList();
              if (events.isEmpty()) {
                return 0;
              }
              List<OutboxConsumer.Event> taken = events.stream().map(Deliveries::event).toList();
              consumers.forEach(c -> takeAlone(c, taken));
              List<Webhook> endpoints = Webhook.list("enabled", true);
              List<Long> unmatched = new ArrayList<>();
              for (Object[] e : events) {
                long id = ((Number) e[0]).longValue();
                Long group = e[2] == null ? null : ((Number) e[2]).longValue();
                int matched = 0;
                for (Webhook w : endpoints) {
                  if (takes(w, (String) e[1], group)) {
                    matched +=
                        em.createNativeQuery(
                                "insert into webhook_deliveries (webhook_id, outbox_id)"
                                    + " values (:w, :o) on conflict do nothing")
                            .setParameter("w", w.id)
                            .setParameter("o", id)
                            .executeUpdate();
                  }
                }
                if (matched == 0) {
                  unmatched.add(id);
                }
              }
              List<Long> ids = events.stream().map(e -> ((Number) e[0]).longValue()).toList();
              em.createNativeQuery("update webhook_outbox set fanned_at = now() where id in :ids")
                  .setParameter("ids", ids)
                  .executeUpdate();
              if (!unmatched.isEmpty()) { // nobody takes it: nothing to keep
                em.createNativeQuery("delete from webhook_outbox where id in :ids")
                    .setParameter("ids", unmatched)
                    .executeUpdate();
              }
              return events.size();
            });
  }

  /**
   * One consumer's part under a savepoint: a consumer that fails loses its part of this batch
   * (logged), never the webhooks' fan-out.
   */
  private void takeAlone(OutboxConsumer consumer, List<OutboxConsumer.Event> events) {
    org.hibernate.Session session = em.unwrap(org.hibernate.Session.class);
    java.sql.Savepoint[] mark = new java.sql.Savepoint[1];
    session.doWork(c -> mark[0] = c.setSavepoint());
    try {
      consumer.take(events);
      session.doWork(c -> c.releaseSavepoint(mark[0]));
    } catch (RuntimeException e) {
      session.doWork(c -> c.rollback(mark[0]));
      LOG.warnf(
          "outbox events %d-%d not taken by %s: %s",
          events.get(0).id(),
          events.get(events.size() - 1).id(),
          consumer.getClass().getSimpleName(),
          e.toString());
    }
  }

  private static OutboxConsumer.Event event(Object[] row) {
    return new OutboxConsumer.Event(
        ((Number) row[0]).longValue(),
        (String) row[1],
        row[2] == null ? null : ((Number) row[2]).longValue(),
        row[3] == null ? null : ((Number) row[3]).longValue(),
        StoredTimes.instant(row[4]),
        (String) row[5]);
  }

  /**
   * Deletes events (with their deliveries and attempts) fanned out longer ago than {@code kept}.
   */
  int purge(Duration kept) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                em.createNativeQuery(
                        "delete from webhook_outbox"
                            + " where fanned_at < now() - make_interval(secs => :s)")
                    .setParameter("s", kept.toSeconds())
                    .executeUpdate());
  }

  /** The group filter applies to events about a device; events about none pass. */
  static boolean takes(Webhook w, String type, Long group) {
    if (!new EventFilter(Arrays.asList(w.events)).matches(type)) {
      return false;
    }
    return group == null || w.groupIds.length == 0 || Arrays.asList(w.groupIds).contains(group);
  }

  /** Takes up to {@code limit} due deliveries of enabled endpoints for {@link #LEASE}. */
  List<Claimed> claim(int limit) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              @SuppressWarnings("unchecked")
              List<Object[]> rows =
                  em.createNativeQuery(
                          "update webhook_deliveries d set attempts = d.attempts + 1,"
                              + " next_at = now() + make_interval(secs => :lease)"
                              + " where d.id in (select x.id from webhook_deliveries x"
                              + " join webhooks w on w.id = x.webhook_id"
                              + " where x.state = 'pending' and x.next_at <= now() and w.enabled"
                              + " order by x.next_at limit :n for update of x skip locked)"
                              + " returning d.id, d.webhook_id, d.attempts, d.outbox_id")
                      .setParameter("lease", LEASE.toSeconds())
                      .setParameter("n", limit)
                      .getResultList();
              List<Claimed> claimed = new ArrayList<>();
              for (Object[] r : rows) {
                claimed.add(
                    claimed(
                        ((Number) r[0]).longValue(),
                        ((Number) r[1]).longValue(),
                        ((Number) r[2]).intValue(),
                        ((Number) r[3]).longValue()));
              }
              return claimed;
            });
  }

  private Claimed claimed(long deliveryId, long webhookId, int attempt, long outboxId) {
    Webhook w = Webhook.findById(webhookId);
    Object[] event =
        (Object[])
            em.createNativeQuery(
                    "select message_id, type, at, cast(data as text) from webhook_outbox"
                        + " where id = :id")
                .setParameter("id", outboxId)
                .getSingleResult();
    return new Claimed(
        deliveryId,
        webhookId,
        attempt,
        w.url,
        signingSecrets(w, Instant.now()),
        (String) event[0],
        body((String) event[1], StoredTimes.instant(event[2]), (String) event[3]));
  }

  /** The current secret, and the one before it while its grace lasts. */
  List<String> signingSecrets(Webhook w, Instant now) {
    List<String> list = new ArrayList<>();
    list.add(secrets.open(w.secretSealed));
    if (w.oldSecretSealed != null && w.oldSecretUntil != null && now.isBefore(w.oldSecretUntil)) {
      list.add(secrets.open(w.oldSecretSealed));
    }
    return list;
  }

  /** {@code {"type", "timestamp", "data"}}: the same bytes on every attempt. */
  private String body(String type, Instant at, String data) {
    try {
      ObjectNode body = json.createObjectNode();
      body.put("type", type);
      body.put("timestamp", at.toString());
      body.set("data", json.readTree(data));
      return json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an outbox event is not JSON", e);
    }
  }

  /**
   * Records an attempt and decides what follows: delivered; retried after {@code next} (empty:
   * failed for good); a 410 disables the endpoint (audited).
   */
  void record(Claimed c, Outcome o, Optional<Duration> next) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              // The endpoint's row first, as a delete takes it before its cascade takes the
              // deliveries': the other order deadlocks with an admin deleting the endpoint.
              Webhook w = Webhook.findById(c.webhookId(), LockModeType.PESSIMISTIC_WRITE);
              if (w == null) {
                return; // deleted meanwhile, and its deliveries with it
              }
              em.createNativeQuery(
                      "insert into webhook_attempts"
                          + " (delivery_id, status, duration_ms, error, response)"
                          + " values (:d, :s, :ms, :e, :r)")
                  .setParameter("d", c.deliveryId())
                  .setParameter("s", o.status())
                  .setParameter("ms", (int) Math.min(Integer.MAX_VALUE, o.durationMs()))
                  .setParameter("e", clean(o.error(), ERROR_MAX))
                  .setParameter("r", o.delivered() ? null : clean(o.response(), 1024))
                  .executeUpdate();
              String state =
                  o.delivered()
                      ? "delivered"
                      : next.isEmpty() || Integer.valueOf(410).equals(o.status())
                          ? "failed"
                          : "pending";
              em.createNativeQuery(
                      "update webhook_deliveries set state = :st,"
                          + " next_at = now() + make_interval(secs => :wait) where id = :id")
                  .setParameter("st", state)
                  .setParameter("wait", next.map(d -> d.toMillis() / 1000.0).orElse(0.0))
                  .setParameter("id", c.deliveryId())
                  .executeUpdate();
              if (o.delivered()) {
                w.failingSince = null;
              } else if (w.failingSince == null) {
                w.failingSince = Instant.now();
              }
              if (Integer.valueOf(410).equals(o.status())) {
                disable(w, "the receiver answered 410 Gone");
              } else if (w.failingSince != null
                  && w.failingSince.isBefore(Instant.now().minus(FAILING_LIMIT))) {
                disable(
                    w,
                    "every attempt failed for "
                        + FAILING_LIMIT.toDays()
                        + " days (since "
                        + w.failingSince
                        + "); the last: "
                        + clean(o.error() != null ? o.error() : "HTTP " + o.status(), 120));
              }
            });
  }

  /** Disables the endpoint (audited); admins are told once the change commits. */
  private void disable(Webhook w, String reason) {
    if (!w.enabled) {
      return;
    }
    w.enabled = false;
    w.disabledReason = clean(reason, 256);
    audit.record(
        Audit.by("portal", null, null)
            .action("webhook.disable")
            .subject(w.url)
            .detail("webhook " + w.id + ": " + w.disabledReason));
    disabled.fire(new WebhookDisabled(w.id, w.url, w.disabledReason));
  }

  /** Text for a varchar column: no NUL (PostgreSQL refuses it), cut to the column. */
  static String clean(String s, int max) {
    if (s == null) {
      return null;
    }
    String text = s.replace('\0', ' ');
    return text.length() <= max ? text : text.substring(0, max);
  }
}
