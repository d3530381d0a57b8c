package io.tether.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The harness's HAProxy: it runs the shipped config in front of nodes (none running here, so both
 * are DOWN), is gone once closed, and a start that fails says what HAProxy said.
 */
class HaproxyProcessTest {
  private static List<PortalProcess> nodes;

  @BeforeAll
  static void nodesThatAreNotRunning() {
    TestTools.require("haproxy");
    nodes =
        List.of(
            PortalProcess.create("haproxy-absent-1", Map.of()),
            PortalProcess.create("haproxy-absent-2", Map.of()));
  }

  @Test
  void runsTheShippedConfigAndIsGoneOnceClosed() throws Exception {
    HaproxyProcess haproxy;
    try (HaproxyProcess running =
        HaproxyProcess.inFrontOf(Build.workDir("haproxy-run"), "127.0.0.1", nodes)) {
      haproxy = running;
      assertEquals(2, running.servers(HaproxyProcess.BACKEND).size(), running.output());
      running.awaitServer(0, false, Duration.ofSeconds(10));
      assertTrue(running.baseUrl().startsWith("https://127.0.0.1:"), running.baseUrl());
    }
    assertFalse(haproxy.isAlive(), "HAProxy outlived close()");
    assertFalse(ProcessHandle.of(haproxy.pid()).isPresent(), "no process " + haproxy.pid());
  }

  @Test
  void aStartThatFailsReportsHaproxysOwnError() {
    Path dir = Build.workDir("haproxy-fail");
    // a documentation address no interface here has: HAProxy cannot bind it
    AssertionError failed =
        assertThrows(AssertionError.class, () -> HaproxyProcess.inFrontOf(dir, "192.0.2.1", nodes));
    assertTrue(failed.getMessage().contains("cannot bind socket"), failed.getMessage());
  }
}
