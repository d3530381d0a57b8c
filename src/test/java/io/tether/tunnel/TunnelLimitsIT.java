package io.tether.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.protocol.Frame;
import io.tether.protocol.FrameType;
import io.tether.protocol.ProtocolLimits;
import io.tether.protocol.ProtocolVersion;
import io.tether.protocol.Reason;
import io.tether.testing.Await;
import io.tether.testing.CliProcess;
import io.tether.testing.PortalClient;
import io.tether.testing.PortalFixture;
import io.tether.testing.ScriptedAgent;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an agent can make the portal hold or write. A slow agent: at most {@link
 * ProtocolLimits#MAX_PENDING_OPENS} OPENs await an answer; the next open is refused at once with
 * limit-exceeded, and room comes back as soon as an OPEN is answered. Device-supplied text: HELLO
 * strings with control characters or longer than their columns are refused, and a close reason
 * reaches the audit trail and the log as one line.
 */
class TunnelLimitsIT {
  private static final Duration STEP = Duration.ofSeconds(15);

  @RegisterExtension static final PortalFixture portal = PortalFixture.start("tunnel-limits");

  @Test
  void opensBeyondThePendingLimitAreRefusedUntilTheAgentAnswers() throws Exception {
    {
      PortalClient api = PortalClient.admin(portal.process());
      PortalClient.NewDevice device = api.createDevice();
      URI tunnel = URI.create(portal.tunnelUrl());
      // an agent that never answers OPEN: every open stays pending
      ScriptedAgent agent =
          ScriptedAgent.connect(
                  HttpClient.newHttpClient(),
                  tunnel,
                  device.token(),
                  UUID.randomUUID().toString(),
                  "echo")
              .get(STEP.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(agent.welcome().get(STEP.toMillis(), TimeUnit.MILLISECONDS));
      Await.until("the device to be online", STEP, () -> api.online(device.id()));
      List<Socket> sockets = new ArrayList<>();
      try (CliProcess cli =
          CliProcess.forward(device.name(), "echo", portal.baseUrl(), api.createApiToken())) {
        List<Frame> opens = new ArrayList<>();
        for (int i = 0; i < ProtocolLimits.MAX_PENDING_OPENS; i++) {
          sockets.add(cli.connect());
          Frame open = agent.nextFrame(STEP);
          assertNotNull(open, "OPEN " + (i + 1) + " did not reach the agent");
          assertEquals(FrameType.OPEN, open.type());
          opens.add(open);
        }
        Socket overLimit = cli.connect();
        sockets.add(overLimit);
        overLimit.setSoTimeout((int) STEP.toMillis());
        assertEquals(
            -1, overLimit.getInputStream().read(), "the open past the limit must be refused");
        Await.until(
            "the CLI to log the refusal",
            STEP,
            () -> cli.log().contains("refused: limit-exceeded"));

        agent.send(
            Frame.channel(
                FrameType.REFUSED,
                opens.get(0).channel(),
                new Reason(Reason.TARGET_UNAVAILABLE, "answered by the test").encode()));
        sockets.add(cli.connect());
        Frame again = agent.nextFrame(STEP);
        assertNotNull(again, "after one answer there is room for one more OPEN");
        assertEquals(FrameType.OPEN, again.type());
      } finally {
        for (Socket s : sockets) {
          s.close();
        }
        agent.abort();
      }
    }
  }

  @Test
  void helloWithAControlCharacterOrAVersionLongerThanItsColumnIsClosed4000NamingTheField()
      throws Exception {
    PortalClient api = PortalClient.admin(portal.process());
    PortalClient.NewDevice device = api.createDevice();
    Map<String, String> refusals =
        Map.of(
            "1.0\u0000",
            "HELLO: agent version contains control character U+0000 at 3",
            "1.0\n2026-12-04 INFO forged",
            "HELLO: agent version contains control character U+000A at 3",
            "v".repeat(65),
            "HELLO: agent version of 65 bytes exceeds 64");
    for (Map.Entry<String, String> r : refusals.entrySet()) {
      ScriptedAgent agent = connect(device, r.getKey());
      assertEquals(
          4000,
          agent.closed().get(STEP.toMillis(), TimeUnit.MILLISECONDS),
          "close code for agent version " + r.getKey());
      assertEquals(r.getValue(), agent.closeReason());
    }
    assertFalse(api.online(device.id()), "a refused HELLO left the device online");
    ScriptedAgent fits = connect(device, "v".repeat(64));
    assertNotNull(fits.welcome().get(STEP.toMillis(), TimeUnit.MILLISECONDS));
    Await.until("a 64-byte agent version to be online", STEP, () -> api.online(device.id()));
    assertEquals("v".repeat(64), api.device(device.id()).path("agentVersion").asText());
    fits.abort();
  }

  @Test
  void aDeviceCloseReasonReachesTheAuditTrailAndTheLogAsOneLine() throws Exception {
    PortalClient api = PortalClient.admin(portal.process());
    PortalClient.NewDevice device = api.createDevice();
    ScriptedAgent agent = connect(device, "1.0.0");
    assertNotNull(agent.welcome().get(STEP.toMillis(), TimeUnit.MILLISECONDS));
    Await.until("the device to be online", STEP, () -> api.online(device.id()));
    agent.close(1000, "bye\u0000\n2026-12-04 00:00:00,000 INFO  [io.tether] forged line");
    Await.until("the device to be offline", STEP, () -> !api.online(device.id()));
    Await.until("a tunnel.disconnect audit entry", STEP, () -> disconnects(api, device).size() > 0);
    String detail = disconnects(api, device).get(0).path("detail").asText();
    assertTrue(detail.startsWith("1000 bye"), detail);
    assertFalse(detail.contains("\n") || detail.contains("\u0000"), "not one line: " + detail);
    assertFalse(
        portal.process().log().lines().anyMatch(l -> l.startsWith("2026-12-04 00:00:00,000")),
        "the close reason forged a portal log line");
  }

  /** A tunnel whose HELLO offers no targets, written by hand: the encoder refuses bad versions. */
  private static ScriptedAgent connect(PortalClient.NewDevice device, String agentVersion)
      throws Exception {
    byte[] version = agentVersion.getBytes(StandardCharsets.UTF_8);
    byte[] instance = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
    byte[] hello =
        ByteBuffer.allocate(8 + version.length + instance.length)
            .putShort((short) ProtocolVersion.CURRENT)
            .putShort((short) version.length)
            .put(version)
            .putShort((short) instance.length)
            .put(instance)
            .putShort((short) 0)
            .array();
    return ScriptedAgent.connect(
            HttpClient.newHttpClient(), URI.create(portal.tunnelUrl()), device.token(), hello)
        .get(STEP.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static List<JsonNode> disconnects(PortalClient api, PortalClient.NewDevice device) {
    List<JsonNode> found = new ArrayList<>();
    api.expect(200, "GET", "/api/audit?action=tunnel.disconnect&device=" + device.id(), null)
        .path("items")
        .forEach(found::add);
    return found;
  }
}
