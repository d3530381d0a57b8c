package io.tether.ops;

import io.tether.boot.NodeIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A backup: a zip of {@value #DUMP} ({@link SqlDump}), {@code secret.key} and {@code node-id}. The
 * same three files in a directory are read the same way (the upgrade fixtures are kept so).
 */
final class BackupArchive {
  static final String DUMP = "dump.sql";

  /** The data dir files a backup carries, besides the dump. */
  static final List<String> IDENTITY_FILES =
      List.of(NodeIdentity.SECRET_FILE, NodeIdentity.NODE_ID_FILE);

  /**
   * Where each of {@link #IDENTITY_FILES} is read from: the data dir, but the secret from {@code
   * TETHER_SECRET_KEY_FILE} when that is set.
   */
  static Map<String, Path> identitySources(Path dataDir, Optional<Path> secretKeyFile) {
    Map<String, Path> sources = new LinkedHashMap<>();
    for (String name : IDENTITY_FILES) {
      sources.put(name, dataDir.resolve(name));
    }
    sources.put(NodeIdentity.SECRET_FILE, NodeIdentity.secretFile(dataDir, secretKeyFile));
    return sources;
  }

  /** Owner read/write only: the archive holds the node secret. */
  static final String SECRET_MODE = "rw-------";

  private BackupArchive() {}

  /** What writes the dump into the archive. */
  interface DumpWriter {
    SqlDump.Summary write(OutputStream out) throws Exception;
  }

  /**
   * Writes the archive to a temporary file created with mode 0600 next to {@code file}, then moves
   * it into place, so that a failed backup never leaves a half archive under the name.
   */
  static SqlDump.Summary write(Path file, Map<String, Path> identity, DumpWriter dump)
      throws Exception {
    Path target = file.toAbsolutePath();
    Path tmp = target.resolveSibling(target.getFileName() + ".partial");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(SECRET_MODE)));
    try {
      SqlDump.Summary summary;
      try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
        for (Map.Entry<String, Path> source : identity.entrySet()) {
          zip.putNextEntry(new ZipEntry(source.getKey()));
          zip.write(Files.readAllBytes(source.getValue()));
          zip.closeEntry();
        }
        zip.putNextEntry(new ZipEntry(DUMP));
        summary = dump.write(zip);
        zip.closeEntry();
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return summary;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A backup opened for reading: a zip, or a directory holding the same files. */
  interface Source extends AutoCloseable {
    InputStream open(String name) throws IOException;

    @Override
    void close() throws IOException;
  }

  static Source open(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      return new Source() {
        @Override
        public InputStream open(String name) throws IOException {
          return Files.newInputStream(file.resolve(name));
        }

        @Override
        public void close() {}
      };
    }
    ZipFile zip = new ZipFile(file.toFile());
    return new Source() {
      @Override
      public InputStream open(String name) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
          throw new IOException(file + " has no " + name + ": not a Tether backup");
        }
        return zip.getInputStream(entry);
      }

      @Override
      public void close() throws IOException {
        zip.close();
      }
    };
  }
}
