package io.tether.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresBinariesTest {
  @Test
  void eachSupportedArchitectureHasItsOwnArchive() {
    assertEquals("postgres-linux-x86_64.txz", PostgresBinaries.archiveFor("amd64"));
    assertEquals("postgres-linux-x86_64.txz", PostgresBinaries.archiveFor("x86_64"));
    assertEquals("postgres-linux-arm_64.txz", PostgresBinaries.archiveFor("aarch64"));
    assertEquals("postgres-linux-arm_64.txz", PostgresBinaries.archiveFor("arm64"));
  }

  @Test
  void anUnsupportedArchitectureIsNamedWithTheWayOut() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> PostgresBinaries.archiveFor("riscv64"));
    assertEquals(
        "no embedded PostgreSQL for the riscv64 architecture (amd64 and arm64 only); set"
            + " TETHER_DB_URL",
        e.getMessage());
  }

  @Test
  void thePackagedArchiveOfTheArchitectureIsReadFromBesideTheApplication(@TempDir Path app)
      throws IOException {
    Files.createDirectories(app.resolve("postgres"));
    Files.write(app.resolve("postgres/postgres-linux-arm_64.txz"), new byte[] {1, 2, 3});
    try (InputStream in = PostgresBinaries.open(Optional.of(app), "aarch64")) {
      assertArrayEquals(new byte[] {1, 2, 3}, in.readAllBytes());
    }
  }

  @Test
  void anArchitectureWhoseArchiveIsMissingIsRefusedByName(@TempDir Path app) {
    // the test class path has only the amd64 artifact, and app/postgres/ has nothing
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> PostgresBinaries.open(Optional.of(app), "arm64"));
    assertTrue(e.getMessage().contains("for arm64 are not in this build"), e.getMessage());
  }

  @Test
  void testsFindTheAmd64ArchiveOnTheClassPath() throws IOException {
    try (InputStream in = PostgresBinaries.open(Optional.empty(), "amd64")) {
      assertEquals(0xFD, in.read(), "an xz stream starts with FD 37 7A 58 5A 00");
    }
  }
}
