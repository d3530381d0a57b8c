package io.tether.consolelog;

import io.tether.protocol.LineSettings;
import io.tether.protocol.Reason;
import io.tether.tunnel.ChannelConsumer;
import io.tether.tunnel.DeviceChannel;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Keeps one device target's channel open and logs everything the device prints, on one Vert.x
 * context (every method runs there). It never gates the device's pace: bytes go to the store's
 * bounded queue or, when that is full, into a marked gap. A session opening the target borrows the
 * channel ({@link #lend}): it sees the same output and paces the device as it would own the
 * channel, and giving it back leaves the target open, with its line settings, for the log.
 */
final class TargetLogger implements ChannelConsumer {
  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(TargetLogger.class);

  /** Where the bytes go: false when the store's queue has no room (the chunk is dropped). */
  interface Store {
    boolean offer(LogChunk chunk, boolean marker);
  }

  /** Opens the real channel. */
  interface Opener {
    void open(ChannelConsumer consumer, Context context);
  }

  enum State {
    IDLE,
    OPENING,
    OPEN,
    STOPPED
  }

  final long deviceId;
  final String target;
  final Context context;
  private final Opener opener;
  private final Store store;
  private final Clock clock;
  private State state = State.IDLE;
  private volatile DeviceChannel channel;
  private volatile Borrower borrower;
  private Borrower waiting;
  private boolean stopping;
  private Reason lastRefusal;
  private long flushTimer = -1;

  private final byte[] pending = new byte[ConsoleLogLimits.CHUNK_BYTES];
  private int pendingLength;
  private Instant pendingAt;
  private Instant pendingUntil;
  private long dropped;

  TargetLogger(
      long deviceId, String target, Context context, Opener opener, Store store, Clock clock) {
    this.deviceId = deviceId;
    this.target = target;
    this.context = context;
    this.opener = opener;
    this.store = store;
    this.clock = clock;
  }

  /** Runs {@code action} on the logger's context. */
  void run(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  State state() {
    return state;
  }

  /** Why the last open was refused (null: it was not). */
  Reason lastRefusal() {
    return lastRefusal;
  }

  /** Opens the target unless it is open or opening; a no-op once stopped. */
  void start() {
    if (state != State.IDLE || stopping) {
      return;
    }
    state = State.OPENING;
    if (flushTimer < 0) {
      flushTimer =
          context.owner().setPeriodic(ConsoleLogLimits.FLUSH_MILLIS, t -> run(this::flush));
    }
    opener.open(this, context);
  }

  /**
   * Logging of this target ends ({@code why} goes into the log). A session borrowing the channel
   * keeps it until it ends; then the channel closes.
   */
  void stop(String why) {
    if (stopping) {
      return;
    }
    stopping = true;
    if (state == State.OPEN) {
      marker("logging stopped: " + why);
    }
    if (borrower == null) {
      close(why);
    }
  }

  private void close(String why) {
    state = State.STOPPED;
    if (flushTimer >= 0) {
      context.owner().cancelTimer(flushTimer);
      flushTimer = -1;
    }
    if (channel != null) {
      DeviceChannel c = channel;
      channel = null;
      c.close(new Reason(Reason.PEER_CLOSED, why));
    }
    if (waiting != null) {
      Borrower w = waiting;
      waiting = null;
      w.refused(new Reason(Reason.TARGET_UNAVAILABLE, "console logging of the target stopped"));
    }
  }

  /**
   * A session asks for the target: it gets the logger's channel when open (or once it opens);
   * {@code consumer} hears the outcome on {@code consumerContext}, as from a real open.
   */
  void lend(ChannelConsumer consumer, Context consumerContext) {
    Borrower b = new Borrower(consumer, consumerContext);
    if (state == State.STOPPED || stopping) {
      opener.open(consumer, consumerContext); // logging ended meanwhile: the session opens its own
    } else if (borrower != null || waiting != null) {
      b.refused(new Reason(Reason.TARGET_BUSY, "the target is in use"));
    } else if (state == State.OPEN) {
      attach(b);
    } else {
      waiting = b;
      start();
    }
  }

  private void attach(Borrower b) {
    borrower = b;
    b.context.runOnContext(v -> b.consumer.onOpened(new Lent(b)));
  }

  /** The session gave the channel back (it ended): its unacknowledged bytes are acknowledged. */
  private void detach(Borrower b) {
    if (borrower != b) {
      return;
    }
    borrower = null;
    b.acknowledgeAll();
    if (stopping) {
      close("console logging stopped");
    }
  }

  // --- the channel (ChannelConsumer) ---

  @Override
  public void onOpened(DeviceChannel opened) {
    if (stopping || state == State.STOPPED) {
      opened.close(new Reason(Reason.PEER_CLOSED, "console logging stopped"));
      return;
    }
    channel = opened;
    state = State.OPEN;
    lastRefusal = null;
    marker(Markers.STARTED);
    if (waiting != null) {
      Borrower w = waiting;
      waiting = null;
      attach(w);
    }
  }

  @Override
  public void onRefused(Reason reason) {
    lastRefusal = reason;
    state = stopping ? State.STOPPED : State.IDLE;
    if (waiting != null) {
      Borrower w = waiting;
      waiting = null;
      w.refused(reason);
    }
  }

  @Override
  public void onData(Buffer data, Runnable delivered) {
    if (!stopping) {
      log(data);
    }
    Borrower b = borrower;
    if (b == null) {
      delivered.run(); // nobody paces the device: the log never does
      return;
    }
    Runnable ack = b.track(delivered);
    b.context.runOnContext(v -> b.consumer.onData(data, () -> run(ack)));
  }

  @Override
  public void onEof() {
    Borrower b = borrower;
    if (b != null) {
      b.context.runOnContext(v -> b.consumer.onEof());
    }
  }

  @Override
  public void onClosed(Reason reason) {
    channel = null;
    if (state == State.OPEN && !stopping) {
      marker("logging stopped: " + reason.message());
    }
    state = stopping ? State.STOPPED : State.IDLE;
    Borrower b = borrower;
    borrower = null;
    if (b != null) {
      b.context.runOnContext(v -> b.consumer.onClosed(reason));
    }
    if (stopping) {
      close("console logging stopped");
    }
  }

  @Override
  public void onWritable() {
    Borrower b = borrower;
    if (b != null) {
      b.context.runOnContext(v -> b.consumer.onWritable());
    }
  }

  // --- the log ---

  private void log(Buffer data) {
    Instant now = clock.instant();
    int n = data.length();
    int off = 0;
    while (off < n) {
      if (pendingLength == pending.length) {
        flush();
      }
      int take = Math.min(n - off, pending.length - pendingLength);
      data.getBytes(off, off + take, pending, pendingLength);
      if (pendingLength == 0) {
        pendingAt = now;
      }
      pendingLength += take;
      pendingUntil = now;
      off += take;
    }
  }

  /** Hands the bytes held to the store; bytes it has no room for are counted as dropped. */
  void flush() {
    if (pendingLength == 0) {
      if (dropped > 0
          && store.offer(LogChunk.marker(deviceId, target, clock.instant(), dropped, null), true)) {
        dropped =
            0; // the loss is on record once the store has room, also if the device fell silent
      }
      return;
    }
    byte[] data = java.util.Arrays.copyOf(pending, pendingLength);
    LogChunk chunk = new LogChunk(deviceId, target, pendingAt, pendingUntil, data, dropped, null);
    pendingLength = 0;
    if (store.offer(chunk, false)) {
      dropped = 0;
    } else {
      if (dropped == 0) {
        LOG.warnf(
            "console log of device %d target %s: the log store cannot keep up, bytes are dropped"
                + " (a marked gap) until it can",
            deviceId, target);
      }
      dropped += data.length;
    }
  }

  private void marker(String note) {
    flush();
    if (store.offer(LogChunk.marker(deviceId, target, clock.instant(), dropped, note), true)) {
      dropped = 0;
    }
  }

  /** A session using the logger's channel, with the acknowledgements it still owes the device. */
  private final class Borrower {
    final ChannelConsumer consumer;
    final Context context;
    private final Set<Runnable> owed = new LinkedHashSet<>();

    Borrower(ChannelConsumer consumer, Context context) {
      this.consumer = consumer;
      this.context = context;
    }

    Runnable track(Runnable delivered) {
      Runnable[] self = new Runnable[1];
      self[0] =
          () -> {
            if (owed.remove(self[0])) {
              delivered.run();
            }
          };
      owed.add(self[0]);
      return self[0];
    }

    void acknowledgeAll() {
      for (Runnable ack : Set.copyOf(owed)) {
        ack.run();
      }
    }

    void refused(Reason reason) {
      context.runOnContext(v -> consumer.onRefused(reason));
    }
  }

  /** The channel as a borrowing session sees it: closing it gives it back. */
  private final class Lent implements DeviceChannel {
    private final Borrower b;

    Lent(Borrower b) {
      this.b = b;
    }

    private DeviceChannel live() {
      DeviceChannel c = channel;
      return borrower == b ? c : null;
    }

    @Override
    public String target() {
      return target;
    }

    @Override
    public long deviceId() {
      return deviceId;
    }

    @Override
    public void write(Buffer data) {
      DeviceChannel c = live();
      if (c != null) {
        c.write(data);
      }
    }

    @Override
    public boolean writeQueueFull() {
      DeviceChannel c = live();
      return c != null && c.writeQueueFull();
    }

    @Override
    public void end() {
      // the target stays open for the log: a session's half-close does not reach the device
    }

    @Override
    public void line(LineSettings settings) {
      DeviceChannel c = live();
      if (c != null) {
        c.line(settings); // the last settings stay while the log keeps the target open
      }
    }

    @Override
    public void close(Reason reason) {
      run(() -> detach(b));
    }
  }
}
