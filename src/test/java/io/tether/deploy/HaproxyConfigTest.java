package io.tether.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.boot.Durations;
import io.tether.boot.Setting;
import io.tether.boot.TetherMain;
import io.tether.device.EventResource;
import io.tether.testing.Build;
import io.tether.testing.HaproxyConfig;
import io.tether.testing.HaproxyProcess;
import io.tether.testing.SelfSignedCertificate;
import io.tether.testing.TestTools;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/haproxy/haproxy.cfg as shipped: HAProxy accepts it ({@code haproxy -c}, with a throwaway
 * certificate in place of the user's), the commented TCP section too, and its timeouts fit the
 * portal's: a draining node leaves the balancer before it stops listening, and neither tunnels nor
 * the event stream are cut by an idle timeout the portal's pings and keepalives should prevent.
 */
class HaproxyConfigTest {
  private static Path work;
  private static SelfSignedCertificate certificate;

  @BeforeAll
  static void certificate() throws Exception {
    TestTools.require("haproxy");
    work = Build.workDir("haproxy-config");
    certificate = SelfSignedCertificate.create(work, "127.0.0.1");
  }

  private static HaproxyProcess.Checked check(HaproxyConfig config, String name) {
    return HaproxyProcess.check(config.certificate(certificate, work).write(work.resolve(name)));
  }

  @Test
  void haproxyAcceptsTheShippedFileWithoutAWarning() {
    HaproxyProcess.Checked checked = check(HaproxyConfig.shipped(), "shipped.cfg");
    assertEquals(0, checked.exitCode(), checked.output());
    assertFalse(checked.output().contains("WARNING"), checked.output());
  }

  @Test
  void haproxyAcceptsTheCommentedLinkAndIngressSectionOnceUncommented() {
    HaproxyConfig uncommented = HaproxyConfig.shipped().withLinkSectionUncommented();
    assertTrue(uncommented.text().contains("send-proxy-v2"), uncommented.text());
    HaproxyProcess.Checked checked = check(uncommented, "links.cfg");
    assertEquals(0, checked.exitCode(), checked.output());
    assertFalse(checked.output().contains("WARNING"), checked.output());
  }

  @Test
  void aDrainingNodeLeavesTheBalancerBeforeItStopsListening() {
    Duration detection = HaproxyConfig.shipped().detectionTime();
    assertTrue(
        detection.compareTo(TetherMain.CLUSTER_DRAIN) < 0,
        "HAProxy marks a node down within "
            + detection
            + ", the node serves for "
            + TetherMain.CLUSTER_DRAIN
            + " after SIGTERM");
  }

  @Test
  void anAgentsTunnelOutlivesTheDeadAfterItsPingsAreJudgedBy() {
    Duration tunnel = HaproxyConfig.shipped().durationOf("http-request set-timeout tunnel");
    Duration deadAfter = Durations.parse(Setting.DEAD_AFTER.defaultValue());
    Duration heartbeat = Durations.parse(Setting.HEARTBEAT.defaultValue());
    assertTrue(heartbeat.compareTo(deadAfter) < 0);
    assertTrue(
        tunnel.compareTo(deadAfter) > 0,
        "/tunnel's timeout " + tunnel + " must exceed TETHER_DEAD_AFTER's default " + deadAfter);
  }

  @Test
  void theEventStreamsKeepaliveComesWithinThePlainHttpTimeouts() {
    HaproxyConfig config = HaproxyConfig.shipped();
    for (String timeout : new String[] {"timeout client", "timeout server"}) {
      assertTrue(
          config.durationOf(timeout).compareTo(EventResource.KEEPALIVE.multipliedBy(2)) >= 0,
          timeout + " leaves room for two keepalives of the event stream");
    }
  }
}
