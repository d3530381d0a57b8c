package io.tether.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tether.access.AccessPolicy;
import io.tether.access.Action;
import io.tether.access.Principal;
import io.tether.api.StoredTimes;
import io.tether.boot.TetherConfig;
import io.tether.db.Periodic;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;

/**
 * Mails pending alerts, on every node: a user's row in {@code alert_mail_state} is taken with
 * {@code FOR UPDATE SKIP LOCKED}, so one node mails one user's alerts. A user's first alert goes
 * out at once; those arriving within the digest window after a mail wait and go out together. A
 * failing server is tried again with backoff; after the last attempt the alerts are dropped (and
 * the error stays on the admin page), so nothing queues forever.
 */
@ApplicationScoped
public class AlertMailer {
  private static final Logger LOG = Logger.getLogger(AlertMailer.class);

  /** How soon a new alert is noticed. */
  static final Duration POLL = Duration.ofSeconds(1);

  /** Alerts in one mail at most (a digest lists fewer and counts the rest). */
  static final int BATCH = 1000;

  /** Attempts at one mail before its alerts are dropped. */
  static final int ATTEMPTS = 5;

  /** The wait after the first failure; doubled after each (30 s … 4 min). */
  static final Duration FIRST_RETRY = Duration.ofSeconds(30);

  /** Users looked at per tick. */
  static final int USERS_PER_TICK = 100;

  @Inject EntityManager em;
  @Inject MailTransport transport;
  @Inject MailStatus status;
  @Inject UserEmails emails;
  @Inject AccessPolicy policy;
  @Inject PortalLinks links;
  @Inject TetherConfig config;
  @Inject ObjectMapper json;

  private ScheduledExecutorService ticker;

  void onStart(@Observes StartupEvent event) {
    ticker = Periodic.every(POLL, "tether-alert-mail", this::tick);
  }

  void onStop(@Observes @Priority(5) ShutdownEvent event) {
    if (ticker != null) {
      ticker.shutdownNow();
    }
  }

  private void tick() {
    if (!transport.configured()) {
      return; // alerts wait; a portal configured later mails what is still pending
    }
    try {
      for (long user : waiting()) {
        mailOne(user);
      }
    } catch (RuntimeException e) {
      LOG.warnf("alert mail: %s (again in %d ms)", e.toString(), POLL.toMillis());
    }
  }

  @SuppressWarnings("unchecked")
  private List<Long> waiting() {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                ((List<Number>)
                        em.createNativeQuery("select distinct user_id from alert_pending limit :n")
                            .setParameter("n", USERS_PER_TICK)
                            .getResultList())
                    .stream().map(Number::longValue).toList());
  }

  /** One user's mail, if due; the row lock keeps other nodes off this user meanwhile. */
  void mailOne(long userId) {
    QuarkusTransaction.requiringNew()
        .timeout((int) (MailTransport.TIMEOUT.toSeconds() * 2))
        .run(
            () -> {
              em.createNativeQuery(
                      "insert into alert_mail_state (user_id) values (:u) on conflict do nothing")
                  .setParameter("u", userId)
                  .executeUpdate();
              @SuppressWarnings("unchecked")
              List<Object[]> state =
                  em.createNativeQuery(
                          "select last_sent_at, failures, retry_at from alert_mail_state"
                              + " where user_id = :u for update skip locked")
                      .setParameter("u", userId)
                      .getResultList();
              if (state.isEmpty() || !due(state.get(0))) {
                return;
              }
              int failures = ((Number) state.get(0)[1]).intValue();
              List<Long> ids = new ArrayList<>();
              List<Alert> pending = pending(userId, ids);
              Optional<Principal> reader = reader(userId);
              Optional<String> to = emails.confirmed(userId);
              List<Alert> visible =
                  reader.isEmpty() || to.isEmpty()
                      ? List.of()
                      : pending.stream()
                          .filter(a -> policy.may(reader.get(), Action.VIEW, a.groupId()))
                          .toList();
              if (visible.isEmpty()) {
                drop(ids);
                return;
              }
              AlertMessages.Mail mail = AlertMessages.build(visible, links.base());
              try {
                transport.send(to.get(), mail.subject(), mail.text());
              } catch (MailFailure e) {
                status.failed(e.getMessage());
                failed(userId, ids, failures + 1);
                return;
              }
              drop(ids);
              em.createNativeQuery(
                      "update alert_mail_state set last_sent_at = now(), failures = 0,"
                          + " retry_at = null where user_id = :u")
                  .setParameter("u", userId)
                  .executeUpdate();
              status.sent();
            });
  }

  private boolean due(Object[] state) {
    Instant now = Instant.now();
    if (state[2] != null && StoredTimes.instant(state[2]).isAfter(now)) {
      return false;
    }
    return state[0] == null
        || !StoredTimes.instant(state[0]).plus(config.mail().digestWindow()).isAfter(now);
  }

  private void failed(long userId, List<Long> ids, int failures) {
    if (failures >= ATTEMPTS) {
      LOG.warnf(
          "alert mail for user %d: %d alert(s) dropped after %d attempts",
          userId, ids.size(), failures);
      drop(ids);
      failures = 0;
    }
    Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(failures, ATTEMPTS));
    em.createNativeQuery(
            "update alert_mail_state set failures = :f,"
                + " retry_at = now() + make_interval(secs => :s) where user_id = :u")
        .setParameter("f", failures)
        .setParameter("s", failures == 0 ? 0 : wait.toSeconds())
        .setParameter("u", userId)
        .executeUpdate();
  }

  private void drop(List<Long> ids) {
    if (!ids.isEmpty()) {
      em.createNativeQuery("delete from alert_pending where id in :ids")
          .setParameter("ids", ids)
          .executeUpdate();
    }
  }

  /** The user's oldest pending alerts; {@code ids} gets every row read, readable or not. */
  private List<Alert> pending(long userId, List<Long> ids) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "select id, event, group_id, device_id, at, cast(data as text) from alert_pending"
                    + " where user_id = :u order by id limit :n")
            .setParameter("u", userId)
            .setParameter("n", BATCH)
            .getResultList();
    List<Alert> alerts = new ArrayList<>();
    for (Object[] r : rows) {
      ids.add(((Number) r[0]).longValue());
      AlertKind kind = AlertKind.parse((String) r[1]).orElse(null);
      if (kind == null || r[2] == null) {
        continue;
      }
      try {
        alerts.add(
            new Alert(
                ((Number) r[0]).longValue(),
                kind,
                ((Number) r[2]).longValue(),
                r[3] == null ? null : ((Number) r[3]).longValue(),
                StoredTimes.instant(r[4]),
                json.readTree((String) r[5])));
      } catch (JsonProcessingException e) {
        LOG.warnf("alert %s: unreadable data dropped: %s", r[0], e.getMessage());
      }
    }
    return alerts;
  }

  /** The user as the access policy knows them, unless disabled or gone. */
  private Optional<Principal> reader(long userId) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery("select username, admin from users where id = :u and not disabled")
            .setParameter("u", userId)
            .getResultList();
    return rows.stream()
        .findFirst()
        .map(
            r ->
                new Principal(
                    userId, (String) r[0], (Boolean) r[1], Principal.Via.WEB_SESSION, null, null));
  }
}
