package io.tether.audit;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Appends audit entries. {@link #record} joins the caller's transaction so an entry commits with
 * the change it describes; {@link #recordAlone} commits on its own, for refusals whose request is
 * about to fail.
 */
@ApplicationScoped
public class AuditLog {
  /** Column widths of audit_events; longer values are cut, never rejected. */
  static final int SUBJECT_MAX = 256;

  static final int DETAIL_MAX = 4000;

  public void record(Audit audit) {
    if (QuarkusTransaction.isActive()) {
      toEntity(audit).persist();
    } else {
      recordAlone(audit);
    }
  }

  public void recordAlone(Audit audit) {
    QuarkusTransaction.requiringNew().run(() -> toEntity(audit).persist());
  }

  /** Commits several entries in one transaction (the asynchronous writer's batches). */
  public void recordAll(List<Audit> audits) {
    QuarkusTransaction.requiringNew().run(() -> audits.forEach(a -> toEntity(a).persist()));
  }

  private static AuditEvent toEntity(Audit audit) {
    AuditEvent e = new AuditEvent();
    e.actor = cut(audit.actor(), 128);
    e.actorId = audit.actorId();
    e.address = cut(audit.address(), 64);
    e.action = audit.action();
    e.outcome = audit.outcome();
    e.subject = cut(audit.subject(), SUBJECT_MAX);
    e.deviceId = audit.deviceId();
    e.detail = cut(audit.detail(), DETAIL_MAX);
    return e;
  }

  private static String cut(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }
}
