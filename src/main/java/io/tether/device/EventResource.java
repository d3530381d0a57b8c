package io.tether.device;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.tether.access.AccessPolicy;
import io.tether.access.CredentialWatch;
import io.tether.access.CurrentPrincipal;
import io.tether.access.Principal;
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
 * {@code GET /api/events}: server-sent events for the fleet view. Each event says a device the
 * caller may see changed presence; the UI re-reads that device. A keepalive event every 25 s keeps
 * proxies from closing an idle stream.
 */
@Path("/api/events")
@Tag(name = "devices")
public class EventResource {
  /** Below the 30-60 s idle timeouts of common reverse proxies. */
  static final Duration KEEPALIVE = Duration.ofSeconds(25);

  /**
   * Events waiting for a stream whose client does not read (each well under 100 bytes, so a few
   * KiB): a stream writes one event at a time and asks for the next when the write completed, so
   * these pile up only when the socket is full; past them the stream fails and its connection is
   * closed (an SSE client cannot be told on a full socket).
   */
  static final int MAX_QUEUED_EVENTS = 64;

  @Inject CurrentPrincipal current;
  @Inject AccessPolicy policy;
  @Inject PresenceFeed feed;
  @Inject CredentialWatch credentials;
  @Inject Vertx vertx;
  @Inject SocketQuota quota;

  /** One event: a device's presence changed. */
  public record PresenceEvent(String type, long deviceId, boolean online) {}

  @GET
  @Blocking
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.APPLICATION_JSON)
  @Operation(summary = "Live presence changes of the devices the caller may see (SSE)")
  public Multi<PresenceEvent> events() {
    Principal p = current.require();
    Set<Long> groups = p.admin() ? null : Set.copyOf(policy.roles(p).keySet());
    Multi<PresenceEvent> changes =
        feed.stream()
            .filter(e -> groups == null || groups.contains(e.groupId()))
            .map(e -> new PresenceEvent("presence", e.deviceId(), e.online()));
    Multi<PresenceEvent> keepalive =
        Multi.createFrom()
            .ticks()
            .every(KEEPALIVE)
            .map(t -> new PresenceEvent("keepalive", 0, false));
    // a user whose rights shrink gets a last "revoked" event and the stream ends; a new stream
    // starts with the rights as they are then
    Multi<PresenceEvent> revoked =
        feed.revocations()
            .filter(c -> c.userId() != null && c.userId() == p.userId())
            .map(c -> new PresenceEvent("revoked", 0, false));
    SocketQuota.Lease lease = quota.require(p.userId(), SocketQuota.Kind.EVENTS);
    // the stream ends with the credential it was opened with (session timeout, token expiry)
    Multi<PresenceEvent> expired =
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
                              em.emit(new PresenceEvent("revoked", 0, false));
                            }
                          });
                  em.onTermination(watch::cancel);
                });
    return Multi.createBy()
        .merging()
        .streams(changes, keepalive, revoked, expired)
        .select()
        .first(e -> !e.type().equals("revoked"))
        .onOverflow()
        .buffer(MAX_QUEUED_EVENTS)
        .onTermination()
        .invoke(lease::release);
  }
}
