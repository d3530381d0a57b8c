package io.tether.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The live heap of a test's Java process, measured right after a full GC. */
public final class HeapProbe {
  private HeapProbe() {}

  /** The {@code n} classes holding the most live bytes in {@code pid}'s heap, one per line. */
  public static String top(long pid, int n) {
    return histogram(pid)
        .lines()
        .skip(3)
        .limit(n)
        .map(String::trim)
        .reduce("", (a, b) -> a + b + "\n");
  }

  private static String histogram(long pid) {
    Path jcmd = Build.javaBinary().resolveSibling("jcmd");
    try {
      Process p =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("jcmd failed:\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError("jcmd could not run", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Bytes of live objects in {@code pid}'s heap: the total of {@code jcmd PID GC.class_histogram},
   * which runs a full GC first, so garbage is not counted.
   */
  public static long liveBytes(long pid) {
    String out = histogram(pid);
    // last line: "Total      1234567      98765432"
    return out.lines()
        .map(String::trim)
        .filter(l -> l.startsWith("Total"))
        .map(l -> l.split("\\s+"))
        .mapToLong(f -> Long.parseLong(f[2]))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Total in the class histogram:\n" + out));
  }
}
