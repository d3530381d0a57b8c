package io.tether.wsclient;

import java.util.ArrayDeque;

/** The default {@link Outbox}: frames go out in the order they were sent. */
final class FifoOutbox implements Outbox {
  private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
  private long bytes;

  @Override
  public void add(byte[] encodedFrame) {
    frames.addLast(encodedFrame);
    bytes += encodedFrame.length;
  }

  @Override
  public byte[] poll() {
    byte[] next = frames.pollFirst();
    if (next != null) {
      bytes -= next.length;
    }
    return next;
  }

  @Override
  public boolean isEmpty() {
    return frames.isEmpty();
  }

  @Override
  public long bytes() {
    return bytes;
  }

  @Override
  public void clear() {
    frames.clear();
    bytes = 0;
  }
}
