package io.tether.tunnel;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.protocol.Frame;
import io.tether.protocol.FrameType;
import io.tether.protocol.Hello;
import io.tether.protocol.ProtocolLimits;
import io.tether.protocol.ProtocolVersion;
import io.tether.protocol.TargetKind;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One node's tunnel parts for a unit test: a Vert.x event loop, the real registry, metrics and
 * budget, a clock the test moves, and agents on {@link FakeTunnelSocket}s.
 */
final class TunnelFixture implements AutoCloseable {
  static final DeviceIdentity DEVICE = new DeviceIdentity(7, "edge-1", 3);
  static final String ADDRESS = "203.0.113.5";
  static final long WINDOW = ProtocolLimits.DEFAULT_WINDOW;

  /** Longer than any test: the timer it sets never fires during one. */
  static final Duration NEVER = Duration.ofHours(1);

  static final Hello.Target CONSOLE = new Hello.Target("console", TargetKind.SERIAL, "USB console");
  static final Hello.Target WEB = new Hello.Target("web", TargetKind.TCP, "admin page");

  /** Settings whose timers stay out of a test's way: no heartbeat, no handshake timeout. */
  static final TunnelSettings QUIET =
      new TunnelSettings(WINDOW, NEVER, NEVER, NEVER.multipliedBy(2), Duration.ofSeconds(5));

  /** A monotonic clock that moves only when the test says so. */
  static final class FakeClock implements TunnelClock {
    private final AtomicLong nanos = new AtomicLong();

    void advance(Duration d) {
      nanos.addAndGet(d.toNanos());
    }

    @Override
    public long nanoTime() {
      return nanos.get();
    }

    @Override
    public Instant now() {
      return Instant.EPOCH.plusNanos(nanos.get());
    }
  }

  final Vertx vertx = Vertx.vertx();
  final Context context = vertx.getOrCreateContext();
  final TunnelRegistry registry = new TunnelRegistry();
  final NodeBudget budget = new NodeBudget(1L << 30);
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final TunnelMetrics metrics = new TunnelMetrics(meters, registry, budget);
  final FakeClock clock = new FakeClock();

  TunnelNode node(TunnelSettings settings, TunnelEvents events) {
    return new TunnelNode(settings, registry, metrics, budget, events, clock);
  }

  /** A tunnel on a new fake socket, started on the event loop as the route starts one. */
  FakeTunnelSocket start(TunnelNode node) {
    return start(node, false);
  }

  /** The same, for an agent that offered ({@code upgradable}) the upgrade capability. */
  FakeTunnelSocket start(TunnelNode node, boolean upgradable) {
    FakeTunnelSocket socket = new FakeTunnelSocket(context);
    onContext(
        () -> {
          new TunnelConnection(socket, context, DEVICE, ADDRESS, node)
              .upgradable(upgradable)
              .start();
          return null;
        });
    return socket;
  }

  static Frame hello(String instance, Hello.Target... targets) {
    return hello(ProtocolVersion.CURRENT, instance, targets);
  }

  static Frame hello(int version, String instance, Hello.Target... targets) {
    return Frame.control(
        FrameType.HELLO, new Hello(version, "1.0.0", instance, List.of(targets)).encode());
  }

  /** Runs {@code action} on the tunnels' event loop and returns its result. */
  <T> T onContext(Supplier<T> action) {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          try {
            result.complete(action.get());
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    try {
      return result.get(FakeTunnelSocket.WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Waits until the event loop has run everything posted so far and what that posted in turn: the
   * loop runs tasks in order, so each round flushes the tasks queued before it. Chains in the
   * tunnel are at most three posts deep (consumer to tunnel to consumer).
   */
  void settle() {
    for (int round = 0; round < 5; round++) {
      onContext(() -> null);
    }
  }

  /** The value of a counter, 0 when it was never incremented. */
  double count(String name, String... tags) {
    var counter = meters.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  double gauge(String name) {
    return meters.get(name).gauge().value();
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
  }
}
