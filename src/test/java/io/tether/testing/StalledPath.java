package io.tether.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a forward may take from its source while the consumer at its end does not read. */
public final class StalledPath {
  private StalledPath() {}

  /**
   * About a window per hop (agent, portal, CLI: 256 KiB each) plus kernel buffers, the largest
   * being the CLI's send buffer towards the never-reading client, which Linux autotunes up to
   * tcp_wmem's maximum (4 MiB by default) and whose bytes count as delivered: 8 MiB, or that
   * maximum plus 4 MiB where it is tuned larger.
   */
  public static long bound() {
    long bound = 8L << 20;
    try {
      String[] wmem = Files.readString(Path.of("/proc/sys/net/ipv4/tcp_wmem")).trim().split("\\s+");
      bound = Math.max(bound, Long.parseLong(wmem[2]) + (4L << 20));
    } catch (IOException | RuntimeException e) {
      // not Linux: keep the default
    }
    return bound;
  }
}
