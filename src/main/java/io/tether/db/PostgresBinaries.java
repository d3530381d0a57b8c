package io.tether.db;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL server binaries shipped inside the portal (one pinned version, from the zonky
 * binaries artifact on Maven Central), unpacked once into the data dir.
 */
final class PostgresBinaries {
  private static final String ARCHIVE = "postgres-linux-x86_64.txz";
  private static final String DONE_MARKER = ".complete";

  private PostgresBinaries() {}

  /** The bundled version, e.g. "16.10.0", recorded at build time. */
  static String version() {
    try (InputStream in = PostgresBinaries.class.getResourceAsStream("/tether-build.properties")) {
      Properties props = new Properties();
      props.load(in);
      return props.getProperty("postgres.version");
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("tether-build.properties is missing from the build", e);
    }
  }

  static int major() {
    return Integer.parseInt(version().split("\\.")[0]);
  }

  /** Unpacks the binaries under {@code parent} unless a complete copy is already there. */
  static Path unpack(Path parent) {
    Path dir = parent.resolve("postgres-" + version());
    if (Files.exists(dir.resolve(DONE_MARKER))) {
      return dir;
    }
    try {
      deleteTree(dir);
      Files.createDirectories(dir);
      InputStream archive = PostgresBinaries.class.getResourceAsStream("/" + ARCHIVE);
      if (archive == null) {
        throw new IllegalStateException(
            "the PostgreSQL binaries for linux-x86_64 are not in this build; set TETHER_DB_URL");
      }
      try (TarArchiveInputStream tar =
          new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(archive)))) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          extract(tar, entry, dir);
        }
      }
      Files.createFile(dir.resolve(DONE_MARKER));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the PostgreSQL binaries into " + dir, e);
    }
  }

  private static void extract(TarArchiveInputStream tar, TarArchiveEntry entry, Path dir)
      throws IOException {
    Path target = dir.resolve(entry.getName()).normalize();
    if (!target.startsWith(dir)) {
      throw new IOException("archive entry escapes its directory: " + entry.getName());
    }
    if (entry.isDirectory()) {
      Files.createDirectories(target);
    } else if (entry.isSymbolicLink()) {
      Files.createDirectories(target.getParent());
      Files.deleteIfExists(target);
      Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
    } else {
      Files.createDirectories(target.getParent());
      Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
      if ((entry.getMode() & 0100) != 0) {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(target);
        perms.add(PosixFilePermission.OWNER_EXECUTE);
        perms.add(PosixFilePermission.GROUP_EXECUTE);
        perms.add(PosixFilePermission.OTHERS_EXECUTE);
        Files.setPosixFilePermissions(target, perms);
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
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
