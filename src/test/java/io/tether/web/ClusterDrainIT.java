package io.tether.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tether.session.SessionHubs;
import io.tether.session.TerminalClient;
import io.tether.testing.Await;
import io.tether.testing.ClusterFixture;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalClient;
import io.tether.testing.Started;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A node of a cluster drains under live sessions: two packaged nodes behind HAProxy (the shipped
 * config), one PostgreSQL, a real agent dialling through the balancer with a serial target on a
 * socat PTY and a TCP echo target, and headless Chromium running frontend/e2e/cluster.mjs through
 * the balancer. An observer signed in directly on the node not holding the device shares the
 * controller's session: the same bytes, one recording without a gap. SIGTERM to the node holding
 * the device: the browser terminals (a controller and an observer) resume by themselves on the
 * other node in the roles they had, typing reaches the serial line, and the session stays one
 * record whose recording marks the move; a terminal on the TCP target ends {@code node-draining}; a
 * moving session nobody resumes is ended by the survivor.
 */
@ResourceLock("several-nodes")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterDrainIT {
  private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(180);
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final ClusterFixture cluster = ClusterFixture.start("drain", 2);

  private static final Started started = new Started();
  private static SerialRig rig;
  private static PortalClient.NewUser alice;
  private static PortalClient.NewUser bob;

  @BeforeAll
  static void deviceAndUsers() {
    PortalClient admin = cluster.admin();
    PortalClient.NewDevice made = admin.createDevice();
    Map<String, Object> device = new LinkedHashMap<>();
    device.put("id", made.id());
    device.put("name", made.name());
    device.put("token", made.token());
    rig =
        new SerialRig(
            JSON.valueToTree(device),
            cluster.tunnelUrl(),
            List.of("--ca", cluster.ca().toString()),
            admin::online,
            true,
            started);
    rig.startAndAwaitOnline();
    // the console is logged: every session below borrows the logger's channel, and the drain
    // moves the log with the device (docs/console-log.md)
    admin.expect(
        200,
        "PATCH",
        "/api/devices/" + made.id(),
        Map.of("targets", Map.of("console", Map.of("log", "always"))));
    Await.until(
        "the console logged by the device's node",
        Duration.ofSeconds(20),
        () -> consoleLog(admin, "").toString().contains("logging started"));
    alice = admin.createUser();
    bob = admin.createUser();
    admin.grant(alice.id(), "default", "operator");
    admin.grant(bob.id(), "default", "operator");
  }

  @AfterAll
  static void stopDevice() {
    started.close();
  }

  /**
   * A controller through the balancer and a second browser signed in directly on the node that does
   * not hold the device (frontend/e2e/cluster.mjs "observerElsewhere"): an observer of the same
   * session, the same bytes in both terminals, only the controller's keys on the serial line; once
   * both close, one ended session record held by the device's node, its recording holding every
   * byte the device printed, without a gap.
   */
  @Test
  @Order(2)
  void anObserverOnTheOtherNodeSharesTheControllersSessionAndItsOneRecording() throws Exception {
    int owner = owner();
    long before = lastSessionId();
    AtomicLong printed = new AtomicLong();

    Map<String, BrowserDialogue.Handler> handlers = new HashMap<>(rig.handlers());
    BrowserDialogue.Handler print = handlers.get("ptyWrite");
    handlers.put(
        "ptyWrite",
        r -> {
          printed.addAndGet(SerialRig.bytes(r).length);
          return print.handle(r);
        });
    handlers.put("deviceNode", r -> nodeOf(rig.id()));
    handlers.put("session", r -> sessionRow(r.get("session").asLong()));

    BrowserDialogue.run(
        "cluster.mjs",
        "observerElsewhere",
        consoleScenarioEnv(Map.of("OTHER_NODE_URL", cluster.node(1 - owner).baseUrl())),
        handlers,
        SCENARIO_TIMEOUT);

    Map<String, Object> session = theOneConsoleSessionEnded(before);
    assertEquals(cluster.nodeId(owner), session.get("node"), "held by the device's node");
    assertEquals("closed-by-user", session.get("reason"), "closed when the pages closed");
    assertEquals(0, session.get("gaps"), "no gap in its recording: " + session);
    assertTrue(
        (long) session.get("recorded") >= printed.get(),
        "its recording holds the " + printed + " bytes the device printed: " + session);
  }

  @Test
  @Order(3)
  void aDrainingNodesTerminalsResumeOnTheOtherNodeInOneSessionRecord() throws Exception {
    int owner = owner();
    long before = lastSessionId();
    TerminalClient[] tcp = new TerminalClient[1];

    Map<String, BrowserDialogue.Handler> handlers = new HashMap<>(rig.handlers());
    handlers.put(
        "drainOwner",
        r -> {
          // a terminal on the TCP target beside, straight to the owner: it cannot move
          String base = cluster.node(owner).baseUrl();
          PortalApi user = PortalApi.signIn(base, alice.username(), alice.password());
          tcp[0] = TerminalClient.terminal(base, user, rig.id(), "echo").awaitLive();
          cluster.node(owner).process().signal("TERM");
          return cluster.nodeId(owner);
        });
    handlers.put("deviceNode", r -> nodeOf(rig.id()));
    handlers.put("session", r -> sessionRow(r.get("session").asLong()));

    BrowserDialogue.run(
        "cluster.mjs", "drain", consoleScenarioEnv(Map.of()), handlers, SCENARIO_TIMEOUT);

    assertTrue(
        cluster.node(owner).process().waitFor(Duration.ofSeconds(30)),
        "the drained node stops by itself within 30 s");
    String tcpClose = tcp[0].awaitClosed(Duration.ofSeconds(10));
    assertTrue(
        tcpClose.startsWith("1000 node-draining"),
        "a stream to a TCP target cannot move: " + tcpClose);
    assertEquals(cluster.nodeId(1 - owner), nodeOf(rig.id()), "the device moved to the other node");

    Map<String, Object> console = theOneConsoleSessionEnded(before);
    assertEquals("closed-by-user", console.get("reason"), "closed when the pages closed");
    assertTrue((int) console.get("gaps") >= 1, "its recording marks the move: " + console);

    // the console log followed the device to the other node
    rig.tap.write("logged after the move\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    Await.until(
        "the line printed after the move in the console log",
        Duration.ofSeconds(20),
        () ->
            consoleLog(cluster.admin(), "&q=logged%20after%20the%20move").path("items").size()
                == 1);
    assertTrue(
        consoleLog(cluster.admin(), "")
            .toString()
            .contains("logging resumed: nothing was logged since"),
        "the other node's logger marks where it took over");
  }

  /** The device's console log through the balancer ({@code query} appended to {@code ?limit=}). */
  private static com.fasterxml.jackson.databind.JsonNode consoleLog(
      PortalClient admin, String query) {
    return admin.expect(
        200, "GET", "/api/devices/" + rig.id() + "/targets/console/log?limit=10000" + query, null);
  }

  /** The settings of the scenarios of two operators on the device's console, and {@code more}. */
  private static Map<String, String> consoleScenarioEnv(Map<String, String> more) {
    Map<String, String> env = new HashMap<>(more);
    env.put("TETHER_URL", cluster.baseUrl());
    env.put("DEVICE_ID", Long.toString(rig.id()));
    env.put("DEVICE_NAME", rig.name());
    env.put("FIRST_USERNAME", alice.username());
    env.put("FIRST_PASSWORD", alice.password());
    env.put("SECOND_USERNAME", bob.username());
    env.put("SECOND_PASSWORD", bob.password());
    return env;
  }

  /**
   * Once every terminal session of the device after {@code before} ended (the browsers closed): the
   * one on the console, failing unless there is exactly one.
   */
  private static Map<String, Object> theOneConsoleSessionEnded(long before) {
    Await.until(
        "the browsers' session ended once both pages closed",
        Duration.ofSeconds(15),
        () -> terminalSessions(before).stream().allMatch(s -> s.get("state").equals("ended")));
    List<Map<String, Object>> sessions = terminalSessions(before);
    List<Map<String, Object>> console =
        sessions.stream().filter(s -> s.get("target").equals("console")).toList();
    assertEquals(1, console.size(), "one session record on the console: " + sessions);
    return console.get(0);
  }

  @Test
  @Order(1)
  void aMovingSessionNobodyResumesIsEndedWhenItsWindowPasses() throws Exception {
    long id;
    try (Connection db = cluster.database();
        PreparedStatement s =
            db.prepareStatement(
                "insert into sessions (device_id, target, state, node_id, started_at, moved_at,"
                    + " resume_until) values (?, 'console', 'moving', 'gone',"
                    + " now() - interval '2 minutes', now() - make_interval(secs => ?),"
                    + " now() - interval '1 second') returning id")) {
      s.setLong(1, rig.id());
      s.setLong(2, SessionHubs.MOVE_WINDOW.toSeconds() + 1);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        id = r.getLong(1);
      }
    }
    long session = id;
    Await.until(
        "a live node ends the moving session whose window passed",
        Duration.ofSeconds(20),
        () -> "ended".equals(sessionRow(session).get("state")));
    Map<String, Object> row = sessionRow(session);
    assertEquals("node-draining", row.get("reason"), "ended as the drain left it: " + row);
  }

  /**
   * The fleet page through the balancer after a node is killed under the device, its agent frozen:
   * offline when a survivor declares the node dead, online again once the agent reconnects, without
   * a reload (frontend/e2e/cluster.mjs "fleet").
   */
  @Test
  @Order(4)
  void theFleetPageShowsAKilledNodesDeviceOfflineThenOnlineWithoutAReload() throws Exception {
    Await.until(
        "the device online (through the drain test's survivor)",
        Duration.ofSeconds(30),
        () -> cluster.admin().online(rig.id()));
    Map<String, BrowserDialogue.Handler> handlers = new HashMap<>();
    handlers.put(
        "killOwnerFreezingTheAgent",
        r -> {
          int owner = owner();
          rig.agent.freeze();
          cluster.kill9(owner);
          return cluster.nodeId(owner);
        });
    handlers.put(
        "thawAgent",
        r -> {
          rig.agent.thaw();
          return null;
        });
    handlers.put("deviceNode", r -> nodeOf(rig.id()));
    try {
      adminScenario("fleet", handlers);
    } finally {
      rig.agent.thaw();
    }
  }

  /**
   * PostgreSQL restarts while the admin reloads the fleet page through the balancer: the page's
   * reads are answered 503 with Retry-After while it is down and sent again by the page, which
   * lists the device once the database is back, without an error (frontend/e2e/cluster.mjs
   * "databaseRestart").
   */
  @Test
  @Order(5)
  void theFleetPageReloadedWhilePostgresRestartsListsTheDeviceWithoutAnError() throws Exception {
    Await.until(
        "the device online (through the fleet test's survivor)",
        Duration.ofSeconds(30),
        () -> cluster.admin().online(rig.id()));
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicReference<Thread> restart = new AtomicReference<>();
    Map<String, BrowserDialogue.Handler> handlers = new HashMap<>();
    handlers.put(
        "stopDatabase",
        r -> {
          Thread t =
              new Thread(
                  () -> {
                    try {
                      cluster.restartDatabase(
                          () -> {
                            stopped.countDown();
                            sleep(DATABASE_DOWN);
                          });
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  },
                  "restart-postgres");
          restart.set(t);
          t.start();
          if (!stopped.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("PostgreSQL did not stop");
          }
          return null;
        });
    handlers.put(
        "databaseBack",
        r -> {
          restart.get().join(Duration.ofSeconds(30).toMillis());
          return null;
        });
    try {
      adminScenario("databaseRestart", handlers);
    } finally {
      Thread t = restart.get();
      if (t != null) {
        t.join(Duration.ofSeconds(30).toMillis());
      }
    }
  }

  /** How long PostgreSQL stays stopped: within the page's retries (Retry-After 1 s, five times). */
  private static final Duration DATABASE_DOWN = Duration.ofSeconds(3);

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs a cluster.mjs scenario of the admin on the fleet page, through the balancer. */
  private static void adminScenario(String scenario, Map<String, BrowserDialogue.Handler> handlers)
      throws Exception {
    BrowserDialogue.run(
        "cluster.mjs",
        scenario,
        Map.of(
            "TETHER_URL",
            cluster.baseUrl(),
            "ADMIN_PASSWORD",
            io.tether.testing.PortalProcess.ADMIN_PASSWORD,
            "DEVICE_NAME",
            rig.name()),
        handlers,
        SCENARIO_TIMEOUT);
  }

  // --- what only the database shows ---

  private static int owner() {
    String node = nodeOf(rig.id());
    for (int i = 0; i < cluster.size(); i++) {
      if (cluster.nodeId(i).equals(node)) {
        return i;
      }
    }
    throw new AssertionError("no node of the cluster holds the device: " + node);
  }

  private static String nodeOf(long device) {
    try (Connection db = cluster.database();
        PreparedStatement s =
            db.prepareStatement("select node_id from devices where id = ? and online")) {
      s.setLong(1, device);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : "";
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> sessionRow(long id) {
    try (Connection db = cluster.database();
        PreparedStatement s =
            db.prepareStatement(
                "select state, node_id, close_reason, recording_gaps, target,"
                    + " (select count(*) from session_participants p where p.session_id = s.id),"
                    + " recording_bytes from sessions s where id = ?")) {
      s.setLong(1, id);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return Map.of("state", "none", "all", allSessions(db));
        }
        Map<String, Object> row = new HashMap<>();
        row.put("state", r.getString(1));
        row.put("node", r.getString(2) == null ? "" : r.getString(2));
        row.put("reason", r.getString(3) == null ? "" : r.getString(3));
        row.put("gaps", r.getInt(4));
        row.put("target", r.getString(5));
        row.put("spans", r.getInt(6));
        row.put("recorded", r.getLong(7));
        return row;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String allSessions(Connection db) throws SQLException {
    StringBuilder all = new StringBuilder();
    try (PreparedStatement s =
            db.prepareStatement("select id, device_id, target, state, node_id from sessions");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        all.append(r.getLong(1)).append('/').append(r.getLong(2)).append('/');
        all.append(r.getString(3)).append('/').append(r.getString(4)).append('/');
        all.append(r.getString(5)).append(' ');
      }
    }
    return all.toString();
  }

  /** The id of the latest session of any kind (0 before the first). */
  private static long lastSessionId() {
    return cluster.scalar("select coalesce(max(id), 0) from sessions");
  }

  /** The device's terminal sessions after session {@code after} (a test's), oldest first. */
  private static List<Map<String, Object>> terminalSessions(long after) {
    try (Connection db = cluster.database();
        PreparedStatement s =
            db.prepareStatement(
                "select id from sessions where device_id = ? and kind = 'terminal'"
                    + " and node_id <> 'gone' and id > ? order by id")) {
      s.setLong(1, rig.id());
      s.setLong(2, after);
      List<Map<String, Object>> rows = new java.util.ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          rows.add(sessionRow(r.getLong(1)));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
