package io.tether.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tether.testing.Await;
import io.tether.testing.Build;
import io.tether.testing.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** iperf3 on loopback for 3 s (a reference for what the kernel alone moves), if installed. */
final class Iperf3 {
  private Iperf3() {}

  /** Received MB/s of a 3 s iperf3 run to a one-off server, or 0 when iperf3 is missing. */
  static double megabytesPerSecond() {
    int port = Ports.free();
    Path dir = Build.workDir("iperf3");
    Process server = null;
    try {
      server =
          new ProcessBuilder("iperf3", "-s", "-1", "-B", "127.0.0.1", "-p", Integer.toString(port))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("server.log").toFile())
              .start();
      Process s = server;
      Await.until(
          "iperf3 to listen on " + port,
          Duration.ofSeconds(10),
          () -> !s.isAlive() || SocatChain.listening(port));
      Path json = dir.resolve("client.json");
      Process client =
          new ProcessBuilder(
                  "iperf3", "-c", "127.0.0.1", "-p", Integer.toString(port), "-t", "3", "-J")
              .redirectErrorStream(true)
              .redirectOutput(json.toFile())
              .start();
      if (!client.waitFor(20, TimeUnit.SECONDS) || client.exitValue() != 0) {
        client.destroyForcibly();
        return 0;
      }
      return new ObjectMapper()
              .readTree(Files.readString(json))
              .path("end")
              .path("sum_received")
              .path("bits_per_second")
              .asDouble()
          / 8e6;
    } catch (IOException e) {
      return 0; // not installed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } finally {
      if (server != null) {
        server.destroy();
      }
    }
  }
}
