package io.tether.ops;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: makes the upgrade fixture of this build when {@code deploy/fixtures/make-fixture.sh
 * VERSION} runs it with {@code -D}{@value #VERSION}, into {@code
 * src/test/resources/upgrade/VERSION} ({@link UpgradeFixtures#make}). MakeFixtureScriptIT runs the
 * script and the maker.
 */
@EnabledIfSystemProperty(named = MakeUpgradeFixtureIT.VERSION, matches = ".+")
class MakeUpgradeFixtureIT {
  static final String VERSION = "tether.fixture.version";

  @Test
  void makeFixture() throws IOException {
    UpgradeFixtures.make(Path.of(UpgradeFixtures.DIR, System.getProperty(VERSION)));
  }
}
