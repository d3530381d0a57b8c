package io.tether.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.testing.Build;
import io.tether.testing.JavaProcess;
import io.tether.testing.ThrowawayCheckout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/fixtures/make-fixture.sh} run in a throwaway copy, and the fixture maker it runs
 * (MakeUpgradeFixtureIT) run here into a work dir and restored. The script's Maven build (minutes:
 * the whole package) is a stub here that records what it was asked to run.
 */
class MakeFixtureScriptIT {
  private static final String SCRIPT = "deploy/fixtures/make-fixture.sh";

  @Test
  void theScriptRunsTheFixtureMakerForItsVersionAndNeverRemakesAFixture() throws IOException {
    try (ThrowawayCheckout copy =
        ThrowawayCheckout.of(
            List.of(SCRIPT, UpgradeFixtures.DIR),
            // as MakeUpgradeFixtureIT would, the stub leaves the version's directory behind
            "for a in \"$@\"; do case $a in -D"
                + MakeUpgradeFixtureIT.VERSION
                + "=*) mkdir -p \""
                + UpgradeFixtures.DIR
                + "/${a#*=}\" ;; esac; done")) {
      ThrowawayCheckout.Result made = copy.run(copy.root().resolve(SCRIPT).toString(), "9.9.9");
      assertEquals(0, made.exitCode(), made.output());
      assertEquals(
          List.of(
              "-B",
              "-ntp",
              "verify",
              "-Dtest=none",
              "-Dsurefire.failIfNoSpecifiedTests=false",
              "-Dit.test=MakeUpgradeFixtureIT",
              "-Dfailsafe.failIfNoSpecifiedTests=false",
              "-D" + MakeUpgradeFixtureIT.VERSION + "=9.9.9"),
          copy.mavenArgs());

      ThrowawayCheckout.Result again = copy.run(copy.root().resolve(SCRIPT).toString(), "0.1.0");
      assertEquals(1, again.exitCode(), again.output());
      assertTrue(again.output().contains("a release's fixture is never remade"), again.output());
      ThrowawayCheckout.Result usage = copy.run(copy.root().resolve(SCRIPT).toString());
      assertEquals(64, usage.exitCode(), usage.output());
    }
  }

  /**
   * The maker's fixture restores. Starting a portal on it and checking its contents (UpgradeIT's
   * check, the same code for every fixture) would double this test's 35-40 s on a busy machine.
   */
  @Test
  void aFixtureMadeByTheMakerRestores() throws IOException {
    Path fixture = Build.workDir("fixture").resolve("9.9.9");
    UpgradeFixtures.make(fixture);
    for (String file : List.of("dump.sql", "secret.key", "node-id", PortalContents.FILE)) {
      assertTrue(Files.size(fixture.resolve(file)) > 0, file + " is written");
    }
    PortalContents.read(fixture.resolve(PortalContents.FILE));
    JavaProcess.Result restore =
        ServerCommands.run(
            Map.of("TETHER_DATA_DIR", Build.workDir("fixture-restored").toString()),
            "restore",
            fixture.toString());
    assertEquals(0, restore.exitCode(), restore.output());
  }
}
