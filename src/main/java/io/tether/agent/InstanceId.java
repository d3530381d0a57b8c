package io.tether.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The id of this agent installation, stable across restarts: the portal tells a reconnect of the
 * same agent (replace the old tunnel) from a cloned installation (refuse as duplicate).
 */
final class InstanceId {
  private InstanceId() {}

  static String loadOrCreate(Path stateDir) throws IOException {
    Path file = stateDir.resolve("instance-id");
    if (Files.exists(file)) {
      return Files.readString(file).trim();
    }
    Files.createDirectories(stateDir);
    String id = UUID.randomUUID().toString();
    Files.writeString(file, id + "\n");
    return id;
  }
}
