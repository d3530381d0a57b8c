package io.tether.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tether.testing.JavaProcess;
import io.tether.testing.PortalProcess;
import io.tether.testing.Started;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every release's fixture, restored with {@code restore} into a fresh data dir and started with
 * this build (Flyway migrates it on): what the old release issued must still work.
 */
class UpgradeIT {
  @Test
  void everyReleasesDataWorksAfterAnUpgradeToThisBuild() throws IOException {
    List<Path> fixtures = UpgradeFixtures.all();
    assertFalse(fixtures.isEmpty(), "no fixtures in " + UpgradeFixtures.DIR);
    for (Path fixture : fixtures) {
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
}
