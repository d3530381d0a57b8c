package io.tether.device;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import io.tether.access.AccessPolicy;
import io.tether.access.CredentialWatch;
import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
import io.tether.api.SendBudget;
import io.tether.api.SocketQuota;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * {@code GET /api/events}: server-sent events for the fleet views and the dashboard, about the
 * devices the caller may see: presence changes (the UI re-reads that device), sessions starting,
 * changing hands and ending, and refusals from the audit log. A keepalive event every 25 s keeps
 * proxies from closing an idle stream.
 */
@Path("/api/events")
@Tag(name = "devices")
public class EventResource {
  /**
   * Below the 30-60 s idle timeouts of common reverse proxies (and the shipped HAProxy's 1 min).
   */
  public static final Duration KEEPALIVE = Duration.ofSeconds(25);

  /**
   * Events waiting for a stream whose client does not read: a stream writes one event at a time and
   * asks for the next when the write completed, so these pile up only when the socket is full; past
   * them (or past {@link #MAX_QUEUED_BYTES}) the stream fails and its connection is closed (an SSE
   * client cannot be told on a full socket).
   */
  static final int MAX_QUEUED_EVENTS = 64;

  /** Bytes of events waiting for one stream: 64 of the largest (about 1 KiB each). */
  static final int MAX_QUEUED_BYTES = 64 * 1024;

  @Inject CurrentPrincipal current;
  @Inject AccessPolicy policy;
  @Inject LiveFeed feed;
  @Inject CredentialWatch credentials;
  @Inject Vertx vertx;
  @Inject SocketQuota quota;

  @GET
  @Blocking
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.TEXT_PLAIN)
  @Operation(
      summary =
          "Live presence, sessions and refusals of the devices the caller may see (SSE, one JSON"
              + " object per event)")
  public Multi<String> events() {
    Principal p = current.require();
    Set<Long> groups = p.admin() ? Set.of() : Set.copyOf(policy.roles(p).keySet());
    Multi<LiveEvent> changes = feed.stream().filter(e -> e.visibleTo(p, groups));
    Multi<LiveEvent> keepalive =
        Multi.createFrom().ticks().every(KEEPALIVE).map(t -> LiveEvent.KEEPALIVE);
    // a user whose rights shrink gets a last "revoked" event and the stream ends; a new stream
    // starts with the rights as they are then
    Multi<LiveEvent> revoked =
        feed.revocations()
            .filter(c -> c.userId() != null && c.userId() == p.userId())
            .map(c -> LiveEvent.REVOKED);
    SocketQuota.Lease lease = quota.require(p.userId(), SocketQuota.Kind.EVENTS);
    // the stream ends with the credential it was opened with (session timeout, token expiry)
    Multi<LiveEvent> expired =
        Multi.createFrom()
            .emitter(
                em -> {
                  Context context = vertx.getOrCreateContext();
                  CredentialWatch.Watch watch =
                      credentials.watch(
                          new CredentialWatch.Holder() {
                            @Override
                            public Principal principal() {
                              return p;
                            }

                            @Override
                            public Context context() {
                              return context;
                            }

                            @Override
                            public void expired(String reason) {
                              em.emit(LiveEvent.REVOKED);
                            }
                          });
                  em.onTermination(watch::cancel);
                });
    SendBudget waiting = new SendBudget(MAX_QUEUED_BYTES);
    return Multi.createBy()
        .merging()
        .streams(changes, keepalive, revoked, expired)
        .select()
        .first(e -> e != LiveEvent.REVOKED)
        .onItem()
        .invoke(e -> takeOrFail(waiting, e))
        .onOverflow()
        .buffer(MAX_QUEUED_EVENTS)
        .onItem()
        .invoke(e -> waiting.give(e.bytes()))
        .map(LiveEvent::json)
        .onTermination()
        .invoke(lease::release);
  }

  /** Counts an event as waiting; a stream past its bytes fails, as past its count. */
  private static void takeOrFail(SendBudget waiting, LiveEvent e) {
    if (!waiting.take(e.bytes())) {
      throw new BackPressureFailure(
          "more than " + MAX_QUEUED_BYTES + " bytes of events wait for this stream");
    }
  }
}
