package io.tether.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
      UpgradeFixtures.verify(fixture);
    }
  }
}
