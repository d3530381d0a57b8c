package io.tether.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.testing.ThrowawayCheckout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code deploy/release.sh} run in a throwaway git repository (a copy of the files it reads, tagged
 * there; nothing is pushed). Its {@code ./mvnw clean verify} is cut down to the resources phase by
 * the stub, which still gets the release's -D properties: the version and commit the build writes
 * into tether-build.properties (what {@code tether-portal version} prints) are checked.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleaseScriptIT {
  private static final String VERSION = "9.8.7";
  private static ThrowawayCheckout repo;

  @BeforeAll
  static void aTaggedRepository() {
    repo =
        ThrowawayCheckout.of(
            List.of(
                "pom.xml",
                ".mvn",
                ".gitignore",
                "deploy/release.sh",
                "src/main/resources/tether-build.properties"),
            "props=\n"
                + "for a in \"$@\"; do case $a in -D*) props=\"$props $a\" ;; esac; done\n"
                + "# shellcheck disable=SC2086\n"
                + "exec ./"
                + ThrowawayCheckout.REAL_MAVEN
                + " -B -ntp -q $props resources:resources");
    repo.ok("git", "init", "-q");
    repo.ok("mkdir", "-p", "src/test/resources/upgrade/" + VERSION);
    repo.ok("touch", "src/test/resources/upgrade/" + VERSION + "/dump.sql");
    repo.ok("git", "add", "-A");
    repo.ok("git", "commit", "-q", "-m", "release " + VERSION);
    repo.ok("git", "tag", "v" + VERSION);
  }

  @AfterAll
  static void deleteIt() {
    if (repo != null) {
      repo.close();
    }
  }

  @Test
  @Order(1)
  void theTagSetsTheVersionAndCommitOfTheBuild() throws IOException {
    ThrowawayCheckout.Result r =
        repo.run(repo.root().resolve("deploy/release.sh").toString(), "v" + VERSION);
    assertEquals(0, r.exitCode(), r.output());
    String commit = repo.ok("git", "rev-parse", "--short", "HEAD").strip();
    assertEquals(
        List.of(
            "-B", "-ntp", "clean", "verify", "-Drevision=" + VERSION, "-Dtether.commit=" + commit),
        repo.mavenArgs());
    Properties build = new Properties();
    try (var in =
        Files.newInputStream(repo.root().resolve("target/classes/tether-build.properties"))) {
      build.load(in);
    }
    assertEquals(VERSION, build.getProperty("tether.version"), "the version the jars carry");
    assertEquals(commit, build.getProperty("tether.commit"));
  }

  @Test
  @Order(2)
  void aTagThatIsNotVxyzIsRefused() {
    assertRefused(64, "v9.8 is not vX.Y.Z", "v9.8");
  }

  @Test
  @Order(3)
  void aWorkTreeWithChangesIsRefused() throws IOException {
    Path pom = repo.root().resolve("pom.xml");
    String original = Files.readString(pom);
    Files.writeString(pom, original + "<!-- edited -->\n");
    try {
      assertRefused(1, "the work tree has changes", "v" + VERSION);
    } finally {
      Files.writeString(pom, original);
    }
  }

  @Test
  @Order(4)
  void anUntaggedHeadIsRefused() {
    repo.ok("git", "commit", "-q", "--allow-empty", "-m", "after the release");
    assertRefused(1, "HEAD is not tagged v" + VERSION, "v" + VERSION);
  }

  @Test
  @Order(5)
  void aTagWithoutItsUpgradeFixtureIsRefused() {
    repo.ok("git", "tag", "v9.9.0");
    assertRefused(1, "no upgrade fixture for 9.9.0", "v9.9.0");
  }

  private static void assertRefused(int status, String message, String tag) {
    Path args = repo.root().resolve(ThrowawayCheckout.MAVEN_ARGS);
    try {
      Files.deleteIfExists(args);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    ThrowawayCheckout.Result r = repo.run(repo.root().resolve("deploy/release.sh").toString(), tag);
    assertEquals(status, r.exitCode(), r.output());
    assertTrue(r.output().contains(message), r.output());
    assertTrue(!Files.exists(args), "no build ran");
  }
}
