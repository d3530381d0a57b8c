package io.tether.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.boot.NodeIdentity;
import io.tether.db.EmbeddedPostgres;
import io.tether.db.OrphanedServer;
import io.tether.session.TerminalClient;
import io.tether.testing.AgentJars;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.Build;
import io.tether.testing.EchoServer;
import io.tether.testing.EventStream;
import io.tether.testing.JavaProcess;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalClient;
import io.tether.testing.PortalProcess;
import io.tether.testing.Ports;
import io.tether.testing.SharedDatabaseNodes;
import io.tether.testing.SupervisedAgent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Membership and fencing with two packaged nodes on one PostgreSQL the harness starts: both listed
 * live with their own epochs; a node with another {@code secret.key} or a live node's {@code
 * node-id} stops with one line; a node frozen past dead-after is declared dead by the other (its
 * device offline, {@code node.lost} audited) and, thawed, learns it, ends what it held and rejoins
 * under a new epoch, its agent back online through it.
 */
@ResourceLock("several-nodes")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterMembershipIT {
  /** Declared dead after {@link Membership#DEAD_AFTER}, judged every renewal, plus a busy host. */
  private static final Duration DECLARED_DEAD =
      Membership.DEAD_AFTER.plus(Membership.RENEW_EVERY.multipliedBy(2)).plusSeconds(15);

  private static final Duration REFUSED_WITHIN = Duration.ofSeconds(60);

  /** The version of the agent jar every node serves: above any build's, so agents upgrade. */
  private static final String NEWER = "999.0.0";

  /** A new jar's time to reach the portal before the launcher rolls it back. */
  private static final int TRIAL_SECONDS = 20;

  private static Path work;
  private static EmbeddedPostgres database;
  private static PortalProcess nodeA;
  private static PortalProcess nodeB;
  private static PortalClient admin;
  private static EchoServer echo;
  private static Path downloads;

  @BeforeAll
  static void startCluster() throws Exception {
    work = Build.workDir("cluster-membership");
    database = EmbeddedPostgres.start(work.resolve("pg"), "auto", line -> {});
    echo = EchoServer.start();
    downloads = Files.createDirectories(work.resolve("downloads"));
    Files.copy(
        AgentJars.withVersion(NEWER),
        downloads.resolve("tether-agent.jar"),
        StandardCopyOption.REPLACE_EXISTING);
    nodeA = node("node-a", work.resolve("a/data")).start();
    nodeB =
        node("node-b", SharedDatabaseNodes.dataDirSharingKeyOf(nodeA, work.resolve("b/data")))
            .start();
    admin = PortalClient.admin(nodeA);
  }

  @AfterAll
  static void stopCluster() {
    for (AutoCloseable c : new AutoCloseable[] {nodeB, nodeA, echo, database}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // the next one still closes
      }
    }
  }

  /**
   * A node of this cluster on {@code dataDir}: the shared database, a loopback node URL (its relay
   * listener) on a port of its own, the downloads dir serving the {@link #NEWER} agent jar.
   */
  private static PortalProcess node(String name, Path dataDir) {
    Map<String, String> env = SharedDatabaseNodes.env(database, "http://127.0.0.1:" + Ports.free());
    env.put("TETHER_DOWNLOADS_DIR", downloads.toString());
    return PortalProcess.create(name, env, dataDir);
  }

  private static JsonNode nodes(PortalClient client) {
    return client.expect(200, "GET", "/api/nodes", null).get("items");
  }

  private static JsonNode nodeRow(String id) {
    for (JsonNode n : nodes(admin)) {
      if (n.get("id").asText().equals(id)) {
        return n;
      }
    }
    throw new AssertionError("node " + id + " is not listed: " + nodes(admin));
  }

  private static String nodeId(PortalProcess node) throws Exception {
    return Files.readString(node.dataDir().resolve(NodeIdentity.NODE_ID_FILE)).trim();
  }

  @Test
  @Order(1)
  void everyNodeIsListedLiveWithAnEpochOfItsOwnOnEveryNode() throws Exception {
    PortalClient viaB = PortalClient.admin(nodeB);
    for (PortalClient client : List.of(admin, viaB)) {
      JsonNode items = nodes(client);
      assertEquals(2, items.size(), "two nodes: " + items);
      for (JsonNode n : items) {
        assertEquals("live", n.get("state").asText(), "state of " + n);
        assertTrue(n.get("url").asText().startsWith("http://127.0.0.1:"), "url of " + n);
        assertTrue(n.hasNonNull("lastHeartbeat"), "heartbeat of " + n);
      }
    }
    assertTrue(
        nodeRow(nodeId(nodeA)).get("epoch").asLong()
            != nodeRow(nodeId(nodeB)).get("epoch").asLong(),
        "every start takes an epoch of its own");
    PortalClient.NewUser user = admin.createUser();
    PortalClient.signIn(nodeA.baseUrl(), null, user.username(), user.password())
        .expect(403, "GET", "/api/nodes", null);
  }

  @Test
  @Order(2)
  void aNodeWithAnotherSecretKeyRefusesToStart() {
    JavaProcess refused =
        node("node-other-key", work.resolve("other-key/data")).startExpectingExit(REFUSED_WITHIN);
    assertEquals(2, refused.exitCode(), refused.output());
    assertTrue(
        refused.output().contains("this node's secret.key differs from the cluster's"),
        refused.output());
  }

  @Test
  @Order(3)
  void aSecondNodeWithALiveNodesIdRefusesToStart() throws Exception {
    Path copy = work.resolve("copied/data");
    Files.createDirectories(copy);
    for (String file : List.of(NodeIdentity.NODE_ID_FILE, NodeIdentity.SECRET_FILE)) {
      Files.copy(
          nodeB.dataDir().resolve(file), copy.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    JavaProcess refused = node("node-copied", copy).startExpectingExit(REFUSED_WITHIN);
    assertEquals(2, refused.exitCode(), refused.output());
    assertTrue(
        refused.output().contains("node-id " + nodeId(nodeB) + " is held by a live node"),
        refused.output());
    assertEquals("live", nodeRow(nodeId(nodeB)).get("state").asText(), "node B is untouched");
  }

  @Test
  @Order(4)
  void aFrozenNodeIsDeclaredDeadAndRejoinsUnderANewEpochWhenItThaws() throws Exception {
    String b = nodeId(nodeB);
    PortalClient.NewDevice device = admin.createDevice();
    try (AgentProcess agent = agentOn(nodeB, device)) {
      agent.awaitOnline(Duration.ofSeconds(30));
      awaitDevice(device, true, b, Duration.ofSeconds(15));
      long epochBefore = nodeRow(b).get("epoch").asLong();
      // TEST-NET-1 never answers: the delivery log shows what was raised, attempts fail quietly
      long webhook =
          admin
              .expect(
                  201,
                  "POST",
                  "/api/webhooks",
                  Map.of("url", "http://192.0.2.1:9/hook", "events", List.of("node.down")))
              .get("id")
              .asLong();

      nodeB.process().signal("STOP");
      try {
        Await.until(
            "node B declared dead by node A",
            DECLARED_DEAD,
            () -> "dead".equals(nodeRow(b).get("state").asText()));
        awaitDevice(device, false, null, Duration.ofSeconds(5));
        Await.until(
            "the loss audited",
            Duration.ofSeconds(10),
            () ->
                admin
                    .expect(200, "GET", "/api/audit?action=node.lost", null)
                    .toString()
                    .contains("node:" + b));
      } finally {
        nodeB.process().signal("CONT");
      }

      Await.until(
          "node B to learn it was declared dead and rejoin",
          Duration.ofSeconds(30),
          () -> nodeB.process().output().contains("this node rejoined the cluster"));
      assertTrue(
          nodeB.process().output().contains("declared dead while away"),
          "it says why it ended what it held");
      JsonNode rejoined = nodeRow(b);
      assertEquals("live", rejoined.get("state").asText());
      assertTrue(rejoined.get("epoch").asLong() > epochBefore, "a new epoch: " + rejoined);
      awaitDevice(device, true, b, Duration.ofSeconds(45));
      assertTrue(nodeB.ready(), "node B is ready again");
      // the survivor raised node.down once, in the reap's transaction (never by both nodes)
      JsonNode raised =
          admin.expect(200, "GET", "/api/webhooks/" + webhook + "/deliveries", null).get("items");
      assertEquals(1, raised.size(), "one node.down: " + raised);
      assertEquals("node.down", raised.get(0).get("type").asText());
    }
  }

  /**
   * A node frozen inside a transaction keeps its locks until its connections end; here it froze
   * inside its own reap, holding the reap lock, which left alone would keep anyone from ever
   * declaring it dead. The test plants a silent node row and holds it; the next node to judge takes
   * the reap lock and waits for that row; the test freezes that node and lets go: its reap goes on
   * in the database and stops there, idle in its transaction. The other node ends the frozen node's
   * database sessions once it is silent past dead-after and declares it dead.
   */
  @Test
  @Order(5)
  void aNodeFrozenInsideItsReapHoldingTheReapLockIsStillDeclaredDead() throws Exception {
    String ghost = "ghost-" + System.nanoTime();
    try (Connection holder = sharedDatabase();
        Connection watcher = sharedDatabase()) {
      try (PreparedStatement s =
          holder.prepareStatement(
              "insert into portal_node (id, url, epoch, fingerprint, state, heartbeat) values"
                  + " (?, 'http://192.0.2.1:9', nextval('portal_node_epoch'), 'none', 'live',"
                  + " now() - interval '1 hour')")) {
        s.setString(1, ghost);
        s.executeUpdate();
      }
      holder.setAutoCommit(false);
      try (PreparedStatement s =
          holder.prepareStatement("select 1 from portal_node where id = ? for update")) {
        s.setString(1, ghost);
        s.executeQuery().close();
      }
      String[] waiting = new String[1];
      Await.until(
          "a node's reap waiting for the held row",
          Membership.RENEW_EVERY.multipliedBy(3),
          () -> (waiting[0] = reapWaitingOnALock(watcher)) != null);
      PortalProcess frozen =
          waiting[0].equals(NodeIdentity.connectionName(nodeId(nodeA))) ? nodeA : nodeB;
      String id = nodeId(frozen);
      long rejoinsBefore = rejoins(frozen);
      frozen.process().signal("STOP");
      try {
        holder.rollback(); // the frozen node's reap declares the planted row dead and stops, idle
        Await.until(
            "the frozen node's reap idle in its transaction",
            Duration.ofSeconds(5),
            () -> idleInTransaction(watcher, waiting[0]));
        Await.until(
            "the node frozen inside its reap declared dead by the other",
            DECLARED_DEAD,
            () -> "dead".equals(state(watcher, id)));
      } finally {
        frozen.process().signal("CONT");
      }
      Await.until(
          "the thawed node to rejoin",
          Duration.ofSeconds(30),
          () -> rejoins(frozen) > rejoinsBefore && "live".equals(state(watcher, id)));
      assertEquals("dead", state(watcher, ghost), "the planted row was judged too");
    } finally {
      try (Connection db = sharedDatabase();
          PreparedStatement s = db.prepareStatement("delete from portal_node where id = ?")) {
        s.setString(1, ghost);
        s.executeUpdate();
      }
    }
  }

  /** The application name of a connection whose reap waits for a row lock, or null. */
  private static String reapWaitingOnALock(Connection watcher) {
    try (PreparedStatement s =
            watcher.prepareStatement(
                "select application_name from pg_stat_activity where wait_event_type = 'Lock'"
                    + " and query like 'update portal_node set state = ''dead''%'");
        ResultSet r = s.executeQuery()) {
      return r.next() ? r.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A node's state as its row has it (read directly: the frozen node may be the one asked). */
  private static String state(Connection watcher, String id) {
    try (PreparedStatement s =
        watcher.prepareStatement("select state from portal_node where id = ?")) {
      s.setString(1, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean idleInTransaction(Connection watcher, String applicationName) {
    try (PreparedStatement s =
        watcher.prepareStatement(
            "select 1 from pg_stat_activity where application_name = ?"
                + " and state = 'idle in transaction'")) {
      s.setString(1, applicationName);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long rejoins(PortalProcess node) {
    return node.process().output().lines().filter(l -> l.contains("this node rejoined")).count();
  }

  /**
   * Generations come from the cluster's sequence: a device moving from node B to node A (started
   * first, so its clock-seeded counter is the lower) is routed through A. With per-node counters
   * A's presence write lost to B's older route and the device stayed offline.
   */
  @Test
  @Order(6)
  void aDeviceMovingToAnotherNodeIsRoutedThroughTheNewerTunnel() throws Exception {
    PortalClient.NewDevice device = admin.createDevice();
    long onB;
    try (AgentProcess agent = agentOn(nodeB, device)) {
      agent.awaitOnline(Duration.ofSeconds(30));
      awaitRoute(device, nodeId(nodeB));
      onB = generation(device);
    }
    awaitDevice(device, false, null, Duration.ofSeconds(15));
    try (AgentProcess agent = agentOn(nodeA, device)) {
      agent.awaitOnline(Duration.ofSeconds(30));
      awaitRoute(device, nodeId(nodeA));
      assertTrue(generation(device) > onB, "the newer route has the higher generation");
      awaitDevice(device, true, nodeId(nodeA), Duration.ofSeconds(5));
    }
  }

  /**
   * Events cross nodes: node A's fleet stream hears a device come online on node B; demoting a user
   * on node A closes their terminal on node B at once; and after node B's LISTEN connection is cut,
   * a demotion it cannot have heard still closes the next terminal (re-checked on reconnect).
   */
  @Test
  @Order(7)
  void accessChangesAndPresenceReachTheOtherNode() throws Exception {
    PortalApi adminApi = PortalApi.signIn(nodeA.baseUrl(), "admin", PortalProcess.ADMIN_PASSWORD);
    PortalClient.NewDevice device = admin.createDevice();
    try (EventStream fleetOnA = EventStream.open(nodeA.baseUrl(), adminApi);
        AgentProcess agent = agentOn(nodeB, device)) {
      agent.awaitOnline(Duration.ofSeconds(30));
      Await.until(
          "node A's event stream to hear device " + device.id() + " online on node B",
          Duration.ofSeconds(5),
          () ->
              fleetOnA.lines().stream()
                  .anyMatch(
                      l ->
                          l.contains("\"deviceId\":" + device.id())
                              && l.contains("\"online\":true")));

      long first = newAdmin(adminApi);
      try (TerminalClient t = terminalOnB(first, device)) {
        long demoted = System.nanoTime();
        demote(adminApi, first);
        String closed = t.awaitClosed(Duration.ofSeconds(3));
        System.out.printf(
            "[cluster] a demotion on node A closed the terminal on node B in %d ms%n",
            (System.nanoTime() - demoted) / 1_000_000);
        assertTrue(closed.contains("access-revoked"), "the terminal's close: " + closed);
      }

      long second = newAdmin(adminApi);
      try (TerminalClient t = terminalOnB(second, device)) {
        int cut = terminateListener(nodeId(nodeB));
        assertEquals(1, cut, "node B's LISTEN connection was found and cut");
        demote(adminApi, second);
        String closed = t.awaitClosed(Duration.ofSeconds(10));
        assertTrue(closed.contains("access-revoked"), "the terminal's close: " + closed);
        assertTrue(
            nodeB.process().output().contains("cluster events resumed"),
            "node B reconnected and re-checked");
      }
    }
  }

  /**
   * A device's agent hangs on node B (half-open tunnel) and the device comes back through node A:
   * node B hears of the newer route and closes its leftover tunnel as replaced.
   */
  @Test
  @Order(8)
  void aLeftoverTunnelOnAnotherNodeClosesAsReplaced() throws Exception {
    PortalClient.NewDevice device = admin.createDevice();
    String a = nodeId(nodeA);
    try (AgentProcess hung = agentOn(nodeB, device)) {
      hung.awaitOnline(Duration.ofSeconds(30));
      awaitRoute(device, nodeId(nodeB));
      hung.freeze();
      // the same installation (its state dir, so its instance id) reconnecting through node A
      try (AgentProcess back =
          agentOn(nodeA, device, List.of("--state-dir", hung.defaultStateDir()))) {
        back.awaitOnline(Duration.ofSeconds(30));
        awaitRoute(device, a);
        Await.until(
            "node B to close its leftover tunnel as replaced",
            Duration.ofSeconds(10),
            () ->
                admin
                    .expect(
                        200,
                        "GET",
                        "/api/audit?action=tunnel.disconnect&device=" + device.id(),
                        null)
                    .toString()
                    .contains("4003 the agent reconnected through node " + a));
      } finally {
        hung.thaw();
      }
    }
  }

  /**
   * The login throttle is the cluster's: failures for one account from one address, split over both
   * nodes, lock it on both (kept per process, each node allowed its own ten).
   */
  @Test
  @Order(9)
  void signInFailuresCountOnEveryNode() throws Exception {
    PortalClient.NewUser user = admin.createUser();
    int failuresToLock = 10;
    for (int i = 0; i < failuresToLock; i++) {
      PortalProcess node = i % 2 == 0 ? nodeA : nodeB;
      assertEquals(401, signIn(node, user.username(), "wrong-" + i), "failure " + (i + 1));
    }
    for (PortalProcess node : List.of(nodeA, nodeB)) {
      assertEquals(
          429,
          signIn(node, user.username(), user.password()),
          "locked on " + node.baseUrl() + " even with the right password");
    }
  }

  private static int signIn(PortalProcess node, String username, String password) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/auth/login"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"username\": \"" + username + "\", \"password\": \"" + password + "\"}"))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /**
   * A PostgreSQL outage (the server frozen 20 s, past dead-after): live tunnels and a live terminal
   * session go on (keystrokes echoed while the database is away), readiness stays UP for the first
   * seconds and is DOWN after 10 s without a heartbeat, and when the database is back no node
   * declares the others dead (each waits a full dead-time first) and the session's row is written
   * when it ends.
   */
  @Test
  @Order(10)
  void aDatabaseOutageNeitherCutsTunnelsNorMakesNodesDeclareEachOtherDead() throws Exception {
    PortalClient.NewDevice device = admin.createDevice();
    Map<String, Long> epochs = new HashMap<>();
    long userId =
        newAdmin(PortalApi.signIn(nodeA.baseUrl(), "admin", PortalProcess.ADMIN_PASSWORD));
    byte[] typed = "typed while the database is away\r".getBytes(StandardCharsets.US_ASCII);
    try (AgentProcess agent = agentOn(nodeB, device)) {
      agent.awaitOnline(Duration.ofSeconds(30));
      TerminalClient terminal = terminalOnB(userId, device);
      for (PortalProcess node : List.of(nodeA, nodeB)) {
        epochs.put(nodeId(node), nodeRow(nodeId(node)).get("epoch").asLong());
      }
      long postgres =
          OrphanedServer.postmasterPid(work.resolve("pg").resolve("postgres")).orElseThrow();
      signalTree("STOP", postgres);
      long frozen = System.nanoTime();
      try {
        Thread.sleep(3_000);
        assertTrue(nodeA.ready() && nodeB.ready(), "a blip of a few seconds keeps nodes ready");
        terminal.type(typed);
        terminal.awaitReceived(typed, Duration.ofSeconds(5));
        Await.until(
            "readiness DOWN after 10 s without a heartbeat",
            Duration.ofSeconds(25),
            () -> !nodeA.ready() && !nodeB.ready());
        // 10 s after the last renewal, which was up to one renewal period before the freeze
        long downAfter = (System.nanoTime() - frozen) / 1_000_000_000;
        long earliest = Membership.NOT_SERVING_AFTER.minus(Membership.RENEW_EVERY).toSeconds() - 1;
        assertTrue(downAfter >= earliest, "DOWN only after ~10 s, was " + downAfter + " s");
        Thread.sleep(Math.max(0, 20_000 - (System.nanoTime() - frozen) / 1_000_000));
      } finally {
        signalTree("CONT", postgres);
      }
      Await.until(
          "both nodes ready again", Duration.ofSeconds(30), () -> nodeA.ready() && nodeB.ready());
      Thread.sleep(Membership.DEAD_AFTER.plus(Membership.RENEW_EVERY.multipliedBy(2)).toMillis());
      for (Map.Entry<String, Long> node : epochs.entrySet()) {
        JsonNode row = nodeRow(node.getKey());
        assertEquals("live", row.get("state").asText(), "nobody was declared dead: " + row);
        assertEquals(node.getValue().longValue(), row.get("epoch").asLong(), "same epoch: " + row);
      }
      assertEquals(1, agent.count(AgentProcess.ONLINE), "the tunnel lived through the outage");
      assertEquals(null, terminal.closedWith(), "the terminal lived through the outage");
      byte[] after = "and after it\r".getBytes(StandardCharsets.US_ASCII);
      terminal.type(after);
      terminal.awaitReceived(after, Duration.ofSeconds(5));
      terminal.close();
      Await.until(
          "the session's end written once the database is back",
          Duration.ofSeconds(15),
          () -> {
            JsonNode items =
                admin.expect(200, "GET", "/api/sessions?device=" + device.id(), null).get("items");
            return items.size() == 1
                && items.get(0).get("state").asText().equals("ended")
                && items.get(0).get("bytesIn").asLong() >= typed.length + after.length;
          });
    }
  }

  /**
   * A PostgreSQL restart under two nodes (fast stop, every connection dropped, started again on the
   * same port): a live recorded terminal session keeps echoing while the database is away, both
   * nodes serve again without a restart of their own (readiness, a sign-in), and the session is
   * stored with every byte it carried recorded, no gap: the session journal waits for the database
   * rather than dropping what it holds.
   */
  @Test
  @Order(11)
  void aPostgresRestartLosesNeitherTheSessionNorARecordedByte() throws Exception {
    PortalClient.NewDevice device = admin.createDevice();
    long userId =
        newAdmin(PortalApi.signIn(nodeA.baseUrl(), "admin", PortalProcess.ADMIN_PASSWORD));
    String username =
        admin.expect(200, "GET", "/api/users/" + userId, null).get("username").asText();
    try (AgentProcess agent = agentOn(nodeB, device)) {
      agent.awaitOnline(Duration.ofSeconds(30));
      TerminalClient terminal = terminalOnB(userId, device);
      long carried = 0;
      for (String line : List.of("before the restart\r", "while it restarts\r")) {
        byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
        terminal.type(bytes);
        terminal.awaitReceived(bytes, Duration.ofSeconds(5));
        carried += bytes.length;
        if (carried == bytes.length) {
          database.restart();
        }
      }
      Await.until(
          "both nodes ready again", Duration.ofSeconds(30), () -> nodeA.ready() && nodeB.ready());
      Await.until(
          "a sign-in on node A after the restart",
          Duration.ofSeconds(15),
          () -> signInQuietly(nodeA, username) == 200);
      byte[] after = "after it\r".getBytes(StandardCharsets.US_ASCII);
      terminal.type(after);
      terminal.awaitReceived(after, Duration.ofSeconds(5));
      carried += after.length;
      assertEquals(null, terminal.closedWith(), "the terminal lived through the restart");
      terminal.close();
      long expected = carried;
      Await.until(
          "the session stored, every byte recorded",
          Duration.ofSeconds(30),
          () -> {
            try {
              JsonNode items =
                  admin
                      .expect(200, "GET", "/api/sessions?device=" + device.id(), null)
                      .get("items");
              return items.size() == 1
                  && items.get(0).get("state").asText().equals("ended")
                  && items.get(0).get("recording").get("bytes").asLong() >= expected
                  && items.get(0).get("recording").get("gaps").asInt() == 0;
            } catch (AssertionError e) {
              return false; // a request that met a connection the restart broke
            }
          });
      assertEquals(1, agent.count(AgentProcess.ONLINE), "the tunnel lived through the restart");
    }
  }

  private static int signInQuietly(PortalProcess node, String username) {
    try {
      return signIn(node, username, PASSWORD);
    } catch (Exception e) {
      return -1;
    }
  }

  /** Signals PostgreSQL's postmaster and every backend it forked. */
  private static void signalTree(String name, long pid) throws Exception {
    new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor();
    new ProcessBuilder("pkill", "-" + name, "-P", Long.toString(pid)).start().waitFor();
  }

  private static final String PASSWORD = "pw-cluster-user-1";

  private static long newAdmin(PortalApi adminApi) {
    return adminApi
        .post(
            "/api/users",
            Map.of("username", PortalApi.unique("adm"), "password", PASSWORD, "admin", true))
        .get("id")
        .asLong();
  }

  private static TerminalClient terminalOnB(long userId, PortalClient.NewDevice device) {
    String name = admin.expect(200, "GET", "/api/users/" + userId, null).get("username").asText();
    PortalApi user = PortalApi.signIn(nodeB.baseUrl(), name, PASSWORD);
    return TerminalClient.terminal(nodeB.baseUrl(), user, device.id(), "echo").awaitLive();
  }

  private static void demote(PortalApi adminApi, long userId) {
    PortalApi.expect(
        200,
        adminApi.request("PATCH", "/api/users/" + userId, Map.of("admin", false)),
        "PATCH admin=false");
  }

  /** Ends the backend of a node's LISTEN connection, as a database failover would. */
  private static int terminateListener(String node) throws SQLException {
    try (Connection db = sharedDatabase();
        PreparedStatement s =
            db.prepareStatement(
                "select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity"
                    + " where application_name = ?")) {
      s.setString(1, ClusterEvents.LISTEN_APPLICATION_NAME + node);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  /**
   * Enrollment on any node: two agents redeem a two-use token at once, one through each node; both
   * wait for approval, and a third use through either node is refused (the token's row is locked
   * while it is redeemed, so the count holds across nodes).
   */
  @Test
  @Order(12)
  void anEnrollmentTokensUsesAreCountedAcrossNodes() throws Exception {
    String group = admin.createGroup();
    String token =
        admin
            .expect(
                201, "POST", "/api/enrollment-tokens", java.util.Map.of("group", group, "uses", 2))
            .get("token")
            .asText();
    List<AgentProcess> agents = new java.util.ArrayList<>();
    try {
      for (PortalProcess node : List.of(nodeA, nodeB)) {
        agents.add(enrollOn(node, token, PortalClient.unique("gw")).start());
      }
      for (AgentProcess agent : agents) {
        agent.awaitLog(AgentProcess.ENROLLED, Duration.ofSeconds(30));
        agent.awaitOnline(Duration.ofSeconds(30));
      }
      Await.until(
          "both enrolled devices pending in group " + group,
          Duration.ofSeconds(10),
          () ->
              admin
                      .expect(200, "GET", "/api/devices?state=pending&group=" + group, null)
                      .get("items")
                      .size()
                  == 2);
      AgentProcess third = enrollOn(nodeB, token, PortalClient.unique("gw")).start();
      agents.add(third);
      assertTrue(third.process().waitFor(Duration.ofSeconds(30)), third.log());
      assertTrue(
          third
              .log()
              .contains("enrollment refused (401): the enrollment token has been used its 2"),
          third.log());
    } finally {
      agents.forEach(AgentProcess::close);
    }
  }

  /**
   * Agent upgrades from any node: asked on node B for an agent whose tunnel node A holds, node A
   * sends the UPGRADE and the agent comes back reporting the new version; a group's wave started on
   * node A takes the group's device that node B holds, and node B sends that one.
   */
  @Test
  @Order(13)
  void anUpgradeAskedOnAnyNodeIsSentByTheNodeHoldingTheTunnel() throws Exception {
    String key = AgentJars.signingKey(nodeB.baseUrl()).toString();
    String group = admin.createGroup();
    PortalClient.NewDevice onA = admin.createDevice(group);
    PortalClient.NewDevice onB = admin.createDevice(group);
    try (SupervisedAgent a = supervisedOn(nodeA, onA, key);
        SupervisedAgent b = supervisedOn(nodeB, onB, key)) {
      awaitAgent(onA, AgentProcess.jarVersion());
      awaitAgent(onB, AgentProcess.jarVersion());
      awaitRoute(onA, nodeId(nodeA));
      awaitRoute(onB, nodeId(nodeB));

      JsonNode asked =
          PortalClient.admin(nodeB)
              .expect(202, "POST", "/api/devices/" + onA.id() + "/agent-upgrade", Map.of());
      assertEquals(NEWER, asked.get("to").asText(), asked.toString());
      awaitAgent(onA, NEWER);
      assertUpgraded(onA, nodeA);
      assertTrue(a.exits().contains(75), "restarted on the new jar: " + a.exits());

      JsonNode wave =
          admin.expect(202, "POST", "/api/groups/" + group + "/agent-upgrade", Map.of());
      assertEquals(
          List.of(onB.name()),
          List.of(wave.get("devices").get(0).asText()),
          "the wave takes the outdated device on the other node only: " + wave);
      assertEquals(1, wave.get("devices").size(), wave.toString());
      awaitAgent(onB, NEWER);
      assertUpgraded(onB, nodeB);
      assertTrue(b.exits().contains(75), "restarted on the new jar: " + b.exits());
    }
  }

  /** The launcher running the build's agent for {@code device} on {@code node}, with the key. */
  private static SupervisedAgent supervisedOn(
      PortalProcess node, PortalClient.NewDevice device, String key) {
    return SupervisedAgent.start(
        "cluster-" + device.name(),
        "ws://127.0.0.1:" + node.httpPort() + "/tunnel",
        device.token(),
        List.of("echo=tcp:127.0.0.1:" + echo.port()),
        List.of("--upgrade-key", key),
        TRIAL_SECONDS);
  }

  /** The device online reporting {@code version}, able to upgrade itself. */
  private static void awaitAgent(PortalClient.NewDevice device, String version) {
    Await.until(
        device.name() + " online reporting " + version + ", able to upgrade",
        Duration.ofSeconds(60),
        () -> {
          JsonNode d = admin.device(device.id());
          return d.get("online").asBoolean()
              && version.equals(d.path("agentVersion").asText())
              && d.path("agentUpgradable").asBoolean();
        });
  }

  /** The device's upgrade closed ok, its UPGRADE sent by {@code holder}. */
  private static void assertUpgraded(PortalClient.NewDevice device, PortalProcess holder)
      throws Exception {
    String path = "/api/devices/" + device.id() + "/agent-upgrade";
    Await.until(
        device.name() + "'s upgrade closed",
        Duration.ofSeconds(15),
        () -> admin.expect(200, "GET", path, null).hasNonNull("outcome"));
    JsonNode outcome = admin.expect(200, "GET", path, null);
    assertEquals("ok", outcome.get("outcome").asText(), outcome.toString());
    assertEquals(
        nodeId(holder),
        deviceValue(
            "select sent_by from agent_upgrades where device_id = ? order by id desc limit 1",
            device),
        "sent by the node holding the tunnel");
  }

  private static AgentProcess enrollOn(PortalProcess node, String token, String name) {
    return AgentProcess.enrolling(
        name,
        "ws://127.0.0.1:" + node.httpPort() + "/tunnel",
        token,
        name,
        List.of("echo=tcp:127.0.0.1:" + echo.port()),
        false);
  }

  private static AgentProcess agentOn(PortalProcess node, PortalClient.NewDevice device) {
    return agentOn(node, device, List.of());
  }

  private static AgentProcess agentOn(
      PortalProcess node, PortalClient.NewDevice device, List<String> extra) {
    return AgentProcess.start(
        "cluster-agent-" + device.name(),
        "ws://127.0.0.1:" + node.httpPort() + "/tunnel",
        device.token(),
        List.of("echo=tcp:127.0.0.1:" + echo.port()),
        extra);
  }

  private static void awaitRoute(PortalClient.NewDevice device, String node) {
    Await.until(
        "device " + device.name() + " routed through " + node,
        Duration.ofSeconds(15),
        () -> {
          try {
            return node.equals(routeNode(device));
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** The node an online device is routed through, as the shared database has it. */
  private static String routeNode(PortalClient.NewDevice device) throws SQLException {
    return (String) deviceValue("select node_id from devices where id = ? and online", device);
  }

  private static long generation(PortalClient.NewDevice device) throws SQLException {
    return (Long) deviceValue("select connection_gen from devices where id = ?", device);
  }

  /** The one column {@code sql} selects for the device, or null when there is no row. */
  private static Object deviceValue(String sql, PortalClient.NewDevice device) throws SQLException {
    try (Connection db = sharedDatabase();
        PreparedStatement s = db.prepareStatement(sql)) {
      s.setLong(1, device.id());
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getObject(1) : null;
      }
    }
  }

  private static Connection sharedDatabase() throws SQLException {
    return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
  }

  private static void awaitDevice(
      PortalClient.NewDevice device, boolean online, String node, Duration timeout) {
    Await.until(
        "device " + device.name() + (online ? " online through " + node : " offline"),
        timeout,
        () -> {
          JsonNode d = admin.device(device.id());
          return d.get("online").asBoolean() == online;
        });
  }
}
