package io.tether.deploy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/** The embedded PostgreSQL archive inside a portal .deb, read without installing the package. */
final class PackagedPostgres {
  static final String DIR = "./usr/lib/tether-portal/quarkus-app/postgres/";

  /** ELF {@code e_machine} values. */
  static final int EM_X86_64 = 62;

  static final int EM_AARCH64 = 183;

  private PackagedPostgres() {}

  /**
   * The {@code e_machine} of {@code bin/postgres} in {@code archive} (a zonky .txz) of {@code deb}.
   */
  static int serverMachine(Path deb, String archive, Path work) throws IOException {
    Path txz = work.resolve(archive);
    Command.ok(
        "sh",
        "-c",
        "dpkg-deb --fsys-tarfile \"$1\" | tar -xO \"$2\" > \"$3\"",
        "sh",
        deb.toString(),
        DIR + archive,
        txz.toString());
    try (InputStream in = new BufferedInputStream(Files.newInputStream(txz));
        TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(in))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.getName().equals("bin/postgres")) {
          byte[] header = tar.readNBytes(20);
          if (header[0] != 0x7f || header[1] != 'E' || header[2] != 'L' || header[3] != 'F') {
            throw new AssertionError("bin/postgres in " + archive + " is not an ELF file");
          }
          return (header[18] & 0xff) | (header[19] & 0xff) << 8; // little-endian, both targets
        }
      }
    } finally {
      Files.deleteIfExists(txz);
    }
    throw new AssertionError("no bin/postgres in " + archive + " of " + deb);
  }
}
