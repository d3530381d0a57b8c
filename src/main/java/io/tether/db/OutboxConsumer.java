package io.tether.db;

import java.time.Instant;
import java.util.List;

/**
 * Takes outbox events as the webhook dispatcher fans them out, inside that transaction: each event
 * reaches every consumer exactly once (the fan-out's {@code FOR UPDATE SKIP LOCKED} hands a batch
 * to one node), before an event no webhook takes is deleted. E-mail alerts are one.
 */
public interface OutboxConsumer {
  /** One event as {@link Outbox} wrote it ({@code dataJson}: its JSON object). */
  record Event(long id, String type, Long groupId, Long deviceId, Instant at, String dataJson) {}

  void take(List<Event> events);
}
