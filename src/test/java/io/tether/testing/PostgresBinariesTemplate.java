package io.tether.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * The embedded PostgreSQL binaries a portal unpacks into {@code <data dir>/postgres-bin}, kept once
 * per build under {@code target/it-work} and hard-linked into every new portal's data dir: the
 * portal finds a complete copy (its marker file) and skips unpacking the xz archive, about 2 s of
 * CPU per start on the two cores the suite shares. The portal only reads them, so the links are
 * safe to share; a data dir that already has binaries is left alone.
 */
final class PostgresBinariesTemplate {
  private static final String DIR = "postgres-bin";

  /** The portal's marker of a completely unpacked copy (PostgresBinaries.DONE_MARKER). */
  private static final String COMPLETE = ".complete";

  private PostgresBinariesTemplate() {}

  private static Path template() {
    return Build.dir().resolve("it-work").resolve(DIR);
  }

  /** Links the kept binaries into {@code dataDir} if it has none yet. */
  static synchronized void seed(Path dataDir) {
    Path target = dataDir.resolve(DIR);
    if (!Files.isDirectory(template()) || Files.exists(target)) {
      return;
    }
    link(template(), target);
  }

  /** Keeps the binaries a portal unpacked into {@code dataDir}, if none are kept yet. */
  static synchronized void keep(Path dataDir) {
    Path source = dataDir.resolve(DIR);
    if (Files.exists(template()) || !complete(source)) {
      return;
    }
    Path partial = template().resolveSibling(DIR + ".partial");
    link(source, partial);
    try {
      Files.move(partial, template(), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean complete(Path binaries) {
    if (!Files.isDirectory(binaries)) {
      return false;
    }
    try (Stream<Path> versions = Files.list(binaries)) {
      return versions.anyMatch(v -> Files.exists(v.resolve(COMPLETE)));
    } catch (IOException e) {
      return false;
    }
  }

  /** A tree of hard links (directories made, symbolic links copied as links). */
  private static void link(Path from, Path to) {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isSymbolicLink(p)) {
          Files.createSymbolicLink(target, Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.createLink(target, p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot link " + from + " to " + to, e);
    }
  }
}
