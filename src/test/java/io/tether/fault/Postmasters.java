package io.tether.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The PostgreSQL postmasters running on one cluster directory, found in {@code /proc}: a process
 * whose program is {@code postgres} and whose arguments name the directory after {@code -D}. Its
 * children (backends, checkpointer) rename themselves ("postgres: checkpointer") and never match.
 */
final class Postmasters {
  private Postmasters() {}

  /** Pids of the live postmasters serving {@code pgData}. */
  static Set<Long> serving(Path pgData) {
    Path wanted = pgData.toAbsolutePath().normalize();
    Set<Long> pids = new TreeSet<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        List<String> args = cmdline(proc);
        if (args.size() < 3 || !isPostgres(args.get(0))) {
          continue;
        }
        for (int i = 1; i < args.size() - 1; i++) {
          if (args.get(i).equals("-D")
              && Path.of(args.get(i + 1)).toAbsolutePath().normalize().equals(wanted)) {
            pids.add(Long.parseLong(proc.getFileName().toString()));
          }
        }
      }
    } catch (IOException e) {
      throw new AssertionError("cannot list /proc", e);
    }
    return pids;
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static boolean isPostgres(String program) {
    return program.equals("postgres") || program.endsWith("/postgres");
  }

  private static List<String> cmdline(Path proc) {
    try {
      String raw = Files.readString(proc.resolve("cmdline"), StandardCharsets.ISO_8859_1);
      return List.of(raw.split("\0"));
    } catch (IOException | RuntimeException e) {
      return List.of(); // the process ended while we looked
    }
  }
}
