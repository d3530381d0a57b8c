package io.tether.session;

import io.tether.tunnel.ChannelConsumer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Small fakes of a session hub's collaborators, recording what the hub did to them. */
final class HubFakes {
  private HubFakes() {}

  /**
   * Runs {@code action} on {@code context} and waits for it, then for what it posted there (a
   * joined participant's membership, a write's completion): a hub does everything on its context,
   * so the caller sees it settled.
   */
  static void settle(Context context, Runnable action) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          try {
            action.run();
            done.complete(null);
          } catch (Throwable t) {
            done.completeExceptionally(t);
          }
        });
    CompletableFuture<Void> settled = new CompletableFuture<>();
    context.runOnContext(v -> settled.complete(null));
    try {
      done.get(5, TimeUnit.SECONDS);
      settled.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("the hub's context did not settle", e);
    }
  }

  /** A participant whose socket writes complete when the test says (or at once). */
  static final class Sink implements ParticipantSink {
    final Context context;
    final List<ControlMessage> controls = new CopyOnWriteArrayList<>();
    final BlockingQueue<ControlMessage> inbox = new LinkedBlockingQueue<>();
    final List<String> closes = new CopyOnWriteArrayList<>();
    final BlockingQueue<String> closedQueue = new LinkedBlockingQueue<>();
    final ArrayDeque<Promise<Void>> unwritten = new ArrayDeque<>();
    final Buffer written = Buffer.buffer();
    boolean writesComplete = true;
    boolean replays = true;
    boolean inputPaused;
    volatile Membership membership;

    Sink(Context context) {
      this.context = context;
    }

    @Override
    public void joined(Membership m) {
      membership = m;
    }

    @Override
    public boolean replaysRecentOutput() {
      return replays;
    }

    @Override
    public Context context() {
      return context;
    }

    @Override
    public Future<Void> write(Buffer data) {
      written.appendBuffer(data);
      Promise<Void> done = Promise.promise();
      if (writesComplete) {
        done.complete();
      } else {
        unwritten.add(done);
      }
      return done.future();
    }

    /** The socket wrote everything it was handed. */
    void completeWrites() {
      while (!unwritten.isEmpty()) {
        unwritten.removeFirst().complete();
      }
    }

    @Override
    public void control(ControlMessage message) {
      controls.add(message);
      inbox.add(message);
    }

    @Override
    public void pauseInput() {
      inputPaused = true;
    }

    @Override
    public void resumeInput() {
      inputPaused = false;
    }

    @Override
    public void closed(CloseCode code, String reason, String detail) {
      String close = code.code() + " " + reason;
      closes.add(close);
      closedQueue.add(close);
    }

    /** The last control message of a type. */
    <T extends ControlMessage> T last(Class<T> type) {
      T found = null;
      for (ControlMessage m : controls) {
        if (type.isInstance(m)) {
          found = type.cast(m);
        }
      }
      return found;
    }

    <T extends ControlMessage> List<T> all(Class<T> type) {
      return controls.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Waits for the next control message of a type (from another thread's hub). */
    <T extends ControlMessage> T next(Class<T> type) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < deadline) {
        ControlMessage m = inbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (type.isInstance(m)) {
          return type.cast(m);
        }
      }
      throw new AssertionError("no " + type.getSimpleName() + " within 5 s: " + controls);
    }

    /** Waits for this participant to be closed. */
    String nextClose() throws InterruptedException {
      String close = closedQueue.poll(5, TimeUnit.SECONDS);
      if (close == null) {
        throw new AssertionError("not closed within 5 s; controls: " + controls);
      }
      return close;
    }
  }

  /** The device side: remembers who asked for a channel. */
  static final class Channels implements DeviceChannels {
    final List<ChannelConsumer> opened = new CopyOnWriteArrayList<>();

    @Override
    public void open(long deviceId, String target, ChannelConsumer consumer, Context context) {
      opened.add(consumer);
    }
  }

  /**
   * One device channel: what reached the device, the serial settings sent on it, and whether its
   * write queue is full.
   */
  static final class Channel extends io.tether.testing.FakeDeviceChannel {}

  /** The journal: every entry in order. */
  static final class Journal implements io.tether.session.Journal {
    final List<JournalEntry> entries = new CopyOnWriteArrayList<>();

    @Override
    public void submit(JournalEntry entry) {
      entries.add(entry);
    }

    @Override
    public boolean offerChunk(JournalEntry.Chunk chunk) {
      entries.add(chunk);
      return true;
    }

    @Override
    public boolean awaitDrained(Duration timeout) {
      return true;
    }

    <T extends JournalEntry> List<T> all(Class<T> type) {
      return entries.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  /** The registry around a hub: what the hub told it. */
  static final class Registry implements HubRegistry {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<JoinRequest> rejoined = new CopyOnWriteArrayList<>();
    final List<FlowTap> watchers = new CopyOnWriteArrayList<>();
    final Buffer tapped = Buffer.buffer();

    @Override
    public void join(JoinRequest who, ParticipantSink sink) {
      rejoined.add(who);
    }

    @Override
    public void started(SessionHub hub) {
      events.add("started");
    }

    @Override
    public void ended(SessionHub hub) {
      events.add("ended");
    }

    @Override
    public void refused(SessionHub hub) {
      events.add("refused");
    }

    @Override
    public void claim(SessionHub hub, long movingSessionId) {
      events.add("claim " + movingSessionId);
    }

    @Override
    public void tap(SessionHub hub, FlowTap.Direction direction, Buffer data) {
      tapped.appendBuffer(data);
    }

    @Override
    public List<FlowTap> watchers(SessionHub hub) {
      return watchers;
    }
  }

  /** The audit log: one line per entry, {@code user action detail}. */
  static final class Audits implements SessionAudit {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void record(JoinRequest who, String action, JoinRequest about, String detail) {
      lines.add(who.username() + " " + action + " " + detail);
    }
  }

  /** Who joins: an operator, a viewer, or a non-browser participant in a given mode. */
  static JoinRequest operator(String name) {
    return join(name, true, "browser", JoinRequest.Mode.SHARE);
  }

  static JoinRequest viewer(String name) {
    return join(name, false, "browser", JoinRequest.Mode.SHARE);
  }

  static JoinRequest join(String name, boolean mayControl, String via, JoinRequest.Mode mode) {
    return new JoinRequest(
        7,
        "bench",
        "console",
        true,
        null,
        name,
        via,
        mayControl,
        "off",
        "10.0.0.1",
        mode,
        false,
        "default");
  }
}
