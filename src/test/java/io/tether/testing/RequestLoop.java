package io.tether.testing;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A user who keeps sending one request, back to back, on a thread of its own while a test does
 * something disruptive: afterwards {@link #assertEveryRequestAnswered()} says whether any failed. A
 * request fails by throwing (the clients' {@code expect} throws on a wrong status).
 */
public final class RequestLoop implements AutoCloseable {
  private final Runnable request;
  private final AtomicLong answered = new AtomicLong();
  private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean running = true;

  private RequestLoop(String name, Runnable request) {
    this.request = request;
    this.thread = new Thread(this::loop, "request-loop-" + name);
    thread.setDaemon(true);
  }

  public static RequestLoop start(String name, Runnable request) {
    RequestLoop loop = new RequestLoop(name, request);
    loop.thread.start();
    return loop;
  }

  private void loop() {
    while (running) {
      try {
        request.run();
        answered.incrementAndGet();
      } catch (RuntimeException | AssertionError e) {
        firstFailure.compareAndSet(null, e);
      }
    }
  }

  /** Stops the loop; fails unless every request so far was answered (and there were some). */
  public long assertEveryRequestAnswered() {
    close();
    Throwable failure = firstFailure.get();
    if (failure != null) {
      throw new AssertionError("a request failed after " + answered.get() + " answered", failure);
    }
    if (answered.get() == 0) {
      throw new AssertionError("no request was answered at all");
    }
    return answered.get();
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
