package io.tether.tunnel;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.protocol.Reason;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The user side of a channel in a unit test: every callback recorded in order. */
final class RecordingConsumer implements ChannelConsumer {
  /** A callback the channel made. */
  sealed interface Event {}

  record Opened(DeviceChannel channel) implements Event {}

  record Refused(Reason reason) implements Event {}

  /** Bytes from the device; {@code delivered} grants credit for them, as a finished write does. */
  record Data(Buffer data, Runnable delivered) implements Event {}

  record Eof() implements Event {}

  record Closed(Reason reason) implements Event {}

  record Writable() implements Event {}

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

  @Override
  public void onOpened(DeviceChannel channel) {
    events.add(new Opened(channel));
  }

  @Override
  public void onRefused(Reason reason) {
    events.add(new Refused(reason));
  }

  @Override
  public void onData(Buffer data, Runnable delivered) {
    events.add(new Data(data, delivered));
  }

  @Override
  public void onEof() {
    events.add(new Eof());
  }

  @Override
  public void onClosed(Reason reason) {
    events.add(new Closed(reason));
  }

  @Override
  public void onWritable() {
    events.add(new Writable());
  }

  /** The next callback, which must be of {@code type}, waiting for it. */
  <T extends Event> T next(Class<T> type) {
    try {
      Event e = events.poll(FakeTunnelSocket.WAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(e, "no " + type.getSimpleName() + " within " + FakeTunnelSocket.WAIT_SECONDS);
      return assertInstanceOf(type, e, "the consumer heard " + e);
    } catch (InterruptedException x) {
      throw new AssertionError(x);
    }
  }

  /** Nothing more was heard; call after {@link TunnelFixture#settle()}. */
  void assertQuiet() {
    Event e = events.peek();
    assertTrue(e == null, () -> "the consumer heard " + e);
  }
}
