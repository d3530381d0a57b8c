package io.tether.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tether.testing.PortalProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * As root, where user namespaces are unavailable, the embedded PostgreSQL runs as {@code nobody}
 * (forced here with TETHER_DB_EMBEDDED_AS=user; the default path, a user namespace, is what every
 * other IT uses when CI runs as root).
 */
class PortalAsRootIT {
  @Test
  void embeddedPostgresRunsAsNobodyWhenUserNamespacesAreUnavailable() throws Exception {
    assumeTrue(
        Files.readString(Path.of("/proc/self/status")).matches("(?s).*\\nUid:\\s+0\\s.*"),
        "only meaningful as root");
    // nobody must be able to traverse to the data dir, as on a real /var/lib/tether; the clone
    // itself may sit below a 0700 directory, so the data dir goes to the system temp dir.
    Path base = Files.createTempDirectory("tether-as-root-");
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (PortalProcess portal =
        PortalProcess.create(
            "as-root", Map.of("TETHER_DB_EMBEDDED_AS", "user"), base.resolve("data"))) {
      portal.start();
      String status = Files.readString(Path.of("/proc/" + portal.postgresPid() + "/status"));
      assertTrue(
          status.matches("(?s).*\\nUid:\\s+65534\\s.*"), "postgres is not running as nobody");
      assertEquals(
          1,
          portal
              .log()
              .lines()
              .filter(l -> l.contains("the embedded server runs as user nobody"))
              .count(),
          "one log line says what was done about root");
    }
  }
}
