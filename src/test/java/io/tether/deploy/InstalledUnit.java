package io.tether.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an installed systemd unit runs, read from the unit file: its user, working directory,
 * environment (Environment= and EnvironmentFile=) and ExecStart with {@code $VAR} expanded as
 * systemd does. Systemd does not run in CI; {@link #processBuilder} starts the same command as the
 * same user with runuser (sandboxing aside).
 */
record InstalledUnit(
    String user, Path workingDirectory, Map<String, String> env, List<String> exec) {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");

  static InstalledUnit read(Path unitFile) {
    try {
      String text = Files.readString(unitFile).replace("\\\n", " ");
      Map<String, String> env = new LinkedHashMap<>();
      String user = null;
      Path dir = Path.of("/");
      String exec = null;
      for (String line : text.split("\n")) {
        String l = line.strip();
        if (l.startsWith("User=")) {
          user = l.substring(5);
        } else if (l.startsWith("WorkingDirectory=")) {
          dir = Path.of(l.substring(17));
        } else if (l.startsWith("EnvironmentFile=")) {
          env.putAll(environmentFile(Path.of(l.substring(16))));
        } else if (l.startsWith("Environment=")) {
          String kv = l.substring(12);
          env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        } else if (l.startsWith("ExecStart=")) {
          exec = l.substring(10);
        }
      }
      if (user == null || exec == null) {
        throw new AssertionError(unitFile + " names no User= or no ExecStart=");
      }
      return new InstalledUnit(user, dir, env, expand(exec, env));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** KEY=VALUE lines; # comments and blank lines skipped, as systemd reads an EnvironmentFile. */
  static Map<String, String> environmentFile(Path file) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#") && l.contains("=")) {
        env.put(l.substring(0, l.indexOf('=')).strip(), l.substring(l.indexOf('=') + 1).strip());
      }
    }
    return env;
  }

  /** Words of ExecStart: an unbraced $VAR splits into words, ${VAR} stays one (systemd.service). */
  private static List<String> expand(String exec, Map<String, String> env) {
    List<String> words = new ArrayList<>();
    for (String word : exec.strip().split("\\s+")) {
      Matcher m = VARIABLE.matcher(word);
      if (m.matches() && m.group(2) != null) {
        String value = env.getOrDefault(m.group(2), "").strip();
        if (!value.isEmpty()) {
          words.addAll(List.of(value.split("\\s+")));
        }
      } else {
        words.add(
            m.replaceAll(
                r ->
                    Matcher.quoteReplacement(
                        env.getOrDefault(r.group(1) != null ? r.group(1) : r.group(2), ""))));
      }
    }
    return words;
  }

  /** The unit's command as its user, in its directory, with only its environment (and PATH). */
  ProcessBuilder processBuilder() {
    List<String> command = new ArrayList<>(List.of("runuser", "-u", user, "--"));
    command.addAll(exec);
    ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
    builder.environment().clear();
    builder
        .environment()
        .put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    // systemd sets it for every service; the portal's launcher then reads no env file itself
    builder.environment().put("INVOCATION_ID", "0123456789abcdef0123456789abcdef");
    builder.environment().putAll(env);
    return builder;
  }
}
