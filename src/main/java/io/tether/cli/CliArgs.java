package io.tether.cli;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The command line of {@code tether COMMAND [--option VALUE]… [--flag]…}. */
final class CliArgs {
  /** A bad command line; the message is one line for the user. */
  static final class UsageException extends CliMain.Failure {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  private final String command;
  private final Map<String, String> options = new HashMap<>();
  private final java.util.List<String> positionals = new java.util.ArrayList<>();
  private final java.util.Set<String> flags = new java.util.HashSet<>();

  private CliArgs(String command) {
    this.command = command;
  }

  /**
   * Parses {@code args} for a command taking {@code optionNames} (with a value) and {@code
   * flagNames} (without); anything else is a usage error.
   */
  static CliArgs parse(List<String> args, Set<String> optionNames, Set<String> flagNames)
      throws UsageException {
    return parse(args, optionNames, flagNames, 0);
  }

  /** The same, taking up to {@code positionals} arguments that are not options. */
  static CliArgs parse(
      List<String> args, Set<String> optionNames, Set<String> flagNames, int positionals)
      throws UsageException {
    CliArgs parsed = new CliArgs(args.get(0));
    for (int i = 1; i < args.size(); i++) {
      String a = args.get(i);
      if (flagNames.contains(a)) {
        parsed.flags.add(a);
      } else if (optionNames.contains(a)) {
        if (i + 1 >= args.size()) {
          throw new UsageException(a + " needs a value");
        }
        parsed.options.put(a, args.get(++i));
      } else if (parsed.positionals.size() < positionals && !a.startsWith("-")) {
        parsed.positionals.add(a);
      } else {
        throw new UsageException(
            (a.startsWith("-") ? "unknown option " : "unexpected argument ")
                + a
                + " for "
                + parsed.command
                + " (see tether "
                + parsed.command
                + " --help)");
      }
    }
    return parsed;
  }

  Optional<String> option(String name) {
    return Optional.ofNullable(options.get(name));
  }

  List<String> positionals() {
    return positionals;
  }

  boolean flag(String name) {
    return flags.contains(name);
  }

  /** The portal's URL without a trailing slash; http or https only. */
  static URI portal(String value) throws UsageException {
    String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    URI uri;
    try {
      uri = URI.create(trimmed);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--portal must be an http:// or https:// URL");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new UsageException("--portal must be an http:// or https:// URL");
    }
    return uri;
  }

  /** "30d", "12h", "90m" or null for {@code otherwise}; at most a year. */
  static Duration duration(String value, Duration otherwise) throws UsageException {
    if (value == null) {
      return otherwise;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,4})([dhm])").matcher(value);
    if (!m.matches()) {
      throw new UsageException("--ttl must be like 30d, 12h or 90m");
    }
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "d" -> Duration.ofDays(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofMinutes(n);
        };
    if (d.isZero() || d.compareTo(Duration.ofDays(365)) > 0) {
      throw new UsageException("--ttl must be between 1m and 365d");
    }
    return d;
  }
}
