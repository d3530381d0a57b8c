package io.tether.access;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Ends live sockets when their credential ends by itself: an API token at its {@code expiresAt}, a
 * browser session at its idle or absolute timeout. Revocations arrive as {@link AccessChanged}
 * events instead; this covers what no event announces. One timer per socket, set for the moment the
 * credential would end and re-read then (activity may have moved an idle end).
 */
@ApplicationScoped
public class CredentialWatch {
  /** Browser terminals are told this long before their session's absolute end. */
  public static final Duration WARN_BEFORE = Duration.ofMinutes(5);

  /** Timers longer than this are cut and re-read: no timer outlives a day of clock drift. */
  static final Duration MAX_TIMER = Duration.ofHours(12);

  private static final Logger LOG = Logger.getLogger(CredentialWatch.class);

  @Inject Authenticator authenticator;
  @Inject Vertx vertx;

  /** A live socket whose credential is watched. Callbacks run on its context. */
  public interface Holder {
    Principal principal();

    Context context();

    /** The credential ends at {@code at} and no activity can move that: warn the user. */
    default void expiring(Instant at) {}

    /** The credential ended: close with close code 4401 and the given reason. */
    void expired(String reason);
  }

  /** What stops the watch (the socket closed). */
  public interface Watch {
    void cancel();
  }

  /** Starts watching; the first read happens now. */
  public Watch watch(Holder holder) {
    Stepper s = new Stepper(holder);
    s.step();
    return s::cancel;
  }

  private final class Stepper {
    private final Holder holder;
    private final AtomicLong timer = new AtomicLong(-1);
    private volatile boolean cancelled;
    private boolean warned;

    Stepper(Holder holder) {
      this.holder = holder;
    }

    void step() {
      vertx
          .executeBlocking(() -> authenticator.lifetime(holder.principal()), false)
          .onComplete(
              r ->
                  holder
                      .context()
                      .runOnContext(
                          v -> {
                            if (cancelled) {
                              return;
                            }
                            if (r.failed()) {
                              // a database hiccup: look again soon rather than end a working socket
                              LOG.debugf("credential check failed: %s", r.cause().toString());
                              schedule(Instant.now().plusSeconds(30));
                              return;
                            }
                            decide(r.result());
                          }));
    }

    private void decide(CredentialLifetime life) {
      Instant now = Instant.now();
      if (!life.valid()) {
        holder.expired(reason());
        return;
      }
      if (life.endsAt() == null) {
        return; // ends only by revocation, which is an event
      }
      Instant warnAt = life.absoluteEnd() == null ? null : life.absoluteEnd().minus(WARN_BEFORE);
      if (!warned && warnAt != null && !now.isBefore(warnAt)) {
        warned = true;
        holder.expiring(life.absoluteEnd());
      }
      Instant next = life.endsAt();
      if (!warned && warnAt != null && warnAt.isBefore(next)) {
        next = warnAt;
      }
      schedule(next);
    }

    private String reason() {
      return holder.principal().via() == Principal.Via.API_TOKEN
          ? "the API token expired or was revoked"
          : "the browser session ended (signed out, idle or expired): sign in again";
    }

    private void schedule(Instant at) {
      long millis = Duration.between(Instant.now(), at).toMillis();
      long delay = Math.max(1, Math.min(millis + 1, MAX_TIMER.toMillis()));
      timer.set(vertx.setTimer(delay, id -> step()));
    }

    void cancel() {
      cancelled = true;
      long id = timer.getAndSet(-1);
      if (id >= 0) {
        vertx.cancelTimer(id);
      }
    }
  }
}
