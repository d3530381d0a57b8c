package io.tether.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the packaged artifacts are (failsafe passes target/ as tether.build.dir). */
public final class Build {
  private Build() {}

  public static Path dir() {
    return Path.of(System.getProperty("tether.build.dir", "target")).toAbsolutePath();
  }

  public static Path artifact(String relative) {
    Path path = dir().resolve(relative);
    if (!Files.exists(path)) {
      throw new IllegalStateException(
          path + " is missing: run ./mvnw verify (ITs need the package)");
    }
    return path;
  }

  public static Path javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /**
   * JVM options of every process an IT starts: the C1 compiler only, which halves the CPU a
   * portal's start costs (15 → 9 s of CPU here) on the two cores the suite shares. Benchmarks
   * ({@code -Dtether.bench=true}) measure the JVM as shipped and get none.
   */
  public static java.util.List<String> testJvmOptions() {
    return Boolean.getBoolean("tether.bench")
        ? java.util.List.of()
        : java.util.List.of("-XX:TieredStopAtLevel=1");
  }

  /** A fresh directory under target/it-work for one test's files. */
  public static Path workDir(String name) {
    try {
      Path base = dir().resolve("it-work");
      Files.createDirectories(base);
      return Files.createTempDirectory(base, name + "-");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
