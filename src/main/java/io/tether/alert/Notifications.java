package io.tether.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tether.access.AccessPolicy;
import io.tether.access.Principal;
import io.tether.api.StoredTimes;
import io.tether.db.OutboxConsumer;
import io.tether.device.NotificationRaised;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The notifications view: the outbox events worth a person's attention are kept (30 days) as they
 * are fanned out, and each user reads those of the groups they can see now; events of no group (a
 * node down, the portal restarted, an endpoint disabled) only admins.
 */
@ApplicationScoped
public class Notifications implements OutboxConsumer {
  /** Outbox types kept, and the type each is shown as. */
  static final Map<String, String> KEPT =
      Map.of(
          "device.offline", "device.offline",
          "device.flapping", "device.flapping",
          "audit.console.match", "console.match",
          "node.down", "node.down",
          "portal.restarted", "portal.restarted",
          "audit.webhook.disable", "webhook.disabled");

  static final Duration KEPT_FOR = Duration.ofDays(30);

  /** Unread counts stop here (the badge says 99+). */
  static final int UNREAD_MAX = 99;

  /** A page of the view at most. */
  static final int PAGE_MAX = 100;

  private static final Duration PURGE_EVERY = Duration.ofHours(1);

  @Inject EntityManager em;
  @Inject AccessPolicy policy;
  @Inject ObjectMapper json;
  @Inject jakarta.enterprise.event.Event<NotificationRaised> raised;

  private final AtomicLong nextPurge = new AtomicLong(System.nanoTime());

  @Override
  public void take(List<OutboxConsumer.Event> events) {
    for (OutboxConsumer.Event e : events) {
      String type = KEPT.get(e.type());
      if (type == null) {
        continue;
      }
      Number id =
          (Number)
              em.createNativeQuery(
                      "insert into notifications (type, group_id, device_id, at, data)"
                          + " values (:t, cast(nullif(:g, '') as bigint), cast(nullif(:d, '') as bigint),"
                          + " cast(:at as timestamptz), cast(:data as jsonb)) returning id")
                  .setParameter("t", type)
                  .setParameter("g", e.groupId() == null ? "" : e.groupId().toString())
                  .setParameter("d", e.deviceId() == null ? "" : e.deviceId().toString())
                  .setParameter("at", e.at().toString())
                  .setParameter("data", e.dataJson())
                  .getSingleResult();
      raised.fire(new NotificationRaised(id.longValue(), type, e.groupId()));
    }
    long now = System.nanoTime();
    long due = nextPurge.get();
    if (now - due >= 0 && nextPurge.compareAndSet(due, now + PURGE_EVERY.toNanos())) {
      em.createNativeQuery("delete from notifications where at < now() - make_interval(secs => :s)")
          .setParameter("s", KEPT_FOR.toSeconds())
          .executeUpdate();
    }
  }

  /** One notification as the view shows it. */
  public record Item(
      long id,
      String type,
      java.time.Instant at,
      Long deviceId,
      Long groupId,
      String text,
      boolean unread) {}

  /** The newest {@code limit} the user may see, and how many of all they have not read. */
  public record Page(List<Item> items, int unread, boolean unreadMore) {}

  public Page of(Principal p, int limit) {
    long lastRead = lastRead(p.userId());
    Query q =
        em.createNativeQuery(
            "select id, type, at, device_id, group_id, cast(data as text) from notifications"
                + visible(p)
                + " order by id desc limit :n");
    bindGroups(q, p).setParameter("n", Math.max(1, Math.min(limit, PAGE_MAX)));
    @SuppressWarnings("unchecked")
    List<Object[]> rows = q.getResultList();
    List<Item> items = new ArrayList<>();
    for (Object[] r : rows) {
      long id = ((Number) r[0]).longValue();
      String type = (String) r[1];
      items.add(
          new Item(
              id,
              type,
              StoredTimes.instant(r[2]),
              r[3] == null ? null : ((Number) r[3]).longValue(),
              r[4] == null ? null : ((Number) r[4]).longValue(),
              NotificationText.of(type, read((String) r[5])),
              id > lastRead));
    }
    Query count =
        em.createNativeQuery(
            "select count(*) from (select 1 from notifications"
                + visible(p)
                + " and id > :last limit :max) unread");
    bindGroups(count, p).setParameter("last", lastRead).setParameter("max", UNREAD_MAX + 1);
    int unread = ((Number) count.getSingleResult()).intValue();
    return new Page(items, Math.min(unread, UNREAD_MAX), unread > UNREAD_MAX);
  }

  /** Everything up to {@code upTo} is read (never moves back). */
  public void read(long userId, long upTo) {
    em.createNativeQuery(
            "insert into notification_reads (user_id, last_read_id) values (:u, :r)"
                + " on conflict (user_id) do update set last_read_id ="
                + " greatest(notification_reads.last_read_id, :r)")
        .setParameter("u", userId)
        .setParameter("r", upTo)
        .executeUpdate();
  }

  private long lastRead(long userId) {
    @SuppressWarnings("unchecked")
    List<Number> rows =
        em.createNativeQuery("select last_read_id from notification_reads where user_id = :u")
            .setParameter("u", userId)
            .getResultList();
    return rows.isEmpty() ? 0 : rows.get(0).longValue();
  }

  /** Admins: all; others: their groups' (none of no group). */
  private static String visible(Principal p) {
    return p.admin() ? " where true" : " where group_id in (:groups)";
  }

  private Query bindGroups(Query q, Principal p) {
    if (!p.admin()) {
      Set<Long> groups = policy.roles(p).keySet();
      q.setParameter("groups", groups.isEmpty() ? List.of(-1L) : List.copyOf(groups));
    }
    return q;
  }

  private JsonNode read(String data) {
    try {
      return json.readTree(data);
    } catch (JsonProcessingException e) {
      return json.createObjectNode();
    }
  }
}
