package io.tether.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The build's tool check: a missing tool stops the build at once, with one actionable line. */
class TestToolsTest {
  private static final Path LIST = Path.of(".ci/test-tools");

  @Test
  void namesEveryMissingPackageAndTheOneCommandThatInstallsThem() {
    List<TestTools.Tool> tools =
        TestTools.parse(
            List.of(
                "# comment",
                "",
                "socat  /nonexistent/socat -V",
                "here   true",
                "python3-serial  /nonexistent/python3 -m serial.tools.list_ports --help"));
    String problem =
        TestTools.problem(tools, tool -> TestTools.present(tool, Duration.ofSeconds(5)));
    assertEquals(
        "missing: socat, python3-serial — install with: apt-get install -y socat python3-serial",
        problem);
  }

  @Test
  void saysNothingWhenEveryToolIsThere() {
    assertNull(TestTools.problem(TestTools.parse(List.of("here true")), tool -> true));
  }

  @Test
  void skippedWhenTheBuildSkipsTheTestsThatNeedTheTools() {
    assertTrue(TestTools.skipped("true,false,false"), "-DskipTests");
    assertTrue(TestTools.skipped("false,true,false"), "-DskipITs");
    assertFalse(TestTools.skipped("false,false,false"), "a full build");
  }

  @Test
  void aProbeThatFailsMeansMissing() {
    assertFalse(
        TestTools.present(new TestTools.Tool("x", List.of("false")), Duration.ofSeconds(5)));
  }

  @Test
  void aHangingProbeMeansMissingAfterItsTimeoutNotAHang() {
    long start = System.nanoTime();
    boolean present =
        TestTools.present(new TestTools.Tool("x", List.of("sleep", "60")), Duration.ofMillis(300));
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    assertFalse(present, "a probe that never answers counted as installed");
    assertTrue(tookMillis < 10_000, "the probe was waited for " + tookMillis + " ms");
  }

  /** Every tool a test or benchmark starts as a process is on the list the build checks. */
  @Test
  void theListNamesEveryToolTheTestsDrive() throws IOException {
    List<String> packages =
        TestTools.parse(Files.readAllLines(LIST)).stream().map(TestTools.Tool::pkg).toList();
    for (String pkg :
        List.of(
            "socat", "chromium-headless-shell", "openssl", "python3-serial", "procps", "haproxy")) {
      assertTrue(packages.contains(pkg), LIST + " lacks " + pkg + ": " + packages);
    }
  }
}
