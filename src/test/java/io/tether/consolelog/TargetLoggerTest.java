package io.tether.consolelog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.protocol.LineSettings;
import io.tether.protocol.Reason;
import io.tether.testing.FakeDeviceChannel;
import io.tether.tunnel.ChannelConsumer;
import io.tether.tunnel.DeviceChannel;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The logger's rules, with a fake channel and store, every call on the logger's context. */
class TargetLoggerTest {
  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final List<LogChunk> stored = new ArrayList<>();
  private boolean storeHasRoom = true;
  private final FakeDeviceChannel channel = new FakeDeviceChannel();
  private final AtomicInteger opens = new AtomicInteger();
  private final TargetLogger logger =
      new TargetLogger(
          7,
          "console",
          context,
          (consumer, ctx) -> {
            opens.incrementAndGet();
            ctx.runOnContext(v -> consumer.onOpened(channel));
          },
          (chunk, marker) -> {
            if (storeHasRoom) {
              stored.add(chunk);
            }
            return storeHasRoom;
          },
          Clock.systemUTC());

  @AfterEach
  void close() {
    vertx.close();
  }

  private <T> T on(Supplier<T> action) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    context.runOnContext(v -> f.complete(action.get()));
    return f.get(5, TimeUnit.SECONDS);
  }

  private void on(Runnable action) throws Exception {
    on(
        () -> {
          action.run();
          return null;
        });
  }

  private void settle() throws Exception {
    on(() -> {}); // what was queued on the context before has run
    on(() -> {});
  }

  private List<String> notes() {
    List<String> notes = new ArrayList<>();
    for (LogChunk c : stored) {
      if (c.data() == null) {
        notes.add(c.note() == null ? "dropped " + c.dropped() : c.note());
      }
    }
    return notes;
  }

  @Test
  void withNobodyConnectedEveryFrameIsAcknowledgedAtOnceAndLogged() throws Exception {
    on(logger::start);
    settle();
    AtomicInteger acks = new AtomicInteger();
    on(() -> logger.onData(Buffer.buffer("hello\r\n"), acks::incrementAndGet));
    on(logger::flush);
    assertEquals(1, acks.get(), "the log never gates the device's pace");
    assertEquals("hello\r\n", new String(stored.get(stored.size() - 1).data()));
    assertEquals(List.of("logging started"), notes());
  }

  @Test
  void aStoreWithoutRoomDropsBytesIntoAMarkedGapWithoutHoldingTheDevice() throws Exception {
    on(logger::start);
    settle();
    storeHasRoom = false;
    AtomicInteger acks = new AtomicInteger();
    on(() -> logger.onData(Buffer.buffer(new byte[1000]), acks::incrementAndGet));
    on(logger::flush);
    assertEquals(1, acks.get());
    storeHasRoom = true;
    on(logger::flush); // the device fell silent: the loss is still put on record
    assertEquals(List.of("logging started", "dropped 1000"), notes());
  }

  @Test
  void aBorrowingSessionPacesTheDeviceAndGivingTheChannelBackKeepsItOpen() throws Exception {
    on(logger::start);
    settle();
    Borrower session = new Borrower();
    on(() -> logger.lend(session, context));
    settle();
    assertNotNull(session.lent, "the session got the logger's channel");
    List<Runnable> delivered = new ArrayList<>();
    AtomicInteger acks = new AtomicInteger();
    session.onDataHook = delivered::add;
    on(() -> logger.onData(Buffer.buffer("x"), acks::incrementAndGet));
    settle();
    assertEquals(0, acks.get(), "credit waits for the session's delivery");
    on(() -> delivered.get(0).run());
    settle();
    assertEquals(1, acks.get());

    on(() -> logger.onData(Buffer.buffer("y"), acks::incrementAndGet));
    settle();
    session.lent.line(new LineSettings(LineSettings.BAUD, 9600, 8, 0, 1, 0, false, false, 0));
    session.lent.close(new Reason(Reason.PEER_CLOSED, "session ended"));
    settle();
    assertEquals(2, acks.get(), "what the session still owed is acknowledged when it gives back");
    assertNull(channel.closedWith, "the target stays open for the log");
    assertEquals(1, channel.lines.size(), "the session's serial settings reached the device");
    assertEquals(1, opens.get(), "one open for the log and the session together");
  }

  @Test
  void aSecondBorrowerIsRefusedBusy() throws Exception {
    on(logger::start);
    settle();
    Borrower first = new Borrower();
    Borrower second = new Borrower();
    on(() -> logger.lend(first, context));
    on(() -> logger.lend(second, context));
    settle();
    assertNotNull(first.lent);
    assertEquals(Reason.TARGET_BUSY, second.refused.code());
  }

  @Test
  void stoppingWhileASessionBorrowsLetsItFinishThenCloses() throws Exception {
    on(logger::start);
    settle();
    Borrower session = new Borrower();
    on(() -> logger.lend(session, context));
    settle();
    on(() -> logger.stop("turned off"));
    settle();
    assertNull(channel.closedWith, "the session keeps the channel");
    session.lent.close(new Reason(Reason.PEER_CLOSED, "done"));
    settle();
    assertNotNull(channel.closedWith, "then the channel closes");
    assertTrue(notes().contains("logging stopped: turned off"), notes().toString());
  }

  @Test
  void aDeviceGoingOfflineEndsTheBorrowingSessionAndMarksTheLog() throws Exception {
    on(logger::start);
    settle();
    Borrower session = new Borrower();
    on(() -> logger.lend(session, context));
    settle();
    on(() -> logger.onClosed(new Reason(Reason.DEVICE_OFFLINE, "the device is offline")));
    settle();
    assertEquals(Reason.DEVICE_OFFLINE, session.closed.code());
    assertTrue(notes().contains("logging stopped: the device is offline"), notes().toString());
    assertFalse(on(() -> logger.state() == TargetLogger.State.OPEN));
  }

  private static final class Borrower implements ChannelConsumer {
    DeviceChannel lent;
    Reason refused;
    Reason closed;
    java.util.function.Consumer<Runnable> onDataHook = Runnable::run;

    @Override
    public void onOpened(DeviceChannel channel) {
      lent = channel;
    }

    @Override
    public void onRefused(Reason reason) {
      refused = reason;
    }

    @Override
    public void onData(Buffer data, Runnable delivered) {
      onDataHook.accept(delivered);
    }

    @Override
    public void onEof() {}

    @Override
    public void onClosed(Reason reason) {
      closed = reason;
    }

    @Override
    public void onWritable() {}
  }
}
