package io.tether.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.testing.Await;
import io.tether.testing.ByteSource;
import io.tether.testing.PortalClient;
import io.tether.testing.PortalProcess;
import io.tether.testing.TerminalText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * P7: what recording costs a terminal. A browser-style terminal WebSocket (the signed-in cookie, as
 * the web UI opens it) reads a bulk stream a device target writes, 48 MiB per connection (below the
 * 64 MiB recording cap) — random bytes, which do not compress, and in a second test console text,
 * which is stored compressed — with the device group's recording {@code off} and {@code all}
 * (output and input) in alternating order for five rounds each after three warm-up rounds of each;
 * the median throughput of each, their ratio, and how much of each recorded stream the recording
 * kept (a database that cannot keep up drops bytes into marked gaps rather than slow the terminal:
 * {@code TETHER_RECORDING_ON_OVERFLOW=gap}). Each round also reports the CPU time the portal and
 * its embedded PostgreSQL spent on it (up to the session's end, written after its last chunk): on a
 * shared machine a steadier measure of what recording costs than the throughput.
 *
 * <p>Run alone: {@code ./mvnw -Pbench -Dexec.skip=true -Dspotless.check.skip=true test-compile
 * failsafe:integration-test@bench -Dit.test=RecordingCostBench} (after a package).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecordingCostBench {
  static final String LABEL = "P7";
  private static final long BYTES = 48L << 20;
  private static final int ROUNDS = 5;
  private static final int WARM_UP_ROUNDS = 3;
  private static final Duration ONE_ROUND = Duration.ofSeconds(120);

  /** Recording may cost at most 10 % of the terminal's throughput. */
  static final double GOAL = 0.90;

  /** Console text generated once and written over and over (DEFLATE looks back 32 KiB only). */
  private static final int TEXT_PERIOD = 8 << 20;

  private static ByteSource source;
  private static ByteSource text;
  private static BenchRig rig;
  private static PortalClient admin;
  private static long group;

  @BeforeAll
  static void start() throws Exception {
    source = Pattern.server(BYTES);
    text =
        ByteSource.start(
            Pattern.repeating(TerminalText.of(7, TEXT_PERIOD), BYTES), ByteSource.AUTOTUNED);
    rig =
        BenchRig.start(
            "bench-recording",
            false,
            List.of("bulk=tcp:127.0.0.1:" + source.port(), "text=tcp:127.0.0.1:" + text.port()));
    admin = PortalClient.signIn(rig.baseUrl(), null, "admin", PortalProcess.ADMIN_PASSWORD);
    String name = admin.device(rig.deviceId()).get("group").asText();
    for (JsonNode g : admin.expect(200, "GET", "/api/groups", null).get("items")) {
      if (g.get("name").asText().equals(name)) {
        group = g.get("id").asLong();
      }
    }
  }

  @AfterAll
  static void stop() {
    if (rig != null) {
      rig.close();
    }
    if (source != null) {
      source.close();
    }
    if (text != null) {
      text.close();
    }
  }

  /** Bytes that do not compress (a binary dump, a transfer): the worst case for the database. */
  @Test
  @Order(1)
  void recordingOutputAndInputCostsATerminalLittleThroughput() throws Exception {
    measure("bulk", "random bytes (do not compress)", "");
  }

  /**
   * What a console prints: timestamped log lines, stored compressed. Second, so that the portal's
   * recording path is already compiled (the JIT's work would count as the recording's cost).
   */
  @Test
  @Order(2)
  void recordingConsoleTextCostsATerminalLittleThroughput() throws Exception {
    measure("text", "console text (compresses to about a fifth)", " (text)");
  }

  private static void measure(String target, String what, String suffix) throws Exception {
    for (int i = 0; i < WARM_UP_ROUNDS; i++) { // three JVMs' JIT: the first rounds run slower
      round(target, "off");
      round(target, "all");
    }
    PortalProbe probe = new PortalProbe(rig.portal());
    List<Double> off = new ArrayList<>();
    List<Double> all = new ArrayList<>();
    Map<String, List<Double>> portalCpu =
        Map.of("off", new ArrayList<>(), "all", new ArrayList<>());
    Map<String, List<Double>> databaseCpu =
        Map.of("off", new ArrayList<>(), "all", new ArrayList<>());
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      boolean offFirst = i % 2 == 0;
      for (String policy : offFirst ? List.of("off", "all") : List.of("all", "off")) {
        long portalTicks = probe.cpuTicks();
        long databaseTicks = probe.databaseCpuTicks();
        double mbps = round(target, policy);
        (policy.equals("off") ? off : all).add(mbps);
        String recorded = recorded(); // the session's end, after its last chunk
        double portalSeconds = seconds(probe.cpuTicks() - portalTicks);
        double databaseSeconds = seconds(probe.databaseCpuTicks() - databaseTicks);
        portalCpu.get(policy).add(portalSeconds);
        databaseCpu.get(policy).add(databaseSeconds);
        if (policy.equals("all")) {
          kept.add(recorded);
        }
        BenchReport.note(
            LABEL,
            String.format(
                "%s round %d, recording %s: %.1f MB/s %s; CPU portal %.2f s, database %.2f s",
                target,
                i + 1,
                policy,
                mbps,
                policy.equals("all") ? recorded : "",
                portalSeconds,
                databaseSeconds));
      }
    }
    double unrecorded = median(off);
    double recorded = median(all);
    double ratio = recorded / unrecorded;
    BenchReport.figure(
        LABEL + suffix,
        "terminal throughput (device → browser WebSocket, 48 MiB of "
            + what
            + "), recording output+input vs off, median of "
            + ROUNDS,
        String.format(
            "%.0f MB/s recorded = **%.2f of unrecorded** (rounds %s); kept of each 48 MiB: %s;"
                + " CPU per round (median): portal %.2f s, database %.2f s",
            recorded,
            ratio,
            all,
            kept,
            median(portalCpu.get("all")),
            median(databaseCpu.get("all"))),
        String.format(
            "recording off: %.0f MB/s (rounds %s); CPU per round: portal %.2f s, database %.2f s",
            unrecorded, off, median(portalCpu.get("off")), median(databaseCpu.get("off"))),
        "≥ 0.90 (≤ 10 % cost)",
        BenchReport.verdict(ratio >= GOAL));
  }

  private static double seconds(long ticks) {
    return ticks / (double) PortalProbe.CLOCK_TICKS_PER_SECOND;
  }

  /** One terminal reading the whole stream of {@code target} under {@code policy}; its MB/s. */
  private static double round(String target, String policy) throws Exception {
    admin.expect(200, "PATCH", "/api/groups/" + group, Map.of("recording", policy));
    AtomicLong received = new AtomicLong();
    AtomicLong firstAt = new AtomicLong();
    CompletableFuture<Long> done = new CompletableFuture<>();
    URI uri =
        URI.create(
            rig.baseUrl().replaceFirst("^http", "ws")
                + "/api/devices/"
                + rig.deviceId()
                + "/terminal?target="
                + target);
    WebSocket ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .header("Origin", rig.baseUrl())
            .header("Cookie", admin.cookie())
            .buildAsync(uri, counting(received, firstAt, done))
            .get(10, TimeUnit.SECONDS);
    long lastAt = done.get(ONE_ROUND.toMillis(), TimeUnit.MILLISECONDS);
    ws.abort();
    assertEquals(BYTES, received.get(), "the whole stream reached the terminal");
    return BYTES / 1e6 / ((lastAt - firstAt.get()) / 1e9);
  }

  /**
   * What the newest session of the device recorded, once ended: "(N MiB kept in S MiB stored, G
   * gaps)".
   */
  private static String recorded() throws Exception {
    JsonNode[] session = new JsonNode[1];
    Await.until(
        "the recorded session ended",
        Duration.ofSeconds(30),
        () -> {
          session[0] =
              admin
                  .expect(200, "GET", "/api/sessions?device=" + rig.deviceId() + "&limit=1", null)
                  .get("items")
                  .get(0);
          return session[0].get("state").asText().equals("ended");
        });
    JsonNode recording = session[0].get("recording");
    return String.format(
        "(%.1f MiB kept in %.1f MiB stored, %d gaps)",
        recording.get("bytes").asLong() / 1048576.0,
        storedBytes(session[0].get("id").asLong()) / 1048576.0,
        recording.get("gaps").asInt());
  }

  /**
   * The bytes the database holds for a session's recording, as it stores them (after its own TOAST
   * compression, if any: {@code octet_length} would count them uncompressed).
   */
  private static long storedBytes(long sessionId) throws Exception {
    try (java.sql.Connection db = rig.portal().jdbc();
        java.sql.PreparedStatement s =
            db.prepareStatement(
                "select coalesce(sum(pg_column_size(data)), 0) from recording_chunks"
                    + " where session_id = ?")) {
      s.setLong(1, sessionId);
      try (java.sql.ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  /** Counts binary bytes; completes with the time of the last one when the whole stream came. */
  private static WebSocket.Listener counting(
      AtomicLong received, AtomicLong firstAt, CompletableFuture<Long> done) {
    return new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        long now = System.nanoTime();
        firstAt.compareAndSet(0, now);
        if (received.addAndGet(data.remaining()) >= BYTES) {
          done.complete(now);
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
        done.complete(System.nanoTime());
        return null;
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        done.completeExceptionally(error);
      }
    };
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    return sorted.get(sorted.size() / 2);
  }
}
