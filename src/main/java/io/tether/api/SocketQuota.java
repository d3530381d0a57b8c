package io.tether.api;

import io.tether.boot.TetherConfig;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Live user sockets per (user, kind): each socket holds a {@link Lease} from before its upgrade
 * until it closes, so one user cannot hold an unbounded number of sockets and their queues.
 */
@ApplicationScoped
public class SocketQuota {
  /** The kinds of long-lived user sockets, each counted on its own. */
  public enum Kind {
    TERMINAL("terminal"),
    FLOW("data flow"),
    EVENTS("event stream"),
    FORWARD("forward");

    private final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** How long a refused client should wait: sockets close within seconds of their tab. */
  static final long RETRY_AFTER_SECONDS = 5;

  private record Key(long userId, Kind kind) {}

  private final Map<Key, Integer> live = new ConcurrentHashMap<>();
  private final int perUser;

  @Inject
  public SocketQuota(TetherConfig config) {
    this(config.limits().socketsPerUser());
  }

  public SocketQuota(int perUser) {
    this.perUser = perUser;
  }

  /** A place for one more socket of {@code kind}, or null when the user holds the most already. */
  public Lease acquire(long userId, Kind kind) {
    Key key = new Key(userId, kind);
    boolean[] granted = {false};
    live.compute(
        key,
        (k, n) -> {
          int held = n == null ? 0 : n;
          if (held >= perUser) {
            return n;
          }
          granted[0] = true;
          return held + 1;
        });
    return granted[0] ? new Lease(key) : null;
  }

  /** Like {@link #acquire}, but a refusal is an ApiException (429) for REST resources. */
  public Lease require(long userId, Kind kind) {
    Lease lease = acquire(userId, kind);
    if (lease == null) {
      throw ApiException.tooManyRequests(detail(kind), RETRY_AFTER_SECONDS);
    }
    return lease;
  }

  /** Answers a raw Vert.x route (before the upgrade) with the 429 problem. */
  public void refuse(RoutingContext ctx, Kind kind) {
    ctx.response().putHeader("Retry-After", Long.toString(RETRY_AFTER_SECONDS));
    Problem.send(ctx, 429, detail(kind));
  }

  private String detail(Kind kind) {
    return "you already have "
        + perUser
        + " open "
        + kind.label
        + " sockets, the most one user may hold: close one first";
  }

  /** Sockets of {@code kind} the user holds now. */
  public int held(long userId, Kind kind) {
    return live.getOrDefault(new Key(userId, kind), 0);
  }

  /** One socket's place; released once, however many paths close the socket. */
  public final class Lease {
    private final Key key;
    private final AtomicBoolean released = new AtomicBoolean();

    private Lease(Key key) {
      this.key = key;
    }

    public void release() {
      if (released.compareAndSet(false, true)) {
        live.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
      }
    }
  }
}
