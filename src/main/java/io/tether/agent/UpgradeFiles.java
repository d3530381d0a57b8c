package io.tether.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The upgrade's files in {@code STATE/agent/}, as the launcher (deploy/debian/bin/tether-agent)
 * reads them: {@code current.jar} runs instead of the packaged jar, {@code previous.jar} is what a
 * rollback restores (absent: the packaged jar), {@code trial} marks a jar not yet confirmed.
 */
final class UpgradeFiles {
  private final Path dir;

  UpgradeFiles(Path stateDir) {
    this.dir = stateDir.resolve("agent");
  }

  Path incoming() throws IOException {
    Files.createDirectories(dir);
    return dir.resolve("incoming.jar");
  }

  /** A refused download is not kept. */
  void discardIncoming() {
    try {
      Files.deleteIfExists(dir.resolve("incoming.jar"));
    } catch (IOException e) {
      // the next download overwrites it
    }
  }

  /**
   * Makes the verified {@code incoming} jar the one the launcher runs next, on trial: the running
   * one becomes the previous jar.
   */
  void swap(Path incoming, String version) throws IOException {
    Path current = dir.resolve("current.jar");
    Path previous = dir.resolve("previous.jar");
    if (Files.exists(current)) {
      Files.move(current, previous, StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.deleteIfExists(previous); // the packaged jar is the previous one
    }
    Path trial = dir.resolve("trial.tmp");
    Files.writeString(trial, "version=" + version + "\n", StandardCharsets.UTF_8);
    Files.deleteIfExists(dir.resolve("trial.started"));
    Files.move(trial, dir.resolve("trial"), StandardCopyOption.ATOMIC_MOVE);
    Files.move(incoming, current, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Confirms a trial of {@code version}: the launcher stops watching and keeps this jar. Empty when
   * there was none (or it is another version's, which the launcher is rolling back).
   */
  Optional<String> confirm(String version) throws IOException {
    Path trial = dir.resolve("trial");
    if (!Files.exists(trial)) {
      return Optional.empty();
    }
    String text = Files.readString(trial, StandardCharsets.UTF_8).trim();
    if (!text.equals("version=" + version)) {
      return Optional.empty();
    }
    Files.deleteIfExists(trial);
    return Optional.of(version);
  }

  /** The launcher's note of a rollback, once: it is deleted as it is read. */
  Optional<String> rolledBack() throws IOException {
    Path note = dir.resolve("rolled-back");
    if (!Files.exists(note) || Files.size(note) > 4096) {
      Files.deleteIfExists(note);
      return Optional.empty();
    }
    String why = Files.readString(note, StandardCharsets.UTF_8).trim();
    Files.delete(note);
    return Optional.of(why);
  }
}
