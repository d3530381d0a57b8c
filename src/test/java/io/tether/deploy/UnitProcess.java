package io.tether.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * An installed unit's command running as its user (see {@link InstalledUnit}), its output in a log.
 */
final class UnitProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private UnitProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static UnitProcess start(Path unitFile, Path log) {
    ProcessBuilder builder = InstalledUnit.read(unitFile).processBuilder();
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      return new UnitProcess(builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + unitFile, e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  /** SIGTERM to the service (runuser passes it on), as systemctl stop does; then SIGKILL. */
  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
