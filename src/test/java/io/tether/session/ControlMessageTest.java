package io.tether.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tether.session.ControlMessage.ResetWhy;
import io.tether.session.ControlMessage.State;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire form of each control message the portal sends a browser (docs/api.md). */
class ControlMessageTest {
  private static void assertWire(String json, ControlMessage message) {
    assertEquals(json, message.json().encode());
  }

  @Test
  void aTerminalStatusNamesTheStateAndTargetAndADetailOnlyWhenThereIsOne() {
    assertWire(
        "{\"type\":\"status\",\"state\":\"connecting\",\"target\":\"console\"}",
        new ControlMessage.Status(State.CONNECTING, "console", null));
    assertWire(
        "{\"type\":\"status\",\"state\":\"offline\",\"target\":\"console\",\"detail\":\"gone\"}",
        new ControlMessage.Status(State.OFFLINE, "console", "gone"));
  }

  @Test
  void theSessionMessageListsParticipantsThenWatchersWithStringIds() {
    assertWire(
        "{\"type\":\"session\",\"id\":null,\"you\":1,\"role\":\"controller\",\"mayControl\":true,"
            + "\"controller\":\"alice\",\"participants\":["
            + "{\"id\":1,\"username\":\"alice\",\"role\":\"controller\",\"mayControl\":true,"
            + "\"via\":\"browser\"},"
            + "{\"id\":\"w3\",\"username\":\"carol\",\"role\":\"watcher\",\"mayControl\":false,"
            + "\"via\":\"flow\"}],\"recording\":\"off\"}",
        new ControlMessage.Session(
            null,
            1,
            "controller",
            true,
            "alice",
            List.of(
                ControlMessage.Member.participant(1, "alice", "controller", true, "browser"),
                ControlMessage.Member.watcher(3, "carol", "flow")),
            "off"));
  }

  @Test
  void theTerminalsOtherMessagesKeepTheirWireForm() {
    assertWire(
        "{\"type\":\"reset\",\"why\":\"resync\"}", new ControlMessage.Reset(ResetWhy.RESYNC));
    assertWire("{\"type\":\"lagging\"}", new ControlMessage.Lagging());
    assertWire(
        "{\"type\":\"input-refused\",\"detail\":\"observing\"}",
        new ControlMessage.InputRefused("observing"));
    assertWire("{\"type\":\"error\",\"detail\":\"bad\"}", new ControlMessage.Error("bad"));
    assertWire("{\"type\":\"line-sent\"}", new ControlMessage.LineSent());
    assertWire(
        "{\"type\":\"resized\",\"cols\":80,\"rows\":24}", new ControlMessage.Resized(80, 24));
    assertWire(
        "{\"type\":\"expiring\",\"at\":\"2026-12-04T10:00:00Z\"}",
        new ControlMessage.Expiring(Instant.parse("2026-12-04T10:00:00Z")));
    assertWire(
        "{\"type\":\"closed\",\"code\":\"access-revoked\",\"reason\":\"access-revoked: gone\"}",
        new ControlMessage.Closed("access-revoked", "access-revoked: gone"));
  }

  @Test
  void theDataFlowsMessagesKeepTheirWireForm() {
    assertWire(
        "{\"type\":\"watching\",\"input\":false,\"group\":\"default\"}",
        new ControlMessage.Watching(false, "default"));
    assertWire(
        "{\"type\":\"status\",\"state\":\"idle\",\"session\":null}",
        new ControlMessage.FlowStatus(null));
    assertWire(
        "{\"type\":\"status\",\"state\":\"live\",\"session\":41}",
        new ControlMessage.FlowStatus(41L));
    assertWire("{\"type\":\"skipped\",\"bytes\":512}", new ControlMessage.Skipped(512));
  }

  /** What a relayed SSH shell acts on reads back as the message its node sent. */
  @Test
  void theMessagesARelayedParticipantActsOnReadBackFromTheirWireForm() {
    List<ControlMessage> sent =
        List.of(
            new ControlMessage.Status(State.OFFLINE, "console", "gone"),
            new ControlMessage.Status(State.LIVE, "console", null),
            new ControlMessage.Session(7L, 2, "observer", true, "alice", List.of(), "output"),
            new ControlMessage.InputRefused("you are observing"),
            new ControlMessage.Error("serial settings apply to serial targets only"),
            new ControlMessage.LineSent(),
            new ControlMessage.Closed("access-revoked", "access-revoked: user disabled"));
    for (ControlMessage m : sent) {
      assertEquals(java.util.Optional.of(m), ControlMessage.read(m.json()), m.json()::encode);
    }
    assertEquals(
        java.util.Optional.empty(),
        ControlMessage.read(new ControlMessage.Reset(ResetWhy.JOIN).json()),
        "a screen reset is the browser's business");
    assertEquals(
        java.util.Optional.empty(),
        ControlMessage.read(new io.vertx.core.json.JsonObject().put("type", "status")),
        "a status without a known state");
  }
}
