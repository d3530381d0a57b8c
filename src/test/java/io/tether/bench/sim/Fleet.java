package io.tether.bench.sim;

import io.tether.testing.PortalClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Registers simulated devices the way an admin registers many: CSV imports of {@link
 * #ROWS_PER_IMPORT} devices each, two at a time; their tokens go to a file, one per line, in order.
 */
public final class Fleet {
  /** Devices per CSV import: the portal takes at most 1,000 rows a file. */
  public static final int ROWS_PER_IMPORT = 1_000;

  /**
   * Files imported at once: each import is one transaction waiting on its own row-by-row round
   * trips to PostgreSQL, so two overlap on two cores (10,000 devices: 28 s one at a time).
   */
  private static final int IMPORTS_AT_ONCE = 2;

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
    List<CompletableFuture<List<String>>> files = new ArrayList<>();
    ExecutorService importers = Executors.newFixedThreadPool(IMPORTS_AT_ONCE);
    try {
      for (int first = from; first < to; first += ROWS_PER_IMPORT) {
        int start = first;
        int end = Math.min(to, first + ROWS_PER_IMPORT);
        files.add(CompletableFuture.supplyAsync(() -> importFile(admin, start, end), importers));
      }
      List<String> tokens = new ArrayList<>(to - from);
      files.forEach(f -> tokens.addAll(f.join()));
      if (tokens.size() != to - from) {
        throw new AssertionError("imported " + tokens.size() + " devices of " + (to - from));
      }
      return tokens;
    } finally {
      importers.shutdownNow();
    }
  }

  /** One CSV file of devices {@code sim-<from>} up to {@code to}: their tokens in that order. */
  private static List<String> importFile(PortalClient admin, int from, int to) {
    StringBuilder csv = new StringBuilder("name,description\n");
    for (int i = from; i < to; i++) {
      csv.append(String.format("sim-%05d", i)).append(",simulated by the benchmark\n");
    }
    List<String> answer = admin.importDevices(csv.toString()).lines().toList();
    // "name","id","token": the header, then one row per device in the file's order, every
    // cell quoted (names and tokens hold no quote or comma).
    List<String> tokens = new ArrayList<>(to - from);
    for (String row : answer.subList(1, answer.size())) {
      String token = row.substring(row.lastIndexOf(',') + 1).replace("\"", "");
      if (!token.startsWith("tdv_")) {
        throw new AssertionError("not a device token at the end of the import's row: " + row);
      }
      tokens.add(token);
    }
    return tokens;
  }
}
