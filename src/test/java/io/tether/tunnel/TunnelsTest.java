package io.tether.tunnel;

import static io.tether.tunnel.TunnelFixture.CONSOLE;
import static io.tether.tunnel.TunnelFixture.DEVICE;
import static io.tether.tunnel.TunnelFixture.QUIET;
import static io.tether.tunnel.TunnelFixture.WEB;
import static io.tether.tunnel.TunnelFixture.hello;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.tether.access.AccessChanged;
import io.tether.audit.Audit;
import io.tether.protocol.Frame;
import io.tether.protocol.FrameType;
import io.tether.protocol.LineSettings;
import io.tether.protocol.ProtocolException;
import io.tether.protocol.Reason;
import io.tether.tunnel.FakeTunnelSocket.Closed;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** All tunnels of a node: registration, replacement, duplicates, presence and audit. */
class TunnelsTest {
  private final TunnelFixture node = new TunnelFixture();
  private final List<PresenceWriter.State> presence = new CopyOnWriteArrayList<>();
  private final List<PresenceWriter.State> refreshed = new CopyOnWriteArrayList<>();
  private final List<String> duplicateWarnings = new CopyOnWriteArrayList<>();
  private final List<Audit> audit = new CopyOnWriteArrayList<>();
  private final Tunnels tunnels =
      new Tunnels(
          node.registry,
          node.metrics,
          node.budget,
          new PresenceSink() {
            @Override
            public void submit(PresenceWriter.State state) {
              presence.add(state);
            }

            @Override
            public void refresh(PresenceWriter.State state) {
              refreshed.add(state);
            }

            @Override
            public void duplicate(long deviceId, String detail) {
              duplicateWarnings.add(deviceId + ": " + detail);
            }
          },
          audit::add,
          QUIET,
          node.clock);

  @AfterEach
  void stop() {
    node.close();
  }

  /** An agent installation {@code instance} connects and is welcomed (or refused). */
  private FakeTunnelSocket connect(String instance) {
    FakeTunnelSocket agent = new FakeTunnelSocket(node.context);
    node.onContext(
        () -> {
          tunnels.accept(agent, DEVICE, TunnelFixture.ADDRESS);
          return null;
        });
    agent.receive(hello(instance, CONSOLE, WEB));
    return agent;
  }

  private FakeTunnelSocket welcomed(String instance) {
    FakeTunnelSocket agent = connect(instance);
    agent.next(FrameType.WELCOME);
    return agent;
  }

  /** A channel to {@code target} through the tunnels, opened by {@code agent}. */
  private PortalChannel open(FakeTunnelSocket agent, String target, RecordingConsumer user) {
    tunnels.open(DEVICE.deviceId(), target, Optional.empty(), user, node.context);
    int id = agent.next(FrameType.OPEN).channel();
    agent.receive(Frame.channel(FrameType.OPENED, id, Frame.EMPTY));
    return (PortalChannel) user.next(RecordingConsumer.Opened.class).channel();
  }

  private List<String> actions() {
    return audit.stream().map(a -> a.action() + " " + a.outcome() + " " + a.detail()).toList();
  }

  @Test
  void thePresenceIntervalRefreshesAnOnlineDeviceWithoutAnnouncingAChange() {
    welcomed("inst-1");
    node.settle();
    tunnels.refreshPresence();
    node.settle();

    assertEquals(1, presence.size(), "only the welcome is a change: " + presence);
    assertEquals(1, refreshed.size(), "the refresh: " + refreshed);
    assertTrue(refreshed.get(0).online());
    assertEquals(presence.get(0).generation(), refreshed.get(0).generation());
  }

  @Test
  void aWelcomedTunnelIsOnlineInPresenceAndAudited() {
    welcomed("inst-1");
    node.settle();

    assertTrue(tunnels.online(DEVICE.deviceId()));
    PresenceWriter.State online = presence.get(0);
    assertEquals(List.of(true), presence.stream().map(PresenceWriter.State::online).toList());
    assertEquals(TunnelFixture.ADDRESS, online.remoteAddress());
    assertEquals("1.0.0", online.agentVersion());
    assertEquals("inst-1", online.agentInstance());
    assertEquals(List.of("console", "web"), online.targets().stream().map(t -> t.name()).toList());
    assertEquals(List.of("tunnel.connect ok agent 1.0.0, instance inst-1"), actions());
  }

  @Test
  void aClosedTunnelGoesOfflineAndItsCloseIsAudited() {
    FakeTunnelSocket agent = welcomed("inst-1");
    agent.peerClosed(1000, "agent stopping");
    node.settle();

    assertEquals(false, tunnels.online(DEVICE.deviceId()));
    assertEquals(
        List.of(true, false), presence.stream().map(PresenceWriter.State::online).toList());
    assertEquals(
        List.of(
            "tunnel.connect ok agent 1.0.0, instance inst-1",
            "tunnel.disconnect ok 1000 agent stopping"),
        actions());
  }

  @Test
  void anOpenForAnOfflineDeviceIsRefusedDeviceOffline() {
    RecordingConsumer user = new RecordingConsumer();
    tunnels.open(DEVICE.deviceId(), "console", Optional.empty(), user, node.context);

    assertEquals(
        new Reason(Reason.DEVICE_OFFLINE, "the device is offline"),
        user.next(RecordingConsumer.Refused.class).reason());
  }

  @Test
  void aReplacedTunnelsChannelsCloseAsDeviceOfflineNamingTheReplacement() {
    FakeTunnelSocket first = welcomed("inst-1");
    RecordingConsumer user = new RecordingConsumer();
    open(first, "console", user);

    welcomed("inst-1");
    assertEquals(
        new Closed(4003, "replaced by a new connection of the same agent"), first.closed());
    assertEquals(
        new Reason(
            Reason.DEVICE_OFFLINE,
            "the device went offline (4003 replaced by a new connection of the same agent)"),
        user.next(RecordingConsumer.Closed.class).reason());
  }

  @Test
  void aReplacementTunnelStartsFreshAndStaysOnline() {
    FakeTunnelSocket first = welcomed("inst-1");
    open(first, "console", new RecordingConsumer());

    FakeTunnelSocket second = welcomed("inst-1");
    first.closed();
    RecordingConsumer user = new RecordingConsumer();
    PortalChannel channel = open(second, "console", user);
    node.settle();

    assertEquals(1, channel.id(), "channel ids start again at 1 on a new tunnel");
    assertTrue(tunnels.online(DEVICE.deviceId()));
    assertTrue(
        presence.stream().allMatch(PresenceWriter.State::online),
        "the replaced tunnel's close must not mark the device offline: " + presence);
    PresenceWriter.State last = presence.get(presence.size() - 1);
    assertEquals(
        node.registry.get(DEVICE.deviceId()).orElseThrow().generation(),
        last.generation(),
        "presence follows the new tunnel");
  }

  @Test
  void aLineForAReplacedTunnelsChannelNeverReachesTheNewChannelOne() throws ProtocolException {
    FakeTunnelSocket first = welcomed("inst-1");
    PortalChannel old = open(first, "console", new RecordingConsumer());
    FakeTunnelSocket second = welcomed("inst-1");
    first.closed();
    PortalChannel fresh = open(second, "console", new RecordingConsumer());
    assertEquals(old.id(), fresh.id(), "both tunnels number this channel 1");

    old.line(LineSettings.baud(300));
    fresh.line(LineSettings.baud(115200));

    Frame line = second.next(FrameType.LINE);
    assertEquals(
        LineSettings.baud(115200),
        LineSettings.decode(line.payload()),
        "the old channel's settings reached the new tunnel's channel " + line.channel());
    node.settle();
    assertEquals(List.of(), second.writtenSoFar());
    assertTrue(
        first.writtenSoFar().stream().noneMatch(f -> f.type() == FrameType.LINE),
        "a closed tunnel sends nothing");
  }

  @Test
  void anotherInstallationIsRefused4004WarnedAndAudited() {
    welcomed("inst-1");
    FakeTunnelSocket clone = connect("inst-2");

    assertEquals(new Closed(4004, "another agent installation holds this device"), clone.closed());
    node.settle();
    assertEquals(1, node.count("tether.tunnel.refused", "reason", "duplicate-agent"));
    assertEquals(
        List.of(
            "7: another agent installation (instance inst-2 from 203.0.113.5) tried to connect"
                + " while inst-1 is connected"),
        duplicateWarnings);
    assertEquals(
        "tunnel.refused denied duplicate agent: instance inst-2 while inst-1 holds the device",
        actions().get(1));
    assertEquals("inst-1", node.registry.get(DEVICE.deviceId()).orElseThrow().instanceId());
  }

  @Test
  void aRotatedDeviceTokenClosesTheTunnel4002WithTheReason() {
    FakeTunnelSocket agent = welcomed("inst-1");
    tunnels.onAccessChanged(
        AccessChanged.device(
            AccessChanged.Kind.DEVICE_TOKEN_ROTATED, DEVICE.deviceId(), "device token rotated"));

    assertEquals(new Closed(4002, "device token rotated"), agent.closed());
  }

  @Test
  void otherAccessChangesLeaveTheTunnelUp() {
    FakeTunnelSocket agent = welcomed("inst-1");
    tunnels.onAccessChanged(
        AccessChanged.device(AccessChanged.Kind.DEVICE_MOVED, DEVICE.deviceId(), "moved"));
    node.settle();

    agent.assertOpen();
  }

  @Test
  void shutdownTellsEveryAgentWhenToComeBack4005() {
    FakeTunnelSocket agent = welcomed("inst-1");
    tunnels.onShutdown(new ShutdownDelayInitiatedEvent());

    assertEquals(new Closed(4005, "retry-after=5"), agent.closed());
  }
}
