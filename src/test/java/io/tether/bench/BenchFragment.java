package io.tether.bench;

import io.tether.testing.Build;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One figure's lines: printed as {@code [Pn] ...} and appended to {@code target/bench/pn.md}, a
 * fragment of the results file (until the shared report collects them).
 */
final class BenchFragment {
  private final String figure;
  private final Path file;

  BenchFragment(String figure) {
    this(figure, figure.toLowerCase());
  }

  /** A fragment of its own ({@code target/bench/<name>.md}) for a second bench of one figure. */
  BenchFragment(String figure, String name) {
    this.figure = figure;
    this.file = Build.dir().resolve("bench").resolve(name + ".md");
  }

  /** Starts the fragment afresh with a heading. */
  BenchFragment begin(String title) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, "## " + figure + ": " + title + "\n\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println("[" + figure + "] " + title);
    return this;
  }

  void line(String text) {
    System.out.println("[" + figure + "] " + text);
    try {
      Files.writeString(file, text + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
