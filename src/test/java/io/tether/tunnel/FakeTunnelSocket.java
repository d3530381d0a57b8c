package io.tether.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.protocol.Frame;
import io.tether.protocol.FrameCodec;
import io.tether.protocol.FrameType;
import io.tether.protocol.ProtocolException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The agent's end of a tunnel in a unit test: frames fed in as if the agent sent them, frames the
 * portal wrote read back decoded, a write queue that can be made full, and the close it received.
 */
final class FakeTunnelSocket implements TunnelSocket {
  /** How long a test waits for something the tunnel does on its event loop. */
  static final long WAIT_SECONDS = 5;

  /** A close frame the portal sent. */
  record Closed(int code, String reason) {}

  private final Context context;
  private final BlockingQueue<Frame> written = new LinkedBlockingQueue<>();
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private final CompletableFuture<Listener> listening = new CompletableFuture<>();
  private boolean full;
  private Runnable drained;

  FakeTunnelSocket(Context context) {
    this.context = context;
  }

  // --- the tunnel's side ---

  @Override
  public void listen(Listener listener) {
    listening.complete(listener);
  }

  @Override
  public void write(Buffer frame) {
    try {
      written.add(FrameCodec.decode(frame.getBytes()));
    } catch (ProtocolException e) {
      throw new AssertionError("the portal wrote a frame that does not decode", e);
    }
  }

  @Override
  public boolean writeQueueFull() {
    return full;
  }

  @Override
  public void onDrain(Runnable drained) {
    this.drained = drained;
  }

  @Override
  public Future<Void> close(int code, String reason) {
    closed.complete(new Closed(code, reason));
    return Future.succeededFuture();
  }

  // --- the test's side ---

  /** The agent sends a frame. */
  void receive(Frame frame) {
    deliver(l -> l.onBinary(Buffer.buffer(FrameCodec.encode(frame))));
  }

  void receiveText(String text) {
    deliver(l -> l.onText(text));
  }

  /** The socket closed under the tunnel: the agent's close frame, or none ({@code code} null). */
  void peerClosed(Integer code, String reason) {
    deliver(l -> l.onClosed(code, reason));
  }

  void fail(Throwable error) {
    deliver(l -> l.onError(error));
  }

  private void deliver(java.util.function.Consumer<Listener> event) {
    Listener listener = listening.join();
    context.runOnContext(v -> event.accept(listener));
  }

  /**
   * Makes the write queue full, or drains it (the tunnel's drain handler runs). Done on the
   * tunnel's event loop, as Vert.x does, so the tunnel cannot check the queue, then miss the drain.
   */
  void writeQueueFull(boolean full) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          this.full = full;
          Runnable d = drained;
          if (!full && d != null) {
            d.run();
          }
          done.complete(null);
        });
    done.orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
  }

  /** The next frame the portal wrote, waiting for it. */
  Frame next() {
    try {
      Frame f = written.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(f, "the portal wrote no frame within " + WAIT_SECONDS + " s");
      return f;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** The next frame, which must be of {@code type}. */
  Frame next(FrameType type) {
    Frame f = next();
    assertEquals(type, f.type(), "next frame written: " + f);
    return f;
  }

  /** Every frame written so far and not yet read; call after {@link TunnelFixture#settle()}. */
  List<Frame> writtenSoFar() {
    List<Frame> all = new ArrayList<>();
    written.drainTo(all);
    return all;
  }

  /** The close frame the portal sent, waiting for it. */
  Closed closed() {
    try {
      return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the portal did not close the tunnel", e);
    }
  }

  boolean isClosed() {
    return closed.isDone();
  }

  void assertOpen() {
    assertTrue(!closed.isDone(), () -> "the tunnel was closed: " + closed.join());
  }
}
