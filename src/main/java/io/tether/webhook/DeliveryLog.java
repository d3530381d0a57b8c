package io.tether.webhook;

import io.tether.api.StoredTimes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the admin sees of deliveries: the latest ones with their attempts, and redelivery. */
@ApplicationScoped
public class DeliveryLog {
  /** Deliveries one request shows (the page is a log, not an archive). */
  static final int SHOWN = 100;

  @Inject EntityManager em;

  public List<WebhookApi.DeliveryView> recent(long webhookId) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "select d.id, o.type, o.message_id, d.state, d.created_at, d.next_at"
                    + " from webhook_deliveries d join webhook_outbox o on o.id = d.outbox_id"
                    + " where d.webhook_id = :w order by d.id desc limit :n")
            .setParameter("w", webhookId)
            .setParameter("n", SHOWN)
            .getResultList();
    Map<Long, List<WebhookApi.AttemptView>> attempts = new LinkedHashMap<>();
    for (Object[] r : rows) {
      attempts.put(((Number) r[0]).longValue(), new ArrayList<>());
    }
    if (!attempts.isEmpty()) {
      @SuppressWarnings("unchecked")
      List<Object[]> tries =
          em.createNativeQuery(
                  "select delivery_id, at, status, duration_ms, error, response"
                      + " from webhook_attempts where delivery_id in :ids order by id")
              .setParameter("ids", attempts.keySet())
              .getResultList();
      for (Object[] t : tries) {
        attempts
            .get(((Number) t[0]).longValue())
            .add(
                new WebhookApi.AttemptView(
                    StoredTimes.instant(t[1]),
                    t[2] == null ? null : ((Number) t[2]).intValue(),
                    ((Number) t[3]).intValue(),
                    (String) t[4],
                    (String) t[5]));
      }
    }
    return rows.stream()
        .map(
            r ->
                new WebhookApi.DeliveryView(
                    ((Number) r[0]).longValue(),
                    (String) r[1],
                    (String) r[2],
                    (String) r[3],
                    StoredTimes.instant(r[4]),
                    "pending".equals(r[3]) ? StoredTimes.instant(r[5]) : null,
                    attempts.get(((Number) r[0]).longValue())))
        .toList();
  }

  /** Due now with a fresh schedule; false when the endpoint has no such delivery. */
  public boolean redeliver(long webhookId, long deliveryId) {
    return em.createNativeQuery(
                "update webhook_deliveries set state = 'pending', attempts = 0, next_at = now()"
                    + " where id = :d and webhook_id = :w")
            .setParameter("d", deliveryId)
            .setParameter("w", webhookId)
            .executeUpdate()
        == 1;
  }
}
