package io.tether.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.db.EmbeddedPostgres;
import io.tether.testing.Build;
import io.tether.testing.JavaProcess;
import io.tether.testing.PortalProcess;
import io.tether.testing.Started;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A populated portal is backed up while it runs, stopped, and restored into a fresh data dir; the
 * restored portal must accept everything the old one issued. The same backup also goes into an
 * empty external PostgreSQL. One portal runs at a time.
 */
class BackupRestoreIT {
  private static final Started started = new Started();
  private static final Path work = Build.workDir("backup-restore");
  private static final Path archive = work.resolve("tether.backup");
  private static PortalContents contents;
  private static PortalProcess restored;
  private static JavaProcess.Result restore;

  @BeforeAll
  static void backUpARunningPortalAndRestoreIt() {
    try (PortalProcess original = PortalProcess.create("backup-original", Map.of())) {
      original.start();
      contents = PortalContents.populate(original, started::add);
      JavaProcess.Result backup =
          ServerCommands.run(dataDir(original), "backup", archive.toString());
      assertEquals(0, backup.exitCode(), "backup of the running portal: " + backup.output());
    }
    restored = started.add(PortalProcess.create("backup-restored", Map.of()));
    restore = ServerCommands.run(dataDir(restored), "restore", archive.toString());
    assertEquals(0, restore.exitCode(), "restore into a fresh data dir: " + restore.output());
    restored.start();
  }

  @AfterAll
  static void stop() {
    started.close();
  }

  private static Map<String, String> dataDir(PortalProcess portal) {
    return Map.of("TETHER_DATA_DIR", portal.dataDir().toString());
  }

  @Test
  void theRestoredPortalAcceptsOldLoginsTokensDeviceTokensAndReplaysOldRecordings() {
    contents.verify(restored, started::add);
  }

  @Test
  void theArchiveIsReadableByItsOwnerOnlyAndHoldsTheNodeSecret() throws IOException {
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(archive)));
    assertEquals(
        Files.readString(restored.dataDir().resolve("secret.key")),
        entry(archive, "secret.key"),
        "the restored data dir has the backup's secret.key");
  }

  @Test
  void restoreIntoADataDirALivePortalHoldsIsRefused() {
    JavaProcess.Result r = ServerCommands.run(dataDir(restored), "restore", archive.toString());
    assertEquals(CommandException.REFUSED, r.exitCode(), r.output());
    assertTrue(r.output().contains("held by a running Tether portal"), r.output());
    assertTrue(restored.ready(), "the live portal is untouched");
  }

  @Test
  void restoreIntoTheDatabaseOfALivePortalWithTheBackupsNodeIdIsRefused() throws Exception {
    // the restored portal runs with the backup's node id; a second data dir points at its database
    Path node = work.resolve("second-node");
    Map<String, String> env =
        Map.of(
            "TETHER_DATA_DIR", node.toString(),
            "TETHER_DB_URL", restored.jdbcUrl(),
            "TETHER_DB_USER", EmbeddedPostgres.USER,
            "TETHER_DB_PASSWORD", restored.postgresPassword());
    long users = count(restored, "users");
    JavaProcess.Result r = ServerCommands.run(env, "restore", archive.toString());
    assertEquals(CommandException.REFUSED, r.exitCode(), r.output());
    String nodeId = Files.readString(restored.dataDir().resolve("node-id")).trim();
    assertTrue(
        r.output().contains("refused: node " + nodeId + " of this backup is live"), r.output());
    assertFalse(Files.exists(node.resolve("secret.key")), "no secret.key written");
    assertEquals(users, count(restored, "users"), "the live database is unchanged");
    assertTrue(restored.ready(), "the live portal is untouched");
  }

  private static long count(PortalProcess portal, String table) throws Exception {
    try (Connection c = portal.jdbc();
        ResultSet rs = c.createStatement().executeQuery("select count(*) from " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aBackupWithoutRecordingsLeavesOutTheRecordingData() throws IOException {
    Path lean = work.resolve("lean.backup");
    JavaProcess.Result r =
        ServerCommands.run(dataDir(restored), "backup", lean.toString(), "--without-recordings");
    assertEquals(0, r.exitCode(), r.output());
    String dump = entry(lean, BackupArchive.DUMP);
    assertFalse(dump.contains("COPY \"" + SqlDump.RECORDING_TABLE + "\""), "no recording rows");
    assertTrue(dump.contains("COPY \"sessions\""), "sessions are kept");
  }

  @Test
  void restoreIntoAnEmptyExternalDatabaseWorksOnceThenRefusesTheFullDatabase() throws Exception {
    Path dir = work.resolve("external");
    try (EmbeddedPostgres external = EmbeddedPostgres.start(dir.resolve("pg"), "auto", l -> {})) {
      Map<String, String> env =
          Map.of(
              "TETHER_DATA_DIR", dir.resolve("node").toString(),
              "TETHER_DB_URL", external.jdbcUrl(),
              "TETHER_DB_USER", external.user(),
              "TETHER_DB_PASSWORD", external.password());
      JavaProcess.Result first = ServerCommands.run(env, "restore", archive.toString());
      assertEquals(0, first.exitCode(), first.output());
      try (Connection c =
              DriverManager.getConnection(
                  external.jdbcUrl(), external.user(), external.password());
          PreparedStatement s =
              c.prepareStatement("select count(*) from users where username = ?")) {
        s.setString(1, contents.username());
        ResultSet rs = s.executeQuery();
        rs.next();
        assertEquals(1, rs.getLong(1), "the user is in the external database");
      }
      JavaProcess.Result again = ServerCommands.run(env, "restore", archive.toString());
      assertEquals(CommandException.REFUSED, again.exitCode(), again.output());
      assertTrue(again.output().contains("already has"), again.output());
    }
  }

  private static String entry(Path zip, String name) throws IOException {
    try (ZipFile file = new ZipFile(zip.toFile());
        InputStream in = file.getInputStream(file.getEntry(name))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
