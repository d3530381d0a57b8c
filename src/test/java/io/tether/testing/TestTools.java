package io.tether.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The build's check, before the first test, that the system tools the tests and benchmarks drive
 * are installed: a missing one stops the build at once with one line naming its package and the
 * command that installs it, instead of an IT timing out minutes later. The list is {@code
 * .ci/test-tools}, which {@code .ci/run} installs from. JDK only, so the build runs it as a single
 * source file, needing no compiled test classes.
 */
public final class TestTools {
  /** A probe answers in well under a second; this bounds a tool that hangs instead. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

  /** One line of the list: the Debian package and the command that proves it is there. */
  record Tool(String pkg, List<String> probe) {}

  private TestTools() {}

  /**
   * {@code TestTools LIST [SKIP-FLAGS]}: checks the tools in LIST unless one of the comma-separated
   * SKIP-FLAGS is {@code true} (the build passes skipTests, skipITs and maven.test.skip; under
   * -Pbench skipITs as false, as the benchmarks need the tools too).
   */
  public static void main(String[] args) throws IOException {
    if (args.length > 1 && skipped(args[1])) {
      return;
    }
    List<Tool> tools = parse(Files.readAllLines(Path.of(args[0])));
    String problem = problem(tools, tool -> present(tool, PROBE_TIMEOUT));
    if (problem != null) {
      System.err.println(problem);
      System.exit(1);
    }
  }

  /**
   * For a test that starts one of the listed tools: fails at once with the same line as the build
   * when it is missing (the build's check is skipped when a test is run on its own).
   */
  public static void require(String pkg) {
    List<Tool> tools;
    try {
      tools = parse(Files.readAllLines(Path.of(".ci/test-tools")));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Tool tool =
        tools.stream()
            .filter(t -> t.pkg().equals(pkg))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException(pkg + " is not in .ci/test-tools"));
    String problem = problem(List.of(tool), t -> present(t, PROBE_TIMEOUT));
    if (problem != null) {
      throw new AssertionError(problem);
    }
  }

  /** Whether one of the comma-separated flags is {@code true}: then no test will need a tool. */
  static boolean skipped(String flags) {
    return Arrays.asList(flags.split(",")).contains("true");
  }

  /** The tools of the list's lines; {@code #} starts a comment. */
  static List<Tool> parse(List<String> lines) {
    List<Tool> tools = new ArrayList<>();
    for (String line : lines) {
      String text = line.replaceFirst("#.*", "").strip();
      if (text.isEmpty()) {
        continue;
      }
      String[] words = text.split("\\s+");
      if (words.length < 2) {
        throw new IllegalArgumentException("a tool needs a package and a probe command: " + line);
      }
      tools.add(new Tool(words[0], List.of(words).subList(1, words.length)));
    }
    return tools;
  }

  /** The one line to stop with when a tool is missing, or null when all are there. */
  static String problem(List<Tool> tools, Predicate<Tool> present) {
    List<String> missing = tools.stream().filter(present.negate()).map(Tool::pkg).toList();
    if (missing.isEmpty()) {
      return null;
    }
    return "missing: "
        + String.join(", ", missing)
        + " — install with: apt-get install -y "
        + String.join(" ", missing);
  }

  /** Whether the tool's probe runs and exits 0 within {@code timeout}. */
  static boolean present(Tool tool, Duration timeout) {
    Process p;
    try {
      p =
          new ProcessBuilder(tool.probe())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
    } catch (IOException e) { // not installed: no such executable
      return false;
    }
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return false;
    }
  }
}
