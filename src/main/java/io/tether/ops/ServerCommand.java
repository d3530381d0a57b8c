package io.tether.ops;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The server commands, by the word that names them on the command line. */
enum ServerCommand {
  VERSION("version", "", "print the version, commit and database schema version", new Version()),
  CHECK_CONFIG(
      "check-config",
      "[ENV_FILE]",
      "check the TETHER_* settings (of ENV_FILE, else of the environment); one line per problem",
      new CheckConfig()),
  RESET_PASSWORD(
      "reset-password",
      "USER [--password-stdin]",
      "set a new password (random and printed, or read from stdin); revokes the user's web"
          + " sessions and API tokens",
      new ResetPassword()),
  BACKUP(
      "backup",
      "FILE [--without-recordings]",
      "write the database, secret.key and node-id into FILE (mode 0600; it is a secret)",
      new Backup()),
  RESTORE(
      "restore",
      "FILE",
      "restore a backup into a fresh data dir (embedded database) or an empty TETHER_DB_URL",
      new Restore());

  /** What a command does with its arguments and the environment; answers the exit status. */
  interface Action {
    int run(List<String> args, Map<String, String> env, Console console) throws CommandException;
  }

  private final String word;
  private final String arguments;
  private final String summary;
  private final Action action;

  ServerCommand(String word, String arguments, String summary, Action action) {
    this.word = word;
    this.arguments = arguments;
    this.summary = summary;
    this.action = action;
  }

  static Optional<ServerCommand> named(String word) {
    for (ServerCommand c : values()) {
      if (c.word.equals(word)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  int run(List<String> args, Map<String, String> env, Console console) throws CommandException {
    return action.run(args, env, console);
  }

  static String usage() {
    StringBuilder text = new StringBuilder("usage: tether-portal [COMMAND [ARGS]]\n");
    text.append("  (no command)  serve the portal\n");
    for (ServerCommand c : values()) {
      text.append("  ")
          .append(c.word)
          .append(c.arguments.isEmpty() ? "" : " " + c.arguments)
          .append("\n      ")
          .append(c.summary)
          .append('\n');
    }
    return text.toString().stripTrailing();
  }
}
