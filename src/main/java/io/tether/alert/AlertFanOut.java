package io.tether.alert;

import io.tether.db.OutboxConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;

/**
 * Copies each outbox event someone subscribed to into that user's pending alerts, in the fan-out's
 * transaction: only users with a confirmed address, enabled, and (for now) allowed to see the
 * device's group. The mail is built later, and the rights are checked again then.
 */
@ApplicationScoped
public class AlertFanOut implements OutboxConsumer {
  /** Subscribers of one event: one row per user, however many of their subscriptions match. */
  private static final String COPY =
      "insert into alert_pending (user_id, event, group_id, device_id, at, data)"
          + " select distinct s.user_id, :event, :grp, :device, cast(:at as timestamptz),"
          + " cast(:data as jsonb)"
          + " from alert_subscriptions s"
          + " join user_emails e on e.user_id = s.user_id and e.confirmed_at is not null"
          + " join users u on u.id = s.user_id and not u.disabled"
          + " where s.event = :event and (s.group_id is null or s.group_id = :grp)"
          + " and (u.admin or exists (select 1 from grants g"
          + " where g.user_id = u.id and g.group_id = :grp))";

  @Inject EntityManager em;

  @Override
  public void take(List<Event> events) {
    for (Event e : events) {
      Optional<AlertKind> kind = AlertKind.ofOutboxType(e.type());
      if (kind.isEmpty() || e.groupId() == null || e.deviceId() == null) {
        continue; // every alert is about a device, and so has a group
      }
      em.createNativeQuery(COPY)
          .setParameter("event", kind.get().wireName())
          .setParameter("grp", e.groupId())
          .setParameter("device", e.deviceId())
          .setParameter("at", e.at().toString())
          .setParameter("data", e.dataJson())
          .executeUpdate();
    }
  }
}
