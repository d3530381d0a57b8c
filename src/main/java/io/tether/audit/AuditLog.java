package io.tether.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Appends audit entries. {@link #record} joins the caller's transaction so an entry commits with
 * the change it describes; {@link #recordAlone} commits on its own, for refusals whose request is
 * about to fail. Every field is written as one line (CR, LF and NUL escaped, {@link OneLine}). An
 * entry whose outcome is not {@code ok} is also published as {@link RefusalAudited} once it
 * commits. Each entry raises its webhook events in its own transaction ({@link AuditOutbox}).
 */
@ApplicationScoped
public class AuditLog {
  /** Column widths of audit_events; longer values are cut, never rejected. */
  static final int ACTOR_MAX = 128;

  static final int ADDRESS_MAX = 64;
  static final int ACTION_MAX = 64;
  static final int OUTCOME_MAX = 16;
  static final int SUBJECT_MAX = 256;
  static final int DETAIL_MAX = 4000;

  /** Entries lost: the database refused them twice, or the asynchronous queue was full. */
  public static final String DROPPED_METRIC = "tether.audit.dropped";

  private static final Logger LOG = Logger.getLogger(AuditLog.class);

  @Inject MeterRegistry registry;
  @Inject Event<RefusalAudited> refusals;

  private Counter writeFailed;
  private Counter queueFull;

  @PostConstruct
  void init() {
    writeFailed = registry.counter(DROPPED_METRIC, "reason", "write-failed");
    queueFull = registry.counter(DROPPED_METRIC, "reason", "queue-full");
  }

  /** Both counters exist from the start (at 0), so an alert on their increase has a series. */
  void onStart(@Observes StartupEvent event) {
    // observing the event creates the bean, which registers the counters
  }

  public void record(Audit audit) {
    if (QuarkusTransaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
      store(audit, OneLine::of);
    } else {
      recordAlone(audit);
    }
  }

  /**
   * Commits one entry on its own. If the database refuses it, it is tried once more with every
   * control character escaped and every field cut to its column; if that fails too, it is counted
   * in {@value #DROPPED_METRIC} and logged at ERROR. Never throws.
   */
  public void recordAlone(Audit audit) {
    try {
      QuarkusTransaction.requiringNew().run(() -> store(audit, OneLine::of));
    } catch (RuntimeException e) {
      retryEscaped(audit, e);
    }
  }

  /** Commits several entries in one transaction (the asynchronous writer's batches). */
  public void recordAll(List<Audit> audits) {
    QuarkusTransaction.requiringNew().run(() -> audits.forEach(a -> store(a, OneLine::of)));
  }

  /** The second and last try of an entry the database refused. */
  void retryEscaped(Audit audit, RuntimeException first) {
    try {
      QuarkusTransaction.requiringNew().run(() -> store(audit, OneLine::strict));
    } catch (RuntimeException again) {
      writeFailed.increment();
      LOG.errorf(
          "audit entry dropped (action=%s actor=%s subject=%s detail=%s): %s; first try: %s",
          OneLine.strict(audit.action()),
          OneLine.strict(audit.actor()),
          OneLine.strict(audit.subject()),
          OneLine.strict(cut(audit.detail(), 200)),
          OneLine.strict(again.toString()),
          OneLine.strict(first.toString()));
    }
  }

  /** Counts entries the asynchronous writer dropped because its queue was full. */
  void queueFull() {
    queueFull.increment();
  }

  /**
   * Persists one entry in the current transaction. A refusal is announced in it: observers run
   * after the commit, so a batch that rolls back announces nothing (its entries are retried alone).
   */
  private void store(Audit audit, UnaryOperator<String> line) {
    AuditEvent e = toEntity(audit, line);
    e.persist();
    AuditEvent.getEntityManager()
        .unwrap(org.hibernate.Session.class)
        .doWork(c -> AuditOutbox.raise(c, e));
    if (!Audit.OK.equals(e.outcome)) {
      refusals.fire(RefusalAudited.of(e));
    }
  }

  private static AuditEvent toEntity(Audit audit, UnaryOperator<String> line) {
    AuditEvent e = new AuditEvent();
    e.actor = cut(line.apply(audit.actor()), ACTOR_MAX);
    e.actorId = audit.actorId();
    e.address = cut(line.apply(audit.address()), ADDRESS_MAX);
    e.action = cut(line.apply(audit.action()), ACTION_MAX);
    e.outcome = cut(line.apply(audit.outcome()), OUTCOME_MAX);
    e.subject = cut(line.apply(audit.subject()), SUBJECT_MAX);
    e.deviceId = audit.deviceId();
    e.detail = cut(line.apply(audit.detail()), DETAIL_MAX);
    return e;
  }

  private static String cut(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }
}
