package io.tether.bench;

import io.tether.boot.NodeIdentity;
import io.tether.db.EmbeddedPostgres;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.Build;
import io.tether.testing.CliProcess;
import io.tether.testing.PortalClient;
import io.tether.testing.PortalProcess;
import io.tether.testing.Ports;
import io.tether.testing.SelfSignedCertificate;
import io.tether.testing.SharedDatabaseNodes;
import io.tether.testing.Started;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Two packaged portal nodes on one PostgreSQL the rig starts (as ClusterRelayIT does, production
 * timers, plain loopback node URLs, no balancer), one device whose agent dials node B directly and
 * offers {@code targets}, and an API token for CLI forwards through either node.
 */
final class ClusterRig {
  private static final Duration ONLINE = Duration.ofSeconds(60);

  /** Each node binds every link and ingress port: on one machine, each on an address of its own. */
  private static final String LINKS_ON_A = "127.0.0.2";

  private static final String LINKS_ON_B = "127.0.0.3";

  private final Started started;
  private final EmbeddedPostgres database;
  private final PortalProcess nodeA;
  private final PortalProcess nodeB;
  private final PortalClient.NewDevice device;
  private final String apiToken;

  /**
   * Starts the database, node A, node B (with A's {@code secret.key}) and the agent on B; what it
   * starts, and the forwards made later, go to {@code started}, which closes them.
   */
  ClusterRig(Started started, String name, List<String> targets) throws Exception {
    this(started, name, targets, false);
  }

  /**
   * As {@link #ClusterRig(Started, String, List)}; with {@code tlsRelay} node B's relay listener
   * serves TLS ({@code https://} node URL, a certificate for 127.0.0.1) and node A dials it
   * trusting that certificate as the cluster's CA: what a relayed byte crosses between machines.
   */
  ClusterRig(Started started, String name, List<String> targets, boolean tlsRelay)
      throws Exception {
    this.started = started;
    Path work = Build.workDir(name);
    database = started.add(EmbeddedPostgres.start(work.resolve("pg"), "auto", line -> {}));
    SelfSignedCertificate cert =
        tlsRelay
            ? SelfSignedCertificate.create(
                java.nio.file.Files.createDirectories(work.resolve("tls")), "127.0.0.1")
            : null;
    nodeA = started.add(node(name + "-a", work.resolve("a/data"), LINKS_ON_A, cert, false)).start();
    Path dataB = SharedDatabaseNodes.dataDirSharingKeyOf(nodeA, work.resolve("b/data"));
    nodeB = started.add(node(name + "-b", dataB, LINKS_ON_B, cert, tlsRelay)).start();
    PortalClient api = PortalClient.admin(nodeA);
    device = api.createDevice();
    apiToken = api.createApiToken();
    started.add(
        AgentProcess.start(
            name,
            "ws://127.0.0.1:" + nodeB.httpPort() + "/tunnel",
            device.token(),
            targets,
            List.of()));
    Await.until("the bench device to be online", ONLINE, () -> api.online(device.id()));
    String owner = routeNode();
    if (!nodeId(nodeB).equals(owner)) {
      throw new AssertionError("the device is routed to " + owner + ", not node B");
    }
  }

  /**
   * A node on the shared database with the portal's production timers; trusting {@code cert} as the
   * cluster's CA when there is one, and serving its relay with it when {@code tls}.
   */
  private PortalProcess node(
      String name, Path dataDir, String linkBind, SelfSignedCertificate cert, boolean tls) {
    Map<String, String> env =
        SharedDatabaseNodes.env(
            database, (tls ? "https" : "http") + "://127.0.0.1:" + Ports.free());
    if (cert != null) {
      env.put("TETHER_NODE_CA", cert.certificate().toString());
    }
    if (tls) {
      env.put("TETHER_NODE_TLS_CERT", cert.certificate().toString());
      env.put("TETHER_NODE_TLS_KEY", cert.privateKey().toString());
    }
    PortalProcess.SHORT_TIMERS.keySet().forEach(k -> env.put(k, null));
    env.put("TETHER_LINK_BIND", linkBind);
    env.put("TETHER_INGRESS_BIND", linkBind);
    return PortalProcess.create(name, env, dataDir);
  }

  /** The device's node: its own node, no relay. */
  PortalProcess nodeB() {
    return nodeB;
  }

  /** The other node: a user here is relayed to node B. */
  PortalProcess nodeA() {
    return nodeA;
  }

  long deviceId() {
    return device.id();
  }

  /** A running {@code tether-cli forward} of {@code target} through {@code node}. */
  CliProcess forward(PortalProcess node, String target) {
    return started.add(CliProcess.forward(device.name(), target, node.baseUrl(), apiToken));
  }

  private static String nodeId(PortalProcess node) throws IOException {
    return Files.readString(node.dataDir().resolve(NodeIdentity.NODE_ID_FILE)).trim();
  }

  /** The node the shared database routes the device to. */
  private String routeNode() throws SQLException {
    try (Connection db =
            DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
        PreparedStatement s =
            db.prepareStatement("select node_id from devices where id = ? and online")) {
      s.setLong(1, device.id());
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }
}
