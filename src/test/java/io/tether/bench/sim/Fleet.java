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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Registers simulated devices the way an admin does, through {@code POST /api/devices} (there is no
 * bulk path), with a few requests in flight; their tokens go to a file, one per line, in order.
 */
public final class Fleet {
  /** Requests in flight: enough to keep the portal's workers busy, not to queue behind them. */
  public static final int CONCURRENCY = 4;

  /** A registered fleet: the token file and how long registering took. */
  public record Registered(Path tokens, int count, Duration took) {
    public double perSecond() {
      return count * 1000.0 / Math.max(1, took.toMillis());
    }
  }

  private Fleet() {}

  /**
   * Registers {@code count} devices named {@code sim-00000...}; their tokens go to {@code file}.
   */
  public static Registered register(PortalClient admin, int count, Path file) {
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
    try {
      List<Future<String>> tokens = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String name = String.format("sim-%05d", i);
        tokens.add(pool.submit(() -> create(admin, name)));
      }
      List<String> lines = new ArrayList<>(count);
      for (Future<String> token : tokens) {
        lines.add(token.get());
      }
      Files.createDirectories(file.getParent());
      Files.write(file, lines, StandardCharsets.UTF_8);
      return new Registered(file, count, Duration.ofNanos(System.nanoTime() - started));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while registering devices", e);
    } catch (java.util.concurrent.ExecutionException e) {
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
