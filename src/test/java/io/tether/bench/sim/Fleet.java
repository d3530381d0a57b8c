package io.tether.bench.sim;

import io.tether.testing.PortalClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Registers simulated devices the way an admin does, through {@code POST /api/devices} (there is no
 * bulk path), with a few requests in flight; their tokens go to a file, one per line, in order.
 */
public final class Fleet {
  /** Requests in flight: enough to keep the portal's workers busy, not to queue behind them. */
  public static final int CONCURRENCY = 8;

  /** A fleet's token file; {@code registered} devices were added now, in {@code took}. */
  public record Registered(Path tokens, int registered, Duration took) {
    public double perSecond() {
      return registered * 1000.0 / Math.max(1, took.toMillis());
    }
  }

  private Fleet() {}

  /**
   * Makes sure {@code file} holds tokens of at least {@code count} devices named {@code
   * sim-00000...} on this portal: the tokens a previous run registered are kept (the portal runs on
   * the same data dir), only the missing devices are registered and their tokens appended.
   */
  public static Registered ensure(PortalClient admin, int count, Path file) {
    long started = System.nanoTime();
    try {
      List<String> lines =
          Files.exists(file)
              ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8))
              : new ArrayList<>();
      int existing = lines.size();
      if (existing < count) {
        lines.addAll(register(admin, existing, count));
        Files.createDirectories(file.getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);
      }
      return new Registered(
          file, Math.max(0, count - existing), Duration.ofNanos(System.nanoTime() - started));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> register(PortalClient admin, int from, int to) {
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
    try {
      List<Future<String>> tokens = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        String name = String.format("sim-%05d", i);
        tokens.add(pool.submit(() -> create(admin, name)));
      }
      List<String> lines = new ArrayList<>(to - from);
      for (Future<String> token : tokens) {
        lines.add(token.get());
      }
      return lines;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while registering devices", e);
    } catch (ExecutionException e) {
      throw new AssertionError("registering a device failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static String create(PortalClient admin, String name) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("description", "simulated by the benchmark");
    return admin.expect(201, "POST", "/api/devices", body).get("token").asText();
  }
}
