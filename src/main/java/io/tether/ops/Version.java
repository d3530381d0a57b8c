package io.tether.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** {@code version}: what this build is, without touching a database. */
final class Version implements ServerCommand.Action {
  @Override
  public int run(List<String> args, Map<String, String> env, Console console)
      throws CommandException {
    if (!args.isEmpty()) {
      throw CommandException.usage("takes no arguments");
    }
    Properties build = build();
    console.out().println("tether-portal " + build.getProperty("tether.version"));
    console.out().println("commit " + build.getProperty("tether.commit", "unknown"));
    console.out().println("schema " + BundledMigrations.load().latestVersion());
    console.out().println("postgresql (embedded) " + build.getProperty("postgres.version"));
    return 0;
  }

  /** The properties the build wrote into {@code tether-build.properties}. */
  static Properties build() {
    try (InputStream in = Version.class.getResourceAsStream("/tether-build.properties")) {
      Properties props = new Properties();
      props.load(in);
      return props;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
