package io.tether.testing;

import io.tether.boot.NodeIdentity;
import io.tether.db.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * What every node of a test cluster on one PostgreSQL needs: the shared database in its environment
 * with a node URL, and the first node's {@code secret.key} in the data dir of each later one (as
 * docs/cluster.md says to provision it by copying).
 */
public final class SharedDatabaseNodes {
  private SharedDatabaseNodes() {}

  /** The environment of a node on {@code database} at {@code nodeUrl}; the caller may add to it. */
  public static Map<String, String> env(EmbeddedPostgres database, String nodeUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("TETHER_DB_URL", database.jdbcUrl());
    env.put("TETHER_DB_USER", database.user());
    env.put("TETHER_DB_PASSWORD", database.password());
    env.put("TETHER_NODE_URL", nodeUrl);
    return env;
  }

  /** Creates {@code dataDir} holding {@code first}'s secret.key; answers {@code dataDir}. */
  public static Path dataDirSharingKeyOf(PortalProcess first, Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Files.copy(
        first.dataDir().resolve(NodeIdentity.SECRET_FILE),
        dataDir.resolve(NodeIdentity.SECRET_FILE),
        StandardCopyOption.REPLACE_EXISTING);
    return dataDir;
  }
}
