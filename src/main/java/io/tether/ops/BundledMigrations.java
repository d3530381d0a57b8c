package io.tether.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.internal.resource.classpath.ClassPathResource;

/**
 * The Flyway scripts this build carries, listed from the jar (or classes dir) that holds them.
 * Flyway's own classpath scanning does not see into the packaged app's class loader before Quarkus
 * starts, so {@code restore} hands Flyway this list as its {@link ResourceProvider}.
 */
final class BundledMigrations implements ResourceProvider {
  static final String LOCATION = "db/migration";

  /** {@code V2026_11_25_1000__initial_schema.sql}: version 2026.11.25.1000. */
  private static final Pattern SCRIPT = Pattern.compile("V([0-9_.]+)__.+\\.sql");

  private final List<String> scripts;

  private BundledMigrations(List<String> scripts) {
    this.scripts = scripts;
  }

  static BundledMigrations load() {
    URL self =
        BundledMigrations.class.getResource(BundledMigrations.class.getSimpleName() + ".class");
    try {
      List<String> names = new ArrayList<>();
      String url = self.toString();
      if (url.startsWith("jar:")) {
        Path jar = Path.of(URI.create(url.substring("jar:".length(), url.indexOf("!/"))));
        try (JarFile file = new JarFile(jar.toFile())) {
          file.stream()
              .map(e -> e.getName())
              .filter(n -> n.startsWith(LOCATION + "/"))
              .map(n -> n.substring(LOCATION.length() + 1))
              .forEach(names::add);
        }
      } else {
        Path classes = Path.of(self.toURI());
        for (int i = 0; i < BundledMigrations.class.getName().split("\\.").length; i++) {
          classes = classes.getParent();
        }
        try (Stream<Path> files = Files.list(classes.resolve(LOCATION))) {
          files.map(p -> p.getFileName().toString()).forEach(names::add);
        }
      }
      names.removeIf(n -> !SCRIPT.matcher(n).matches());
      names.sort(Comparator.comparing(BundledMigrations::version, BundledMigrations::compare));
      return new BundledMigrations(List.copyOf(names));
    } catch (IOException | java.net.URISyntaxException e) {
      throw new UncheckedIOException(
          "cannot list the migrations in this build", new IOException(e.getMessage(), e));
    }
  }

  List<String> scripts() {
    return scripts;
  }

  /** The schema version this build migrates to: the version of its last script. */
  String latestVersion() {
    return scripts.isEmpty() ? "none" : version(scripts.get(scripts.size() - 1));
  }

  /** The version of a script, as Flyway writes it in flyway_schema_history (dots for '_'). */
  static String version(String script) {
    Matcher m = SCRIPT.matcher(script);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a migration script: " + script);
    }
    return m.group(1).replace('_', '.');
  }

  /** Flyway's order: numeric part by part. */
  static int compare(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      long p = i < x.length ? Long.parseLong(x[i]) : 0;
      long q = i < y.length ? Long.parseLong(y[i]) : 0;
      if (p != q) {
        return Long.compare(p, q);
      }
    }
    return 0;
  }

  @Override
  public LoadableResource getResource(String name) {
    return scripts.contains(name) ? resource(name) : null;
  }

  @Override
  public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
    List<LoadableResource> found = new ArrayList<>();
    for (String name : scripts) {
      if (name.startsWith(prefix) && Stream.of(suffixes).anyMatch(name::endsWith)) {
        found.add(resource(name));
      }
    }
    return found;
  }

  private static LoadableResource resource(String name) {
    return new ClassPathResource(
        Location.fromPath("classpath:", LOCATION),
        LOCATION + "/" + name,
        BundledMigrations.class.getClassLoader(),
        StandardCharsets.UTF_8);
  }
}
