package io.tether.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How PostgreSQL's commands are launched. PostgreSQL refuses to run as root, so when the portal is
 * root the server runs in a user namespace (where it is not root) or, where the host forbids user
 * namespaces, as the unprivileged account {@code nobody}.
 */
final class ServerLauncher {
  enum Mode {
    DIRECT,
    USER_NAMESPACE,
    UNPRIVILEGED_USER
  }

  /** The account used when user namespaces are unavailable; exists on every Debian-like host. */
  static final String FALLBACK_USER = "nobody";

  static final String FALLBACK_GROUP = "nogroup";

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

  private final Mode mode;

  private ServerLauncher(Mode mode) {
    this.mode = mode;
  }

  /**
   * Picks the launch mode. {@code forced} ("auto", "namespace" or "user") comes from
   * TETHER_DB_EMBEDDED_AS; "auto" prefers a user namespace.
   */
  static ServerLauncher detect(String forced) throws IOException {
    String choice = forced == null ? "auto" : forced.toLowerCase(Locale.ROOT);
    if (!isRoot()) {
      return new ServerLauncher(Mode.DIRECT);
    }
    if (!choice.equals("user") && Exec.run(List.of("unshare", "-U", "true"), PROBE_TIMEOUT).ok()) {
      return new ServerLauncher(Mode.USER_NAMESPACE);
    }
    if (choice.equals("namespace")) {
      throw new IOException("user namespaces are not available here (unshare -U failed)");
    }
    return new ServerLauncher(Mode.UNPRIVILEGED_USER);
  }

  Mode mode() {
    return mode;
  }

  /** The one log line that says what was done about running as root. */
  String describe() {
    return switch (mode) {
      case DIRECT -> "embedded PostgreSQL runs as the current user";
      case USER_NAMESPACE ->
          "running as root, which PostgreSQL refuses: the embedded server runs in a user namespace"
              + " (unshare -U)";
      case UNPRIVILEGED_USER ->
          "running as root, which PostgreSQL refuses: the embedded server runs as user "
              + FALLBACK_USER
              + " (setpriv)";
    };
  }

  List<String> command(List<String> command) {
    List<String> full = new ArrayList<>();
    switch (mode) {
      case USER_NAMESPACE -> full.addAll(List.of("unshare", "-U"));
      case UNPRIVILEGED_USER ->
          full.addAll(
              List.of(
                  "setpriv",
                  "--reuid=" + FALLBACK_USER,
                  "--regid=" + FALLBACK_GROUP,
                  "--clear-groups",
                  "--"));
      case DIRECT -> {}
    }
    full.addAll(command);
    return full;
  }

  /** Gives the server's account the files it needs, and checks it can reach them. */
  void prepare(Path binaries, Path dataDir) throws IOException {
    if (mode != Mode.UNPRIVILEGED_USER) {
      return;
    }
    Exec.Result chown =
        Exec.run(
            List.of("chown", "-R", FALLBACK_USER + ":" + FALLBACK_GROUP, dataDir.toString()),
            PROBE_TIMEOUT);
    if (!chown.ok()) {
      throw new IOException(
          "cannot hand " + dataDir + " to " + FALLBACK_USER + ": " + chown.output());
    }
    for (Path path : List.of(binaries.resolve("bin/postgres"), dataDir)) {
      Exec.Result reach = Exec.run(command(List.of("test", "-r", path.toString())), PROBE_TIMEOUT);
      if (!reach.ok()) {
        throw new IOException(
            FALLBACK_USER
                + " cannot reach "
                + path
                + ": put TETHER_DATA_DIR where that account can traverse (e.g. /var/lib/tether)"
                + " or run the portal as a non-root user");
      }
    }
  }

  static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0");
        }
      }
    } catch (IOException e) {
      // no /proc: not Linux, treat as unprivileged
    }
    return false;
  }
}
