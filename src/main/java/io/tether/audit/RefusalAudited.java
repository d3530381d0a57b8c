package io.tether.audit;

/**
 * Published (CDI event, observed after the commit) for every audit entry whose outcome is not
 * {@code ok}: the live event stream shows refusals as they happen. The entry is as the API shows
 * it, without its detail (up to 4000 characters, and the dashboard shows none).
 *
 * @param actorId whose entry it is: non-admins read only their own
 */
public record RefusalAudited(AuditResource.Entry entry, Long actorId) {

  static RefusalAudited of(AuditEvent e) {
    return new RefusalAudited(AuditResource.Entry.of(e).withoutDetail(), e.actorId);
  }
}
