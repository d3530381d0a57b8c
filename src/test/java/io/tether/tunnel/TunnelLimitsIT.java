package io.tether.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.tether.protocol.Frame;
import io.tether.protocol.FrameType;
import io.tether.protocol.ProtocolLimits;
import io.tether.protocol.Reason;
import io.tether.testing.Await;
import io.tether.testing.CliProcess;
import io.tether.testing.PortalClient;
import io.tether.testing.PortalProcess;
import io.tether.testing.Portals;
import io.tether.testing.RawTunnel;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The portal bounds what a slow agent can make it queue: at most {@link
 * ProtocolLimits#MAX_PENDING_OPENS} OPENs await an answer; the next open is refused at once with
 * limit-exceeded, and room comes back as soon as an OPEN is answered.
 */
class TunnelLimitsIT {
  private static final Duration STEP = Duration.ofSeconds(15);

  @Test
  void opensBeyondThePendingLimitAreRefusedUntilTheAgentAnswers() throws Exception {
    try (PortalProcess portal = Portals.start("tunnel-limits", Map.of())) {
      PortalClient api = PortalClient.admin(portal);
      PortalClient.NewDevice device = api.createDevice();
      URI tunnel = URI.create("ws://127.0.0.1:" + portal.httpPort() + "/tunnel");
      // an agent that never answers OPEN: every open stays pending
      RawTunnel agent =
          RawTunnel.connect(
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
}
