package io.tether.device;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.tether.access.AccessChanged;
import io.tether.audit.AuditResource;
import io.tether.audit.RefusalAudited;
import io.tether.db.BatchWriter;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Fans the live events out to every open event stream: presence changes, sessions (started, control
 * changed, ended), refusals and console matches. Sessions and refusals name only their device, so
 * one worker thread looks up each device's group (as it is now, so a moved device's events follow
 * it) before they go out; events are serialized once here, for all streams.
 */
@ApplicationScoped
public class LiveFeed {
  private static final Logger LOG = Logger.getLogger(LiveFeed.class);

  /**
   * Sessions and refusals waiting for their device's group: each is under 1 KiB (every field is a
   * bounded column), so at most a few MiB. Past it they are dropped and logged: a dashboard then
   * shows them at its next load.
   */
  static final int QUEUE_CAPACITY = 4096;

  /** A full queue is logged once per this many dropped events, not once per event. */
  static final int DROP_LOG_EVERY = 1000;

  /** Events whose groups are looked up in one query. */
  static final int BATCH = 200;

  /** How long the bean's destruction waits for the worker to end. */
  static final Duration WORKER_STOP_TIMEOUT = Duration.ofSeconds(2);

  @Inject ObjectMapper json;
  @Inject EntityManager em;

  private final BroadcastProcessor<LiveEvent> processor = BroadcastProcessor.create();
  private final BroadcastProcessor<AccessChanged> revocations = BroadcastProcessor.create();
  private final BatchWriter<Pending> grouping =
      new BatchWriter<>("tether-live-events", QUEUE_CAPACITY, BATCH, this::resolve);

  /** A session or refusal before its device's group is known; its JSON body takes the device. */
  private record Pending(String type, Long deviceId, Long onlyUser, Function<Known, Object> body) {}

  /** What the worker read of a device: its group and name now (null when it is gone). */
  private record Known(Long groupId, String name) {}

  /** The JSON of each event type (docs/api.md "Live events"). */
  record PresenceJson(String type, long deviceId, boolean online) {}

  record DeviceRef(long id, String name) {}

  record ConsoleMatchJson(String type, long deviceId, DeviceApi.ConsoleMatch consoleMatch) {}

  record SessionJson(
      String type,
      long id,
      DeviceRef device,
      String target,
      String kind,
      String state,
      String controller,
      int people) {}

  /** An audit entry as {@code GET /api/audit} shows it, with the event's type before it. */
  record RefusalJson(String type, @JsonUnwrapped AuditResource.Entry entry) {}

  void on(@ObservesAsync PresenceChanged e) {
    publish(
        LiveEvent.of(
            "presence",
            write(new PresenceJson("presence", e.deviceId(), e.online())),
            true,
            e.groupId(),
            null));
  }

  void on(@Observes(during = TransactionPhase.AFTER_SUCCESS) ConsoleMatchShown e) {
    publish(
        LiveEvent.of(
            "console-match",
            write(new ConsoleMatchJson("console-match", e.deviceId(), e.match())),
            true,
            e.groupId(),
            null));
  }

  record NotificationJson(String type, long id, String kind) {}

  void on(@Observes(during = TransactionPhase.AFTER_SUCCESS) NotificationRaised e) {
    publish(
        LiveEvent.of(
            "notification",
            write(new NotificationJson("notification", e.id(), e.type())),
            e.groupId() != null,
            e.groupId(),
            null));
  }

  /** Called on the session's event loop: queued, never waits. */
  void on(@Observes SessionChanged e) {
    queue(
        new Pending(
            "session",
            e.deviceId(),
            null,
            device ->
                new SessionJson(
                    "session",
                    e.sessionId(),
                    new DeviceRef(
                        e.deviceId(), device.name() != null ? device.name() : e.deviceName()),
                    e.target(),
                    e.kind(),
                    e.live() ? "live" : "ended",
                    e.controller(),
                    e.people())));
  }

  void on(@Observes(during = TransactionPhase.AFTER_SUCCESS) RefusalAudited e) {
    queue(
        new Pending(
            "refusal",
            e.entry().deviceId(),
            e.actorId(),
            device -> new RefusalJson("refusal", e.entry())));
  }

  void on(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccessChanged change) {
    revocations.onNext(change);
  }

  /** Every live event, for streams to filter by who may see it. */
  public Multi<LiveEvent> stream() {
    return processor;
  }

  /** Access changes (committed): streams of a user whose rights shrank end. */
  public Multi<AccessChanged> revocations() {
    return revocations;
  }

  private void queue(Pending pending) {
    if (!grouping.offer(pending) && grouping.dropped() % DROP_LOG_EVERY == 1) {
      LOG.warnf("live event queue full: %d events dropped so far", grouping.dropped());
    }
  }

  /** The worker: one query for the groups of a batch's devices, then each event in order. */
  private void resolve(List<Pending> batch) {
    List<Long> ids =
        batch.stream().map(Pending::deviceId).filter(Objects::nonNull).distinct().toList();
    Map<Long, Known> devices = new HashMap<>();
    if (!ids.isEmpty()) {
      try {
        QuarkusTransaction.requiringNew()
            .run(
                () ->
                    em.createQuery(
                            "select d.id, d.group.id, d.name from Device d where d.id in :ids",
                            Object[].class)
                        .setParameter("ids", ids)
                        .getResultList()
                        .forEach(
                            row ->
                                devices.put(
                                    (Long) row[0], new Known((Long) row[1], (String) row[2]))));
      } catch (RuntimeException e) {
        // without the group only admins get these events: never someone who may not see them
        LOG.warnf("groups of live events not read: %s", e.getMessage());
      }
    }
    Known unknown = new Known(null, null);
    for (Pending p : batch) {
      Known device = p.deviceId() == null ? unknown : devices.getOrDefault(p.deviceId(), unknown);
      publish(
          LiveEvent.of(
              p.type(),
              write(p.body().apply(device)),
              p.deviceId() != null,
              device.groupId(),
              p.onlyUser()));
    }
  }

  /** Presence comes from async observer threads, the rest from the worker: one at a time. */
  private synchronized void publish(LiveEvent event) {
    processor.onNext(event);
  }

  private String write(Object body) {
    try {
      return json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a live event could not be written as JSON", e);
    }
  }

  @PreDestroy
  void stop() {
    grouping.close(WORKER_STOP_TIMEOUT);
  }
}
