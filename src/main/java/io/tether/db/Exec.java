package io.tether.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a short helper command (initdb, pg_ctl, unshare) with a timeout and captured output. */
final class Exec {
  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  private Exec() {}

  static Result run(List<String> command, Map<String, String> env, Duration timeout)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    // Output of these tools is small; read it on a helper thread so a full pipe cannot block them.
    StringBuilder output = new StringBuilder();
    Thread reader =
        new Thread(
            () -> {
              try {
                output.append(
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException ignored) {
                // the process went away; what we have is what it said
              }
            },
            "exec-output");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException(
            command.get(0) + " did not finish within " + timeout.toSeconds() + "s");
      }
      reader.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while running " + command.get(0), e);
    }
    synchronized (output) {
      return new Result(process.exitValue(), output.toString().trim());
    }
  }

  static Result run(List<String> command, Duration timeout) throws IOException {
    return run(command, Map.of(), timeout);
  }
}
