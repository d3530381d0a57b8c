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
    try (PortalProcess portal =
        PortalProcess.create("as-root", Map.of("TETHER_DB_EMBEDDED_AS", "user"))) {
      // nobody must be able to traverse to the data dir, as on a real /var/lib/tether
      Files.setPosixFilePermissions(
          portal.dataDir().getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
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
