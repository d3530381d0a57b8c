package io.tether.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An environment file as systemd's {@code EnvironmentFile=} reads the simple ones: {@code
 * NAME=value} lines, {@code #} comments, blank lines, values optionally in single or double quotes.
 */
final class EnvFile {
  private EnvFile() {}

  static Map<String, String> read(Path file) throws CommandException {
    Map<String, String> env = new LinkedHashMap<>();
    try {
      int number = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        number++;
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
          continue;
        }
        int eq = trimmed.indexOf('=');
        if (eq <= 0) {
          throw new CommandException(
              CheckConfig.PROBLEMS, file + " line " + number + ": not NAME=value");
        }
        env.put(trimmed.substring(0, eq).strip(), unquote(trimmed.substring(eq + 1).strip()));
      }
    } catch (IOException e) {
      throw new CommandException(
          CheckConfig.PROBLEMS, "cannot read " + file + ": " + e.getMessage());
    }
    return env;
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && (value.startsWith("\"") && value.endsWith("\"")
            || value.startsWith("'") && value.endsWith("'"))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }
}
