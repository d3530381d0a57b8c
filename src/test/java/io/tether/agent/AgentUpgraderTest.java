package io.tether.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.api.Test;

class AgentUpgraderTest {
  @Test
  void theJarIsFetchedFromTheDownloadsBesideTheTunnel() {
    assertEquals(
        URI.create("https://portal.example.com/downloads/tether-agent.jar"),
        AgentUpgrader.jarUrl(URI.create("wss://portal.example.com/tunnel")));
    assertEquals(
        URI.create("http://127.0.0.1:8080/downloads/tether-agent.jar"),
        AgentUpgrader.jarUrl(URI.create("ws://127.0.0.1:8080/tunnel")));
    assertEquals(
        URI.create("https://example.com/tether/downloads/tether-agent.jar"),
        AgentUpgrader.jarUrl(URI.create("wss://example.com/tether/tunnel")));
  }

  @Test
  void theUpgradeKeyIsAnOption() throws Exception {
    AgentOptions options =
        AgentOptions.parse(
            java.util.List.of(
                "--portal", "wss://portal.example.com/tunnel",
                "--token", "tdv_x",
                "--target", "echo=tcp:127.0.0.1:7",
                "--upgrade-key", "/etc/tether/upgrade.pub"),
            java.util.Map.of());
    assertEquals(java.nio.file.Path.of("/etc/tether/upgrade.pub"), options.upgradeKey());
  }
}
