package io.tether.tunnel;

import static io.tether.tunnel.TunnelFixture.CONSOLE;
import static io.tether.tunnel.TunnelFixture.QUIET;
import static io.tether.tunnel.TunnelFixture.hello;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.protocol.Frame;
import io.tether.protocol.FrameType;
import io.tether.protocol.Messages;
import io.tether.protocol.ProtocolException;
import io.tether.protocol.ProtocolLimits;
import io.tether.protocol.Reason;
import io.tether.protocol.Welcome;
import io.tether.tunnel.FakeTunnelSocket.Closed;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One agent's tunnel on a fake socket: handshake, liveness and every way it closes. */
class TunnelConnectionTest {
  private static final TunnelSettings HANDSHAKE_IN_50_MS =
      new TunnelSettings(
          TunnelFixture.WINDOW,
          Duration.ofMillis(50),
          TunnelFixture.NEVER,
          TunnelFixture.NEVER,
          Duration.ofSeconds(5));

  private final TunnelFixture node = new TunnelFixture();
  private final RecordedEvents events = new RecordedEvents();

  @AfterEach
  void stop() {
    node.close();
  }

  private FakeTunnelSocket connected(TunnelSettings settings) {
    FakeTunnelSocket agent = node.start(node.node(settings, events));
    agent.receive(hello("inst-1", CONSOLE));
    agent.next(FrameType.WELCOME);
    return agent;
  }

  private TunnelConnection live() {
    return (TunnelConnection) node.registry.get(TunnelFixture.DEVICE.deviceId()).orElseThrow();
  }

  @Test
  void aValidHelloIsWelcomedWithTheNodesSettingsAndRegistered() throws ProtocolException {
    TunnelSettings settings =
        new TunnelSettings(
            TunnelFixture.WINDOW,
            TunnelFixture.NEVER,
            Duration.ofMinutes(70),
            Duration.ofMinutes(80),
            Duration.ofSeconds(5));
    FakeTunnelSocket agent = node.start(node.node(settings, events));
    agent.receive(hello("inst-1", CONSOLE));

    Welcome welcome = Welcome.decode(agent.next(FrameType.WELCOME).payload());
    assertEquals(
        new Welcome(1, TunnelFixture.WINDOW, ProtocolLimits.MAX_PAYLOAD, 4_200_000, 4_800_000, 0),
        welcome);
    node.settle();
    assertEquals(List.of("connected"), events.seen);
    assertEquals("inst-1", live().instanceId());
    agent.assertOpen();
  }

  @Test
  void aHelloOfAnotherVersionIsClosed4001NamingTheSideToUpgrade() {
    FakeTunnelSocket agent = node.start(node.node(QUIET, events));
    agent.receive(hello(2, "inst-1", CONSOLE));

    assertEquals(
        new Closed(4001, "agent speaks v2, portal v1: upgrade the portal"), agent.closed());
    node.settle();
    assertEquals(1, node.count("tether.tunnel.refused", "reason", "version"));
    assertTrue(node.registry.all().isEmpty(), "a refused tunnel is never registered");
    assertEquals(List.of(), events.seen, "a tunnel that never was welcomed reports nothing");
    assertEquals(List.of(), agent.writtenSoFar(), "nothing is sent before WELCOME");
  }

  @Test
  void aFirstFrameOtherThanHelloIsAProtocolError4000() {
    FakeTunnelSocket agent = node.start(node.node(QUIET, events));
    agent.receive(Frame.control(FrameType.PING, Messages.nonce(1)));

    assertEquals(new Closed(4000, "the first frame must be HELLO, not PING"), agent.closed());
    node.settle();
    assertEquals(1, node.count("tether.tunnel.protocol.errors"));
  }

  @Test
  void noHelloWithinTheHandshakeTimeoutIsClosed4009() {
    FakeTunnelSocket agent = node.start(node.node(HANDSHAKE_IN_50_MS, events));

    assertEquals(new Closed(4009, "no HELLO within 50 ms"), agent.closed());
    node.settle();
    assertEquals(1, node.count("tether.tunnel.refused", "reason", "handshake-timeout"));
  }

  @Test
  void aHelloBeforeTheHandshakeTimeoutIsNotClosedByIt() {
    FakeTunnelSocket agent = connected(HANDSHAKE_IN_50_MS);

    // a timer set after the handshake timer, for twice its delay, has fired: so has that one
    node.onContext(
            () -> {
              java.util.concurrent.CompletableFuture<Void> fired =
                  new java.util.concurrent.CompletableFuture<>();
              node.vertx.setTimer(100, id -> fired.complete(null));
              return fired;
            })
        .join();
    node.settle();
    agent.assertOpen();
  }

  @Test
  void aTextMessageIsAProtocolError4000() {
    FakeTunnelSocket agent = connected(QUIET);
    agent.receiveText("hello?");

    assertEquals(new Closed(4000, "text messages are not part of the protocol"), agent.closed());
  }

  @Test
  void aFrameForAChannelNeverOpenedIsAProtocolError4000() {
    FakeTunnelSocket agent = connected(QUIET);
    agent.receive(Frame.channel(FrameType.DATA, 9, new byte[] {1}));

    assertEquals(new Closed(4000, "DATA for channel 9 that was never opened"), agent.closed());
  }

  @Test
  void aPingIsAnsweredWithAPongCarryingItsNonce() throws ProtocolException {
    FakeTunnelSocket agent = connected(QUIET);
    agent.receive(Frame.control(FrameType.PING, Messages.nonce(0x1234_5678_9abcL)));

    assertEquals(0x1234_5678_9abcL, Messages.nonce(agent.next(FrameType.PONG).payload()));
  }

  private static TunnelSettings heartbeatEvery20Ms() {
    return new TunnelSettings(
        TunnelFixture.WINDOW,
        TunnelFixture.NEVER,
        Duration.ofMillis(20),
        Duration.ofSeconds(60),
        Duration.ofSeconds(5));
  }

  @Test
  void thePortalPingsAtEveryHeartbeatWithANewNonce() throws ProtocolException {
    FakeTunnelSocket agent = connected(heartbeatEvery20Ms());

    assertEquals(1, Messages.nonce(agent.next(FrameType.PING).payload()));
    assertEquals(2, Messages.nonce(agent.next(FrameType.PING).payload()));
  }

  @Test
  void silenceLongerThanDeadAfterIsClosed4006() {
    FakeTunnelSocket agent = connected(heartbeatEvery20Ms());
    agent.next(FrameType.PING);

    node.clock.advance(Duration.ofMillis(60_001));
    assertEquals(new Closed(4006, "nothing heard for 60001 ms"), agent.closed());
    node.settle();
    assertEquals(List.of("connected", "disconnected 4006 nothing heard for 60001 ms"), events.seen);
  }

  @Test
  void anyFrameFromTheAgentCountsAsAlive() {
    FakeTunnelSocket agent = connected(heartbeatEvery20Ms());
    node.clock.advance(Duration.ofSeconds(50));
    agent.receive(Frame.control(FrameType.PONG, Messages.nonce(7)));
    node.settle();
    node.clock.advance(Duration.ofSeconds(50));

    // a heartbeat tick after the second step found 50 s of silence, not 100 s
    agent.writtenSoFar();
    agent.next(FrameType.PING);
    agent.next(FrameType.PING);
    agent.assertOpen();
  }

  @Test
  void theAgentClosingTheTunnelEndsItsChannelsAsDeviceOffline() {
    FakeTunnelSocket agent = connected(QUIET);
    RecordingConsumer user = openConsole(agent);

    agent.peerClosed(1000, "agent stopping");
    assertEquals(
        new Reason(Reason.DEVICE_OFFLINE, "the device went offline (1000 agent stopping)"),
        user.next(RecordingConsumer.Closed.class).reason());
    node.settle();
    assertTrue(
        events.seen.contains("disconnected 1000 agent stopping"), () -> "events: " + events.seen);
    assertFalse(agent.isClosed(), "a socket closed by the agent gets no close frame back");
  }

  @Test
  void aSocketDroppedWithoutACloseFrameCountsAs1006() {
    FakeTunnelSocket agent = connected(QUIET);
    RecordingConsumer user = openConsole(agent);

    agent.peerClosed(null, null);
    assertEquals(
        new Reason(Reason.DEVICE_OFFLINE, "the device went offline (1006)"),
        user.next(RecordingConsumer.Closed.class).reason());
    node.settle();
    assertTrue(events.seen.contains("disconnected 1006 null"), () -> "events: " + events.seen);
  }

  @Test
  void theAgentsCloseReasonIsMadeOneSafeLine() {
    FakeTunnelSocket agent = connected(QUIET);
    agent.peerClosed(4000, "bad\nframe");
    node.settle();

    assertTrue(
        events.seen.contains("disconnected 4000 bad\uFFFDframe"), () -> "events: " + events.seen);
  }

  @Test
  void aSocketErrorClosesTheTunnel1001() {
    FakeTunnelSocket agent = connected(QUIET);
    RecordingConsumer user = openConsole(agent);
    agent.fail(new IOException("connection reset"));

    assertEquals(new Closed(1001, "socket error: connection reset"), agent.closed());
    assertEquals(
        new Reason(
            Reason.DEVICE_OFFLINE, "the device went offline (1001 socket error: connection reset)"),
        user.next(RecordingConsumer.Closed.class).reason());
  }

  @Test
  void aClosedTunnelWritesNothingMore() {
    FakeTunnelSocket agent = connected(QUIET);
    live().close(4002, "token rotated");
    assertEquals(new Closed(4002, "token rotated"), agent.closed());

    agent.receive(Frame.control(FrameType.PING, Messages.nonce(1)));
    node.settle();
    assertEquals(List.of(), agent.writtenSoFar());
  }

  @Test
  void aSecondAgentInstallationIsClosed4004AndTheFirstKeepsTheDevice() {
    FakeTunnelSocket first = connected(QUIET);
    FakeTunnelSocket second = node.start(node.node(QUIET, events));
    second.receive(hello("inst-2", CONSOLE));

    assertEquals(new Closed(4004, "another agent installation holds this device"), second.closed());
    node.settle();
    first.assertOpen();
    assertEquals("inst-1", live().instanceId());
    assertEquals(List.of("connected", "duplicate of inst-1"), events.seen);
  }

  @Test
  void theSameInstallationReconnectingClosesTheOldTunnel4003() {
    FakeTunnelSocket first = connected(QUIET);
    TunnelConnection old = live();
    FakeTunnelSocket second = connected(QUIET);

    assertEquals(
        new Closed(4003, "replaced by a new connection of the same agent"), first.closed());
    second.assertOpen();
    assertTrue(live() != old, "the registry holds the new tunnel");
  }

  /** Opens a channel to {@code console} and has the agent accept it. */
  private RecordingConsumer openConsole(FakeTunnelSocket agent) {
    RecordingConsumer user = new RecordingConsumer();
    live().open("console", Optional.empty(), user, node.context);
    int id = agent.next(FrameType.OPEN).channel();
    agent.receive(Frame.channel(FrameType.OPENED, id, Frame.EMPTY));
    user.next(RecordingConsumer.Opened.class);
    return user;
  }
}
