package io.tether.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.Build;
import io.tether.testing.PortalClient;
import io.tether.testing.PortalProcess;
import io.tether.testing.Portals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A USB serial adapter unplugged and plugged back: the serial device node disappears and comes back
 * (played by socat creating a PTY under a fixed link name). The agent reports the target missing,
 * reopens it by itself, and reports it ok again — without restarting or reconnecting.
 */
class SerialReplugIT {
  /** The agent looks for a missing port every 2 s; presence reaches the database right after. */
  private static final Duration STATUS_CHANGE = Duration.ofSeconds(15);

  private static Process serialDevice(Path link) {
    try {
      Process socat =
          new ProcessBuilder("socat", "pty,raw,echo=0,link=" + link, "pty,raw,echo=0")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      Await.until("socat to create " + link, Duration.ofSeconds(10), () -> Files.exists(link));
      return socat;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start socat", e);
    }
  }

  private static void unplug(Process socat, Path link) throws InterruptedException {
    socat.destroy();
    socat.waitFor(5, TimeUnit.SECONDS);
    Await.until(link + " to disappear", Duration.ofSeconds(5), () -> !Files.exists(link));
  }

  private static String consoleStatus(PortalClient api, long deviceId) {
    JsonNode targets = api.device(deviceId).path("targets");
    for (JsonNode t : targets) {
      if (t.path("name").asText().equals("console")) {
        return t.path("status").asText();
      }
    }
    return "absent";
  }

  @Test
  void anUnpluggedSerialPortIsReportedMissingAndReopenedWhenItComesBack() throws Exception {
    Path link = Build.workDir("replug").resolve("ttyV0");
    Process socat = serialDevice(link);
    try (PortalProcess portal = Portals.start("serial-replug", Map.of())) {
      PortalClient api = PortalClient.admin(portal);
      PortalClient.NewDevice device = api.createDevice();
      try (AgentProcess agent =
          AgentProcess.start(
              "replug",
              "ws://127.0.0.1:" + portal.httpPort() + "/tunnel",
              device.token(),
              List.of("console=serial:" + link + "?baud=115200"),
              List.of())) {
        agent.awaitOnline(Duration.ofSeconds(30));
        Await.until(
            "console ok", STATUS_CHANGE, () -> consoleStatus(api, device.id()).equals("ok"));

        unplug(socat, link);
        Await.until(
            "console reported missing after the unplug",
            STATUS_CHANGE,
            () -> consoleStatus(api, device.id()).equals("missing"));

        socat = serialDevice(link);
        Await.until(
            "console reported ok after the replug",
            STATUS_CHANGE,
            () -> consoleStatus(api, device.id()).equals("ok"));
        assertEquals(1, agent.count(AgentProcess.ONLINE), "the tunnel must not have been rebuilt");
      }
    } finally {
      socat.destroy();
    }
  }
}
