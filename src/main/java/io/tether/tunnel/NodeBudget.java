package io.tether.tunnel;

import io.tether.boot.TetherConfig;
import io.tether.protocol.WindowAllowance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node-wide cap on the bytes the portal holds for all channels together. Each channel is bounded
 * by its window, but 20k tunnels' windows add up to more than a node has; past the cap, channels
 * stop granting credit (devices stop sending) and report their write queue full (users' sources
 * pause) until the node has drained to half the cap. Channels on long round trips grow their
 * windows out of half the cap ({@link #growth()}), so grown windows together never hold more.
 */
@ApplicationScoped
public class NodeBudget {
  private final long limit;
  private final AtomicLong held = new AtomicLong();
  private final ConcurrentLinkedQueue<Runnable> waiting = new ConcurrentLinkedQueue<>();
  private final WindowAllowance growth;

  @Inject
  public NodeBudget(TetherConfig config) {
    this(config.tunnel().nodeBufferBudget());
  }

  NodeBudget(long limit) {
    this.limit = limit;
    this.growth = WindowAllowance.of(limit / 2);
  }

  /** What the node's channels may grow their receive windows by, all together. */
  WindowAllowance growth() {
    return growth;
  }

  void hold(long bytes) {
    held.addAndGet(bytes);
  }

  void release(long bytes) {
    long now = held.addAndGet(-bytes);
    if (now < limit / 2) {
      Runnable next;
      while ((next = waiting.poll()) != null) {
        next.run();
      }
    }
  }

  /** True while the node holds at least its budget. */
  boolean exhausted() {
    return held.get() >= limit;
  }

  /** Runs {@code resume} (once) when the node has drained below half its budget. */
  void whenDrained(Runnable resume) {
    waiting.add(resume);
    if (held.get() < limit / 2 && waiting.remove(resume)) {
      resume.run();
    }
  }

  long held() {
    return held.get();
  }

  /**
   * What grown windows take out of {@link #growth()} now: bytes a node may hold beyond the base.
   */
  long grown() {
    return limit / 2 - growth.left();
  }

  long limit() {
    return limit;
  }
}
