package io.tether.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The upgrade fixtures in {@value #DIR}: one directory per release, each the unzipped files of a
 * backup ({@code dump.sql}, {@code secret.key}, {@code node-id}) plus {@value PortalContents#FILE},
 * made by {@code deploy/fixtures/make-fixture.sh}.
 */
final class UpgradeFixtures {
  static final String DIR = "src/test/resources/upgrade";

  private UpgradeFixtures() {}

  static List<Path> all() throws IOException {
    try (Stream<Path> dirs = Files.list(Path.of(DIR))) {
      return dirs.filter(Files::isDirectory).sorted().toList();
    }
  }
}
