package io.tether.bench;

import io.tether.testing.PortalProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the benchmarks read from a running portal from the outside: its Prometheus metrics, RSS,
 * heap after a forced GC (jcmd), CPU time and file descriptors (/proc).
 */
final class PortalProbe {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

  /** USER_HZ: the unit of utime/stime in /proc/PID/stat (100 on every Linux we run on). */
  static final long CLOCK_TICKS_PER_SECOND = 100;

  private final PortalProcess portal;

  PortalProbe(PortalProcess portal) {
    this.portal = portal;
  }

  long pid() {
    return portal.process().pid();
  }

  /** The sum of a metric's series on /q/metrics (e.g. tether_tunnels_online); -1 if absent. */
  double metric(String name) {
    String body = metrics();
    double sum = 0;
    boolean found = false;
    for (String line : body.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    return found ? sum : -1;
  }

  /** The lines of one metric, e.g. every reason of tether_tunnel_refused_total. */
  String series(String name) {
    StringBuilder b = new StringBuilder();
    for (String line : metrics().split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        b.append(b.length() == 0 ? "" : ", ").append(line.substring(name.length()));
      }
    }
    return b.toString();
  }

  String metrics() {
    try {
      HttpRequest r =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + portal.managementPort() + "/q/metrics"))
              .timeout(Duration.ofSeconds(10))
              .build();
      return HTTP.send(r, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** Heap after a full GC, KiB: what live objects use and what the JVM keeps committed. */
  record Heap(long usedKb, long committedKb) {}

  /** Forces a full GC in the portal (jcmd GC.run) and reads the heap after it. */
  Heap heapAfterGc() {
    jcmd("GC.run");
    Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
    long used = 0;
    long committed = 0;
    while (m.find()) {
      // G1: one heap line; serial/parallel: one per generation
      committed += Long.parseLong(m.group(1));
      used += Long.parseLong(m.group(2));
    }
    return new Heap(used, committed);
  }

  /** Resident set size of the portal JVM (not its PostgreSQL), KiB. */
  long rssKb() {
    return rssKb(pid());
  }

  /** Resident set size of any process (an agent, a CLI), KiB. */
  static long rssKb(long pid) {
    return status(pid, "VmRSS:");
  }

  /** Threads of the portal JVM: each holds a stack and a malloc arena's share of RSS. */
  int threads() {
    return (int) status(pid(), "Threads:");
  }

  /** A number of /proc/PID/status, by its field name. */
  private static long status(long pid, String field) {
    for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new AssertionError("no " + field + " for " + pid);
  }

  /** utime + stime of the portal JVM, in clock ticks. */
  long cpuTicks() {
    String stat = read(Path.of("/proc", Long.toString(pid()), "stat"));
    // the command name in parentheses may hold spaces: count fields after the last ')'
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of stat
  }

  /**
   * utime + stime of the portal's embedded PostgreSQL, in clock ticks: the postmaster with its
   * ended children (cutime, cstime) and the children still running (backends, WAL writer, ...).
   */
  long databaseCpuTicks() {
    Path pidFile = portal.dataDir().resolve("postgres").resolve("postmaster.pid");
    String postmaster = read(pidFile).lines().findFirst().orElseThrow().trim();
    long ticks = 0;
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        String[] f = statFields(proc);
        if (f == null) {
          continue; // ended meanwhile
        }
        if (proc.getFileName().toString().equals(postmaster)) {
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } else if (f[1].equals(postmaster)) {
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ticks;
  }

  /** The fields of /proc/PID/stat after the command name (field 3 first), or null if gone. */
  private static String[] statFields(Path proc) {
    try {
      String stat = Files.readString(proc.resolve("stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    } catch (IOException e) {
      return null;
    }
  }

  int openFds() {
    try (var files = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
      return (int) files.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The portal's hard limit on open files (it raises its soft limit to this at start). */
  long maxFds() {
    for (String line : read(Path.of("/proc", Long.toString(pid()), "limits")).split("\n")) {
      if (line.startsWith("Max open files")) {
        return Long.parseLong(line.trim().split("\\s+")[4]);
      }
    }
    return Long.MAX_VALUE;
  }

  private String jcmd(String command) {
    try {
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  Long.toString(pid()),
                  command)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("jcmd " + command + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> lines(String s) {
    return List.of(s.split("\n"));
  }
}
