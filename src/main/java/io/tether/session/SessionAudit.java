package io.tether.session;

import io.tether.audit.AsyncAudit;
import io.tether.audit.Audit;

/** What sessions and data flows write to the audit log. */
@FunctionalInterface
interface SessionAudit {
  /** Audits {@code who} doing {@code action} on the device target of {@code about}. */
  void record(JoinRequest who, String action, JoinRequest about, String detail);

  /** The portal's audit log, written off the event loop. */
  static SessionAudit of(AsyncAudit audit) {
    return (who, action, about, detail) -> {
      Audit entry =
          who.principal() == null
              ? Audit.by(who.username(), null, who.address())
              : Audit.by(who.principal(), who.address());
      audit.submit(
          entry
              .action(action)
              .subject(about.deviceName() + "/" + about.target())
              .device(about.deviceId())
              .detail(detail));
    };
  }
}
