package io.tether.tunnel;

import static io.tether.tunnel.TunnelFixture.CONSOLE;
import static io.tether.tunnel.TunnelFixture.QUIET;
import static io.tether.tunnel.TunnelFixture.WEB;
import static io.tether.tunnel.TunnelFixture.WINDOW;
import static io.tether.tunnel.TunnelFixture.hello;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.protocol.Frame;
import io.tether.protocol.FrameType;
import io.tether.protocol.LineSettings;
import io.tether.protocol.Messages;
import io.tether.protocol.Open;
import io.tether.protocol.ProtocolException;
import io.tether.protocol.ProtocolLimits;
import io.tether.protocol.Reason;
import io.tether.tunnel.FakeTunnelSocket.Closed;
import io.tether.tunnel.RecordingConsumer.Data;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One channel on a tunnel: open, credit both ways, half-close, close and LINE. */
class PortalChannelTest {
  private final TunnelFixture node = new TunnelFixture();
  private final RecordedEvents events = new RecordedEvents();
  private final RecordingConsumer user = new RecordingConsumer();
  private FakeTunnelSocket agent;
  private TunnelConnection tunnel;

  @BeforeEach
  void connect() {
    agent = node.start(node.node(QUIET, events));
    agent.receive(hello("inst-1", CONSOLE, WEB));
    agent.next(FrameType.WELCOME);
    tunnel = (TunnelConnection) node.registry.all().iterator().next();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  /** Asks for a channel to {@code target}; returns the id of the OPEN the agent got. */
  private int requestOpen(String target) {
    tunnel.open(target, Optional.empty(), user, node.context);
    return agent.next(FrameType.OPEN).channel();
  }

  private PortalChannel open(String target) {
    int id = requestOpen(target);
    agent.receive(Frame.channel(FrameType.OPENED, id, Frame.EMPTY));
    return (PortalChannel) user.next(RecordingConsumer.Opened.class).channel();
  }

  @Test
  void anOpenNamesTheTargetAndOpenedHandsTheConsumerItsChannel() throws ProtocolException {
    tunnel.open("console", Optional.of(LineSettings.baud(9600)), user, node.context);
    Frame open = agent.next(FrameType.OPEN);
    assertEquals(1, open.channel(), "the first channel of a tunnel is 1");
    assertEquals(
        new Open("console", Optional.of(LineSettings.baud(9600))), Open.decode(open.payload()));

    agent.receive(Frame.channel(FrameType.OPENED, 1, Frame.EMPTY));
    DeviceChannel channel = user.next(RecordingConsumer.Opened.class).channel();
    assertEquals("console", channel.target());
    assertEquals(TunnelFixture.DEVICE.deviceId(), channel.deviceId());
    node.settle();
    assertEquals(1, node.gauge("tether.channels.open"));
    assertEquals(List.of("connected", "presence"), events.seen, "a serial target in use is busy");
  }

  @Test
  void channelIdsCountUpWithinATunnel() {
    assertEquals(1, requestOpen("web"));
    assertEquals(2, requestOpen("web"));
  }

  @Test
  void refusedReachesTheConsumerWithTheAgentsReasonAndItsLateFramesAreDropped() {
    int id = requestOpen("console");
    agent.receive(
        Frame.channel(FrameType.REFUSED, id, new Reason(Reason.TARGET_BUSY, "in use").encode()));

    assertEquals(
        new Reason(Reason.TARGET_BUSY, "in use"),
        user.next(RecordingConsumer.Refused.class).reason());
    agent.receive(Frame.channel(FrameType.DATA, id, new byte[] {1}));
    node.settle();
    agent.assertOpen();
    user.assertQuiet();
  }

  @Test
  void aTargetTheAgentDoesNotOfferIsRefusedWithoutAnOpen() {
    tunnel.open("modem", Optional.empty(), user, node.context);

    assertEquals(
        new Reason(Reason.UNKNOWN_TARGET, "the device offers no target 'modem'"),
        user.next(RecordingConsumer.Refused.class).reason());
    node.settle();
    assertEquals(List.of(), agent.writtenSoFar());
  }

  @Test
  void anOpenOnAClosedTunnelIsRefusedDeviceOffline() {
    tunnel.close(1000, "bye");
    agent.closed();
    tunnel.open("console", Optional.empty(), user, node.context);

    assertEquals(
        new Reason(Reason.DEVICE_OFFLINE, "the device is offline"),
        user.next(RecordingConsumer.Refused.class).reason());
  }

  @Test
  void pendingOpensBeyondTheLimitAreRefusedLimitExceeded() {
    for (int i = 0; i < ProtocolLimits.MAX_PENDING_OPENS; i++) {
      requestOpen("web");
    }
    tunnel.open("web", Optional.empty(), user, node.context);

    assertEquals(
        new Reason(Reason.LIMIT_EXCEEDED, "too many channels on this device"),
        user.next(RecordingConsumer.Refused.class).reason());
  }

  @Test
  void dataBeforeOpenedIsAProtocolError4000() {
    int id = requestOpen("console");
    agent.receive(Frame.channel(FrameType.DATA, id, new byte[] {1}));

    assertEquals(new Closed(4000, "DATA on channel 1 before it opened"), agent.closed());
    assertEquals(Reason.DEVICE_OFFLINE, user.next(RecordingConsumer.Closed.class).reason().code());
  }

  @Test
  void openedForAChannelAlreadyOpenIsAProtocolError4000() {
    open("console");
    agent.receive(Frame.channel(FrameType.OPENED, 1, Frame.EMPTY));

    assertEquals(new Closed(4000, "OPENED for channel 1 that is not opening"), agent.closed());
  }

  /** Bytes 0, 1, 2 … in buffers of 64 KiB, as a user's source would write them. */
  private static byte[] pattern(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + i / 256);
    }
    return bytes;
  }

  /** The DATA payloads written so far on {@code id}, each checked against the slice size. */
  private byte[] dataWritten(int id) {
    node.settle();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Frame f : agent.writtenSoFar()) {
      assertEquals(FrameType.DATA, f.type(), "unexpected frame " + f);
      assertEquals(id, f.channel());
      assertTrue(f.payload().length <= ProtocolLimits.DATA_SLICE, "a slice of " + f);
      out.writeBytes(f.payload());
    }
    return out.toByteArray();
  }

  @Test
  void noDataGoesBeyondTheGrantedWindowAndCreditResumesIt() {
    PortalChannel channel = open("web");
    byte[] bytes = pattern(300 * 1024);
    for (int at = 0; at < bytes.length; at += 64 * 1024) {
      int n = Math.min(64 * 1024, bytes.length - at);
      channel.write(Buffer.buffer().appendBytes(bytes, at, n));
    }

    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    sent.writeBytes(dataWritten(1));
    assertEquals(WINDOW, sent.size(), "the first window, and not a byte more");

    agent.receive(Frame.channel(FrameType.CREDIT, 1, Messages.credit(32 * 1024)));
    byte[] more = dataWritten(1);
    assertEquals(32 * 1024, more.length, "exactly the credit granted");
    sent.writeBytes(more);

    agent.receive(Frame.channel(FrameType.CREDIT, 1, Messages.credit(WINDOW)));
    sent.writeBytes(dataWritten(1));
    assertArrayEquals(bytes, sent.toByteArray(), "every byte, once, in order");
  }

  @Test
  void aFullSocketHoldsDataUntilItDrains() {
    PortalChannel channel = open("web");
    agent.writeQueueFull(true);
    channel.write(Buffer.buffer("keys"));
    assertEquals(0, dataWritten(1).length);

    agent.writeQueueFull(false);
    assertArrayEquals("keys".getBytes(), dataWritten(1));
  }

  @Test
  void aKeystrokeIsWrittenBeforeTheRemainingSlicesOfBulkChannelsQueuedBeforeIt() {
    List<PortalChannel> bulk = List.of(open("web"), open("web"), open("web"));
    for (PortalChannel b : bulk) {
      b.write(Buffer.buffer(pattern(128 * 1024))); // each has been sending: none is quiet
    }
    node.settle();
    agent.writtenSoFar();
    agent.writeQueueFull(true);
    for (PortalChannel b : bulk) {
      b.write(Buffer.buffer(pattern(64 * 1024)));
    }
    PortalChannel terminal = open("console");
    agent.writtenSoFar();
    terminal.write(Buffer.buffer("k"));
    node.settle();

    agent.writeQueueFull(false);
    node.settle();
    List<Frame> data =
        agent.writtenSoFar().stream().filter(f -> f.type() == FrameType.DATA).toList();
    assertEquals(terminal.id(), data.get(0).channel(), "the keystroke goes first");
    assertEquals(1 + 3 * 4, data.size(), "then every bulk slice, none lost");
  }

  @Test
  void aWindowOfUnsentBytesMakesTheChannelFullUntilHalfOfItIsSent() {
    PortalChannel channel = open("web");
    agent.writeQueueFull(true);
    channel.write(Buffer.buffer(pattern((int) WINDOW)));
    assertTrue(channel.writeQueueFull(), "a window waits for the device");

    agent.writeQueueFull(false);
    user.next(RecordingConsumer.Writable.class);
    assertEquals(WINDOW, dataWritten(1).length);
    assertFalse(channel.writeQueueFull());
  }

  @Test
  void creditIsGrantedOnlyForDeliveredBytesInHalfWindowBatches() throws ProtocolException {
    open("web");
    int slices = (int) (WINDOW / 2 / ProtocolLimits.DATA_SLICE);
    for (int i = 0; i < slices; i++) {
      agent.receive(Frame.channel(FrameType.DATA, 1, pattern(ProtocolLimits.DATA_SLICE)));
    }
    List<Data> received = new java.util.ArrayList<>();
    for (int i = 0; i < slices; i++) {
      received.add(user.next(Data.class));
    }
    for (Data d : received.subList(0, slices - 1)) {
      d.delivered().run();
    }
    node.settle();
    assertEquals(List.of(), agent.writtenSoFar(), "less than half a window delivered: no CREDIT");

    received.get(slices - 1).delivered().run();
    assertEquals(WINDOW / 2, Messages.credit(agent.next(FrameType.CREDIT).payload()));
  }

  @Test
  void dataBeyondTheGrantedWindowIsClosed4010() {
    open("web");
    for (long sent = 0; sent < WINDOW; sent += ProtocolLimits.DATA_SLICE) {
      agent.receive(Frame.channel(FrameType.DATA, 1, pattern(ProtocolLimits.DATA_SLICE)));
    }
    agent.receive(Frame.channel(FrameType.DATA, 1, new byte[] {1}));

    assertEquals(new Closed(4010, "DATA beyond the granted credit (1 bytes over)"), agent.closed());
  }

  @Test
  void eofFromTheAgentReachesTheConsumerAndTheChannelStillSends() {
    PortalChannel channel = open("web");
    agent.receive(Frame.channel(FrameType.EOF, 1, Frame.EMPTY));
    user.next(RecordingConsumer.Eof.class);

    channel.write(Buffer.buffer("still here"));
    assertArrayEquals("still here".getBytes(), agent.next(FrameType.DATA).payload());
  }

  @Test
  void endSendsEofAfterEveryQueuedByte() {
    PortalChannel channel = open("web");
    channel.write(Buffer.buffer("last words"));
    channel.end();

    assertArrayEquals("last words".getBytes(), agent.next(FrameType.DATA).payload());
    assertEquals(1, agent.next(FrameType.EOF).channel());
    channel.write(Buffer.buffer("too late"));
    node.settle();
    assertEquals(List.of(), agent.writtenSoFar(), "nothing after EOF");
  }

  @Test
  void closeFromTheAgentEndsTheChannelOnceAndLateFramesAreDropped() {
    open("console");
    agent.receive(Frame.channel(FrameType.CLOSE, 1, new Reason(Reason.IO_ERROR, "EIO").encode()));

    assertEquals(
        new Reason(Reason.IO_ERROR, "EIO"), user.next(RecordingConsumer.Closed.class).reason());
    agent.receive(Frame.channel(FrameType.DATA, 1, new byte[] {1}));
    agent.receive(Frame.channel(FrameType.CLOSE, 1, new Reason(Reason.NORMAL, "").encode()));
    node.settle();
    agent.assertOpen();
    user.assertQuiet();
    assertEquals(0, node.gauge("tether.channels.open"));
    assertEquals(List.of("connected", "presence", "presence"), events.seen, "busy, then free");
  }

  @Test
  void closeFromThePortalSendsCloseWithItsReason() throws ProtocolException {
    PortalChannel channel = open("web");
    Reason revoked = new Reason(Reason.ACCESS_REVOKED, "access was revoked");
    channel.close(revoked);

    assertEquals(revoked, Reason.decode(agent.next(FrameType.CLOSE).payload(), "CLOSE"));
    assertEquals(revoked, user.next(RecordingConsumer.Closed.class).reason());
  }

  @Test
  void lineGoesOutOnTheChannelsOwnId() throws ProtocolException {
    open("web");
    PortalChannel console = open("console");
    console.line(LineSettings.baud(19200));

    Frame line = agent.next(FrameType.LINE);
    assertEquals(2, line.channel());
    assertEquals(LineSettings.baud(19200), LineSettings.decode(line.payload()));
  }

  @Test
  void lineOnAClosedChannelIsDropped() {
    PortalChannel console = open("console");
    console.close(new Reason(Reason.NORMAL, ""));
    agent.next(FrameType.CLOSE);

    console.line(LineSettings.baud(19200));
    node.settle();
    assertEquals(List.of(), agent.writtenSoFar());
  }
}
