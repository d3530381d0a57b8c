package io.tether.audit;

import io.tether.access.Principal;
import io.tether.api.Page;
import io.tether.api.PageRequest;
import io.tether.api.StoredTimes;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the audit log, newest first, filtered; non-admins see only their own entries. */
@ApplicationScoped
public class AuditQuery {
  /** Rows an export reads at once; exports page through the log in chunks of this size. */
  static final int EXPORT_CHUNK = PageRequest.MAX_LIMIT;

  /** Filters; null means "any". */
  public record Filter(String actor, Long device, String action, String from, String to) {}

  public Page<AuditEvent> page(Principal principal, Filter filter, PageRequest page) {
    StringBuilder q = new StringBuilder("1 = 1");
    Map<String, Object> params = new HashMap<>();
    if (page.after() != null) {
      q.append(" and id < :before");
      params.put("before", page.after());
    }
    if (!principal.admin()) {
      q.append(" and actorId = :me");
      params.put("me", principal.userId());
    }
    if (filter.actor() != null && !filter.actor().isBlank()) {
      q.append(" and actor = :actor");
      params.put("actor", filter.actor());
    }
    if (filter.device() != null) {
      q.append(" and deviceId = :device");
      params.put("device", filter.device());
    }
    if (filter.action() != null && !filter.action().isBlank()) {
      q.append(" and action = :action");
      params.put("action", filter.action());
    }
    if (filter.from() != null && !filter.from().isBlank()) {
      q.append(" and at >= :from");
      params.put("from", StoredTimes.parseQuery("from", filter.from()));
    }
    if (filter.to() != null && !filter.to().isBlank()) {
      q.append(" and at < :to");
      params.put("to", StoredTimes.parseQuery("to", filter.to()));
    }
    q.append(" order by id desc");
    List<AuditEvent> rows =
        AuditEvent.<AuditEvent>find(q.toString(), params).page(0, page.limit() + 1).list();
    return page.page(rows, e -> e.id);
  }
}
