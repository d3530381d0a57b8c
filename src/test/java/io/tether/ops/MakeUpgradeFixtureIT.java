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
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: makes the upgrade fixture of this build when {@code deploy/fixtures/make-fixture.sh
 * VERSION} runs it with {@code -D}{@value #VERSION}. Populates a packaged portal, backs it up with
 * the {@code backup} command and unpacks the backup into {@code
 * src/test/resources/upgrade/VERSION}.
 */
@EnabledIfSystemProperty(named = MakeUpgradeFixtureIT.VERSION, matches = ".+")
class MakeUpgradeFixtureIT {
  static final String VERSION = "tether.fixture.version";

  @Test
  void makeFixture() throws IOException {
    Path target = Path.of(UpgradeFixtures.DIR, System.getProperty(VERSION));
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
}
