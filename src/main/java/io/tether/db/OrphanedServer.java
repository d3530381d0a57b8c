package io.tether.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Finds and stops a PostgreSQL server left running on our data dir by a portal that was killed
 * (SIGKILL skips shutdown hooks). The data-dir lock held by a live portal makes sure the server
 * found here has no owner any more.
 */
public final class OrphanedServer {
  /** How long a fast shutdown may take before we escalate to an immediate one. */
  static final Duration GRACE = Duration.ofSeconds(15);

  private OrphanedServer() {}

  public static void stopIfRunning(Path pgData, Consumer<String> log) {
    OptionalLong pid = postmasterPid(pgData);
    if (pid.isEmpty() || !isPostgres(pid.getAsLong())) {
      return;
    }
    log.accept(
        "stopping an orphaned PostgreSQL (pid " + pid.getAsLong() + ") left by an earlier run");
    signal(pid.getAsLong(), "INT"); // fast shutdown
    if (!awaitExit(pid.getAsLong(), GRACE)) {
      signal(pid.getAsLong(), "QUIT"); // immediate shutdown; recovery runs at next start
      if (!awaitExit(pid.getAsLong(), Duration.ofSeconds(5))) {
        signal(pid.getAsLong(), "KILL");
        awaitExit(pid.getAsLong(), Duration.ofSeconds(5));
      }
    }
  }

  /** The postmaster pid recorded in {@code postmaster.pid}, if that file exists. */
  public static OptionalLong postmasterPid(Path pgData) {
    Path pidFile = pgData.resolve("postmaster.pid");
    try {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
      return lines.isEmpty()
          ? OptionalLong.empty()
          : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  static boolean isPostgres(long pid) {
    try {
      String cmdline =
          Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.ISO_8859_1);
      return cmdline.contains("postgres");
    } catch (IOException e) {
      return false;
    }
  }

  private static void signal(long pid, String signal) {
    try {
      Exec.run(List.of("kill", "-" + signal, Long.toString(pid)), Duration.ofSeconds(5));
    } catch (IOException e) {
      // the process may be gone already; awaitExit tells
    }
  }

  private static boolean awaitExit(long pid, Duration timeout) {
    var handle = ProcessHandle.of(pid);
    if (handle.isEmpty()) {
      return true;
    }
    try {
      handle.get().onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
