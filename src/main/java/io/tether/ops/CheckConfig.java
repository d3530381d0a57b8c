package io.tether.ops;

import io.tether.boot.BootSettings;
import io.tether.boot.Setting;
import io.tether.boot.SettingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code check-config [ENV_FILE]}: every problem with the settings, one line each, using the same
 * checks the portal runs at start ({@link Setting#check}, {@link BootSettings}); exit 0 when there
 * are none.
 */
final class CheckConfig implements ServerCommand.Action {
  /** Exit status when the settings have problems. */
  static final int PROBLEMS = 2;

  @Override
  public int run(List<String> args, Map<String, String> env, Console console)
      throws CommandException {
    if (args.size() > 1) {
      throw CommandException.usage("takes at most one argument, the environment file");
    }
    Map<String, String> settings =
        args.isEmpty() ? env : EnvFile.read(java.nio.file.Path.of(args.get(0)));
    List<String> problems = problems(settings);
    problems.forEach(console.out()::println);
    if (problems.isEmpty()) {
      console.out().println("ok: " + Setting.values().length + " settings checked");
      return 0;
    }
    return PROBLEMS;
  }

  /** One line per problem, each naming its variable; empty when the settings are good. */
  static List<String> problems(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    for (Setting setting : Setting.values()) {
      try {
        setting.read(env).ifPresent(setting::check);
      } catch (SettingException e) {
        problems.add(e.getMessage());
      }
    }
    for (String unknown : unknownVariables(env)) {
      problems.add(unknown + ": not a Tether setting (a typo?); see README.md, Configuration");
    }
    if (problems.isEmpty()) {
      try {
        BootSettings settings = BootSettings.fromEnvironment(env);
        if (settings.httpPort() == settings.managementPort()) {
          problems.add(
              Setting.MANAGEMENT_PORT.variable()
                  + ": the same port as "
                  + Setting.HTTP_PORT.variable()
                  + " ("
                  + settings.httpPort()
                  + ")");
        }
      } catch (SettingException e) {
        problems.add(e.getMessage());
      }
    }
    return problems;
  }

  private static Set<String> unknownVariables(Map<String, String> env) {
    Set<String> known = new TreeSet<>();
    for (Setting setting : Setting.values()) {
      known.add(setting.variable());
    }
    Set<String> unknown = new TreeSet<>();
    for (String name : env.keySet()) {
      if (name.startsWith("TETHER_") && !known.contains(name)) {
        unknown.add(name);
      }
    }
    return unknown;
  }
}
