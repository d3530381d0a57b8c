package io.tether.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.agent.Backoff;
import io.tether.session.CloseReasons;
import io.tether.session.TerminalClient;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.CliProcess;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.Started;
import io.tether.testing.TestDevices;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kill -9} of a portal holding three live tunnels, two terminal sessions (one shared by two
 * participants) and a CLI forward with bytes flowing; then a restart on the same data dir. Set up
 * once; each test checks one promise of the restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalKillIT {
  /**
   * Agents retry with full-jitter backoff (1, 2, 4 … s, capped at {@link Backoff#MAX}) while the
   * portal is down; a restart that is slow on a busy machine lets the ceiling reach the cap, so an
   * agent's next attempt may come up to that long after the portal is ready. Plus slack.
   */
  private static final Duration BACK_ONLINE = Backoff.MAX.plus(Duration.ofSeconds(30));

  /** The killed portal's sockets close with the process: its peers notice at once. */
  private static final Duration PEERS_NOTICE = Duration.ofSeconds(15);

  private static final Started started = new Started();
  @RegisterExtension static final PortalFixture portal = PortalFixture.start("portal-kill");
  private static final List<TestDevices.Device> devices = new ArrayList<>();
  private static final List<Long> liveSessions = new ArrayList<>();
  private static long killedPostmaster;
  private static boolean orphanAfterKill;
  private static long restartMillis;
  private static long readyAt;

  @BeforeAll
  static void killThePortalWithEverythingLiveAndRestartIt() throws Exception {
    for (int i = 0; i < 3; i++) {
      devices.add(TestDevices.echo(portal.process(), portal.admin(), null, started::add));
    }

    // device 0: a session with a controller and an observer; device 1: a session of one
    TerminalClient shared = started.add(terminal(0));
    TerminalClient observer = started.add(terminal(0));
    TerminalClient single = started.add(terminal(1));
    for (TerminalClient t : List.of(shared, observer, single)) {
      t.awaitLive();
    }
    shared.type("before the crash\r".getBytes(StandardCharsets.US_ASCII));
    single.type("before the crash\r".getBytes(StandardCharsets.US_ASCII));
    shared.awaitReceived("crash\r".getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(10));
    single.awaitReceived("crash\r".getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(10));
    liveSessions.add(shared.awaitSession(s -> s.path("id").isNumber()).get("id").asLong());
    liveSessions.add(single.awaitSession(s -> s.path("id").isNumber()).get("id").asLong());
    // rows and spans are written by the session journal, off the event loop: wait for them
    Await.until(
        "two live sessions, with two open rows and three open participant spans",
        Duration.ofSeconds(10),
        () ->
            portal.admin().get("/api/sessions?live=true").get("items").size() == 2
                && openSessionRows().size() == 2
                && openParticipantRows().size() == 3);

    // device 2: a CLI forward echoing bytes without pause
    String token =
        portal
            .admin()
            .post("/api/tokens", Map.of("name", PortalApi.unique("fault")))
            .get("token")
            .asText();
    String name = portal.admin().get("/api/devices/" + devices.get(2).id()).get("name").asText();
    CliProcess cli = started.add(CliProcess.forward(name, "echo", portal.baseUrl(), token));
    Socket forwarded = started.add(cli.connect());
    AtomicLong echoed = new AtomicLong();
    Thread pump = new Thread(() -> echoLoop(forwarded, echoed), "forward-traffic");
    pump.setDaemon(true);
    pump.start();
    Await.until(
        "1 MiB to echo through the forward", Duration.ofSeconds(20), () -> echoed.get() > 1 << 20);

    killedPostmaster = portal.process().postgresPid();
    assertEquals(
        Set.of(killedPostmaster),
        Postmasters.serving(pgData()),
        "one postmaster serves the data dir before the crash");
    portal.process().kill9();
    orphanAfterKill = Postmasters.alive(killedPostmaster);
    System.out.printf(
        "[fault] kill -9 of the portal: its PostgreSQL (pid %d) %s; %d KiB had echoed through the"
            + " forward%n",
        killedPostmaster,
        orphanAfterKill ? "was left running (orphaned)" : "ended with it",
        echoed.get() >> 10);

    for (TerminalClient t : List.of(shared, observer, single)) {
      t.awaitClosed(PEERS_NOTICE);
    }
    Await.until(
        "the CLI to report that the portal went away (log: " + cli.log() + ")",
        PEERS_NOTICE,
        () -> cli.log().contains("tether-cli: the portal closed the connection"));

    long restarting = System.nanoTime();
    portal.process().start();
    readyAt = System.nanoTime();
    restartMillis = Duration.ofNanos(readyAt - restarting).toMillis();
    portal.signInAgain();
    System.out.println("[fault] the portal was ready " + restartMillis + " ms after its restart");
  }

  @AfterAll
  static void closeAll() {
    started.close();
  }

  @Test
  @Order(1)
  void theRestartStopsTheOrphanedPostgresAndExactlyOneServesTheDataDir() {
    assertFalse(
        Postmasters.alive(killedPostmaster),
        "the killed portal's postmaster (pid " + killedPostmaster + ") still runs");
    long now = portal.process().postgresPid();
    assertTrue(now > 0 && now != killedPostmaster, "postmaster.pid names a new server: " + now);
    assertEquals(
        Set.of(now),
        Postmasters.serving(pgData()),
        "exactly the restarted portal's postmaster serves the data dir");
    if (orphanAfterKill) {
      assertTrue(
          portal
              .process()
              .log()
              .contains("stopping an orphaned PostgreSQL (pid " + killedPostmaster),
          "the restart says it stopped the orphaned server");
    }
  }

  @Test
  @Order(2)
  void everyDeviceComesBackOnlineByItself() {
    for (TestDevices.Device d : devices) {
      d.agent().awaitLog(AgentProcess.ONLINE, 2, BACK_ONLINE);
      Await.until(
          "device " + d.id() + " online after the restart",
          Duration.ofSeconds(10),
          () -> portal.admin().get("/api/devices/" + d.id()).get("online").asBoolean());
    }
    System.out.printf(
        "[fault] all %d devices online %d ms after the restarted portal was ready%n",
        devices.size(), Duration.ofNanos(System.nanoTime() - readyAt).toMillis());
  }

  @Test
  @Order(3)
  void everySessionThatWasLiveIsEndedAsPortalCrashedWithItsParticipantsGone() {
    for (long id : liveSessions) {
      JsonNode s = portal.admin().get("/api/sessions/" + id);
      assertEquals("ended", s.path("state").asText(), s.toString());
      assertEquals(CloseReasons.PORTAL_CRASHED, s.path("closeReason").asText(), s.toString());
      assertTrue(s.path("endedAt").isTextual(), "an end time: " + s);
      for (JsonNode p : s.path("participants")) {
        assertTrue(p.path("leftAt").isTextual(), "every participant has left: " + s);
      }
    }
    assertEquals(
        0,
        portal.admin().get("/api/sessions?live=true").get("items").size(),
        "no session is live after the restart");
  }

  @Test
  @Order(4)
  void theDatabaseHoldsNoOpenRowsAndOnlyTheReconnectedDevicesAreOnline() throws Exception {
    assertEquals(List.of(), openSessionRows(), "sessions left open (id)");
    assertEquals(List.of(), openParticipantRows(), "participant spans left open (session:seq)");
    String node = Files.readString(portal.process().dataDir().resolve("node-id")).trim();
    Set<String> expected = new TreeSet<>();
    for (TestDevices.Device d : devices) {
      expected.add(d.id() + "@" + node);
    }
    assertEquals(
        expected,
        new TreeSet<>(
            query("select id || '@' || node_id from devices where online and deleted_at is null")),
        "the devices the database calls online, and the node holding each");
  }

  @Test
  @Order(5)
  void closingThePortalLeavesNoPostgresRunning() {
    portal.process().close();
    assertEquals(
        Set.of(), Postmasters.serving(pgData()), "postmasters left running on the data dir");
  }

  private static TerminalClient terminal(int device) {
    return TerminalClient.terminal(
        portal.baseUrl(), portal.admin(), devices.get(device).id(), "echo");
  }

  private static Path pgData() {
    return portal.process().dataDir().resolve("postgres");
  }

  private static List<String> openSessionRows() {
    return query(
        "select id::text from sessions where ended_at is null or state <> 'ended'"
            + " or close_reason is null");
  }

  private static List<String> openParticipantRows() {
    return query("select session_id || ':' || seq from session_participants where left_at is null");
  }

  /** The first column of every row {@code sql} selects, over a fresh JDBC connection. */
  private static List<String> query(String sql) {
    List<String> rows = new ArrayList<>();
    try (Connection c = portal.process().jdbc();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        rows.add(r.getString(1));
      }
    } catch (SQLException | IOException e) {
      throw new AssertionError("query failed: " + sql, e);
    }
    return rows;
  }

  /** Writes and reads back 16 KiB at a time until the connection ends. */
  private static void echoLoop(Socket socket, AtomicLong echoed) {
    byte[] out = new byte[16 * 1024];
    byte[] in = new byte[out.length];
    try {
      OutputStream o = socket.getOutputStream();
      InputStream i = socket.getInputStream();
      while (true) {
        o.write(out);
        int got = 0;
        while (got < in.length) {
          int n = i.read(in, got, in.length - got);
          if (n < 0) {
            return;
          }
          got += n;
        }
        echoed.addAndGet(got);
      }
    } catch (IOException e) {
      // the portal went away: the forward ends
    }
  }
}
