package io.tether.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tether.db.EmbeddedPostgres;
import io.tether.db.OrphanedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** A real PostgreSQL for @QuarkusTests, started once for all test classes on a fresh data dir. */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {
  private EmbeddedPostgres postgres;

  @Override
  public Map<String, String> start() {
    Path dataDir = Build.dir().resolve("quarkus-test-db");
    try {
      OrphanedServer.stopIfRunning(dataDir.resolve("postgres"), line -> {});
      deleteTree(dataDir.resolve("postgres"));
      Files.createDirectories(dataDir);
      postgres = EmbeddedPostgres.start(dataDir, "auto", line -> {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.of(
        "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
        "quarkus.datasource.username", postgres.user(),
        "quarkus.datasource.password", postgres.password(),
        "tether.data-dir", dataDir.toString());
  }

  @Override
  public void stop() {
    if (postgres != null) {
      postgres.close();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
