package io.tether.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.testing.Await;
import io.tether.testing.Build;
import io.tether.testing.HeadlessChromium;
import io.tether.testing.JavaProcess;
import io.tether.testing.PortalProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged portal on its embedded database, with nothing configured but ports and a data dir:
 * one portal, restarted and killed across the ordered steps.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalStartIT {
  private static PortalProcess portal;

  @BeforeAll
  static void startPortal() {
    portal = PortalProcess.start("portal-start");
  }

  @AfterAll
  static void stopPortal() {
    if (portal != null) {
      portal.close();
    }
  }

  @Test
  @Order(1)
  void readinessReportsUpWithTheDatabaseCheck() throws Exception {
    HttpResponse<String> ready = portal.get("/q/health/ready");
    assertEquals(200, ready.statusCode());
    assertTrue(ready.body().contains("\"database\""), ready.body());
    assertEquals(200, portal.get("/q/health/live").statusCode());
  }

  @Test
  @Order(2)
  void metricsAndOpenApiAreOnlyOnTheLoopbackManagementPort() throws Exception {
    assertEquals(404, portal.get("/q/metrics").statusCode());
    assertEquals(404, portal.get("/q/openapi").statusCode());
    HttpClient client = HttpClient.newHttpClient();
    String management = "http://127.0.0.1:" + portal.managementPort();
    HttpResponse<String> metrics =
        client.send(
            HttpRequest.newBuilder(URI.create(management + "/q/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "Prometheus format expected");
    HttpResponse<String> openapi =
        client.send(
            HttpRequest.newBuilder(URI.create(management + "/q/openapi")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, openapi.statusCode());
  }

  @Test
  @Order(3)
  void firstStartCreatesExactlyOneAdminAndNeverLogsItsPassword() throws Exception {
    assertEquals(1L, scalar("select count(*) from users where admin"));
    assertTrue(
        portal.log().contains("TETHER_ADMIN_PASSWORD"),
        "the log says where the password came from");
    assertFalse(
        portal.log().contains(PortalProcess.ADMIN_PASSWORD), "the admin password is in the log");
    // the suite's portals hash at bcrypt's floor (PortalProcess.FAST_HASHING): the setting
    // reaches the hash, and the portal says it is a test suite's cost
    assertEquals(1L, scalar("select count(*) from users where password_hash like '$2a$04$%'"));
    assertTrue(
        portal.log().contains("TETHER_PASSWORD_HASH_COST=4 is below 10"),
        "a test suite's hash cost is warned of");
  }

  @Test
  @Order(4)
  void nodeIdentityAndSecretAreGeneratedIntoTheDataDir() throws Exception {
    String nodeId = Files.readString(portal.dataDir().resolve("node-id")).trim();
    String secret = Files.readString(portal.dataDir().resolve("secret.key")).trim();
    assertTrue(nodeId.matches("[0-9a-f-]{36}"), nodeId);
    assertFalse(portal.log().contains(secret), "the node secret is in the log");
  }

  @Test
  @Order(5)
  void aRowWrittenBeforeARestartIsThereAfterIt() throws Exception {
    try (Connection c = portal.jdbc();
        Statement s = c.createStatement()) {
      s.execute("insert into device_groups (name) values ('survives-restart')");
    }
    long migrations = scalar("select count(*) from flyway_schema_history");
    String nodeId = Files.readString(portal.dataDir().resolve("node-id"));
    portal.stop();
    assertEquals(-1, portal.postgresPid(), "a graceful stop also stops PostgreSQL");
    portal.start();
    assertEquals(1L, scalar("select count(*) from device_groups where name = 'survives-restart'"));
    assertEquals(
        migrations,
        scalar("select count(*) from flyway_schema_history"),
        "Flyway re-applied something");
    assertEquals(
        1L, scalar("select count(*) from users where admin"), "a restart created another admin");
    assertEquals(nodeId, Files.readString(portal.dataDir().resolve("node-id")), "node id changed");
  }

  @Test
  @Order(6)
  void afterKill9TheNextStartStopsTheOrphanedServerAndSucceeds() throws Exception {
    long orphan = portal.postgresPid();
    assertTrue(orphan > 0);
    portal.kill9();
    assertTrue(
        ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false),
        "PostgreSQL should outlive a kill -9 of the portal (that is what the next start must fix)");
    portal.start();
    Await.until(
        "the orphaned PostgreSQL to exit",
        Duration.ofSeconds(5),
        () -> ProcessHandle.of(orphan).map(h -> !h.isAlive()).orElse(true));
    assertNotEquals(orphan, portal.postgresPid());
    assertTrue(
        portal.log().contains("stopping an orphaned PostgreSQL (pid " + orphan + ")"),
        "no log line about the orphan");
    assertEquals(1L, scalar("select count(*) from device_groups where name = 'survives-restart'"));
  }

  @Test
  @Order(7)
  void theStartPageLoadsInHeadlessChromium() throws Exception {
    String dom = HeadlessChromium.dumpDom(portal.baseUrl() + "/");
    assertTrue(dom.contains("Sign in"), "the sign-in page should render:\n" + dom);
    Path png = Build.dir().resolve("screenshots/portal-start.png");
    Files.createDirectories(png.getParent());
    HeadlessChromium.screenshot(portal.baseUrl() + "/", png, 1024, 600);
    assertTrue(Files.size(png) > 0);
  }

  @Test
  @Order(8)
  void aSecondPortalOnTheSameDataDirIsRefusedAndTheFirstKeepsRunning() throws Exception {
    long postgres = portal.postgresPid();
    try (PortalProcess second =
        PortalProcess.create("portal-start-second", Map.of(), portal.dataDir())) {
      JavaProcess p = second.startExpectingExit(Duration.ofSeconds(30));
      assertEquals(2, p.exitCode());
      assertTrue(p.output().contains("is in use by another running Tether portal"), p.output());
    }
    assertEquals(postgres, portal.postgresPid(), "the running portal's PostgreSQL was touched");
    assertTrue(portal.ready());
  }

  private static long scalar(String sql) throws Exception {
    try (Connection c = portal.jdbc();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A database that stops answering takes the one node out of a balancer; back, it is ready. */
  @Test
  @Order(9)
  void readinessIsDownWhileTheDatabaseDoesNotAnswer() throws Exception {
    long postgres = portal.postgresPid();
    assertTrue(postgres > 0, "the embedded PostgreSQL runs");
    signal("STOP", postgres);
    try {
      Await.until(
          "readiness DOWN with the database frozen",
          Duration.ofSeconds(20),
          () -> {
            try {
              HttpResponse<String> r = portal.get("/q/health/ready");
              return r.statusCode() == 503 && r.body().contains("the database does not answer");
            } catch (Exception e) {
              return false;
            }
          });
    } finally {
      signal("CONT", postgres);
    }
    Await.until("readiness UP again", Duration.ofSeconds(20), portal::ready);
  }

  /** Signals the postmaster and every backend it forked (each connection has its own). */
  private static void signal(String name, long pid) throws Exception {
    assertEquals(
        0, new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor(), name);
    new ProcessBuilder("pkill", "-" + name, "-P", Long.toString(pid)).start().waitFor();
  }
}
