package io.tether.ops;

import io.tether.boot.BuildInfo;
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
    Properties build = BuildInfo.properties();
    console.out().println("tether-portal " + build.getProperty("tether.version"));
    console.out().println("commit " + build.getProperty("tether.commit", "unknown"));
    console.out().println("schema " + BundledMigrations.load().latestVersion());
    console.out().println("postgresql (embedded) " + build.getProperty("postgres.version"));
    return 0;
  }
}
