package io.tether.session;

import io.tether.access.Principal;
import io.tether.device.SessionChanged;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The session rows of tether-cli forwards to TCP targets (kind {@code forward}): one per forward
 * socket and target, never recorded, with one participant span (the user, {@code via cli}). The row
 * is inserted on a worker; spans and the end go through the {@link SessionJournal}.
 */
@ApplicationScoped
public class ForwardSessions {
  private static final Logger LOG = Logger.getLogger(ForwardSessions.class);

  @Inject SessionRows rows;
  @Inject SessionJournal journal;
  @Inject Vertx vertx;
  @Inject Event<SessionChanged> news;

  private final ConcurrentHashMap<Long, Use> live = new ConcurrentHashMap<>();

  /** A new forward session; call on the forward socket's context. */
  public Use start(long deviceId, String target, Principal user) {
    Use use = new Use(deviceId, target);
    vertx
        .executeBlocking(
            () -> rows.create(deviceId, target, "off", use.startedAt, "forward"), false)
        .onComplete(
            r -> {
              if (r.failed()) {
                LOG.warnf("forward session row not written: %s", r.cause().getMessage());
              } else {
                use.identified(r.result(), user);
              }
            });
    return use;
  }

  /** How long {@link #end} waits for the row to be written, so the caller reads it back ended. */
  static final java.time.Duration END_WAIT = java.time.Duration.ofSeconds(5);

  /**
   * Ends a live forward session of this node (an admin): its channels close with the reason and the
   * row ends; false when this node holds no such session.
   */
  public boolean end(long sessionId, String reason, String detail) {
    Use use = live.get(sessionId);
    if (use == null) {
      return false;
    }
    use.endFromOutside(reason, detail);
    journal.awaitDrained(END_WAIT);
    return true;
  }

  /** The live forward session with this id on this node (for live byte counts). */
  Optional<Use> live(long sessionId) {
    return Optional.ofNullable(live.get(sessionId));
  }

  /** One forward socket's use of one TCP target. Counters may be read from any thread. */
  public final class Use {
    final Instant startedAt = Instant.now();
    private final long deviceId;
    private final String target;
    private String username;
    private volatile long bytesIn;
    private volatile long bytesOut;
    private volatile int channels;
    private long id;
    private java.util.function.BiConsumer<String, String> onEnd;
    private String endReason;
    private Instant endedAt;

    public Use(long deviceId, String target) {
      this.deviceId = deviceId;
      this.target = target;
    }

    public synchronized void channelOpened() {
      channels++;
    }

    /** Bytes to the device. */
    public synchronized void toDevice(long n) {
      bytesIn += n;
    }

    /** Bytes from the device. */
    public synchronized void fromDevice(long n) {
      bytesOut += n;
    }

    /** Why it ended, from {@link CloseReasons}; null while live. */
    public synchronized String endReason() {
      return endReason;
    }

    long bytesIn() {
      return bytesIn;
    }

    long bytesOut() {
      return bytesOut;
    }

    public int channels() {
      return channels;
    }

    /**
     * Who closes the channels when the session is ended from outside the forward socket: called
     * with the reason and a detail, on the caller's thread.
     */
    public synchronized void onEnd(java.util.function.BiConsumer<String, String> closer) {
      onEnd = closer;
    }

    /** Ends the session from outside the forward socket (an admin): its channels close too. */
    public void endFromOutside(String reason, String detail) {
      java.util.function.BiConsumer<String, String> closer;
      synchronized (this) {
        closer = onEnd;
      }
      end(reason);
      if (closer != null) {
        closer.accept(reason, detail);
      }
    }

    /** Ends the session once, with a reason from {@link CloseReasons}. */
    public synchronized void end(String reason) {
      if (endReason != null) {
        return;
      }
      endReason = reason;
      endedAt = Instant.now();
      if (id > 0) {
        written();
      }
    }

    private synchronized void identified(long sessionId, Principal user) {
      id = sessionId;
      journal.submit(
          new JournalEntry.SpanOpened(
              id, 1, user.userId(), user.username(), "controller", "cli", startedAt));
      username = user.username();
      if (endReason != null) {
        written();
      } else {
        live.put(id, this);
        announce(true);
      }
    }

    /** Tells the live event stream (the dashboard) that it started or ended. */
    private void announce(boolean isLive) {
      news.fire(
          new SessionChanged(
              id,
              deviceId,
              null,
              target,
              "forward",
              isLive,
              isLive ? username : null,
              isLive ? 1 : 0));
    }

    private void written() {
      announce(false);
      live.remove(id);
      journal.submit(new JournalEntry.Channels(id, channels));
      journal.submit(new JournalEntry.Ended(id, endReason, endedAt, bytesIn, bytesOut, 0, 0));
    }
  }
}
