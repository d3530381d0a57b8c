package io.tether.db;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL server binaries shipped with the portal (one pinned version, from zonky's binaries
 * artifacts on Maven Central), one archive per CPU architecture, unpacked once into the data dir.
 */
final class PostgresBinaries {
  /** zonky's archive name by {@code os.arch}; a portal package carries its architecture's one. */
  private static final Map<String, String> ARCHIVES =
      Map.of(
          "amd64", "postgres-linux-x86_64.txz",
          "x86_64", "postgres-linux-x86_64.txz",
          "aarch64", "postgres-linux-arm_64.txz",
          "arm64", "postgres-linux-arm_64.txz");

  /**
   * Where the build puts the archives: {@code quarkus-app/postgres/}, beside (not inside) the
   * application's jars, so that each Debian package can leave out the other architecture's without
   * touching Quarkus' class-path index.
   */
  static final String ARCHIVE_DIR = "postgres";

  private static final String DONE_MARKER = ".complete";

  private PostgresBinaries() {}

  /** The archive of {@code osArch}'s binaries, or why there is none. */
  static String archiveFor(String osArch) {
    String archive = ARCHIVES.get(osArch);
    if (archive == null) {
      throw new IllegalStateException(
          "no embedded PostgreSQL for the "
              + osArch
              + " architecture (amd64 and arm64 only); set TETHER_DB_URL");
    }
    return archive;
  }

  /**
   * The archive for {@code osArch}: a file in {@code appDir/postgres/} (the packaged portal), else
   * a class-path resource (tests, which have the amd64 artifact on their class path).
   */
  static InputStream open(Optional<Path> appDir, String osArch) throws IOException {
    String archive = archiveFor(osArch);
    if (appDir.isPresent()) {
      Path file = appDir.get().resolve(ARCHIVE_DIR).resolve(archive);
      if (Files.isRegularFile(file)) {
        return Files.newInputStream(file);
      }
    }
    InputStream resource = PostgresBinaries.class.getResourceAsStream("/" + archive);
    if (resource == null) {
      throw new IllegalStateException(
          "the PostgreSQL binaries for "
              + osArch
              + " are not in this build ("
              + archive
              + "); set TETHER_DB_URL");
    }
    return resource;
  }

  /**
   * {@code quarkus-app/} when running from the packaged application ({@code
   * quarkus-app/app/tether-*.jar}); empty when the classes are a directory (tests).
   */
  static Optional<Path> appDirectory() {
    try {
      Path location =
          Path.of(
              PostgresBinaries.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(location) && location.getParent().getParent() != null) {
        return Optional.of(location.getParent().getParent());
      }
    } catch (URISyntaxException | RuntimeException e) {
      // no code source to go by: the class path is all there is
    }
    return Optional.empty();
  }

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
      InputStream archive = open(appDirectory(), System.getProperty("os.arch"));
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
