package io.tether.boot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on the data dir for the life of the process: two portals never share one data
 * dir, and a PostgreSQL found running there at start is known to be an orphan.
 */
public final class DataDirLock {
  private DataDirLock() {}

  /** Held until the JVM exits (the OS releases it even after SIGKILL). */
  public static FileLock acquire(Path dataDir) {
    try {
      FileChannel channel =
          FileChannel.open(
              dataDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new SettingException(
            "TETHER_DATA_DIR", dataDir + " is in use by another running Tether portal");
      }
      return lock;
    } catch (IOException e) {
      throw new SettingException(
          "TETHER_DATA_DIR", "cannot lock " + dataDir + " (" + e.getMessage() + ")");
    }
  }
}
