package io.tether.tunnel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.ByteSource;
import io.tether.testing.CliProcess;
import io.tether.testing.EchoServer;
import io.tether.testing.PortalClient;
import io.tether.testing.PortalFixture;
import io.tether.testing.SocatPty;
import io.tether.testing.StalledPath;
import io.tether.testing.Transfer;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bytes through the real processes: tether-cli → portal → tether-agent → a socat PTY (the serial
 * device), an echo server, or a source that never stops writing.
 */
class TunnelBytePathIT {
  /** The bulk size: large enough to cycle every window many times. */
  private static final long BULK = 32L << 20;

  /** A bulk transfer on an idle 2-core machine takes seconds; this is "hung". */
  private static final Duration BULK_TIMEOUT = Duration.ofSeconds(90);

  @RegisterExtension static final PortalFixture portal = PortalFixture.start("tunnel-bytes");
  private static SocatPty pty;
  private static EchoServer echo;
  private static ByteSource source;
  private static AgentProcess agent;
  private static PortalClient.NewDevice device;
  private static String apiToken;
  private static final ExecutorService ptyReader =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "pty-reader");
            t.setDaemon(true);
            return t;
          });

  @BeforeAll
  static void startPortalAndAgent() {
    device = portal.client().createDevice();
    apiToken = portal.client().createApiToken();
    pty = SocatPty.open();
    echo = EchoServer.start();
    source = ByteSource.start();
    agent =
        AgentProcess.start(
            "bytes",
            portal.tunnelUrl(),
            device.token(),
            List.of(
                "console=serial:" + pty.devicePath() + "?baud=115200",
                "echo=tcp:127.0.0.1:" + echo.port(),
                "source=tcp:127.0.0.1:" + source.port()),
            List.of());
    Await.until(
        "the device to be online",
        Duration.ofSeconds(30),
        () -> portal.client().online(device.id()));
  }

  @AfterAll
  static void stopAll() {
    ptyReader.shutdownNow();
    for (AutoCloseable c : new AutoCloseable[] {agent, source, echo, pty}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // best effort: the next one must still be closed
      }
    }
  }

  private static CliProcess forward(String target) {
    return CliProcess.forward(device.name(), target, portal.baseUrl(), apiToken);
  }

  @Test
  void everyByteValueCrossesTheSerialPathBothWays() throws Exception {
    byte[] all = allByteValues();
    try (CliProcess cli = forward("console");
        Socket socket = cli.connect();
        RandomAccessFile serial = pty.openTestSide()) {
      socket.getOutputStream().write(all);
      assertArrayEquals(all, readPty(serial, all.length), "user → serial device");
      serial.write(all);
      assertArrayEquals(all, socket.getInputStream().readNBytes(all.length), "serial → user");
    }
  }

  @Test
  void thirtyTwoMegabytesOfRandomDataEchoByteExact() throws Exception {
    try (CliProcess cli = forward("echo");
        Socket socket = cli.connect()) {
      Transfer.Result result = Transfer.echo(socket, BULK, 42, BULK_TIMEOUT);
      System.out.println("[tunnel-bytes] echo via cli/portal/agent: " + result);
      assertTrue(result.exact(), "SHA-256 of the echo differs from what was sent: " + result);
      assertEquals(BULK, result.bytes());
    }
  }

  @Test
  void aStalledChannelNeitherSlowsAnotherNorBuffersWithoutBound() throws Exception {
    try (CliProcess echoCli = forward("echo");
        CliProcess sourceCli = forward("source")) {
      // alone, beside ×2, alone, beside ×2, alone: two stalled phases apart in time, so neither
      // the warm-up nor a stretch of a busy machine falls on one side only; the best of each
      Duration alone = echo(echoCli, 1);
      Duration beside = null;
      long atStall = 0;
      long afterTransfer = 0;
      for (int phase = 0; phase < STALLED_PHASES; phase++) {
        long before = source.written();
        // channel 1: a consumer that never reads (its receive buffer fixed, so its share is known)
        try (Socket stalled = sourceCli.connect(64 * 1024)) {
          Await.until(
              "the source to write into the new channel",
              Duration.ofSeconds(15),
              () -> source.written() > before);
          awaitStall(Duration.ofSeconds(20));
          atStall = Math.max(atStall, source.written() - before);
          for (int i = 0; i < 2; i++) {
            Duration d = echo(echoCli, 10 + 2 * phase + i);
            beside = beside == null ? d : min(beside, d);
          }
          afterTransfer = Math.max(afterTransfer, source.written() - before);
          assertFalse(stalled.isClosed(), "the stalled channel was dropped");
        }
        alone = min(alone, echo(echoCli, 20 + phase));
      }

      System.out.printf(
          "[tunnel-bytes] 32 MiB echo on channel 2: %d ms alone, %d ms beside a stalled channel 1"
              + " (%.2fx; best of three alone, four beside)%n",
          alone.toMillis(), beside.toMillis(), beside.toNanos() / (double) alone.toNanos());
      System.out.printf(
          "[tunnel-bytes] the source wrote %d KiB into the stalled channel by the time it stalled,"
              + " %d KiB after channel 2's transfers (bound %d KiB)%n",
          atStall >> 10, afterTransfer >> 10, StalledPath.bound() >> 10);
      assertTrue(
          beside.compareTo(alone.multipliedBy(2)) <= 0,
          "a stalled channel slowed another more than 2x: "
              + beside.toMillis()
              + " ms vs "
              + alone.toMillis()
              + " ms alone");
      assertTrue(
          afterTransfer < StalledPath.bound(),
          "backpressure did not reach the source: it wrote "
              + (afterTransfer >> 10)
              + " KiB into a channel nobody reads");
    }
  }

  /** Stalled phases of the isolation check, each with two transfers beside the stalled channel. */
  private static final int STALLED_PHASES = 2;

  /** One 32 MiB echo on a fresh channel, byte-exact; how long it took. */
  private static Duration echo(CliProcess cli, long seed) throws Exception {
    try (Socket socket = cli.connect()) {
      Transfer.Result r = Transfer.echo(socket, BULK, seed, BULK_TIMEOUT);
      System.out.println("[tunnel-bytes] channel 2 echo: " + r);
      assertTrue(r.exact(), "echo not byte-exact: " + r);
      return r.took();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Waits until the source has written nothing new for a second. */
  private static void awaitStall(Duration timeout) {
    long[] last = {source.written(), System.nanoTime()};
    Await.until(
        "the source to stall (backpressure)",
        timeout,
        () -> {
          long now = source.written();
          if (now != last[0]) {
            last[0] = now;
            last[1] = System.nanoTime();
            return false;
          }
          return System.nanoTime() - last[1] > Duration.ofSeconds(1).toNanos();
        });
  }

  private static byte[] allByteValues() {
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    return all;
  }

  /** Reads {@code n} bytes from the PTY on another thread: a PTY read cannot time out itself. */
  private static byte[] readPty(RandomAccessFile file, int n) throws Exception {
    Future<byte[]> read =
        ptyReader.submit(
            () -> {
              byte[] buffer = new byte[n];
              int got = 0;
              while (got < n) {
                int r = file.read(buffer, got, n - got);
                if (r < 0) {
                  throw new AssertionError("PTY ended after " + got + " bytes");
                }
                got += r;
              }
              return buffer;
            });
    try {
      return read.get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the serial device did not receive " + n + " bytes within 30 s");
    }
  }
}
