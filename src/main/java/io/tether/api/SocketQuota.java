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
 * until it closes, so one user cannot hold an unbounded number of sockets and their queues. In a
 * cluster the bound is the cluster's: the counts of every node are shared ({@link Shared}), so N
 * nodes do not give a user N times the sockets. A socket relayed from another node holds no place
 * here ({@link #relayed()}): the node the user reached counts it.
 */
@ApplicationScoped
public class SocketQuota {
  /** The kinds of long-lived user sockets, each counted on its own. */
  public enum Kind {
    TERMINAL("terminal"),
    FLOW("data flow"),
    EVENTS("event stream"),
    FORWARD("forward"),
    SSH("SSH session");

    private final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** How long a refused client should wait: sockets close within seconds of their tab. */
  static final long RETRY_AFTER_SECONDS = 5;

  /** One user's sockets of one kind on this node. */
  public record Key(long userId, Kind kind) {}

  /**
   * The counts of every node of a cluster (a database table): {@link #take} adds this node's new
   * socket unless the cluster's total is at the bound. Blocking.
   */
  public interface Shared {
    /** False with one node: the local count is the whole count. */
    boolean enabled();

    /** Counts one more socket of this node unless all nodes together hold {@code limit}. */
    boolean take(Key key, int limit);

    /** This node closed one (best effort: the counts are rewritten from this node's regularly). */
    void give(Key key);
  }

  private final Map<Key, Integer> live = new ConcurrentHashMap<>();
  private final int perUser;
  private final Shared shared;

  @Inject
  public SocketQuota(TetherConfig config, Shared shared) {
    this(config.limits().socketsPerUser(), shared);
  }

  public SocketQuota(int perUser) {
    this(perUser, null);
  }

  private SocketQuota(int perUser, Shared shared) {
    this.perUser = perUser;
    this.shared = shared;
  }

  /** This node's counts as they are now, for {@link Shared} to write back. */
  public Map<Key, Integer> counts() {
    return Map.copyOf(live);
  }

  /** A socket relayed here from the node that counted it: it holds no place on this node. */
  public Lease relayed() {
    Lease lease = new Lease(null);
    lease.released.set(true);
    return lease;
  }

  /**
   * A place for one more socket of {@code kind}, or null when the user holds the most already. In a
   * cluster this asks the database: call it on a worker thread.
   */
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
    if (!granted[0]) {
      return null;
    }
    Lease lease = new Lease(key);
    if (shared != null && shared.enabled() && !shared.take(key, perUser)) {
      lease.releaseHere(); // the other nodes hold the rest of the user's sockets
      return null;
    }
    return lease;
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
      if (releaseHere() && shared != null && shared.enabled()) {
        shared.give(key);
      }
    }

    private boolean releaseHere() {
      if (released.compareAndSet(false, true)) {
        live.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
        return true;
      }
      return false;
    }
  }
}
