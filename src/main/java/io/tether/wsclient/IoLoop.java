package io.tether.wsclient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The one selector thread of a client process ({@value #THREAD_NAME}, a daemon): connects, TLS and
 * HTTP handshakes, every read, and the writes a sender could not finish itself. Tasks and timers
 * run on it too; nothing on it blocks.
 */
final class IoLoop implements Runnable {
  static final String THREAD_NAME = "tether-ws";

  /** What a registered channel's key is attached to. */
  interface Attachment {
    /** The key has ready operations; must not throw. */
    void ready(SelectionKey key);
  }

  /** A scheduled task; cancelling drops the task (and what it holds) at once. */
  static final class Timer {
    private final long at;
    private volatile Runnable task;

    private Timer(long at, Runnable task) {
      this.at = at;
      this.task = task;
    }

    void cancel() {
      task = null;
    }
  }

  private static IoLoop instance;

  private final Selector selector;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final PriorityQueue<Timer> timers =
      new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));

  private IoLoop() throws IOException {
    selector = Selector.open();
    thread = new Thread(this, THREAD_NAME);
    thread.setDaemon(true);
    thread.start();
  }

  static synchronized IoLoop get() {
    if (instance == null) {
      try {
        instance = new IoLoop();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open a selector", e);
      }
    }
    return instance;
  }

  Selector selector() {
    return selector;
  }

  boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /** Runs {@code task} on the loop thread, soon. */
  void execute(Runnable task) {
    tasks.add(task);
    if (!inLoop()) {
      selector.wakeup();
    }
  }

  /** Runs {@code task} on the loop thread after {@code delay}, unless cancelled before. */
  Timer schedule(Duration delay, Runnable task) {
    Timer timer = new Timer(System.nanoTime() + delay.toNanos(), task);
    execute(() -> timers.add(timer));
    return timer;
  }

  /** Makes an interest change made from another thread take effect now. */
  void wakeup() {
    if (!inLoop()) {
      selector.wakeup();
    }
  }

  @Override
  public void run() {
    while (true) {
      try {
        runTasks();
        long wait = runTimers();
        selector.select(key -> ((Attachment) key.attachment()).ready(key), wait);
      } catch (IOException | RuntimeException e) {
        // a bug in one connection's code must not stop every connection of the process
        System.err.println("tether-ws: " + e);
      }
    }
  }

  private void runTasks() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      task.run();
    }
  }

  /** Runs the due timers; the milliseconds until the next one (0: none, select blocks). */
  private long runTimers() {
    while (!timers.isEmpty()) {
      long left = timers.peek().at - System.nanoTime();
      if (left > 0) {
        return Math.max(1, left / 1_000_000);
      }
      Runnable task = timers.poll().task;
      if (task != null) {
        task.run();
      }
    }
    return 0;
  }
}
