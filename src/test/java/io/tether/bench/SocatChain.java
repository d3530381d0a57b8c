package io.tether.bench;

import io.tether.testing.Await;
import io.tether.testing.Build;
import io.tether.testing.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code hops} chained {@code socat TCP-LISTEN:…,fork TCP:…} relays in front of a port: the same
 * number of user-space relays as CLI → portal → agent, doing nothing but copying (socat's default 8
 * KiB buffer, as a user would run it).
 */
final class SocatChain implements AutoCloseable {
  private final List<Process> relays = new ArrayList<>();
  private int entry;

  private SocatChain() {}

  static SocatChain to(int targetPort, int hops) {
    SocatChain chain = new SocatChain();
    try {
      Path dir = Build.workDir("socat-chain");
      int next = targetPort;
      for (int i = 0; i < hops; i++) {
        int port = Ports.free();
        Process p =
            new ProcessBuilder(
                    "socat",
                    "TCP-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork",
                    "TCP:127.0.0.1:" + next)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("socat-" + i + ".log").toFile())
                .start();
        chain.relays.add(p);
        Await.until(
            "socat to listen on " + port,
            Duration.ofSeconds(10),
            () -> {
              if (!p.isAlive()) {
                throw new AssertionError("socat exited: see " + dir);
              }
              return listening(port);
            });
        next = port;
      }
      chain.entry = next;
      return chain;
    } catch (IOException e) {
      chain.close();
      throw new UncheckedIOException("socat is needed for the relay baseline", e);
    } catch (RuntimeException | AssertionError e) {
      chain.close();
      throw e;
    }
  }

  /**
   * Whether a socket listens on the port, from /proc/net/tcp: neither connecting through the relay
   * nor a probe bind that could take the port from socat.
   */
  static boolean listening(int port) {
    String local = String.format(":%04X", port);
    try {
      return Files.readAllLines(Path.of("/proc/net/tcp")).stream()
          .map(String::trim)
          .map(l -> l.split("\\s+"))
          .anyMatch(f -> f.length > 3 && f[1].endsWith(local) && f[3].equals("0A"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port of the first relay. */
  int port() {
    return entry;
  }

  @Override
  public void close() {
    for (Process p : relays) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
  }
}
