package io.tether.wsclient;

import io.tether.protocol.Frame;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A socket handler that keeps what it heard. */
final class Recorder implements FrameSocket.Handler {
  final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  final CompletableFuture<String> closed = new CompletableFuture<>();
  final AtomicInteger closedCalls = new AtomicInteger();

  @Override
  public void onFrame(Frame frame) {
    frames.add(frame);
  }

  @Override
  public void onClosed(int code, String reason) {
    closedCalls.incrementAndGet();
    closed.complete(code + " " + reason);
  }

  Frame next() throws InterruptedException {
    Frame f = frames.poll(10, TimeUnit.SECONDS);
    if (f == null) {
      throw new AssertionError("no frame within 10 s");
    }
    return f;
  }

  String awaitClosed() throws Exception {
    return closed.get(10, TimeUnit.SECONDS);
  }
}
