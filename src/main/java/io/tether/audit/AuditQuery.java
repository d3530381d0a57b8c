package io.tether.audit;

import io.quarkus.panache.common.Parameters;
import io.tether.access.Principal;
import io.tether.api.Page;
import io.tether.api.PageRequest;
import io.tether.api.StoredTimes;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Reads the audit log, newest first, filtered; non-admins see only their own entries. */
@ApplicationScoped
public class AuditQuery {
  /** Rows an export reads at once; exports page through the log in chunks of this size. */
  static final int EXPORT_CHUNK = PageRequest.MAX_LIMIT;

  /** Filters; null means "any". */
  public record Filter(String actor, Long device, String action, String from, String to) {}

  public Page<AuditEvent> page(Principal principal, Filter filter, PageRequest page) {
    StringBuilder q = new StringBuilder("1 = 1");
    Parameters params = new Parameters();
    if (page.after() != null) {
      q.append(" and id < :before");
      params.and("before", page.after());
    }
    if (!principal.admin()) {
      q.append(" and actorId = :me");
      params.and("me", principal.userId());
    }
    if (filter.actor() != null && !filter.actor().isBlank()) {
      q.append(" and actor = :actor");
      params.and("actor", filter.actor());
    }
    if (filter.device() != null) {
      q.append(" and deviceId = :device");
      params.and("device", filter.device());
    }
    if (filter.action() != null && !filter.action().isBlank()) {
      q.append(" and action = :action");
      params.and("action", filter.action());
    }
    if (filter.from() != null && !filter.from().isBlank()) {
      q.append(" and at >= :from");
      params.and("from", StoredTimes.parseQuery("from", filter.from()));
    }
    if (filter.to() != null && !filter.to().isBlank()) {
      q.append(" and at < :to");
      params.and("to", StoredTimes.parseQuery("to", filter.to()));
    }
    q.append(" order by id desc");
    List<AuditEvent> rows =
        AuditEvent.<AuditEvent>find(q.toString(), params).page(0, page.limit() + 1).list();
    return page.page(rows, e -> e.id);
  }
}
