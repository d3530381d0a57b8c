package io.tether.agent;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The device token an enrolled agent received, kept in its state dir readable by its user only
 * (0600). Once it is there the agent uses it and never the enrollment token again.
 */
final class EnrolledToken {
  static final String FILE = "device-token";

  private EnrolledToken() {}

  static boolean exists(Path stateDir) {
    return Files.isRegularFile(stateDir.resolve(FILE));
  }

  static Optional<String> load(Path stateDir) throws IOException {
    Path file = stateDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    String token = Files.readString(file).trim();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }

  /** Writes the token atomically: a crash leaves the old state (no file) or the whole token. */
  static Path store(Path stateDir, String token) throws IOException {
    Files.createDirectories(stateDir);
    Path file = stateDir.resolve(FILE);
    Path partial = stateDir.resolve(FILE + ".partial");
    Files.deleteIfExists(partial);
    try {
      Files.createFile(
          partial,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(partial);
    } catch (FileAlreadyExistsException raced) {
      throw new IOException("another agent is enrolling with the state dir " + stateDir, raced);
    }
    Files.writeString(partial, token + "\n");
    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return file;
  }
}
