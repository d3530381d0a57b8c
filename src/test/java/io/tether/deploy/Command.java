package io.tether.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A system command run to its end (dpkg, sed, systemd-analyze): exit code and output. */
record Command(int exitCode, String output) {
  /** dpkg unpacking 80 MB on a busy machine, with room to spare. */
  private static final long TIMEOUT_SECONDS = 180;

  static Command run(List<String> command) {
    try {
      Path out = Files.createTempFile("tether-command", ".out");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = builder.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError(command + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        return new Command(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  static Command run(String... command) {
    return run(List.of(command));
  }

  /** Runs {@code command}; fails with its output unless it exits 0. Returns the output. */
  static String ok(String... command) {
    Command c = run(command);
    if (c.exitCode != 0) {
      throw new AssertionError(
          String.join(" ", command) + " exited with " + c.exitCode + ":\n" + c.output);
    }
    return c.output;
  }
}
