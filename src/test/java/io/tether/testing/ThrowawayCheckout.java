package io.tether.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A copy of some files of this checkout in a temporary directory outside it, for running the
 * repository's own scripts (release, fixtures) where their git commands and writes cannot reach the
 * real checkout. {@code mvnw} is replaced by a stub: the test gives its body, and the arguments the
 * script passed are kept in {@value #MAVEN_ARGS}, one a line.
 */
public final class ThrowawayCheckout implements AutoCloseable {
  public static final String MAVEN_ARGS = "target/mvnw-args";

  /** The real Maven wrapper, for a stub that runs Maven after all. */
  public static final String REAL_MAVEN = "real-maven/mvnw";

  /** A script's own work plus a cut-down Maven run on a busy machine. */
  private static final long TIMEOUT_SECONDS = 120;

  private final Path root;

  private ThrowawayCheckout(Path root) {
    this.root = root;
  }

  /**
   * Copies {@code paths} (files or directories, relative to the checkout) and writes {@code mvnw}
   * as a stub that records its arguments and then runs {@code mavenBody} (sh; the real wrapper is
   * {@value #REAL_MAVEN}).
   */
  public static ThrowawayCheckout of(List<String> paths, String mavenBody) {
    Path checkout = Build.dir().getParent();
    try {
      Path root = Files.createTempDirectory("tether-checkout-");
      for (String path : paths) {
        copyTree(checkout.resolve(path), root.resolve(path));
      }
      // the wrapper runs bin/mvn + whatever follows "mvnw" in its own name: it keeps its name
      copyTree(checkout.resolve("mvnw"), root.resolve(REAL_MAVEN));
      copyTree(
          checkout.resolve(".mvn/wrapper"),
          root.resolve(REAL_MAVEN).resolveSibling(".mvn/wrapper"));
      Path stub = root.resolve("mvnw");
      Files.writeString(
          stub,
          "#!/bin/sh\n"
              + "# stands in for Maven (io.tether.testing.ThrowawayCheckout)\n"
              + "mkdir -p target\n"
              + "printf '%s\\n' \"$@\" > "
              + MAVEN_ARGS
              + "\n"
              + mavenBody
              + "\n");
      Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
      return new ThrowawayCheckout(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path root() {
    return root;
  }

  /** The arguments the last run of {@code mvnw} got. */
  public List<String> mavenArgs() throws IOException {
    return Files.readAllLines(root.resolve(MAVEN_ARGS));
  }

  /** Runs {@code command} in the copy; git stops at its root and commits as a test identity. */
  public Result run(String... command) {
    try {
      Path out = Files.createTempFile("tether-checkout", ".out");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.put("GIT_CEILING_DIRECTORIES", root.getParent().toString());
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        for (String who : List.of("AUTHOR", "COMMITTER")) {
          env.put("GIT_" + who + "_NAME", "Tether test");
          env.put("GIT_" + who + "_EMAIL", "test@localhost");
        }
        Process p = builder.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError(
              List.of(command) + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Runs {@code command}; fails with its output unless it exits 0. */
  public String ok(String... command) {
    Result r = run(command);
    if (r.exitCode() != 0) {
      throw new AssertionError(
          String.join(" ", command) + " exited with " + r.exitCode() + ":\n" + r.output());
    }
    return r.output();
  }

  public record Result(int exitCode, String output) {}

  @Override
  public void close() {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temp dir: left for the OS if it cannot go now
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    List<Path> sources = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(from)) {
      paths.forEach(sources::add);
    }
    for (Path source : sources) {
      Path target = to.resolve(from.relativize(source).toString());
      if (Files.isDirectory(source)) {
        Files.createDirectories(target);
      } else {
        Files.createDirectories(target.getParent());
        Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }
}
