package io.tether.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tether.testing.Build;
import io.tether.testing.JavaProcess;
import io.tether.testing.PortalProcess;
import io.tether.testing.Started;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * The upgrade fixtures in {@value #DIR}: one directory per release, each the unzipped files of a
 * backup ({@code dump.sql}, {@code secret.key}, {@code node-id}) plus {@value PortalContents#FILE},
 * made by {@code deploy/fixtures/make-fixture.sh}.
 */
final class UpgradeFixtures {
  static final String DIR = "src/test/resources/upgrade";

  private UpgradeFixtures() {}

  static List<Path> all() throws IOException {
    try (Stream<Path> dirs = Files.list(Path.of(DIR))) {
      return dirs.filter(Files::isDirectory).sorted().toList();
    }
  }

  /**
   * Populates a packaged portal, backs it up with {@code backup} and unpacks it into {@code
   * target}.
   */
  static void make(Path target) throws IOException {
    Path archive = Build.workDir("make-fixture").resolve("fixture.backup");
    try (Started started = new Started();
        PortalProcess portal = PortalProcess.create("make-fixture", Map.of())) {
      portal.start();
      PortalContents contents = PortalContents.populate(portal, started::add);
      JavaProcess.Result backup =
          ServerCommands.run(
              Map.of("TETHER_DATA_DIR", portal.dataDir().toString()), "backup", archive.toString());
      assertEquals(0, backup.exitCode(), backup.output());
      Files.createDirectories(target);
      List<String> files = new ArrayList<>(BackupArchive.IDENTITY_FILES);
      files.add(BackupArchive.DUMP);
      try (ZipFile zip = new ZipFile(archive.toFile())) {
        for (String name : files) {
          try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
            Files.copy(in, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      contents.write(target.resolve(PortalContents.FILE));
    }
  }

  /**
   * Restores {@code fixture} with {@code restore} into a fresh data dir, starts this build on it
   * (Flyway migrates it on) and checks that what the release issued still works.
   */
  static void verify(Path fixture) throws IOException {
    String release = fixture.getFileName().toString();
    try (Started started = new Started();
        PortalProcess portal = PortalProcess.create("upgrade-from-" + release, Map.of())) {
      JavaProcess.Result restore =
          ServerCommands.run(
              Map.of("TETHER_DATA_DIR", portal.dataDir().toString()),
              "restore",
              fixture.toAbsolutePath().toString());
      assertEquals(0, restore.exitCode(), "restore of " + release + ": " + restore.output());
      portal.start();
      PortalContents.read(fixture.resolve(PortalContents.FILE)).verify(portal, started::add);
    }
  }
}
