package io.tether.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tether.testing.CliProcess;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * P4: session open latency, from the user's request to the first byte from the device, whose target
 * greets every connection with one byte at once. Two requests, each against the same connect and
 * first byte straight to the target:
 *
 * <ul>
 *   <li><b>channel open</b>: a new TCP connection to a running tether-cli forward. The CLI sends
 *       OPEN on its forward WebSocket; the portal asks the access policy (a database read on a
 *       worker), audits, and opens a channel on the tunnel; the agent connects to the target; the
 *       greeting comes back. This is the portal's open path without the CLI's start-up.
 *   <li><b>terminal open</b>: a new WebSocket to {@code /api/devices/ID/terminal} with the
 *       signed-in cookie, as the browser opens it: HTTP upgrade, authentication, access check, a
 *       new session (hub, its row, recording) and its channel, then the greeting as the first
 *       binary message.
 *   <li><b>channel open over TLS</b>: the first again, with agent and CLI on {@code wss}/{@code
 *       https} to a portal that serves TLS itself.
 * </ul>
 *
 * Each open is closed, and the next one starts after the target saw the previous connection end, so
 * every open is a new session and a new channel (never a join of a live one). N opens after a
 * warm-up, bounded in time.
 *
 * <p>Run alone: {@code ./mvnw -Pbench -Dexec.skip=true -Dspotless.check.skip=true test-compile
 * failsafe:integration-test@bench -Dit.test=SessionOpenBench} (after a package).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionOpenBench {
  static final String LABEL = "P4";
  private static final int OPENS = 200;
  private static final int WARM_UP = 20;
  private static final Duration PHASE = Duration.ofSeconds(60);
  private static final Duration ONE = Duration.ofSeconds(10);
  static final long GOAL_P99 = 50_000_000;

  private static GreetingServer greeter;
  private static BenchRig rig;
  private static Stats direct;

  @BeforeAll
  static void start() throws Exception {
    greeter = GreetingServer.start();
    rig = BenchRig.start("bench-open", false, List.of("greet=tcp:127.0.0.1:" + greeter.port()));
    direct =
        measure("direct connect to the target", SessionOpenBench::connectAndRead, greeter.port());
  }

  @AfterAll
  static void stop() {
    if (rig != null) {
      rig.close();
    }
    if (greeter != null) {
      greeter.close();
    }
  }

  @Test
  @Order(1)
  void channelOpenThroughACliForward() throws Exception {
    CliProcess cli = rig.forward("greet");
    Stats open =
        measure("channel open via tether-cli", SessionOpenBench::connectAndRead, cli.port());
    report("channel open (new connection to a CLI forward) → first device byte", open);
  }

  @Test
  @Order(2)
  void terminalSessionOpen() throws Exception {
    PortalApi admin = PortalApi.signIn(rig.baseUrl(), "admin", PortalProcess.ADMIN_PASSWORD);
    HttpClient http = HttpClient.newHttpClient();
    URI uri =
        URI.create(
            rig.baseUrl().replaceFirst("^http", "ws")
                + "/api/devices/"
                + rig.deviceId()
                + "/terminal?target=greet");
    Stats open =
        measure(
            "terminal WebSocket open",
            port -> terminalOpen(http, uri, rig.baseUrl(), admin.cookie()),
            0);
    report("terminal session open (new WebSocket) → first device byte", open);
  }

  /** The channel open again, agent and CLI talking to a portal that serves TLS. */
  @Test
  @Order(3)
  void channelOpenThroughACliForwardOverTls() throws Exception {
    try (BenchRig tls =
        BenchRig.start("bench-open-tls", true, List.of("greet=tcp:127.0.0.1:" + greeter.port()))) {
      CliProcess cli = tls.forward("greet");
      Stats open =
          measure(
              "channel open via tether-cli, TLS portal",
              SessionOpenBench::connectAndRead,
              cli.port());
      report(
          "channel open (new connection to a CLI forward), TLS portal → first device byte", open);
    }
  }

  private static void report(String what, Stats open) {
    BenchReport.figure(
        LABEL,
        what,
        open.toString(),
        "direct connect → first byte " + direct,
        "p99 ≤ 50 ms",
        BenchReport.verdict(open.p99() <= GOAL_P99));
  }

  /** One way to open: returns the nanoseconds from request to the greeting. */
  private interface Open {
    long open(int port) throws Exception;
  }

  /**
   * A warm-up, then up to {@link #OPENS} opens within {@link #PHASE}, each after the last ended.
   */
  private static Stats measure(String path, Open open, int port) throws Exception {
    int before = greeter.accepted();
    run(open, port, WARM_UP, PHASE);
    long[] samples = run(open, port, OPENS, PHASE);
    assertEquals(
        WARM_UP + samples.length,
        greeter.accepted() - before,
        path + ": every open must reach the target once");
    Stats stats = Stats.of(samples);
    BenchReport.note(LABEL, path + ": " + stats);
    return stats;
  }

  private static long[] run(Open open, int port, int count, Duration maxTime) throws Exception {
    return greeter.time(() -> open.open(port), count, maxTime);
  }

  static long connectAndRead(int port) throws IOException {
    try (Socket socket = new Socket()) {
      long t0 = System.nanoTime();
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
      socket.setSoTimeout((int) ONE.toMillis());
      int b = socket.getInputStream().read();
      long took = System.nanoTime() - t0;
      assertEquals(GreetingServer.GREETING, b, "the first byte is not the target's greeting");
      return took;
    }
  }

  static long terminalOpen(HttpClient http, URI uri, String origin, String cookie)
      throws Exception {
    FirstBinary first = new FirstBinary();
    long t0 = System.nanoTime();
    WebSocket ws =
        http.newWebSocketBuilder()
            .header("Origin", origin)
            .header("Cookie", cookie)
            .buildAsync(uri, first)
            .get(ONE.toMillis(), TimeUnit.MILLISECONDS);
    try {
      ByteBuffer data = first.binary.get(ONE.toMillis(), TimeUnit.MILLISECONDS);
      long took = first.at - t0;
      assertEquals(GreetingServer.GREETING, data.get(0), "the first byte is not the greeting");
      return took;
    } finally {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(ONE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Notes when the first binary message (device output) arrives; control messages pass. */
  private static final class FirstBinary implements WebSocket.Listener {
    final CompletableFuture<ByteBuffer> binary = new CompletableFuture<>();
    volatile long at;

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      if (!binary.isDone()) {
        at = System.nanoTime();
        ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
        binary.complete(copy);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence text, boolean last) {
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      binary.completeExceptionally(
          new AssertionError("the terminal closed first: " + status + " " + reason));
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      binary.completeExceptionally(error);
    }
  }
}
