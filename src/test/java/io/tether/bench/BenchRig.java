package io.tether.bench;

import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.Build;
import io.tether.testing.CliProcess;
import io.tether.testing.DelayRelay;
import io.tether.testing.PortalClient;
import io.tether.testing.PortalProcess;
import io.tether.testing.Portals;
import io.tether.testing.SelfSignedCertificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * One portal (plain HTTP or its own TLS, default timers), one device with a running agent offering
 * {@code targets}, and an API token for CLI forwards: the processes every bench measures through.
 * Closes everything it started, last started first.
 */
final class BenchRig implements AutoCloseable {
  private static final Duration ONLINE = Duration.ofSeconds(60);

  private final Deque<AutoCloseable> owned = new ArrayDeque<>();
  private final boolean tls;
  private final Duration roundTrip;
  private SelfSignedCertificate certificate;
  private PortalProcess portal;
  private PortalClient api;
  private PortalClient.NewDevice device;
  private String apiToken;
  private AgentProcess agent;

  private BenchRig(boolean tls, Duration roundTrip) {
    this.tls = tls;
    this.roundTrip = roundTrip;
  }

  /**
   * A portal with the production timers (the tests' short heartbeat and dead-after would add
   * traffic and, on a loaded machine, drop tunnels mid-run) and an agent offering {@code targets}
   * (NAME=tcp:HOST:PORT).
   */
  static BenchRig start(String name, boolean tls, List<String> targets) throws Exception {
    return start(name, tls, targets, Duration.ZERO);
  }

  /**
   * The same with {@code roundTrip} added between the agent and the portal (a {@link DelayRelay}):
   * a device on a long link.
   */
  static BenchRig start(String name, boolean tls, List<String> targets, Duration roundTrip)
      throws Exception {
    BenchRig rig = new BenchRig(tls, roundTrip);
    try {
      rig.startAll(name, targets);
      return rig;
    } catch (Exception | AssertionError e) {
      rig.close();
      throw e;
    }
  }

  private void startAll(String name, List<String> targets) throws Exception {
    Map<String, String> env = new HashMap<>();
    PortalProcess.SHORT_TIMERS.keySet().forEach(k -> env.put(k, null));
    SSLContext trusting = null;
    if (tls) {
      certificate = SelfSignedCertificate.create(Build.workDir(name + "-tls"), "127.0.0.1");
      trusting = certificate.trustingContext();
      env.put("TETHER_TLS_CERT", certificate.certificate().toString());
      env.put("TETHER_TLS_KEY", certificate.privateKey().toString());
      SSLContext context = trusting;
      portal = Portals.start(name, env, p -> p.startOverHttps(context));
    } else {
      portal = Portals.start(name, env);
    }
    owned.push(portal);
    api = PortalClient.signIn(baseUrl(), trusting, "admin", PortalProcess.ADMIN_PASSWORD);
    device = api.createDevice();
    apiToken = api.createApiToken();
    int tunnelPort = portal.httpPort();
    if (!roundTrip.isZero()) {
      tunnelPort = own(DelayRelay.to(tunnelPort, roundTrip)).port();
    }
    agent =
        AgentProcess.start(
            name, tunnelUrl(tunnelPort), device.token(), targets, tls ? caArgs() : List.of());
    owned.push(agent);
    Await.until("the bench device to be online", ONLINE, () -> api.online(device.id()));
  }

  private List<String> caArgs() {
    return List.of("--ca", certificate.certificate().toString());
  }

  String baseUrl() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + portal.httpPort();
  }

  private String tunnelUrl(int port) {
    return (tls ? "wss" : "ws") + "://127.0.0.1:" + port + "/tunnel";
  }

  /** A running {@code tether-cli forward} of {@code target}; closed with the rig. */
  CliProcess forward(String target) {
    CliProcess cli =
        CliProcess.forward(
            device.name(), target, baseUrl(), apiToken, tls ? caArgs() : new ArrayList<>());
    owned.push(cli);
    return cli;
  }

  long deviceId() {
    return device.id();
  }

  PortalProcess portal() {
    return portal;
  }

  AgentProcess agent() {
    return agent;
  }

  /** Closes a resource with the rig (after the processes started later). */
  <T extends AutoCloseable> T own(T resource) {
    owned.push(resource);
    return resource;
  }

  @Override
  public void close() {
    while (!owned.isEmpty()) {
      try {
        owned.pop().close();
      } catch (Exception e) {
        // best effort: the rest must still be closed
      }
    }
  }
}
