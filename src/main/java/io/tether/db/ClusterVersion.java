package io.tether.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Refuses a data dir written by another PostgreSQL major version instead of re-initialising it. */
final class ClusterVersion {
  private ClusterVersion() {}

  static void requireCompatible(Path pgData, int bundledMajor) throws IOException {
    Path versionFile = pgData.resolve("PG_VERSION");
    if (!Files.exists(versionFile)) {
      if (Files.isDirectory(pgData)) {
        try (var entries = Files.list(pgData)) {
          if (entries.findAny().isPresent()) {
            throw new DatabaseStartException(
                pgData
                    + " is not empty but holds no PostgreSQL cluster (no PG_VERSION);"
                    + " move it away or point TETHER_DATA_DIR elsewhere");
          }
        }
      }
      return;
    }
    String found = Files.readString(versionFile).trim();
    if (!found.equals(Integer.toString(bundledMajor))) {
      throw new DatabaseStartException(
          pgData
              + " holds a PostgreSQL "
              + found
              + " cluster but this portal ships PostgreSQL "
              + bundledMajor
              + "; it is never re-initialised automatically: upgrade it with pg_upgrade, restore a"
              + " backup (deploy/README.md), or point TETHER_DB_URL at a server");
    }
  }
}
