package io.tether.cli;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code tether login} stores for later commands: the portal, its CA file if any, and an API
 * token with its id (to revoke it on logout), in {@code $XDG_CONFIG_HOME/tether/credentials} (else
 * {@code ~/.config/tether/credentials}), readable by the user only (mode 0600, written whole).
 */
record Credentials(URI portal, String token, long tokenId, String ca) {
  static final String FILE = "credentials";

  /** The file of the user running the CLI. */
  static Path file(Map<String, String> env) {
    String xdg = env.get("XDG_CONFIG_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
    return base.resolve("tether").resolve(FILE);
  }

  static Optional<Credentials> load(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    p.load(new StringReader(Files.readString(file)));
    String portal = p.getProperty("portal");
    String token = p.getProperty("token");
    if (portal == null || token == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Credentials(
            URI.create(portal),
            token,
            Long.parseLong(p.getProperty("tokenId", "0")),
            p.getProperty("ca")));
  }

  /** Writes the file with mode 0600 from the start (a temporary file moved over the old one). */
  void save(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Properties p = new Properties();
    p.setProperty("portal", portal.toString());
    p.setProperty("token", token);
    p.setProperty("tokenId", Long.toString(tokenId));
    if (ca != null) {
      p.setProperty("ca", ca);
    }
    StringWriter text = new StringWriter();
    p.store(text, "tether login: an API token; tether logout revokes it");
    Path tmp = file.resolveSibling(FILE + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      throw new IOException("another tether login is writing " + tmp, e);
    }
    Files.writeString(tmp, text.toString());
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
