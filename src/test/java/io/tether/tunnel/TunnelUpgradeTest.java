package io.tether.tunnel;

import static io.tether.tunnel.TunnelFixture.CONSOLE;
import static io.tether.tunnel.TunnelFixture.QUIET;
import static io.tether.tunnel.TunnelFixture.hello;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.protocol.AgentUpgrade;
import io.tether.protocol.Frame;
import io.tether.protocol.FrameType;
import io.tether.tunnel.FakeTunnelSocket.Closed;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** UPGRADE goes only to agents that offered the capability; UPGRADE_FAILED only answers one. */
class TunnelUpgradeTest {
  private static final AgentUpgrade OFFER =
      new AgentUpgrade("0.2.0", 1234, new byte[32], new byte[64]);

  private final TunnelFixture node = new TunnelFixture();
  private final RecordedEvents events = new RecordedEvents();

  @AfterEach
  void stop() {
    node.close();
  }

  private FakeTunnelSocket welcomed(boolean upgradable) {
    FakeTunnelSocket agent = node.start(node.node(QUIET, events), upgradable);
    agent.receive(hello("inst-1", CONSOLE));
    agent.next(FrameType.WELCOME);
    return agent;
  }

  private LiveTunnel tunnel() {
    return node.registry.get(TunnelFixture.DEVICE.deviceId()).orElseThrow();
  }

  @Test
  void anAgentThatOfferedTheCapabilityGetsTheUpgrade() throws Exception {
    FakeTunnelSocket agent = welcomed(true);
    assertTrue(tunnel().upgradable());
    assertTrue(tunnel().offerUpgrade(OFFER));
    AgentUpgrade sent = AgentUpgrade.decode(agent.next(FrameType.UPGRADE).payload());
    assertEquals("0.2.0", sent.version());
    assertArrayEquals(OFFER.signature(), sent.signature());

    agent.receive(Frame.control(FrameType.UPGRADE_FAILED, AgentUpgrade.failed("no key")));
    node.settle();
    assertTrue(events.seen.contains("upgrade failed: no key"), events.seen.toString());
  }

  @Test
  void aV1AgentIsNeverSentAnUpgrade() {
    FakeTunnelSocket agent = welcomed(false);
    assertFalse(tunnel().upgradable());
    assertFalse(tunnel().offerUpgrade(OFFER));
    node.settle();
    assertEquals(
        List.of(),
        agent.writtenSoFar().stream()
            .map(Frame::type)
            .filter(t -> t == FrameType.UPGRADE)
            .toList());
  }

  @Test
  void rejectsUpgradeFailedWithoutAnUpgradeToAnswer() {
    // an agent sending answers nobody asked for would make the portal write and audit at will
    FakeTunnelSocket agent = welcomed(true);
    agent.receive(Frame.control(FrameType.UPGRADE_FAILED, AgentUpgrade.failed("spam")));
    assertEquals(new Closed(4000, "UPGRADE_FAILED without an UPGRADE to answer"), agent.closed());
    assertFalse(events.seen.stream().anyMatch(e -> e.startsWith("upgrade failed")));
  }

  @Test
  void rejectsASecondAnswerToOneUpgrade() {
    FakeTunnelSocket agent = welcomed(true);
    tunnel().offerUpgrade(OFFER);
    agent.next(FrameType.UPGRADE);
    agent.receive(Frame.control(FrameType.UPGRADE_FAILED, AgentUpgrade.failed("one")));
    agent.receive(Frame.control(FrameType.UPGRADE_FAILED, AgentUpgrade.failed("two")));
    assertEquals(new Closed(4000, "UPGRADE_FAILED without an UPGRADE to answer"), agent.closed());
  }
}
