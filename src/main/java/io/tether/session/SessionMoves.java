package io.tether.session;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tether.cluster.Membership;
import io.tether.device.SessionChanged;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * In a cluster, ends the sessions that moved off a drained node and that no node resumed within
 * {@link SessionHubs#MOVE_WINDOW} (their device did not come back, nobody reconnected): {@code
 * node-draining}, as of when their node let go. Every node sweeps; each row ends once.
 */
@ApplicationScoped
public class SessionMoves {
  private static final Logger LOG = Logger.getLogger(SessionMoves.class);

  /** How often a node looks for moving sessions whose window passed. */
  static final Duration SWEEP_EVERY = Duration.ofSeconds(5);

  @Inject Membership membership;
  @Inject SessionRows rows;
  @Inject Vertx vertx;
  @Inject Event<SessionChanged> news;

  private final AtomicBoolean sweeping = new AtomicBoolean();
  private long timer = -1;

  void onStart(@Observes StartupEvent event) {
    if (membership.enabled()) {
      timer = vertx.setPeriodic(SWEEP_EVERY.toMillis(), id -> sweep());
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void sweep() {
    if (!sweeping.compareAndSet(false, true)) {
      return; // the last sweep still waits for the database
    }
    vertx
        .executeBlocking(rows::endUnresumed, false)
        .onComplete(
            r -> {
              sweeping.set(false);
              if (r.failed()) {
                LOG.debugf("moving sessions not swept: %s", r.cause().getMessage());
                return;
              }
              for (SessionRows.Unresumed u : r.result()) {
                LOG.infof(
                    "session %d on %s/%s was not resumed within %d s: ended %s",
                    u.id(),
                    u.deviceName(),
                    u.target(),
                    SessionHubs.MOVE_WINDOW.toSeconds(),
                    CloseReasons.NODE_DRAINING);
                news.fire(
                    new SessionChanged(
                        u.id(),
                        u.deviceId(),
                        u.deviceName(),
                        u.target(),
                        "terminal",
                        false,
                        null,
                        0));
              }
            });
  }
}
