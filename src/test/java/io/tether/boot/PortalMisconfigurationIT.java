package io.tether.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.testing.Build;
import io.tether.testing.JavaProcess;
import io.tether.testing.PortalProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A wrong setting stops the start quickly with one line naming the variable and the reason. */
class PortalMisconfigurationIT {
  /** Well under the time a real start takes: these fail before Quarkus starts. */
  private static final Duration FAILS_WITHIN = Duration.ofSeconds(20);

  private static String errorLines(JavaProcess process) {
    return process
        .output()
        .lines()
        .filter(l -> l.contains("ERROR"))
        .reduce("", (a, b) -> a + b + "\n");
  }

  /**
   * Device web pages (issue #21) on the portal's own registrable domain would share its cookies.
   */
  @Test
  void aWebDomainBesideThePortalsStopsTheStart() {
    try (PortalProcess portal =
        PortalProcess.create(
            "bad-web-domain",
            Map.of(
                "TETHER_PUBLIC_URL", "https://tether.example.com",
                "TETHER_WEB_DOMAIN", "devices.example.com"))) {
      JavaProcess p = portal.startExpectingExit(FAILS_WITHIN);
      assertEquals(2, p.exitCode());
      String errors = errorLines(p);
      assertTrue(
          errors.contains("TETHER_WEB_DOMAIN: 'devices.example.com' shares the registrable domain"),
          errors);
    }
  }

  @Test
  void portThatIsNotANumberStopsTheStart() {
    try (PortalProcess portal =
        PortalProcess.create("bad-port", Map.of("TETHER_HTTP_PORT", "abc"))) {
      JavaProcess p = portal.startExpectingExit(FAILS_WITHIN);
      assertEquals(2, p.exitCode());
      String errors = errorLines(p);
      assertEquals(1, errors.lines().count(), "exactly one error line:\n" + p.output());
      assertTrue(errors.contains("TETHER_HTTP_PORT: 'abc' is not a port"), errors);
    }
  }

  @Test
  void dataDirThatIsNotWritableStopsTheStart() throws Exception {
    Path file = Files.createFile(Build.workDir("not-a-dir").resolve("plain-file"));
    try (PortalProcess portal =
        PortalProcess.create(
            "bad-data-dir", Map.of("TETHER_DATA_DIR", file.resolve("data").toString()))) {
      JavaProcess p = portal.startExpectingExit(FAILS_WITHIN);
      assertEquals(2, p.exitCode());
      String errors = errorLines(p);
      assertEquals(1, errors.lines().count(), "exactly one error line:\n" + p.output());
      assertTrue(
          errors.contains("TETHER_DATA_DIR: ") && errors.contains("is not a writable directory"),
          errors);
    }
  }

  @Test
  void unreachableDatabaseFailsWithinSecondsNamingHostAndPortButNotThePassword() {
    String password = "s3cret-db-password";
    try (PortalProcess portal =
        PortalProcess.create(
            "bad-db",
            Map.of(
                "TETHER_DB_URL", "jdbc:postgresql://127.0.0.1:1/tether",
                "TETHER_DB_USER", "tether",
                "TETHER_DB_PASSWORD", password))) {
      long started = System.nanoTime();
      JavaProcess p = portal.startExpectingExit(FAILS_WITHIN);
      long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
      assertTrue(seconds < 15, "took " + seconds + " s");
      assertEquals(2, p.exitCode());
      String errors = errorLines(p);
      assertEquals(1, errors.lines().count(), "exactly one error line:\n" + p.output());
      assertTrue(errors.contains("127.0.0.1:1"), errors);
      assertFalse(p.output().contains(password), "the password leaked into the output");
    }
  }

  @Test
  void aDataDirFromAnotherPostgresMajorIsRefusedNotReinitialised() throws Exception {
    try (PortalProcess portal = PortalProcess.create("old-major", Map.of())) {
      Path pgData = portal.dataDir().resolve("postgres");
      Files.createDirectories(pgData);
      Files.writeString(pgData.resolve("PG_VERSION"), "13\n");
      Files.writeString(pgData.resolve("precious"), "data");
      JavaProcess p = portal.startExpectingExit(Duration.ofSeconds(30));
      assertEquals(2, p.exitCode());
      assertTrue(errorLines(p).contains("holds a PostgreSQL 13 cluster"), p.output());
      assertEquals(
          "data", Files.readString(pgData.resolve("precious")), "the old cluster was touched");
    }
  }
}
