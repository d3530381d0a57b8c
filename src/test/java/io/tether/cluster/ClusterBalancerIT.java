package io.tether.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.bench.sim.Fleet;
import io.tether.bench.sim.SimulatorProcess;
import io.tether.session.TerminalClient;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.Build;
import io.tether.testing.CliProcess;
import io.tether.testing.ClusterFixture;
import io.tether.testing.EchoServer;
import io.tether.testing.HaproxyConfig;
import io.tether.testing.HaproxyProcess;
import io.tether.testing.LoopbackClient;
import io.tether.testing.NodeMetrics;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalClient;
import io.tether.testing.PortalProcess;
import io.tether.testing.RequestLoop;
import io.tether.testing.SocketEnd;
import io.tether.testing.Started;
import io.tether.testing.Transfer;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Three packaged nodes behind HAProxy running the shipped deploy/haproxy/haproxy.cfg, driven the
 * way users and devices reach them: through the balancer only. Three real agents and a simulated
 * fleet connect through it and are spread over every node; a sign-in through it is audited with the
 * client's address; a node stopped with SIGTERM goes not-ready, leaves the balancer within its
 * detection time while every request keeps being answered, and its devices come back through the
 * others; a node killed with SIGKILL loses its devices to the others at once and is declared dead.
 * Beside them a device held by each node (its agent dialling that node directly): a terminal to it
 * through the balancer shares one recorded session with an observer on another node, and terminals
 * to all three live through a restart of PostgreSQL. The fixture starts stopped nodes again before
 * the next test, so tests added here find three.
 */
@ResourceLock("several-nodes")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterBalancerIT {
  @RegisterExtension static final ClusterFixture cluster = ClusterFixture.start("balancer", 3);

  /** Simulated devices beside the three agents: the 60, so every node holds many. */
  private static final int SIMULATED = 60;

  private static final int AGENTS = 3;
  private static final int DEVICES = AGENTS + SIMULATED;

  /** The bound: a lost node's devices are online through the others within this. */
  private static final Duration BACK_ONLINE = Duration.ofSeconds(30);

  /** HAProxy's detection time as shipped, plus a second for a machine busy with three nodes. */
  private static final Duration LEAVES_BALANCER =
      HaproxyConfig.shipped().detectionTime().plusSeconds(1);

  /** The same for a frozen node, whose checks time out rather than fail, plus two seconds. */
  private static final Duration SILENT_LEAVES_BALANCER =
      HaproxyConfig.shipped().detectionTimeOfASilentNode().plusSeconds(2);

  /** Declared dead by a survivor: silent for dead-after, judged at a renewal, a busy host. */
  private static final Duration DECLARED_DEAD =
      Membership.DEAD_AFTER.plus(Membership.RENEW_EVERY.multipliedBy(2)).plusSeconds(10);

  private static final Started fleet = new Started();

  private static EchoServer echo;

  /** The agents dialling through the balancer. */
  private static final List<AgentProcess> agents = new ArrayList<>();

  /** The agents' devices. */
  private static final List<Long> agentDevices = new ArrayList<>();

  /** One of the agents' devices, with a TCP target "echo". */
  private static long echoDevice;

  private static String echoDeviceName;

  /** A client beyond the balancer that links and raw devices admit, and one they do not. */
  private static final String ALLOWED = "127.0.0.5";

  private static final String OUTSIDER = "127.0.0.6";

  @BeforeAll
  static void devicesThroughTheBalancer() throws Exception {
    echo = fleet.add(EchoServer.start());
    PortalClient admin = cluster.admin();
    for (int i = 0; i < AGENTS; i++) {
      PortalClient.NewDevice device = admin.createDevice();
      echoDevice = device.id();
      agentDevices.add(device.id());
      echoDeviceName = device.name();
      agents.add(fleet.add(cluster.agent(device, List.of("echo=tcp:127.0.0.1:" + echo.port()))));
    }
    Path work = Build.workDir("balancer-fleet");
    Fleet.Registered registered = Fleet.ensure(admin, SIMULATED, work.resolve("tokens.txt"));
    SimulatorProcess sim =
        fleet.add(
            SimulatorProcess.start(
                "sim",
                cluster.tunnelUrl(),
                registered.tokens(),
                0,
                SIMULATED,
                100,
                work,
                List.of("--ca", cluster.ca().toString())));
    assertTrue(
        sim.awaitReport(r -> r.getOrDefault("online", 0L) >= SIMULATED, BACK_ONLINE),
        "the simulated fleet came online through the balancer: " + sim.latest());
    Await.until("every device online", BACK_ONLINE, () -> onlineOnLiveNodes() == DEVICES);
  }

  @AfterAll
  static void stopDevices() {
    stopDevicesHeldByEachNode();
    fleet.close();
  }

  @Test
  @Order(1)
  void theBalancerReachesThreeLiveNodes() {
    JsonNode items = nodes();
    assertEquals(3, items.size(), "three nodes: " + items);
    Set<String> hosts = new TreeSet<>();
    for (JsonNode n : items) {
      assertEquals("live", n.get("state").asText(), "state of " + n);
      hosts.add(URI.create(n.get("url").asText()).getHost());
    }
    assertEquals(Set.of("127.0.0.2", "127.0.0.3", "127.0.0.4"), hosts, "node URLs: " + items);
    for (int i = 0; i < cluster.size(); i++) {
      assertTrue(cluster.balancer().server(i).up(), "HAProxy sends node" + (i + 1) + " requests");
    }
    // each request counts as a session of the node it went to (the SIGTERM test relies on that,
    // and the terminal test to tell which node HAProxy gave a terminal)
    long before = sessionsOfAllNodes();
    for (int i = 0; i < 10; i++) {
      nodes();
    }
    assertTrue(sessionsOfAllNodes() - before >= 10, "ten requests, ten sessions in HAProxy");
  }

  private static long sessionsOfAllNodes() {
    return cluster.balancer().servers(HaproxyProcess.BACKEND).values().stream()
        .mapToLong(HaproxyProcess.Server::sessionsTotal)
        .sum();
  }

  @Test
  @Order(2)
  void devicesConnectedThroughTheBalancerAreSpreadOverEveryNode() {
    Map<String, Long> byNode = devicesByNode();
    assertEquals(DEVICES, byNode.values().stream().mapToLong(Long::longValue).sum(), "" + byNode);
    for (int i = 0; i < cluster.size(); i++) {
      assertTrue(byNode.get(cluster.nodeId(i)) > 0, "node" + (i + 1) + " holds devices: " + byNode);
    }
  }

  /**
   * The client's address, not the balancer's: a sign-in from 127.0.0.5 with a forged
   * X-Forwarded-For is audited as 127.0.0.5 (HAProxy drops the client's header and sets its own;
   * the nodes trust only 127.0.0.1).
   */
  @Test
  @Order(3)
  void aSignInThroughTheBalancerIsAuditedWithTheClientsAddress() throws Exception {
    PortalClient.NewUser user = cluster.admin().createUser();
    LoopbackClient.Answer login =
        LoopbackClient.post(
            cluster.tls(),
            "127.0.0.5",
            URI.create(cluster.baseUrl()).getPort(),
            "/api/auth/login",
            "{\"username\":\"" + user.username() + "\",\"password\":\"" + user.password() + "\"}",
            "203.0.113.9");
    assertEquals(200, login.status(), "login through the balancer: " + login);
    assertEquals(
        "127.0.0.5",
        cluster.admin().signInAddress(user.username()),
        "the audited address of a sign-in through HAProxy");
  }

  /**
   * A link port through HAProxy's TCP section (PROXY protocol v2 to whichever node it picks): the
   * allowed client reaches the device byte-exact through every node (relayed to the one holding
   * it), another source is refused and audited under its own address, not the balancer's.
   */
  @Test
  @Order(3)
  void aLinkPortThroughTheBalancerAdmitsOnlyItsAllowedClientThroughEveryNode() throws Exception {
    JsonNode link =
        cluster
            .admin()
            .expect(
                201,
                "POST",
                "/api/devices/" + echoDevice + "/links",
                Map.of("target", "echo", "allowCidrs", List.of(ALLOWED + "/32")));
    int port = link.get("port").asInt();
    Map<String, HaproxyProcess.Server> before = cluster.balancer().servers(LINK_BACKEND);
    // leastconn over idle servers takes them in turn: one connection per node
    for (int i = 0; i < cluster.size(); i++) {
      long seed = i;
      Await.until(
          "an echo through link port " + port + " via the balancer",
          Duration.ofSeconds(20),
          () -> {
            try (Socket s = dial(ALLOWED, port)) {
              return Transfer.echo(s, 1 << 20, seed, Duration.ofSeconds(20)).exact();
            } catch (Exception | AssertionError e) {
              return false;
            }
          });
    }
    Map<String, HaproxyProcess.Server> after = cluster.balancer().servers(LINK_BACKEND);
    for (int i = 0; i < cluster.size(); i++) {
      String server = "node" + (i + 1);
      assertTrue(
          after.get(server).sessionsTotal() > before.get(server).sessionsTotal(),
          server + " carried a link client: " + after);
    }

    try (Socket outsider = dial(OUTSIDER, port)) {
      outsider.getOutputStream().write("let me in".getBytes(StandardCharsets.US_ASCII));
      assertEquals(-1, SocketEnd.readOrEnd(outsider.getInputStream()), "the outsider is closed");
    }
    awaitAudited("link.refused", OUTSIDER);
  }

  /**
   * A raw device server (TCP-client mode) reaching its ingress port through HAProxy: a source
   * outside its allowlist is refused, the allowed one comes online under its own address.
   */
  @Test
  @Order(3)
  void aRawDeviceThroughTheBalancerComesOnlineUnderItsOwnAddress() throws Exception {
    JsonNode d =
        cluster
            .admin()
            .expect(
                201,
                "POST",
                "/api/devices",
                Map.of(
                    "name",
                    PortalClient.unique("raw"),
                    "mode",
                    "raw",
                    "allowCidrs",
                    List.of(ALLOWED + "/32"),
                    "connectSecret",
                    "TETHER-7"));
    long id = d.get("id").asLong();
    int port = d.get("ingress").get("port").asInt();
    try {
      try (Socket outsider = dial(OUTSIDER, port)) {
        outsider.getOutputStream().write("TETHER-7".getBytes(StandardCharsets.US_ASCII));
        assertEquals(-1, SocketEnd.readOrEnd(outsider.getInputStream()), "the outsider is closed");
      }
      assertTrue(!cluster.admin().online(id), "not online through an outsider");
      Socket[] unit = new Socket[1];
      Await.until(
          "the raw device online through the balancer",
          Duration.ofSeconds(20),
          () -> {
            if (unit[0] == null) {
              try {
                unit[0] = dial(ALLOWED, port);
                unit[0].getOutputStream().write("TETHER-7".getBytes(StandardCharsets.US_ASCII));
              } catch (java.io.IOException e) {
                unit[0] = null; // the port is not bound everywhere yet: dial again
              }
            }
            return cluster.admin().online(id);
          });
      assertEquals(
          ALLOWED,
          cluster.admin().device(id).get("remoteAddress").asText(),
          "the device's address is its own, as HAProxy named it");
      unit[0].close(); // (the outsider's refusal is audited once its burst window ends: 1 min)
    } finally {
      cluster.admin().expect(204, "DELETE", "/api/devices/" + id, null);
    }
  }

  /**
   * A tether-cli forward through the balancer (HTTPS with the balancer's CA): 8 MiB byte-exact to
   * the device, whichever node HAProxy picked (relayed to the device's node where needed).
   */
  @Test
  @Order(3)
  void aCliForwardThroughTheBalancerIsByteExact() throws Exception {
    String token = cluster.admin().createApiToken();
    try (CliProcess cli =
            CliProcess.forward(
                echoDeviceName,
                "echo",
                cluster.baseUrl(),
                token,
                List.of("--ca", cluster.ca().toString()));
        Socket s = new Socket("127.0.0.1", cli.port())) {
      Transfer.Result r = Transfer.echo(s, 8 << 20, 11, Duration.ofSeconds(60));
      assertTrue(r.exact(), "byte-exact through the balancer: " + r);
    }
  }

  private static final String LINK_BACKEND = "tether_links";

  /** A TCP connection from {@code from} (a loopback address) to the balancer's {@code port}. */
  private static Socket dial(String from, int port) throws java.io.IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(new InetSocketAddress(URI.create(cluster.baseUrl()).getHost(), port), 5000);
    s.setSoTimeout(20_000);
    return s;
  }

  private static void awaitAudited(String action, String address) {
    Await.until(
        action + " from " + address + " in the audit log",
        Duration.ofSeconds(20),
        () -> {
          for (JsonNode e :
              cluster
                  .admin()
                  .expect(200, "GET", "/api/audit?action=" + action, null)
                  .get("items")) {
            if (e.get("address").asText().equals(address)) {
              return true;
            }
          }
          return false;
        });
  }

  // --- a device held by each node: terminals through the balancer, PostgreSQL restarted ---

  /** An echo from the device, relayed where HAProxy picked another node, on a busy machine. */
  private static final Duration ECHOED = Duration.ofSeconds(10);

  /** A closed session's last recording chunks and its end, written by its node's journal. */
  private static final Duration STORED = Duration.ofSeconds(30);

  /**
   * Between the lines typed on each terminal while PostgreSQL restarts: several fall in the ~0.1 s
   * a fast restart keeps it down.
   */
  private static final Duration TYPE_EVERY = Duration.ofMillis(20);

  /** A node's pool, heartbeat and readiness back after the database is. */
  private static final Duration RECOVERED = Duration.ofSeconds(30);

  /**
   * One device held by each node, from the first test that needs them until the PostgreSQL restart
   * test ends: the SIGTERM and SIGKILL tests count devices coming back through the balancer, which
   * these (dialling one node) cannot.
   */
  private static NodeDevices held;

  private static NodeDevices devicesHeldByEachNode() {
    if (held == null) {
      held = NodeDevices.start(cluster, echo.port());
    }
    return held;
  }

  private static void stopDevicesHeldByEachNode() {
    if (held != null) {
      held.close();
      held = null;
    }
  }

  /**
   * For a device held by each node in turn: a controller's terminal through the balancer (on
   * whichever node HAProxy picks: the device's own or relayed to it) and an observer's straight to
   * another node are one session: the observer sees the bytes the controller typed and the device
   * echoed, one live session row exists, held by the device's node, and once both close the device
   * has one more session, ended, its recording holding every byte with no gap.
   */
  @Test
  @Order(4)
  void aTerminalThroughTheBalancerAndAnObserverOnAnotherNodeShareOneRecordedSession()
      throws Exception {
    NodeDevices devices = devicesHeldByEachNode();
    for (int i = 0; i < cluster.size(); i++) {
      long device = devices.device(i).id();
      assertEquals(cluster.nodeId(i), devices.nodeOf(i), "node" + (i + 1) + " holds the device");
      int sessionsBefore = sessionsOf(device).size();
      Map<String, HaproxyProcess.Server> before =
          cluster.balancer().servers(HaproxyProcess.BACKEND);
      long session;
      long carried = 0;
      try (TerminalClient controller = throughTheBalancer(device)) {
        int landed = nodeThatTookOneConnection(before);
        int other = observerNode(i, landed);
        session = sessionId(controller, "controller");
        byte[] first = ascii("the controller of node" + (i + 1) + "'s device\r");
        controller.type(first);
        controller.awaitReceived(first, ECHOED);
        carried += first.length;

        PortalApi onOther =
            PortalApi.signIn(cluster.node(other).baseUrl(), "admin", PortalProcess.ADMIN_PASSWORD);
        try (TerminalClient observer =
            TerminalClient.terminal(
                    cluster.node(other).baseUrl(), onOther, device, NodeDevices.TARGET)
                .awaitLive()) {
          JsonNode seen = observer.awaitSession(s -> s.path("participants").size() == 2);
          assertEquals("observer", seen.get("role").asText(), "the second terminal observes");
          assertEquals(session, seen.get("id").asLong(), "the observer joined the same session");
          byte[] second = ascii("typed through the balancer, seen on node" + (other + 1) + "\r");
          controller.type(second);
          controller.awaitReceived(second, ECHOED);
          observer.awaitReceived(second, ECHOED);
          carried += second.length;
          assertEquals(
              List.of(cluster.nodeId(i)),
              devices.liveSessionNodes(i),
              "the nodes holding a live session of node" + (i + 1) + "'s device");
        }
        System.out.printf(
            "[balancer] node%d's device: controller through the balancer on %s, observer on"
                + " node%d, session %d%n",
            i + 1,
            landed < 0 ? "a node the stats do not tell" : "node" + (landed + 1),
            other + 1,
            session);
      }
      assertStored(session, carried);
      assertEquals(
          sessionsBefore + 1, sessionsOf(device).size(), "one session record for both terminals");
    }
  }

  /**
   * PostgreSQL restarted (fast stop, same port) under three nodes, each holding a device with a
   * terminal open to it through the balancer: every terminal echoes while the database is down and
   * after, none closes; every node is ready again without a restart of its own, all three are
   * listed live, each takes a new sign-in; no agent reconnected and every device is online; and
   * each session is stored with every byte it carried recorded and no gap (a node's session journal
   * tries a batch the database could not take again).
   */
  @Test
  @Order(5)
  void aPostgresRestartUnderThreeNodesLosesNoTerminalNoDeviceAndNoRecordedByte() throws Exception {
    NodeDevices devices = devicesHeldByEachNode();
    try {
      List<AgentProcess> everyAgent = new ArrayList<>(agents);
      everyAgent.addAll(devices.agents());
      List<Integer> tunnels = everyAgent.stream().map(a -> a.count(AgentProcess.ONLINE)).toList();
      long[] pids = new long[cluster.size()];
      int[] resumed = new int[cluster.size()];
      for (int i = 0; i < cluster.size(); i++) {
        pids[i] = cluster.node(i).process().pid();
        resumed[i] = eventsResumed(i);
      }
      List<TerminalClient> terminals = new ArrayList<>();
      long[] sessions = new long[cluster.size()];
      long[] carried = new long[cluster.size()];
      try {
        for (int i = 0; i < cluster.size(); i++) {
          terminals.add(throughTheBalancer(devices.device(i).id()));
          sessions[i] = sessionId(terminals.get(i), "controller");
        }
        echoOnEach(terminals, "before the restart", carried);

        PortalClient.NewDevice leaver = cluster.admin().createDevice();
        AgentProcess leaving = leaverOnTheFirstNode(leaver);
        TypingThroughout typing =
            TypingThroughout.start(terminals, "while PostgreSQL restarts", TYPE_EVERY);
        long restartedIn;
        try (typing) {
          long started = System.nanoTime();
          cluster.restartDatabase(() -> leaveWhileTheDatabaseIsDown(leaving));
          restartedIn = (System.nanoTime() - started) / 1_000_000;
        }
        for (int i = 0; i < cluster.size(); i++) {
          terminals.get(i).awaitReceived(typing.typed(i), ECHOED);
          carried[i] += typing.typed(i).length;
        }
        System.out.printf(
            "[balancer] PostgreSQL restarted in %d ms; %d lines typed on each terminal meanwhile,"
                + " every one echoed%n",
            restartedIn, typing.lines());

        // nothing asks the nodes anything until each has re-checked every live socket (its LISTEN
        // connection back): a quiet portal, whose pooled connections all died with the server
        Await.until(
            "every node's cluster events resumed",
            RECOVERED,
            () -> allNodes(i -> eventsResumed(i) > resumed[i]));
        Await.until(
            "every node ready again", RECOVERED, () -> allNodes(i -> cluster.node(i).ready()));
        for (int i = 0; i < cluster.size(); i++) {
          assertEquals(
              pids[i], cluster.node(i).process().pid(), "node" + (i + 1) + " never restarted");
        }
        Await.until("three live nodes listed", RECOVERED, () -> liveNodesQuietly() == 3);
        Await.until(
            "a new sign-in on every node",
            RECOVERED,
            () -> allNodes(ClusterBalancerIT::signsInQuietly));
        echoOnEach(terminals, "after the restart", carried);
        Await.until(
            "the device whose agent left while PostgreSQL was down listed offline",
            RECOVERED,
            () -> !cluster.admin().online(leaver.id()));
        for (int i = 0; i < cluster.size(); i++) {
          assertEquals(
              null,
              terminals.get(i).closedWith(),
              "the terminal to node" + (i + 1) + "'s device lived through the restart");
        }
      } finally {
        terminals.forEach(TerminalClient::close);
      }
      for (int i = 0; i < cluster.size(); i++) {
        assertStored(sessions[i], carried[i]);
      }
      assertEquals(
          tunnels,
          everyAgent.stream().map(a -> a.count(AgentProcess.ONLINE)).toList(),
          "every agent's tunnel lived through the restart (times each said online)");
      Await.until(
          "every device online", RECOVERED, () -> onlineOnLiveNodes() == DEVICES + cluster.size());
    } finally {
      stopDevicesHeldByEachNode();
    }
  }

  /** What node 1 logs when the database could not take a presence write (now or yet). */
  private static final String PRESENCE_NOT_WRITTEN = "not written";

  /** An agent of {@code device} dialling node 1 directly, online and routed. */
  private static AgentProcess leaverOnTheFirstNode(PortalClient.NewDevice device) {
    AgentProcess agent =
        fleet.add(cluster.agentOn(0, device, List.of(NodeDevices.TARGET + "=tcp:127.0.0.1:1")));
    agent.awaitOnline(BACK_ONLINE);
    Await.until("the leaver listed online", BACK_ONLINE, () -> cluster.admin().online(device.id()));
    return agent;
  }

  /**
   * The agent dies while PostgreSQL is stopped: node 1 sees its tunnel close and tries to write the
   * device offline, which the database cannot take yet. That write must wait for the database, not
   * be lost (the device would be listed online for good).
   */
  private static void leaveWhileTheDatabaseIsDown(AgentProcess leaving) {
    PortalProcess first = cluster.node(0);
    long tunnels = NodeMetrics.gauge(first, NodeMetrics.TUNNELS_ONLINE);
    leaving.kill9();
    Await.until(
        "node1 saw the leaver's tunnel close",
        ECHOED,
        () -> NodeMetrics.gauge(first, NodeMetrics.TUNNELS_ONLINE) < tunnels);
    int failed = first.process().count(PRESENCE_NOT_WRITTEN);
    Await.until(
        "node1 tried a presence write the database could not take",
        ECHOED,
        () -> first.process().count(PRESENCE_NOT_WRITTEN) > failed);
    signInIsToldToTryAgain(first);
  }

  /** A sign-in the database cannot take is told to try again: 503 with Retry-After, not a 500. */
  private static void signInIsToldToTryAgain(PortalProcess node) {
    HttpResponse<String> r =
        PortalApi.send(
            node.baseUrl(),
            "POST",
            "/api/auth/login",
            Map.of("username", "admin", "password", PortalProcess.ADMIN_PASSWORD),
            Map.of("X-Forwarded-For", PortalApi.randomAddress()));
    assertEquals(503, r.statusCode(), "a sign-in while PostgreSQL is down: " + r.body());
    assertEquals(Optional.of("1"), r.headers().firstValue("Retry-After"), "told when to try again");
    assertTrue(r.body().contains("the database is not reachable"), r.body());
  }

  /** A terminal to {@code device}'s echo target through the balancer, as the admin, live. */
  private static TerminalClient throughTheBalancer(long device) {
    return TerminalClient.terminal(
            cluster.baseUrl(), cluster.tls(), cluster.admin().cookie(), device, NodeDevices.TARGET)
        .awaitLive();
  }

  /** The id of the session {@code terminal} is in, once its row is written, in {@code role}. */
  private static long sessionId(TerminalClient terminal, String role) {
    return terminal
        .awaitSession(s -> s.path("id").isNumber() && s.path("role").asText().equals(role))
        .get("id")
        .asLong();
  }

  /** Types a line on each terminal (all first, then waits), adding what each carried. */
  private static void echoOnEach(List<TerminalClient> terminals, String when, long[] carried) {
    List<byte[]> lines = new ArrayList<>();
    for (int i = 0; i < terminals.size(); i++) {
      lines.add(ascii("node" + (i + 1) + "'s device, " + when + "\r"));
      assertEquals(
          null,
          terminals.get(i).closedWith(),
          "the terminal to node" + (i + 1) + "'s device is open " + when);
      terminals.get(i).type(lines.get(i));
    }
    for (int i = 0; i < terminals.size(); i++) {
      terminals.get(i).awaitReceived(lines.get(i), ECHOED);
      carried[i] += lines.get(i).length;
    }
  }

  /**
   * Session {@code id} ended and stored with at least {@code carried} bytes recorded and no gap.
   */
  private static void assertStored(long id, long carried) {
    JsonNode[] last = new JsonNode[1];
    try {
      Await.until(
          "session " + id + " ended with " + carried + " bytes recorded",
          STORED,
          () -> {
            try {
              last[0] = cluster.admin().expect(200, "GET", "/api/sessions/" + id, null);
            } catch (AssertionError | UncheckedIOException e) {
              return false; // a connection the database restart broke
            }
            return last[0].get("state").asText().equals("ended")
                && last[0].get("recording").get("bytes").asLong() >= carried;
          });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; last seen: " + last[0], e);
    }
    assertEquals(0, last[0].get("recording").get("gaps").asInt(), "no gap: " + last[0]);
  }

  private static JsonNode sessionsOf(long device) {
    return cluster.admin().expect(200, "GET", "/api/sessions?device=" + device, null).get("items");
  }

  /**
   * The node HAProxy gave the one connection opened since {@code before} (its stats), or -1 if
   * another connection (a device reconnecting) blurs which.
   */
  private static int nodeThatTookOneConnection(Map<String, HaproxyProcess.Server> before) {
    Map<String, HaproxyProcess.Server> after = cluster.balancer().servers(HaproxyProcess.BACKEND);
    List<Integer> took = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      String server = "node" + (i + 1);
      if (after.get(server).sessionsTotal() > before.get(server).sessionsTotal()) {
        took.add(i);
      }
    }
    return took.size() == 1 ? took.get(0) : -1;
  }

  /**
   * A node other than the device's, and other than the controller's where HAProxy relayed it: then
   * three nodes carry the session.
   */
  private static int observerNode(int device, int controller) {
    for (int step = 1; step < cluster.size(); step++) {
      int node = (device + step) % cluster.size();
      if (node != controller) {
        return node;
      }
    }
    throw new AssertionError("no third node in a cluster of " + cluster.size());
  }

  /**
   * How often node {@code i} logged that its cluster events resumed (ClusterEvents), after which
   * every live socket re-checks its access.
   */
  private static int eventsResumed(int i) {
    return cluster.node(i).process().count("cluster events resumed");
  }

  private static boolean allNodes(IntPredicate check) {
    for (int i = 0; i < cluster.size(); i++) {
      if (!check.test(i)) {
        return false;
      }
    }
    return true;
  }

  private static long liveNodesQuietly() {
    try {
      long live = 0;
      for (JsonNode n : nodes()) {
        live += n.get("state").asText().equals("live") ? 1 : 0;
      }
      return live;
    } catch (AssertionError | UncheckedIOException e) {
      notAnInternalError(e);
      return -1; // a request that met a connection the restart broke
    }
  }

  /** Whether the admin signs in on node {@code i} directly (a new web session in the database). */
  private static boolean signsInQuietly(int i) {
    try {
      PortalApi.signIn(cluster.node(i).baseUrl(), "admin", PortalProcess.ADMIN_PASSWORD);
      return true;
    } catch (AssertionError | UncheckedIOException e) {
      notAnInternalError(e);
      return false;
    }
  }

  /**
   * A request that met a pooled connection the restart broke is told to try again (503 with
   * Retry-After), never answered as an internal error.
   */
  private static void notAnInternalError(Throwable failure) {
    if (String.valueOf(failure.getMessage()).contains("answered 500")) {
      throw new AssertionError("a request after the restart answered 500", failure);
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * SIGTERM: readiness DOWN at once while the node still serves; HAProxy stops sending it requests
   * within its detection time, its devices come back through the other nodes, and no request
   * through the balancer fails from the signal until the node has exited.
   */
  @Test
  @Order(6)
  void aNodeStoppedWithSigtermLeavesTheBalancerAndItsDevicesComeBackOnTheOthers() {
    int victim = busiestNode();
    PortalProcess node = cluster.node(victim);
    HaproxyProcess balancer = cluster.balancer();
    try (RequestLoop user = RequestLoop.start("sigterm", ClusterBalancerIT::nodes)) {
      long stoppedAt = System.nanoTime();
      node.process().signal("TERM");

      Await.until(
          "node" + (victim + 1) + "'s readiness DOWN", LEAVES_BALANCER, () -> !node.ready());
      assertTrue(node.process().isAlive(), "readiness goes DOWN before the node stops");
      balancer.awaitServer(
          victim, false, LEAVES_BALANCER.minusNanos(System.nanoTime() - stoppedAt));
      long left = (System.nanoTime() - stoppedAt) / 1_000_000;
      long sessions = balancer.server(victim).sessionsTotal();
      for (int i = 0; i < 10; i++) {
        nodes();
      }
      assertEquals(
          sessions, balancer.server(victim).sessionsTotal(), "no request reaches it any more");

      awaitDevicesOnlyOnTheOthers(victim, stoppedAt);
      assertTrue(node.process().waitFor(BACK_ONLINE), "the node stops by itself");
      long answered = user.assertEveryRequestAnswered();
      System.out.printf(
          "[balancer] SIGTERM: out of HAProxy after %d ms, exited after %d ms; %d requests"
              + " through the balancer meanwhile, all answered%n",
          left, (System.nanoTime() - stoppedAt) / 1_000_000, answered);
    }
  }

  /**
   * SIGKILL: HAProxy marks the node down, its devices reconnect through the balancer to the others
   * at once, and a survivor declares it dead after dead-after.
   */
  @Test
  @Order(7)
  void aKilledNodesDevicesComeBackOnTheOthersAndTheOthersDeclareItDead() {
    int victim = busiestNode();
    long killedAt = System.nanoTime();
    cluster.kill9(victim);

    cluster.balancer().awaitServer(victim, false, LEAVES_BALANCER);
    System.out.printf(
        "[balancer] SIGKILL: out of HAProxy after %d ms%n",
        (System.nanoTime() - killedAt) / 1_000_000);
    awaitDevicesOnlyOnTheOthers(victim, killedAt);
    awaitDeclaredDead(victim);
    System.out.printf(
        "[balancer] SIGKILL: declared dead after %d ms%n",
        (System.nanoTime() - killedAt) / 1_000_000);
  }

  /**
   * SIGSTOP to the node holding the echo device, with a terminal through the balancer open to it:
   * HAProxy takes the node out; the real agents it held hear nothing for the tunnel's dead-after
   * and come back through the others within dead-after + 30 s; a survivor declares the node dead
   * and ends its sessions ({@code node-lost}). On SIGCONT the node learns it was declared dead,
   * closes what it still holds (the simulated devices, which never notice a silent portal,
   * reconnect through the balancer) and rejoins under a new epoch. Afterwards no device is held
   * twice (the nodes' tunnels add up to the devices online) and a new terminal to the device is the
   * one live session on it. The node stays frozen until all that is observed, not the fixed
   * 90 s. With the tests' 3 s tunnel dead-after the thawed node's own liveness check would also
   * close the stale tunnels, so this checks the outcome, not which of the two closed them.
   */
  @Test
  @Order(8)
  void aFrozenNodeIsDeclaredDeadItsDevicesMoveAndItRejoinsHoldingNothingTwice() throws Exception {
    int victim = holderOf(echoDevice);
    String id = cluster.nodeId(victim);
    long epochBefore = nodeRow(id).get("epoch").asLong();
    List<Long> agentsOnVictim = agentDevices.stream().filter(d -> holderOf(d) == victim).toList();
    TerminalClient terminal = throughTheBalancer(echoDevice);
    long session = sessionId(terminal, "controller");
    PortalProcess node = cluster.node(victim);
    long frozenAt = System.nanoTime();
    node.process().signal("STOP");
    try {
      cluster.balancer().awaitServer(victim, false, SILENT_LEAVES_BALANCER);
      awaitDeclaredDead(victim);
      Await.until(
          "the frozen node's session ended node-lost",
          RECOVERED,
          () -> sessionState(session).equals("ended node-lost"));
      Await.until(
          "the real agents node" + (victim + 1) + " held online through the others",
          FROZEN_AGENTS_BACK,
          () -> agentsOnVictim.stream().allMatch(d -> isOnlineElsewhere(d, id)));
      System.out.printf(
          "[balancer] SIGSTOP: node%d declared dead and its %d agent(s) online elsewhere after"
              + " %d ms%n",
          victim + 1, agentsOnVictim.size(), (System.nanoTime() - frozenAt) / 1_000_000);
    } finally {
      node.process().signal("CONT");
    }
    try {
      Await.until(
          "node" + (victim + 1) + " learns it was declared dead and rejoins",
          RECOVERED,
          () -> node.process().output().contains("this node rejoined the cluster"));
      assertTrue(
          node.process().output().contains("declared dead while away"),
          "it says why it ended what it held");
      assertTrue(nodeRow(id).get("epoch").asLong() > epochBefore, "it rejoined under a new epoch");
      terminal.awaitClosed(RECOVERED);
      Await.until("every device online again", BACK_ONLINE, () -> onlineOnLiveNodes() == DEVICES);
      Await.until(
          "the nodes' tunnels add up to the devices online: none held twice",
          RECOVERED,
          () -> tunnelsOnEveryNode() == onlineInTheDatabase());
    } finally {
      terminal.close();
    }
    try (TerminalClient again = throughTheBalancer(echoDevice)) {
      long next = sessionId(again, "controller");
      assertTrue(next != session, "a new session, not the frozen node's");
      List<String> live = liveSessionsOf(echoDevice);
      assertEquals(List.of(Long.toString(next)), live, "one live session on the device");
    }
  }

  /**
   * An agent's tunnel is declared dead after 3 s of silence (the tests' timer), then it redials.
   */
  private static final Duration FROZEN_AGENTS_BACK = Duration.ofSeconds(3 + 30);

  /** Index of the node holding {@code device} now. */
  private static int holderOf(long device) {
    String holder = deviceRow(device)[0];
    for (int i = 0; i < cluster.size(); i++) {
      if (cluster.nodeId(i).equals(holder)) {
        return i;
      }
    }
    throw new AssertionError("device " + device + " is held by no node: " + holder);
  }

  private static boolean isOnlineElsewhere(long device, String frozen) {
    String[] row = deviceRow(device);
    return row[1].equals("true") && !row[0].equals(frozen);
  }

  /** {@code devices.node_id} and {@code online} of {@code device}. */
  private static String[] deviceRow(long device) {
    try (Connection db = cluster.database();
        PreparedStatement s =
            db.prepareStatement("select coalesce(node_id, ''), online from devices where id = ?")) {
      s.setLong(1, device);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return new String[] {r.getString(1), Boolean.toString(r.getBoolean(2))};
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** "state reason" of session {@code id}. */
  private static String sessionState(long id) {
    try (Connection db = cluster.database();
        PreparedStatement s =
            db.prepareStatement(
                "select state, coalesce(close_reason, '') from sessions where id = ?")) {
      s.setLong(1, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) + " " + r.getString(2) : "none";
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Ids of the sessions on {@code device} not ended. */
  private static List<String> liveSessionsOf(long device) {
    try (Connection db = cluster.database();
        PreparedStatement s =
            db.prepareStatement(
                "select id from sessions where device_id = ? and ended_at is null order by id")) {
      s.setLong(1, device);
      List<String> ids = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          ids.add(Long.toString(r.getLong(1)));
        }
      }
      return ids;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long onlineInTheDatabase() {
    return cluster.scalar("select count(*) from devices where online");
  }

  /** Tunnels every node holds in memory, added up. */
  private static long tunnelsOnEveryNode() {
    long tunnels = 0;
    for (int i = 0; i < cluster.size(); i++) {
      tunnels += NodeMetrics.gauge(cluster.node(i), NodeMetrics.TUNNELS_ONLINE);
    }
    return tunnels;
  }

  /** Every device online through a node other than {@code victim} within the 30 s. */
  private static void awaitDevicesOnlyOnTheOthers(int victim, long since) {
    String id = cluster.nodeId(victim);
    Await.until(
        "all " + DEVICES + " devices online through the other nodes",
        BACK_ONLINE.minusNanos(System.nanoTime() - since),
        () -> {
          Map<String, Long> byNode = devicesByNode();
          return byNode.getOrDefault(id, 0L) == 0 && onlineOnLiveNodes() == DEVICES;
        });
    System.out.printf(
        "[balancer] node%d's devices online through the others after %d ms%n",
        victim + 1, (System.nanoTime() - since) / 1_000_000);
  }

  /** The node holding the most devices now (each holds some: test 2). */
  private static int busiestNode() {
    Map<String, Long> byNode = devicesByNode();
    int busiest = 0;
    for (int i = 1; i < cluster.size(); i++) {
      if (byNode.getOrDefault(cluster.nodeId(i), 0L)
          > byNode.getOrDefault(cluster.nodeId(busiest), 0L)) {
        busiest = i;
      }
    }
    return busiest;
  }

  private static JsonNode nodes() {
    return cluster.admin().expect(200, "GET", "/api/nodes", null).get("items");
  }

  /**
   * Waits for a survivor to declare node {@code victim} dead; when it does not, says what the
   * database's sessions were doing and what the survivors logged about their heartbeats.
   */
  private static void awaitDeclaredDead(int victim) {
    String id = cluster.nodeId(victim);
    try {
      Await.until(
          "node" + (victim + 1) + " declared dead by a survivor",
          DECLARED_DEAD,
          () -> "dead".equals(nodeRow(id).get("state").asText()));
    } catch (AssertionError e) {
      StringBuilder said = new StringBuilder();
      for (int i = 0; i < cluster.size(); i++) {
        if (i != victim) {
          int node = i + 1;
          cluster
              .node(i)
              .process()
              .output()
              .lines()
              .filter(l -> l.contains("heartbeat") || l.contains("judge") || l.contains("dead"))
              .forEach(l -> said.append("  node").append(node).append(": ").append(l).append('\n'));
        }
      }
      throw new AssertionError(
          e.getMessage()
              + "\nthe database's busy sessions:\n"
              + cluster.activity()
              + "the survivors on heartbeats and judging:\n"
              + said,
          e);
    }
  }

  private static JsonNode nodeRow(String id) {
    for (JsonNode n : nodes()) {
      if (n.get("id").asText().equals(id)) {
        return n;
      }
    }
    throw new AssertionError("node " + id + " is not listed: " + nodes());
  }

  /** Devices online through each node, as {@code GET /api/nodes} counts them. */
  private static Map<String, Long> devicesByNode() {
    Map<String, Long> byNode = new HashMap<>();
    for (JsonNode n : nodes()) {
      byNode.put(n.get("id").asText(), n.get("devices").asLong());
    }
    return byNode;
  }

  /** Devices online through live nodes. */
  private static long onlineOnLiveNodes() {
    long online = 0;
    for (JsonNode n : nodes()) {
      if (n.get("state").asText().equals("live")) {
        online += n.get("devices").asLong();
      }
    }
    return online;
  }
}
